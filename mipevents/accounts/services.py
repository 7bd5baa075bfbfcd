"""Staff accounts: creating users, checking passwords, loading the signed-in user."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from mipevents.accounts.models import User
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db

_hasher = PasswordHasher()
# A hash to verify against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(email: str, password: str, role: str = "staff", name: str = "") -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    user = User(email=email.strip().casefold(), name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The enabled user with this email and password, or None (without saying which was wrong)."""
    user = db.session.execute(select(User).where(User.email == (email or "").strip().casefold())).scalar_one_or_none()
    try:
        if user is None:
            _hasher.verify(_DUMMY_HASH, password or "")
            return None
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if not user.is_enabled:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    """A new password; every other signed-in session of this user ends."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    user.session_version += 1


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the cookie holds "id:session_version", so a bumped version logs out."""
    try:
        raw_id, version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or str(user.session_version) != version or not user.is_enabled:
        return None
    return user
