"""What a private registration link opens, and for whom: the registrant's own manage link, or the link
of the scheduler who manages that one registration (never the registrant's other registrations or
personal feed)."""
from dataclasses import dataclass

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.people.models import Token
from mipevents.people.services import token_hash
from mipevents.registration.models import Registration


@dataclass
class Opened:
    registration: Registration
    is_owner: bool      # False: opened by the scheduler's link


def opened_by(raw: str) -> Opened | None:
    """The registration a live manage or scheduler link opens, else None (unknown, revoked, or the
    scheduler no longer manages it)."""
    hashed = token_hash(raw)
    if hashed is None:
        return None
    token = db.session.execute(select(Token).where(
        Token.token_hash == hashed, Token.purpose.in_(("manage", "scheduler")), Token.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None or token.subject_id is None:
        return None
    registration = db.session.get(Registration, token.subject_id)
    if registration is None:
        return None
    if token.purpose == "manage" and registration.person_id == token.person_id:
        return Opened(registration, True)
    if token.purpose == "scheduler" and registration.scheduler_person_id == token.person_id:
        return Opened(registration, False)
    return None
