"""The registration core shared by meetings and webinars: one registration per person and event,
capacity taken under a lock (never oversold), a waitlist in order with automatic promotion,
approval for the roles a meeting names, and every change's email queued in the same transaction.

The view (or API) commits once after these return; on an exception it rolls back and nothing of
the attempt remains."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from mipevents.core.database import lock_row
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.outbox import enqueue
from mipevents.people.models import Person
from mipevents.people.services import mint_token, normalise_email, person_for_email
from mipevents.registration.models import Registration
from mipevents.registration.sessions import drop_choices
from mipevents.webinars.models import Webinar

Event = Meeting | Webinar

# The fields a registrant gives; the registration keeps its own copy.
PERSONAL_FIELDS = ("first_name", "last_name", "email", "role", "title", "organization", "city", "state", "phone",
                   "dietary_needs", "accessibility_needs", "question", "extras", "is_listed", "scheduler_email")


class RegistrationClosed(Exception):
    """Registration for this event is not open (before it opens, after the deadline, or cancelled)."""


class NotAllowed(Exception):
    """The change asked for does not apply to this registration in its current status."""


@dataclass
class Outcome:
    registration: Registration
    repeat: bool = False            # the person was already registered: nothing changed but an email
    emails: list = field(default_factory=list)

    @property
    def position(self) -> int | None:
        return waitlist_position(self.registration)


def event_kind(event: Event) -> str:
    return "meeting" if isinstance(event, Meeting) else "webinar"


def _event_column(event: Event):
    return Registration.meeting_id if isinstance(event, Meeting) else Registration.webinar_id


def is_open(event: Event, now: datetime | None = None) -> bool:
    """Open from `registration_opens_at` (if any) until the deadline or the start, while published."""
    now = now or utcnow()
    if event.status != "published":
        return False
    if isinstance(event, Webinar):
        return now < event.closes_at
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    if event.registration_closes_at and now >= event.registration_closes_at:
        return False
    from mipevents.core.timeutil import local_day_bounds

    _, end_of_last_day = local_day_bounds(event.ends_on, event.timezone)
    return now < end_of_last_day


def confirmed_count(event: Event) -> int:
    return db.session.execute(
        select(func.count()).select_from(Registration)
        .where(_event_column(event) == event.id, Registration.status == "confirmed")
    ).scalar_one()


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


def _lock(event: Event) -> Event:
    locked = lock_row(type(event), event.id)
    if locked is None:
        raise RegistrationClosed("this event no longer exists")
    return locked


def _needs_approval(event: Event, role: str) -> bool:
    return isinstance(event, Meeting) and role in (event.approval_roles or [])


def _seat_status(event: Event) -> str:
    left = seats_left(event)
    return "confirmed" if left is None or left > 0 else "waitlisted"


def _notify(kind: str, registration: Registration, *, extra: dict | None = None) -> list:
    """Queue `kind` to the registrant (and their scheduler) with fresh private links."""
    person = registration.person
    context = {"registration_id": registration.id, "status": registration.status,
               "manage_token": mint_token(person, "manage", registration.id),
               "feed_token": mint_token(person, "feed"), **(extra or {})}
    messages = [enqueue(kind, registration.email or person.email, context, person=person)]
    if registration.scheduler_email:
        scheduler = registration.scheduler or person_for_email(registration.scheduler_email)
        scheduler_context = {**context, "to_scheduler": True,
                             "manage_token": mint_token(person, "manage", registration.id),
                             "feed_token": mint_token(person, "feed")}
        messages.append(enqueue(kind, registration.scheduler_email, scheduler_context, person=scheduler))
    return messages


def register(event: Event, values: dict, *, source: str = "web", now: datetime | None = None) -> Outcome:
    """Register the person named by values["email"] for `event`.

    Idempotent per person and event: a repeat changes nothing and queues a "you were already
    registered" email. A cancelled or declined registration is revived (it rejoins the end of the
    queue). Raises RegistrationClosed when registration is not open."""
    event = _lock(event)
    # Read the clock only once the lock is held: queued_at then follows the order in which
    # concurrent registrations took the lock, so the waitlist order is the order seats were decided.
    now = now or utcnow()
    if not is_open(event, now):
        raise RegistrationClosed("registration is closed")
    email = normalise_email(values["email"])
    person = person_for_email(email, f"{values.get('first_name', '')} {values.get('last_name', '')}".strip())
    registration = db.session.execute(
        select(Registration).where(Registration.person_id == person.id, _event_column(event) == event.id)
    ).scalar_one_or_none()
    if registration is not None and registration.is_active:
        return Outcome(registration, repeat=True, emails=_notify("registration_repeat", registration))

    role = values.get("role") or (registration.role if registration else "other")
    status = "pending" if _needs_approval(event, role) else _seat_status(event)   # before the row is flushed
    if registration is None:
        registration = Registration(person=person, status=status, **{f"{event_kind(event)}_id": event.id})
        db.session.add(registration)
    for key in PERSONAL_FIELDS:
        if key in values and values[key] is not None:
            setattr(registration, key, values[key])
    if values.get("scheduler_email"):
        registration.scheduler = person_for_email(values["scheduler_email"])
    registration.consent_at = now if values.get("consent", True) else None
    registration.source = source
    registration.queued_at = now
    registration.cancelled_at = None
    registration.status = status
    registration.confirmed_at = now if registration.status == "confirmed" else None
    db.session.flush()
    return Outcome(registration, emails=_notify("registration_received", registration))


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Fill free seats from the waitlist, first in line first."""
    promoted = []
    left = seats_left(event)
    while left is None or left > 0:
        nxt = db.session.execute(
            select(Registration).where(_event_column(event) == event.id, Registration.status == "waitlisted")
            .order_by(Registration.queued_at, Registration.id).limit(1)
        ).scalar_one_or_none()
        if nxt is None:
            break
        nxt.status = "confirmed"
        nxt.confirmed_at = now
        db.session.flush()
        _notify("registration_promoted", nxt)
        promoted.append(nxt)
        if left is not None:
            left -= 1
    return promoted


