"""The registration core shared by meetings and webinars: one registration per person and event,
capacity taken under a lock (never oversold, seats.py), a waitlist in order with automatic promotion,
approval for the roles a meeting names, and every change's email queued in the same transaction.

The view (or API) commits once after these return; on an exception it rolls back and nothing of
the attempt remains."""
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import select

from mipevents.core.database import execute, is_sqlite
from mipevents.core.timeutil import local_day_bounds, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.outbox import Queued, enqueue_many
from mipevents.people.models import Person, SchedulerApproval
from mipevents.people.services import normalise_email, person_id_for_email
from mipevents.registration import schedulers
from mipevents.registration.models import Registration
from mipevents.registration.queries import confirmed_count, seats_left, waitlist_position
from mipevents.registration.seats import (
    Event,
    RegistrationClosed,
    decide,
    insert_meeting_registration,
    insert_webinar_registration,
    lock_event,
    notify,
    seat_status,
)
from mipevents.registration.sessions import drop_choices
from mipevents.webinars.models import Webinar

# The fields a registrant gives; the registration keeps its own copy.
PERSONAL_FIELDS = ("first_name", "last_name", "email", "role", "title", "organization", "city", "state", "phone",
                   "dietary_needs", "accessibility_needs", "question", "extras", "extras_asked", "is_listed", "scheduler_email")


class NotAllowed(Exception):
    """The change asked for does not apply to this registration in its current status."""


@dataclass
class Outcome:
    """What `register` decided: the registration's id and status as committed by the caller."""
    registration_id: int
    status: str
    repeat: bool = False            # the person was already registered: nothing changed but an email

    @cached_property
    def registration(self) -> Registration:
        return db.session.get(Registration, self.registration_id)

    @property
    def position(self) -> int | None:
        return waitlist_position(self.registration) if self.status == "waitlisted" else None


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
    _, end_of_last_day = local_day_bounds(event.ends_on, event.timezone)
    return now < end_of_last_day


def register(event: Event, values: dict, *, source: str = "web", now: datetime | None = None) -> Outcome:
    """Register the person named by values["email"] for `event`.

    An email address proves nothing: when the person already has a registration for this event
    (active, cancelled or declined), nothing changes; their own address is emailed ("you were
    already registered", with their link), and a scheduler named in the post is not given the
    registration: the person is asked to approve them (registration.schedulers). Raises
    RegistrationClosed when registration is not open.

    A new registration is written with Core statements built once (no ORM objects): it is the
    path every registration burst takes. Its emails carry no link yet (made at delivery)."""
    db.session.flush()   # the statements below bypass the ORM's autoflush
    lock_first = is_sqlite()
    if lock_first:
        event = lock_event(event)
    if not is_open(event, now):
        raise RegistrationClosed("registration is closed")
    email = normalise_email(values["email"])
    to_email = values.get("email") or email
    person_id, new_person = person_id_for_email(
        email, f"{values.get('first_name', '')} {values.get('last_name', '')}".strip())
    scheduler_email = normalise_email(values.get("scheduler_email"))
    if scheduler_email == email:
        scheduler_email = ""
    registration = None if new_person else _registration_of(person_id, event)
    if registration is not None:
        return _repeat(registration, scheduler_email)

    fields = {key: values[key] for key in PERSONAL_FIELDS if key in values and values[key] is not None}
    fields["role"] = values.get("role") or "other"
    fields["source"] = source
    if not scheduler_email:
        fields["scheduler_email"] = ""
    scheduler_id = person_id_for_email(scheduler_email)[0] if scheduler_email else None
    if scheduler_id is not None:
        fields["scheduler_person_id"] = scheduler_id
    # Pending (holding no seat) until the seat is decided below, in this same transaction.
    meeting = isinstance(event, Meeting)
    registration_id = execute(
        insert_meeting_registration if meeting else insert_webinar_registration,
        {"person_id": person_id, "meeting_id" if meeting else "webinar_id": event.id, "status": "pending",
         **fields}).scalar()
    if registration_id is None:   # a concurrent request registered this person first
        return _repeat(_registration_of(person_id, event), scheduler_email)

    if not lock_first:
        event = lock_event(event)
    # Read the clock only once the lock is held: queued_at then follows the order in which
    # concurrent registrations took the lock, so the waitlist order is the order seats were decided.
    now = now or utcnow()
    if not is_open(event, now):
        raise RegistrationClosed("registration is closed")
    status = decide(event, None, registration_id, fields, now, now if values.get("consent", True) else None)
    context = {"registration_id": registration_id, "status": status}
    messages = [Queued("registration_received", to_email, context, person_id)]
    if scheduler_id is not None:
        messages.append(Queued("registration_received", scheduler_email, {**context, "to_scheduler": True},
                               scheduler_id))
    enqueue_many(messages)
    return Outcome(registration_id, status)


