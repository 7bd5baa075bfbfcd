"""The seat decision, under the event's lock: taking the lock (and reading what the decision needs),
the statements that write a registration and decide its seat, and the email each change queues.

Every registration to one event serialises on the event's lock, so `services.register` holds it for
as little as possible: the person, the registration row (pending until its seat is decided) and the
private links are written first; the lock then covers only the seat decision (one read of the
seat count kept by the database, see models.SeatCount), the status, and the outbox row. On SQLite
the lock is the database's write lock (BEGIN IMMEDIATE), which must come before the first write,
so there it is taken first."""
from datetime import datetime

from sqlalchemy import Integer, bindparam, case, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from mipevents.core.database import execute, insert_or_ignore, is_sqlite, lock_row, prebuilt
from mipevents.core.db_types import UTCDateTime
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.outbox import Queued, enqueue_many
from mipevents.people.services import person_id_for_email
from mipevents.registration.models import Registration, SeatCount
from mipevents.registration.queries import seats_left
from mipevents.webinars.models import Webinar

Event = Meeting | Webinar


class RegistrationClosed(Exception):
    """Registration for this event is not open (before it opens, after the deadline, or cancelled)."""


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


def lock_event(event: Event) -> Event:
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


def needs_approval(event: Event, role: str) -> bool:
    return isinstance(event, Meeting) and role in (event.approval_roles or [])


def seat_status(event: Event) -> str:
    left = seats_left(event)
    return "confirmed" if left is None or left > 0 else "waitlisted"


def queue(kind: str, registration_id: int, status: str, person_id: int, to_email: str, *,
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


def notify(kind: str, registration: Registration, *, extra: dict | None = None) -> None:
    """Queue `kind` to the registrant (and their scheduler)."""
    queue(kind, registration.id, registration.status, registration.person_id,
           registration.email or registration.person.email, scheduler_email=registration.scheduler_email,
           scheduler_id=registration.scheduler_person_id, extra=extra)


@prebuilt
def insert_webinar_registration(dialect_name: str):
    table = Registration.__table__
    return insert_or_ignore(table, ["person_id", "webinar_id"], dialect_name).returning(table.c.id)


@prebuilt
def insert_meeting_registration(dialect_name: str):
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


def decide(event: Event, registration: Registration | None, registration_id: int, fields: dict,
            now: datetime, consent_at: datetime | None) -> str:
    """Under the event's lock: the registration's status decided and written; returns it.

    A new registration with a capacity to respect takes one statement (the count and the write);
    a revived one goes through the ORM, so that the loaded object follows."""
    approval = needs_approval(event, fields["role"])
    if registration is None and event.capacity is not None and not approval:
        return execute(_decide_meeting_seat if isinstance(event, Meeting) else _decide_webinar_seat,
                       {"registration_id": registration_id, "event_id": event.id, "capacity": event.capacity,
                        "now": now, "consent_time": consent_at}).scalar_one()
    status = "pending" if approval else seat_status(event)
    decided = {"status": status, "queued_at": now, "cancelled_at": None, "updated_at": now,
               "confirmed_at": now if status == "confirmed" else None, "consent_at": consent_at}
    if registration is None:
        execute(_set_status, {"registration_id": registration_id, **decided})
    else:
        db.session.execute(update(Registration).where(Registration.id == registration_id).values(**decided, **fields))
    return status