def cancel(registration: Registration, *, now: datetime | None = None, by_staff=None) -> list[Registration]:
    """Cancel; a freed seat goes to the next on the waitlist. Returns who was promoted."""
    now = now or utcnow()
    event = _lock(registration.event)
    registration = db.session.get(Registration, registration.id)
    if not registration.is_active:
        raise NotAllowed("this registration is already cancelled")
    held_seat = registration.status == "confirmed"
    registration.status = "cancelled"
    registration.cancelled_at = now
    drop_choices(registration)   # a revived registration must not hold seats it gave up
    _notify("registration_cancelled", registration, extra={"by_staff": bool(by_staff)})
    return _promote(event, now) if held_seat else []


def approve(registration: Registration, *, actor=None, now: datetime | None = None) -> Registration:
    """Staff approval of a pending registration: a free seat, or the waitlist."""
    now = now or utcnow()
    event = _lock(registration.event)
    registration = db.session.get(Registration, registration.id)
    if registration.status != "pending":
        raise NotAllowed("only a registration awaiting approval can be approved")
    registration.status = _seat_status(event)
    registration.queued_at = now
    registration.confirmed_at = now if registration.status == "confirmed" else None
    db.session.flush()
    _notify("registration_approved", registration)
    return registration


def decline(registration: Registration, *, actor=None, now: datetime | None = None) -> Registration:
    """Staff decline a pending (or waitlisted) registration."""
    if registration.status not in ("pending", "waitlisted"):
        raise NotAllowed("only a registration awaiting approval or waitlisted can be declined")
    registration.status = "declined"
    drop_choices(registration)
    _notify("registration_declined", registration)
    return registration


def promote_waitlist(event: Event, *, now: datetime | None = None) -> list[Registration]:
    """After staff raise a capacity: fill the new seats from the waitlist."""
    return _promote(_lock(event), now or utcnow())


def update_details(registration: Registration, values: dict) -> Registration:
    """The registrant's own changes to their details (never the email, status or event)."""
    for key in PERSONAL_FIELDS:
        if key in values and key != "email" and values[key] is not None:
            setattr(registration, key, values[key])
    db.session.flush()
    return registration


def registration_for_person(person: Person, event: Event) -> Registration | None:
    return db.session.execute(
        select(Registration).where(Registration.person_id == person.id, _event_column(event) == event.id)
    ).scalar_one_or_none()
