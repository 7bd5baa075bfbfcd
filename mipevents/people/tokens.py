"""Private links produced when they are needed: a link goes into an email at delivery (the outbox row
holds only what it is for), and the personal feed has one stable address per person, kept encrypted
with MIPEVENTS_TOKEN_KEY (MultiFernet: newest key first, older keys still read) so it can be shown
again; lookups go by the SHA-256 hash alone (people.services)."""
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import select, update

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Token
from mipevents.people.services import token_hash

_fernets: dict = {}


def _fernet() -> MultiFernet:
    keys = current_app.config["MIPEVENTS_TOKEN_KEY"]
    if keys not in _fernets:
        _fernets[keys] = MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    return _fernets[keys]


def encrypt(raw: str) -> str:
    return _fernet().encrypt(raw.encode()).decode()


def decrypt(secret: str) -> str | None:
    """The raw token, or None when no configured key reads it."""
    try:
        return _fernet().decrypt(secret.encode()).decode()
    except InvalidToken:
        return None


def new_link(person_id: int, purpose: str, subject_id: int | None = None) -> str:
    """A fresh link token, shown once (in the email being built): only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    db.session.add(Token(person_id=person_id, purpose=purpose, subject_id=subject_id, token_hash=token_hash(raw)))
    db.session.flush()
    return raw


def stable_feed_token(person_id: int) -> str | None:
    """The person's one feed address to show again (the newest live feed token kept encrypted), or
    None when they have none yet. Reads only: a GET may show it, never create it."""
    secrets_kept = db.session.execute(
        select(Token.secret).where(Token.person_id == person_id, Token.purpose == "feed",
                                   Token.revoked_at.is_(None), Token.secret.is_not(None))
        .order_by(Token.id.desc())
    ).scalars()
    for secret in secrets_kept:
        raw = decrypt(secret)
        if raw is not None:
            return raw
    return None


def feed_token(person_id: int) -> str:
    """The stable feed address, created (encrypted at rest) when the person has none: for a POST or
    for an email being delivered, never for a GET."""
    raw = stable_feed_token(person_id)
    if raw is not None:
        return raw
    raw = secrets.token_urlsafe(32)
    db.session.add(Token(person_id=person_id, purpose="feed", token_hash=token_hash(raw), secret=encrypt(raw)))
    db.session.flush()
    return raw


def reset_feed(person_id: int) -> str:
    """"Reset my links" for the feed: every feed address of the person stops working; one new one."""
    db.session.execute(update(Token).where(Token.person_id == person_id, Token.purpose == "feed",
                                           Token.revoked_at.is_(None)).values(revoked_at=utcnow()))
    return feed_token(person_id)

