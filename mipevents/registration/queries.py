"""Reading registrations: seats taken and left (the count the database keeps), a waitlisted
registrant's place in line, and counts per status for the staff lists."""
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, or_, select

from mipevents.core.database import execute, prebuilt
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration.models import Registration, SeatCount
from mipevents.webinars.models import Webinar

Event = Meeting | Webinar


@prebuilt
def _seat_count_of_meeting(dialect_name: str):
    table = SeatCount.__table__
    return select(table.c.confirmed).where(table.c.meeting_id == bindparam("event_id"))


@prebuilt
def _seat_count_of_webinar(dialect_name: str):
    table = SeatCount.__table__
    return select(table.c.confirmed).where(table.c.webinar_id == bindparam("event_id"))


def confirmed_count(event: Event) -> int:
    """Confirmed registrations of `event` (the count the database keeps, models.SeatCount)."""
    db.session.flush()
    return execute(_seat_count_of_meeting if isinstance(event, Meeting) else _seat_count_of_webinar,
                   {"event_id": event.id}).scalar() or 0


def seats_left(event: Event) -> int | None:
    """Free seats, or None for an event without a capacity."""
    if event.capacity is None:
        return None
    return max(event.capacity - confirmed_count(event), 0)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None unless waitlisted."""
    if registration.status != "waitlisted":
        return None
    column = Registration.meeting_id if registration.meeting_id else Registration.webinar_id
    event_id = registration.meeting_id or registration.webinar_id
    ahead = db.session.execute(
        select(func.count()).select_from(Registration).where(
            column == event_id, Registration.status == "waitlisted",
            or_(Registration.queued_at < registration.queued_at,
                and_(Registration.queued_at == registration.queued_at, Registration.id < registration.id)))
    ).scalar_one()
    return ahead + 1


@dataclass
class Counts:
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    cancelled: int = 0
    declined: int = 0

    @property
    def active(self) -> int:
        return self.confirmed + self.waitlisted + self.pending


def registration_counts(webinar_ids: list[int]) -> dict[int, Counts]:
    """Counts per status for several webinars in one query."""
    counts = {webinar_id: Counts() for webinar_id in webinar_ids}
    if not webinar_ids:
        return counts
    rows = db.session.execute(
        select(Registration.webinar_id, Registration.status, func.count())
        .where(Registration.webinar_id.in_(webinar_ids)).group_by(Registration.webinar_id, Registration.status)
    ).all()
    for webinar_id, status, number in rows:
        setattr(counts[webinar_id], status, number)
    return counts
