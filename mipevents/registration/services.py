"""The registration core shared by meetings and webinars: one registration per person and event,
capacity taken under a lock (never oversold), a waitlist in order with automatic promotion,
approval for the roles a meeting names, and every change's email queued in the same transaction.

The view (or API) commits once after these return; on an exception it rolls back and nothing of
the attempt remains.

Every registration to one event serialises on the event's lock, so `register` holds it for as
little as possible: the person, the registration row (pending until its seat is decided) and the
private links are written first; the lock then covers only the seat decision (one read of the
seat count kept by the database, see models.SeatCount), the status, and the outbox row. On SQLite
the lock is the database's write lock (BEGIN IMMEDIATE), which must come before the first write,
so there it is taken first."""
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import Integer, bindparam, case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from mipevents.core.database import execute, insert_or_ignore, is_sqlite, lock_row, prebuilt
from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import local_day_bounds, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.outbox import Queued, enqueue_many
from mipevents.people.models import Person, SchedulerApproval
from mipevents.people.services import normalise_email, person_id_for_email
from mipevents.registration import schedulers
from mipevents.registration.models import Registration, SeatCount
from mipevents.registration.queries import confirmed_count, seats_left, waitlist_position
from mipevents.registration.sessions import drop_choices
from mipevents.webinars.models import Webinar

Event = Meeting | Webinar

# The fields a registrant gives; the registration keeps its own copy.
PERSONAL_FIELDS = ("first_name", "last_name", "email", "role", "title", "organization", "city", "state", "phone",
                   "dietary_needs", "accessibility_needs", "question", "extras", "extras_asked", "is_listed", "scheduler_email")


class RegistrationClosed(Exception):
    """Registration for this event is not open (before it opens, after the deadline, or cancelled)."""


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


# What the seat decision reads of an event (is_open, the capacity, the roles needing approval).
DECISION_COLUMNS = {
    Webinar: ("status", "capacity", "registration_closes_at", "starts_at"),
    Meeting: ("status", "capacity", "registration_opens_at", "registration_closes_at", "ends_on", "timezone",
              "approval_roles"),
}


def _lock_statement(model):
    @prebuilt
    def build(dialect_name: str):
        table = model.__table__
        return (select(*(table.c[name] for name in DECISION_COLUMNS[model]))
                .where(table.c.id == bindparam("event_id")).with_for_update(key_share=True))
    return build


_LOCK_EVENT = {model: _lock_statement(model) for model in DECISION_COLUMNS}


def _lock(event: Event) -> Event:
    """The event's capacity lock (core.database.lock_row), the event returned fresh.

    On PostgreSQL, for an event the session holds, one Core statement locks the row and refreshes
    what the decision reads (an ORM load of the whole row costs three times the Python). FOR NO
    KEY UPDATE: `register` inserts the registration (its foreign key check share-locks this row)
    before it takes the lock, so FOR UPDATE would deadlock two registrations."""
    if is_sqlite() or event not in db.session:
        locked = lock_row(type(event), event.id, allow_children=True)
    else:
        db.session.flush()
        row = execute(_LOCK_EVENT[type(event)], {"event_id": event.id}).first()
        if row is not None:
            for name, value in zip(DECISION_COLUMNS[type(event)], row, strict=True):
                set_committed_value(event, name, value)
        locked = event if row is not None else None
    if locked is None:
        raise RegistrationClosed("this event no longer exists")
    return locked


def _needs_approval(event: Event, role: str) -> bool:
    return isinstance(event, Meeting) and role in (event.approval_roles or [])


def _seat_status(event: Event) -> str:
    left = seats_left(event)
    return "confirmed" if left is None or left > 0 else "waitlisted"


def _queue(kind: str, registration_id: int, status: str, person_id: int, to_email: str, *,
           scheduler_email: str = "", scheduler_id: int | None = None, extra: dict | None = None) -> None:
    """Queue `kind` to the registrant (and their scheduler). The rows hold no link: each message's
    private links are made when it is delivered (registration.emails)."""
    context = {"registration_id": registration_id, "status": status, **(extra or {})}
    messages = [Queued(kind, to_email, context, person_id)]
    if scheduler_email:
        if scheduler_id is None:
            scheduler_id, _ = person_id_for_email(scheduler_email)
        messages.append(Queued(kind, scheduler_email, {**context, "to_scheduler": True}, scheduler_id))
    enqueue_many(messages)


def _notify(kind: str, registration: Registration, *, extra: dict | None = None) -> None:
    """Queue `kind` to the registrant (and their scheduler)."""
    _queue(kind, registration.id, registration.status, registration.person_id,
           registration.email or registration.person.email, scheduler_email=registration.scheduler_email,
           scheduler_id=registration.scheduler_person_id, extra=extra)


