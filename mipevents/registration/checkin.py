"""Check-in codes: the revocable, check-in-only code a badge's QR holds (never a manage or feed link:
badges get photographed). The desk's search box takes it as a scanner types it and checks the person in."""
from sqlalchemy import update

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Token
from mipevents.people.services import mint_token, resolve_token
from mipevents.registration.models import Registration

PURPOSE = "checkin"
CODE_PREFIX = "MIPCHK-"       # before the token, so the desk's search knows a scanned badge from a name


def issue_code(registration: Registration) -> str:
    """A fresh check-in code for this registration (flushed); codes printed before for it stop working."""
    db.session.execute(update(Token).where(Token.person_id == registration.person_id, Token.purpose == PURPOSE,
                                           Token.subject_id == registration.id, Token.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    return CODE_PREFIX + mint_token(registration.person, PURPOSE, registration.id)


def is_code(text: str) -> bool:
    return (text or "").strip().startswith(CODE_PREFIX)


def registration_for_code(text: str, meeting_id: int) -> Registration | None:
    """The registration a badge's code checks in at this meeting, or None (revoked, another meeting …)."""
    text = (text or "").strip()
    if not text.startswith(CODE_PREFIX):
        return None
    token = resolve_token(text.removeprefix(CODE_PREFIX), PURPOSE)
    if token is None or token.subject_id is None:
        return None
    registration = db.session.get(Registration, token.subject_id)
    if registration is None or registration.meeting_id != meeting_id or registration.person_id != token.person_id:
        return None
    return registration
