"""The follow-up after a webinar or meeting, across registration, attendance and the outbox: who gets
"thanks for joining" (attended: minutes in the webinar's attendance report, or checked in at the
meeting) and who gets "sorry we missed you" (confirmed, did not come). Nobody cancelled, waitlisted,
pending or declined; nobody who opted out; each registration once, ever (the outbox's dedupe key)."""
from dataclasses import dataclass, field

from sqlalchemy import select

from mipevents.accounts import audit
from mipevents.core.database import lock_row
from mipevents.extensions import db
from mipevents.followup.models import FollowupOptOut
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.registration.models import Registration
from mipevents.webinars.models import Webinar


class NothingToFollowUp(ValueError):
    """Attendance is not known yet, so nobody can be told apart."""


def dedupe_key(registration_id: int) -> str:
    return f"followup:registration:{registration_id}"


def came(registration: Registration) -> bool:
    if registration.webinar_id is not None:
        return bool(registration.attended_minutes)
    return registration.checked_in_at is not None


@dataclass
class Plan:
    """What one click would send: registrations by message, and those left out with why."""
    thanks: list = field(default_factory=list)
    missed: list = field(default_factory=list)
    already_sent: int = 0
    opted_out: int = 0
    attendance_known: bool = False

    @property
    def total(self) -> int:
        return len(self.thanks) + len(self.missed)


def plan(event: Webinar | Meeting) -> Plan:
    """The preview: confirmed registrations split by attendance, minus those already followed up
    and those who opted out."""
    column = Registration.webinar_id if isinstance(event, Webinar) else Registration.meeting_id
    confirmed = db.session.execute(select(Registration).where(column == event.id, Registration.status == "confirmed")
                                   .order_by(Registration.id)).scalars().all()
    result = Plan()
    if isinstance(event, Webinar):
        result.attendance_known = any(r.attended_minutes is not None for r in confirmed)
    else:
        result.attendance_known = any(r.checked_in_at is not None for r in confirmed)
    sent = set(db.session.execute(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.in_([dedupe_key(r.id) for r in confirmed]))).scalars()) if confirmed else set()
    opted = set(db.session.execute(select(FollowupOptOut.person_id).where(
        FollowupOptOut.person_id.in_([r.person_id for r in confirmed]))).scalars()) if confirmed else set()
    for registration in confirmed:
        if dedupe_key(registration.id) in sent:
            result.already_sent += 1
        elif registration.person_id in opted:
            result.opted_out += 1
        else:
            (result.thanks if came(registration) else result.missed).append(registration)
    return result


def send(event: Webinar | Meeting, *, actor) -> Plan:
    """Queue the follow-ups the preview showed, in the caller's transaction. The event's row is
    locked first, so two clicks at once queue each message once; the dedupe key makes it so for ever."""
    lock_row(type(event), event.id)
    todo = plan(event)
    if not todo.attendance_known:
        raise NothingToFollowUp("Import the attendance report (or check people in) first: until then nobody "
                                "can be told apart from those who did not come.")
    for kind, registrations in (("followup_thanks", todo.thanks), ("followup_missed", todo.missed)):
        for r in registrations:
            db.session.add(OutboxMessage(kind=kind, to_email=r.email or r.person.email, person_id=r.person_id,
                                         context={"registration_id": r.id}, dedupe_key=dedupe_key(r.id)))
    db.session.flush()
    audit.record("followup.send", event, actor=actor,
                 summary=f"Follow-up queued: {len(todo.thanks)} thanks, {len(todo.missed)} missed you")
    return todo