def register_again(registration: Registration, *, now: datetime | None = None, by_staff: bool = False) -> Outcome:
    """The registrant's own "register again" (from their private page) for a cancelled or declined
    registration, or staff reinstating it (after registration closed too: a cancellation by
    mistake): it rejoins the end of the queue; its details stay as they were."""
    event = lock_event(registration.event)
    registration = db.session.get(Registration, registration.id)
    if registration.is_active:
        raise NotAllowed("this registration is not cancelled")
    now = now or utcnow()
    if not by_staff and not is_open(event, now):
        raise RegistrationClosed("registration is closed")
    status = decide(event, registration, registration.id, {"role": registration.role}, now,
                     registration.consent_at or now)
    db.session.refresh(registration)
    notify("registration_received", registration)
    return Outcome(registration.id, status)


def _registration_of(person_id: int, event: Event) -> Registration | None:
    return db.session.execute(
        select(Registration).where(Registration.person_id == person_id, _event_column(event) == event.id)
    ).scalar_one_or_none()


def _repeat(registration: Registration, scheduler_email: str = "") -> Outcome:
    """Nothing changes (no seat is decided: no lock). The person's own address gets "you were already
    registered" with their link; a scheduler named in the post who is not already theirs is only
    told that the person was asked (registration.schedulers.ask)."""
    enqueue_many([Queued("registration_repeat", registration.email or registration.person.email,
                         {"registration_id": registration.id, "status": registration.status},
                         registration.person_id, dedupe_key=schedulers.repeat_key("registration", registration.id))])
    if scheduler_email and scheduler_email != normalise_email(registration.scheduler_email):
        schedulers.ask(registration.person_id, scheduler_email, registration_id=registration.id)
    return Outcome(registration.id, registration.status, repeat=True)


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
        notify("registration_promoted", nxt)
        promoted.append(nxt)
        if left is not None:
            left -= 1
    return promoted


def cancel(registration: Registration, *, now: datetime | None = None, by_staff=None) -> list[Registration]:
    """Cancel; a freed seat goes to the next on the waitlist. Returns who was promoted."""
    now = now or utcnow()
    event = lock_event(registration.event)
    registration = db.session.get(Registration, registration.id)
    if not registration.is_active:
        raise NotAllowed("this registration is already cancelled")
    held_seat = registration.status == "confirmed"
    registration.status = "cancelled"
    registration.cancelled_at = now
    drop_choices(registration)   # a revived registration must not hold seats it gave up
    notify("registration_cancelled", registration, extra={"by_staff": bool(by_staff)})
    return _promote(event, now) if held_seat else []


def approve(registration: Registration, *, actor=None, now: datetime | None = None) -> Registration:
    """Staff approval of a pending registration: a free seat, or the waitlist."""
    now = now or utcnow()
    event = lock_event(registration.event)
    registration = db.session.get(Registration, registration.id)
    if registration.status != "pending":
        raise NotAllowed("only a registration awaiting approval can be approved")
    registration.status = seat_status(event)
    registration.queued_at = now
    registration.confirmed_at = now if registration.status == "confirmed" else None
    db.session.flush()
    notify("registration_approved", registration)
    return registration


