"""Check-in codes: the revocable, check-in-only code a badge's QR holds (never a manage or feed link:
badges get photographed). The desk's search box takes it as a scanner types it and checks the person in."""
import secrets

from sqlalchemy import insert, update

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Token
from mipevents.people.services import resolve_token, token_hash
from mipevents.registration.models import Registration

PURPOSE = "checkin"
CODE_PREFIX = "MIPCHK-"       # before the token, so the desk's search knows a scanned badge from a name


def issue_codes(registrations: list[Registration]) -> dict[int, str]:
    """Fresh check-in codes for many registrations at once (registration id -> code), in two statements:
    a whole meeting's badges. Codes printed before for them stop working."""
    if not registrations:
        return {}
    ids = [r.id for r in registrations]
    now = utcnow()
    db.session.execute(update(Token).where(Token.purpose == PURPOSE, Token.subject_id.in_(ids), Token.revoked_at.is_(None))
                       .values(revoked_at=now))
    raws = {r.id: secrets.token_urlsafe(32) for r in registrations}
    db.session.execute(insert(Token), [{"person_id": r.person_id, "purpose": PURPOSE, "subject_id": r.id,
                                        "token_hash": token_hash(raws[r.id]), "created_at": now} for r in registrations])
    return {rid: CODE_PREFIX + raw for rid, raw in raws.items()}


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