@prebuilt
def _insert_webinar_registration(dialect_name: str):
    table = Registration.__table__
    return insert_or_ignore(table, ["person_id", "webinar_id"], dialect_name).returning(table.c.id)


@prebuilt
def _insert_meeting_registration(dialect_name: str):
    table = Registration.__table__
    return insert_or_ignore(table, ["person_id", "meeting_id"], dialect_name).returning(table.c.id)


@prebuilt
def _set_status(dialect_name: str):
    """SET the columns the parameters name, for the registration `registration_id`."""
    table = Registration.__table__
    return update(table).where(table.c.id == bindparam("registration_id"))


def _seat_decision(event_column_name: str):
    """One statement that decides a seat and writes it: confirmed while the event's seat count
    (read by this statement, so after the lock was granted) is under `capacity`, else waitlisted."""
    table, seats = Registration.__table__, SeatCount.__table__
    taken = func.coalesce(select(seats.c.confirmed).where(seats.c[event_column_name] == bindparam("event_id"))
                          .scalar_subquery(), 0)
    has_seat = taken < bindparam("capacity", type_=Integer)
    now = bindparam("now", type_=UTCDateTime)
    return (update(table).where(table.c.id == bindparam("registration_id"))
            .values(status=case((has_seat, "confirmed"), else_="waitlisted"),
                    confirmed_at=case((has_seat, now), else_=None),
                    queued_at=now, updated_at=now, cancelled_at=None,
                    consent_at=bindparam("consent_time", type_=UTCDateTime))
            .returning(table.c.status))


@prebuilt
def _decide_meeting_seat(dialect_name: str):
    return _seat_decision("meeting_id")


@prebuilt
def _decide_webinar_seat(dialect_name: str):
    return _seat_decision("webinar_id")


def _decide(event: Event, registration: Registration | None, registration_id: int, fields: dict,
            now: datetime, consent_at: datetime | None) -> str:
    """Under the event's lock: the registration's status decided and written; returns it.

    A new registration with a capacity to respect takes one statement (the count and the write);
    a revived one goes through the ORM, so that the loaded object follows."""
    approval = _needs_approval(event, fields["role"])
    if registration is None and event.capacity is not None and not approval:
        return execute(_decide_meeting_seat if isinstance(event, Meeting) else _decide_webinar_seat,
                       {"registration_id": registration_id, "event_id": event.id, "capacity": event.capacity,
                        "now": now, "consent_time": consent_at}).scalar_one()
    status = "pending" if approval else _seat_status(event)
    decided = {"status": status, "queued_at": now, "cancelled_at": None, "updated_at": now,
               "confirmed_at": now if status == "confirmed" else None, "consent_at": consent_at}
    if registration is None:
        execute(_set_status, {"registration_id": registration_id, **decided})
    else:
        db.session.execute(update(Registration).where(Registration.id == registration_id).values(**decided, **fields))
    return status


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
        event = _lock(event)
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
        _insert_meeting_registration if meeting else _insert_webinar_registration,
        {"person_id": person_id, "meeting_id" if meeting else "webinar_id": event.id, "status": "pending",
         **fields}).scalar()
    if registration_id is None:   # a concurrent request registered this person first
        return _repeat(_registration_of(person_id, event), scheduler_email)

    if not lock_first:
        event = _lock(event)
    # Read the clock only once the lock is held: queued_at then follows the order in which
    # concurrent registrations took the lock, so the waitlist order is the order seats were decided.
    now = now or utcnow()
    if not is_open(event, now):
        raise RegistrationClosed("registration is closed")
    status = _decide(event, None, registration_id, fields, now, now if values.get("consent", True) else None)
    context = {"registration_id": registration_id, "status": status}
    messages = [Queued("registration_received", to_email, context, person_id)]
    if scheduler_id is not None:
        messages.append(Queued("registration_received", scheduler_email, {**context, "to_scheduler": True},
                               scheduler_id))
    enqueue_many(messages)
    return Outcome(registration_id, status)


def register_again(registration: Registration, *, now: datetime | None = None) -> Outcome:
    """The registrant's own "register again" (from their private page) for a cancelled or declined
    registration: it rejoins the end of the queue; its details stay as they were."""
    event = _lock(registration.event)
    registration = db.session.get(Registration, registration.id)
    if registration.is_active:
        raise NotAllowed("this registration is not cancelled")
    now = now or utcnow()
    if not is_open(event, now):
        raise RegistrationClosed("registration is closed")
    status = _decide(event, registration, registration.id, {"role": registration.role}, now,
                     registration.consent_at or now)
    db.session.refresh(registration)
    _notify("registration_received", registration)
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
    event = _lock(registration.event)
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
    _notify("registration_promoted", registration)
    return registration, raised_from


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
