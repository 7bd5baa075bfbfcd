"""Reading registrations: seats taken and left (the count the database keeps), a waitlisted
registrant's place in line, and what the staff lists show (counts per status and type, a webinar's
registrants in order, a meeting's filtered, the sessions picked)."""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import String, and_, bindparam, case, cast, func, literal, or_, select
from sqlalchemy.orm import joinedload

from mipevents.agenda.models import AgendaItem
from mipevents.core import vocabulary as vocab
from mipevents.core.database import execute, prebuilt
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.registration import sessions
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


def full_event_ids(model):
    """A scalar subquery: the ids (comma-separated, in no fixed order) of `model`'s published events
    whose confirmed registrations have reached their capacity, so a listing's cache key can carry
    which cards read "Full — waitlist open" in the same query as its version."""
    event_column = SeatCount.meeting_id if model is Meeting else SeatCount.webinar_id
    return (select(func.aggregate_strings(cast(model.id, String), ","))
            .select_from(SeatCount).join(model, event_column == model.id)
            .where(model.status == "published", model.capacity.is_not(None), SeatCount.confirmed >= model.capacity)
            .scalar_subquery())


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


# ---------------------------------------------------------------------------------------------- staff lists

# A webinar's list: confirmed, then waiting (in queue order), then the rest.
STATUS_ORDER = {"confirmed": 0, "pending": 1, "waitlisted": 2, "declined": 3, "cancelled": 4}


def registrants(webinar: Webinar, search: str = "") -> list[Registration]:
    """The webinar's registrations: confirmed, then waiting (in queue order), then the rest."""
    query = (select(Registration).join(Person, Registration.person_id == Person.id)
             .options(joinedload(Registration.person)).where(Registration.webinar_id == webinar.id))
    if search:
        like = f"%{search.strip()}%"
        query = query.where(or_(Registration.first_name.ilike(like), Registration.last_name.ilike(like),
                                Person.email.ilike(like), Registration.organization.ilike(like),
                                Registration.city.ilike(like)))
    rows = db.session.execute(query).scalars().all()
    return sorted(rows, key=lambda r: (STATUS_ORDER.get(r.status, 9), r.queued_at, r.id))


def waitlist_positions(rows: list[Registration]) -> dict[int, int]:
    """Queue positions among the waitlisted of an unfiltered list (one pass, no query per row)."""
    waiting = sorted((r for r in rows if r.status == "waitlisted"), key=lambda r: (r.queued_at, r.id))
    return {r.id: n for n, r in enumerate(waiting, start=1)}


def _matching(stmt, search: str):
    """Registrations whose name, email, organization or city contains `search` (any case)."""
    like = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return stmt.where(or_(*(column.ilike(like, escape="\\") for column in (
        Registration.first_name, Registration.last_name, Registration.email, Registration.organization,
        Registration.city, Registration.first_name + " " + Registration.last_name))))


def hub_registrations(search: str = "", status: str = "", role: str = "", kind: str = ""):
    """The hub's list: every meeting's and webinar's registrations, matching a search (name, email,
    organization, city) and of one status, type and kind of event when given, newest first."""
    stmt = select(Registration).options(joinedload(Registration.meeting), joinedload(Registration.webinar))
    if search:
        stmt = _matching(stmt, search)
    if status:
        stmt = stmt.where(Registration.status == status)
    if role:
        stmt = stmt.where(Registration.role == role)
    if kind == "meeting":
        stmt = stmt.where(Registration.meeting_id.is_not(None))
    elif kind == "webinar":
        stmt = stmt.where(Registration.webinar_id.is_not(None))
    return stmt.order_by(Registration.created_at.desc(), Registration.id.desc())


def meeting_counts(meeting_ids: list[int]) -> dict[int, Counts]:
    """Counts per status for several meetings in one query."""
    counts = {meeting_id: Counts() for meeting_id in meeting_ids}
    if meeting_ids:
        for meeting_id, status, number in db.session.execute(
                select(Registration.meeting_id, Registration.status, func.count())
                .where(Registration.meeting_id.in_(meeting_ids)).group_by(Registration.meeting_id, Registration.status)):
            setattr(counts[meeting_id], status, number)
    return counts


def meeting_registrations(meeting: Meeting, role: str = "", status: str = "", search: str = ""):
    """The statement for a meeting's registrations, of one type and status and matching a search
    when given, by name."""
    stmt = select(Registration).where(Registration.meeting_id == meeting.id)
    if search:
        stmt = _matching(stmt, search)
    if role:
        stmt = stmt.where(Registration.role == role)
    if status:
        stmt = stmt.where(Registration.status == status)
    return stmt.order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)


def type_counts(meeting: Meeting) -> dict[str, Counter]:
    """Per registration type: how many in each status (one query)."""
    counts: dict[str, Counter] = {}
    for role, status, n in db.session.execute(
            select(Registration.role, Registration.status, func.count()).where(Registration.meeting_id == meeting.id)
            .group_by(Registration.role, Registration.status)).all():
        counts.setdefault(role, Counter())[status] = n
    return counts


@dataclass
class SessionCount:
    item: AgendaItem
    chosen: int        # confirmed registrants who picked it
    said: int | None   # confirmed registrants who join it (receptions, site visits: sessions.joins)


