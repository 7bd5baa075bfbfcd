"""A confirmed registrant's personal agenda: which breakout sessions they chose (SessionChoice),
never more people in a session than its capacity, also under concurrent sign-ups.

The sessions everyone attending is expected at (plenaries, the showcase, briefings, meals:
vocabulary.ALL_ATTENDEE_KINDS) are not chosen: the personal feed carries them for every confirmed
registrant. Receptions, tours and site visits (vocabulary.OPT_IN_KINDS) are joined by saying yes on
the form (`joins`: never asked joins them all). Breaks are not chosen either. What remains (panels,
workshops, and tours for a place) is picked here, and the feeds area builds the personal feed from
these rows."""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mipevents.agenda.models import AgendaItem
from mipevents.core import vocabulary as vocab
from mipevents.core.database import is_sqlite, lock_row
from mipevents.extensions import db
from mipevents.registration.models import Registration, SessionChoice

# Kinds a registrant picks; every other published kind but breaks is in everyone's feed.
CHOOSABLE_KINDS = ("panel", "workshop", "tour")


class ChoiceRefused(Exception):
    """The picks cannot be saved as asked; nothing was written. `problems` maps item ids to why."""

    def __init__(self, problems: dict[int, str], *, is_full: bool = False):
        super().__init__("; ".join(problems.values()))
        self.problems = problems
        self.is_full = is_full   # refused only for want of seats (a conflict, 409), not bad input


class NotConfirmed(Exception):
    """Only a confirmed registration picks sessions (pending and waitlisted ones hold no seat)."""


@dataclass
class ChoiceResult:
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def choosable_items(meeting_id: int) -> list[AgendaItem]:
    """The meeting's published sessions a registrant may pick, in time order (one query)."""
    return list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.status == "published",
                                 AgendaItem.kind.in_(CHOOSABLE_KINDS))
        .options(selectinload(AgendaItem.room))
        .order_by(AgendaItem.starts_at, AgendaItem.room_id, AgendaItem.id)
    ).scalars())


def everyone_items(meeting_id: int) -> list[AgendaItem]:
    """The published (or cancelled) sessions every confirmed registrant's feed carries anyway."""
    return list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.status.in_(("published", "cancelled")),
                                 AgendaItem.kind.in_(vocab.ALL_ATTENDEE_KINDS))
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ).scalars())


def extra_ids(registration: Registration) -> set[int]:
    """The receptions and site visits the registrant ticked on the form."""
    return {int(i) for i in (registration.extras or []) if str(i).isdigit()}


def joins(registration: Registration, item: AgendaItem) -> bool:
    """The one rule for receptions, tours and site visits (feeds, pages and counts): a registration
    never asked joins them all, one that was asked joins exactly those it said yes to."""
    if item.kind not in vocab.OPT_IN_KINDS:
        return False
    return not registration.extras_asked or item.id in extra_ids(registration)


def joined_extras(registration: Registration) -> list[AgendaItem]:
    """The published (or cancelled) receptions, tours and site visits the registration joins."""
    items = db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == registration.meeting_id,
                                 AgendaItem.status.in_(("published", "cancelled")),
                                 AgendaItem.kind.in_(vocab.OPT_IN_KINDS))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars()
    return [item for item in items if joins(registration, item)]


def taken(item_ids) -> dict[int, int]:
    """Seats taken per session: the choices of confirmed registrations (one query)."""
    item_ids = list(item_ids)
    if not item_ids:
        return {}
    rows = db.session.execute(
        select(SessionChoice.item_id, func.count()).join(Registration, Registration.id == SessionChoice.registration_id)
        .where(SessionChoice.item_id.in_(item_ids), Registration.status == "confirmed")
        .group_by(SessionChoice.item_id)
    ).all()
    counts = dict.fromkeys(item_ids, 0)
    counts.update({item_id: n for item_id, n in rows})
    return counts


def chosen_ids(registration: Registration) -> set[int]:
    return set(db.session.execute(
        select(SessionChoice.item_id).where(SessionChoice.registration_id == registration.id)
    ).scalars())


def _overlaps(items: list[AgendaItem]) -> dict[int, str]:
    """Two picked sessions at the same time: one person cannot be in both."""
    problems = {}
    ordered = sorted(items, key=lambda i: (i.starts_at, i.id))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_at < earlier.ends_at:
            problems[later.id] = f"“{later.title}” is at the same time as “{earlier.title}”: pick one of them."
    return problems


def set_choices(registration: Registration, item_ids) -> ChoiceResult:
    """Make the registration's picks exactly `item_ids` (sessions of its meeting, CHOOSABLE_KINDS).

    Capacity: every session with a capacity that is being added is locked (core.database.lock_row,
    in id order so two sign-ups never deadlock) before its seats are counted, so concurrent
    sign-ups from any number of processes never over-fill it. All or nothing: raises ChoiceRefused
    (a full session, an unknown one, two at once) and writes nothing. The caller commits."""
    wanted = {int(i) for i in item_ids}
    registration = lock_row(Registration, registration.id)   # one save at a time per registration
    if registration is None or registration.meeting_id is None:
        raise ChoiceRefused({0: "this registration no longer exists"})
    if registration.status != "confirmed":
        raise NotConfirmed("only a confirmed registration picks sessions")
    available = {item.id: item for item in choosable_items(registration.meeting_id)}
    problems = {i: "That session cannot be picked." for i in wanted if i not in available}
    if problems:
        raise ChoiceRefused(problems)
    current = chosen_ids(registration)
    adding = sorted(wanted - current)
    removing = current - wanted
    problems = _overlaps([available[i] for i in wanted])
    if problems:
        raise ChoiceRefused(problems)
    limited = [i for i in adding if available[i].capacity is not None]
    if limited:
        # PostgreSQL: a row lock per session. SQLite: the BEGIN IMMEDIATE that locking the
        # registration began already serialises every writer until this transaction ends.
        if not is_sqlite():
            for item_id in limited:
                lock_row(AgendaItem, item_id)
        counts = taken(limited)
        for item_id in limited:
            item = db.session.get(AgendaItem, item_id)
            if counts[item_id] >= item.capacity:
                problems[item_id] = f"“{item.title}” is full."
        if problems:
            raise ChoiceRefused(problems, is_full=True)
    if removing:
        for choice in db.session.execute(
                select(SessionChoice).where(SessionChoice.registration_id == registration.id,
                                            SessionChoice.item_id.in_(removing))).scalars():
            db.session.delete(choice)
    for item_id in adding:
        db.session.add(SessionChoice(registration_id=registration.id, item_id=item_id))
    db.session.flush()
    return ChoiceResult(added=adding, removed=sorted(removing))


def drop_choices(registration: Registration) -> int:
    """Forget a registration's picks (on cancel or decline, so a revived registration does not hold
    seats it no longer has). Returns how many were dropped."""
    choices = db.session.execute(
        select(SessionChoice).where(SessionChoice.registration_id == registration.id)).scalars().all()
    for choice in choices:
        db.session.delete(choice)
    db.session.flush()
    return len(choices)