class NoFreeSeat(NotAllowed):
    """Every seat is taken: seating one more person takes raising the capacity to `needed`."""

    def __init__(self, capacity: int, needed: int):
        super().__init__(f"{capacity} of {capacity} seats are taken: raise the capacity to {needed} to seat them")
        self.capacity, self.needed = capacity, needed


def seat_from_waitlist(registration: Registration, *, capacity: int | None = None,
                       now: datetime | None = None) -> tuple[Registration, int | None]:
    """Staff seat one waitlisted person, out of turn: a free seat, or, when staff say so explicitly,
    a capacity raised to `capacity` (only ever raised, never past what they said). NoFreeSeat when no
    seat is free at the capacity there will be, so nobody is seated past it silently. Returns the
    registration and the capacity before, when it was raised."""
    now = now or utcnow()
    event = lock_event(registration.event)
    registration = db.session.get(Registration, registration.id)
    if registration.status != "waitlisted":
        raise NotAllowed("only a waitlisted registration can be moved into a seat")
    raised_from = None
    if capacity is not None and event.capacity is not None and capacity > event.capacity:
        raised_from, event.capacity = event.capacity, capacity
        db.session.flush()
    if seats_left(event) == 0:
        raise NoFreeSeat(event.capacity, confirmed_count(event) + 1)
    registration.status, registration.confirmed_at = "confirmed", now
    db.session.flush()
    notify("registration_promoted", registration)
    return registration, raised_from


def decline(registration: Registration, *, actor=None, now: datetime | None = None) -> Registration:
    """Staff decline a pending (or waitlisted) registration."""
    if registration.status not in ("pending", "waitlisted"):
        raise NotAllowed("only a registration awaiting approval or waitlisted can be declined")
    registration.status = "declined"
    drop_choices(registration)
    notify("registration_declined", registration)
    return registration


def promote_waitlist(event: Event, *, now: datetime | None = None) -> list[Registration]:
    """After staff raise a capacity: fill the new seats from the waitlist."""
    return _promote(lock_event(event), now or utcnow())


def update_details(registration: Registration, values: dict) -> Registration:
    """The registrant's own changes to their details (never the email, status or event)."""
    for key in PERSONAL_FIELDS:
        if key in values and key != "email" and values[key] is not None:
            setattr(registration, key, values[key])
    db.session.flush()
    return registration


def change_scheduler(registration: Registration, scheduler_email: str, *, now: datetime | None = None) -> bool:
    """The registrant's own choice, from their own manage link (which only their inbox received), of
    who manages this registration for them: the old scheduler's links stop working and their approval
    ends; a new one is approved by this choice, gets their own link to this registration, and the
    registrant is told at their own address (schedulers.attach). Returns whether anything changed."""
    wanted = normalise_email(scheduler_email)
    if wanted == normalise_email(registration.email or registration.person.email):
        return False
    if wanted == normalise_email(registration.scheduler_email):
        return False
    now = now or utcnow()
    schedulers.remove(registration, now=now)
    if wanted:
        scheduler_id, _ = person_id_for_email(wanted)
        approval = schedulers.approval_between(registration.person_id, scheduler_id)
        if approval is None:
            approval = SchedulerApproval(person_id=registration.person_id, scheduler_id=scheduler_id, requested_at=now)
            db.session.add(approval)
        approval.registration_id = registration.id
        approval.approved_at, approval.revoked_at = now, None
        db.session.flush()
        schedulers.attach(registration, approval)
    return True


def registration_for_person(person: Person, event: Event) -> Registration | None:
    return db.session.execute(
        select(Registration).where(Registration.person_id == person.id, _event_column(event) == event.id)
    ).scalar_one_or_none()