def session_counts(meeting: Meeting) -> list[SessionCount]:
    """Per published session a registrant picks or joins: picks, and for receptions and site visits
    those who join it by the one rule of the feeds and pages (three queries)."""
    items = list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(("published", "cancelled")),
                                 AgendaItem.kind.in_((*sessions.CHOOSABLE_KINDS, *vocab.OPT_IN_KINDS)))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars())
    chosen = sessions.taken(item.id for item in items)
    said: Counter = Counter()
    for extras, asked in db.session.execute(
            select(Registration.extras, Registration.extras_asked)
            .where(Registration.meeting_id == meeting.id, Registration.status == "confirmed")).all():
        ticked = {int(i) for i in (extras or []) if str(i).isdigit()}
        said.update(item.id for item in items if item.kind in vocab.OPT_IN_KINDS and (not asked or item.id in ticked))
    return [SessionCount(item, chosen.get(item.id, 0),
                         said.get(item.id, 0) if item.kind in vocab.OPT_IN_KINDS else None) for item in items]


# ---------------------------------------------------------------------------------------------- the door

# Where the desk's search looks (the same fields as attendance.search_text).
DOOR_FIELDS = ("first_name", "last_name", "organization", "city", "title", "email")


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _door_text():
    """The fields the desk searches as one lower-case text, each after a space: " rosa alvarez city of elm …"."""
    text = None
    for name in DOOR_FIELDS:
        part = literal(" ") + func.coalesce(getattr(Registration, name), "")
        text = part if text is None else text + part
    return func.lower(text)


def door_search(stmt, query: str):
    """Registrations in which every typed word begins some word of a name, organization, city, title or
    email (words split at spaces and dots, and before an "@", as attendance.matches splits them), found
    by the database: a meeting of thousands answers without loading them."""
    text = _door_text()
    for term in query.lower().split()[:8]:
        t = _like_escaped(term)
        patterns = [f"%{t}%"] if term.startswith("@") else [f"% {t}%", f"%.{t}%"]
        stmt = stmt.where(or_(*(text.like(p, escape="\\") for p in patterns)))
    return stmt


def door_list(meeting: Meeting, query: str = "", only_expected: bool = False):
    """The statement for the desk's list: the meeting's active registrations (confirmed, or still
    expected) matching `query`, by last name."""
    stmt = select(Registration).where(Registration.meeting_id == meeting.id)
    if only_expected:
        stmt = stmt.where(Registration.status == "confirmed", Registration.checked_in_at.is_(None))
    else:
        stmt = stmt.where(Registration.status.in_(vocab.ACTIVE_REGISTRATION_STATUSES))
    if query:
        stmt = door_search(stmt, query)
    return stmt.order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)


def door_counts(meeting: Meeting) -> tuple[int, int]:
    """(confirmed, of whom checked in), in one query."""
    confirmed, arrived = db.session.execute(
        select(func.count(), func.count(Registration.checked_in_at))
        .where(Registration.meeting_id == meeting.id, Registration.status == "confirmed")).one()
    return confirmed, arrived or 0


@dataclass
class Page:
    rows: list
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max((self.total + self.size - 1) // self.size, 1)

    @property
    def first(self) -> int:
        return min((self.number - 1) * self.size + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)


def page_of(stmt, number: int, size: int, *, one_scan: bool = False) -> Page:
    """One page of `stmt`'s rows and how many there are in all; a page past the last shows the last.

    Two queries (a count, then a top-N sort) suit a list that indexes narrow; `one_scan` is for a
    search that reads every row anyway: the count rides along as a window over that one scan."""
    number = max(number, 1)
    if one_scan:
        rows = db.session.execute(stmt.add_columns(func.count().over()).limit(size).offset((number - 1) * size)).all()
        if rows or number == 1:
            return Page([row[0] for row in rows], rows[0][-1] if rows else 0, number, size)
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    number = min(number, max((total + size - 1) // size, 1))
    rows = db.session.execute(stmt.limit(size).offset((number - 1) * size)).scalars().all()
    return Page(list(rows), total, number, size)


def webinar_list(webinar: Webinar, search: str = ""):
    """The statement for a webinar's staff list: confirmed, then waiting (in queue order), then the
    rest, matching a search when given (the order `registrants` gives, in the database)."""
    order = case(*((Registration.status == status, rank) for status, rank in STATUS_ORDER.items()), else_=9)
    stmt = select(Registration).options(joinedload(Registration.person)).where(Registration.webinar_id == webinar.id)
    if search:
        stmt = _matching(stmt, search)
    return stmt.order_by(order, Registration.queued_at, Registration.id)


def waitlist_places(event: Event, registration_ids: list[int]) -> dict[int, int]:
    """The places in line of some waitlisted registrations of `event` (1 for the first), in one query."""
    if not registration_ids:
        return {}
    column = Registration.meeting_id if isinstance(event, Meeting) else Registration.webinar_id
    line = (select(Registration.id, func.row_number().over(order_by=(Registration.queued_at, Registration.id)).label("place"))
            .where(column == event.id, Registration.status == "waitlisted").subquery())
    return dict(db.session.execute(select(line.c.id, line.c.place).where(line.c.id.in_(registration_ids))).all())
