"""Staff accounts: creating and managing users, checking passwords, password resets, loading the
signed-in user. Every change by an admin is audited."""
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select, update

from mipevents.accounts import audit
from mipevents.accounts.models import PasswordReset, User
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import isoformat_z, utcnow
from mipevents.extensions import db
from mipevents.notify.outbox import enqueue

_hashers: dict = {}


def _hasher() -> PasswordHasher:
    """Argon2id with the library's recommended cost; tests lower it (PASSWORD_HASH_TIME_COST and
    PASSWORD_HASH_MEMORY_KIB) to keep the suite fast. Hashes carry their parameters, so any
    process verifies any hash."""
    config = current_app.config
    key = (config.get("PASSWORD_HASH_TIME_COST"), config.get("PASSWORD_HASH_MEMORY_KIB"))
    if key not in _hashers:
        options = {}
        if key[0]:
            options["time_cost"] = int(key[0])
        if key[1]:
            options["memory_cost"] = int(key[1])
        hasher = PasswordHasher(**options)
        # A hash to verify against when the email is unknown, so both failures take the same time.
        _hashers[key] = (hasher, hasher.hash("not a real password"))
    return _hashers[key][0]


def _dummy_hash() -> str:
    _hasher()
    config = current_app.config
    return _hashers[(config.get("PASSWORD_HASH_TIME_COST"), config.get("PASSWORD_HASH_MEMORY_KIB"))][1]

MIN_PASSWORD_LENGTH = 12
RESET_LIFETIME = timedelta(hours=1)


class AccountProblem(ValueError):
    """A change to an account that is refused (the message says why, for the form)."""


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountProblem(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")


def user_for_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == (email or "").strip().casefold())).scalar_one_or_none()


def create_user(email: str, password: str, role: str = "staff", name: str = "", *, actor=None) -> User:
    """A new staff account (flushed). Raises AccountProblem for a taken email or a short password."""
    _check_password(password)
    if role not in vocab.STAFF_ROLES:
        raise AccountProblem(f"unknown role {role!r}")
    if user_for_email(email) is not None:
        raise AccountProblem("an account with this email already exists")
    user = User(email=email.strip().casefold(), name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("create_user", user, actor=actor, summary=f"Created the {role} account {user.email}",
                 after={"email": user.email, "role": role, "name": name})
    return user


def _enabled_admins() -> int:
    return db.session.execute(select(func.count()).select_from(User)
                              .where(User.role == "admin", User.is_enabled.is_(True))).scalar_one()


def change_role(user: User, role: str, *, actor) -> bool:
    """Give `user` another role; the last enabled admin keeps theirs. Returns whether it changed."""
    if role not in vocab.STAFF_ROLES:
        raise AccountProblem(f"unknown role {role!r}")
    if role == user.role:
        return False
    if user.role == "admin" and user.is_enabled and _enabled_admins() <= 1:
        raise AccountProblem("this is the last administrator; make someone else an administrator first")
    before = user.role
    user.role = role
    user.session_version += 1   # their open sessions end, so the new role applies at once
    audit.record("change_role", user, actor=actor, summary=f"Changed {user.email} from {before} to {role}",
                 before={"role": before}, after={"role": role})
    return True


def set_enabled(user: User, enabled: bool, *, actor) -> bool:
    """Disable (signs them out everywhere) or re-enable an account. Returns whether it changed."""
    if user.is_enabled == enabled:
        return False
    if not enabled and actor is not None and user.id == getattr(actor, "id", None):
        raise AccountProblem("you cannot disable your own account")
    if not enabled and user.role == "admin" and _enabled_admins() <= 1:
        raise AccountProblem("this is the last administrator")
    user.is_enabled = enabled
    user.session_version += 1
    audit.record("enable_user" if enabled else "disable_user", user, actor=actor,
                 summary=f"{'Enabled' if enabled else 'Disabled'} {user.email}",
                 before={"is_enabled": not enabled}, after={"is_enabled": enabled})
    return True


def authenticate(email: str, password: str) -> User | None:
    """The enabled user with this email and password, or None (without saying which was wrong)."""
    user = user_for_email(email)
    try:
        if user is None:
            _hasher().verify(_dummy_hash(), password or "")
            return None
        _hasher().verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if not user.is_enabled:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    """A new password; every other signed-in session of this user ends."""
    _check_password(password)
    user.password_hash = hash_password(password)
    user.session_version += 1


def end_sessions(user: User) -> None:
    """Sign this user out everywhere (the login cookie carries the version)."""
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


# ---------------------------------------------------------------------------------------------- password reset

def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def request_password_reset(email: str) -> PasswordReset | None:
    """Queue a reset link for an enabled account with this email (None, silently, for anyone else:
    the page answers the same either way). Earlier unused links stop working."""
    user = user_for_email(email)
    if user is None or not user.is_enabled:
        return None
    now = utcnow()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(used_at=now))
    raw = secrets.token_urlsafe(32)
    reset = PasswordReset(user_id=user.id, token_hash=_hash_token(raw), created_at=now, expires_at=now + RESET_LIFETIME)
    db.session.add(reset)
    db.session.flush()
    enqueue("password_reset", user.email, {"user_id": user.id, "reset_id": reset.id, "reset_token": raw,
                                           "expires_at": isoformat_z(reset.expires_at)})
    audit.record("request_password_reset", user, summary=f"Password reset link sent to {user.email}")
    return reset


def resolve_reset(raw: str) -> PasswordReset | None:
    """The live (unused, unexpired) reset for a raw token from a link, or None."""
    if not raw or len(raw) > 100:
        return None
    reset = db.session.execute(select(PasswordReset).where(PasswordReset.token_hash == _hash_token(raw))).scalar_one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() or not reset.user.is_enabled:
        return None
    return reset


def complete_reset(reset: PasswordReset, password: str) -> User:
    """Use the link once: the new password is set and every session of the user ends."""
    set_password(reset.user, password)
    reset.used_at = utcnow()
    audit.record("reset_password", reset.user, actor=reset.user, summary=f"{reset.user.email} set a new password")
    return reset.user
