"""What one person's calendar feed holds (DESIGN "The personal feed"), read in a fixed number of queries.

For each active meeting registration: the sessions they chose plus the meeting's sessions for
everyone (ALL_ATTENDEE_KINDS) and the receptions, tours and site visits they join (OPT_IN_KINDS:
all of them when never asked, those ticked when asked); each webinar registration, with its join link once confirmed;
the sessions they speak in; their cohorts' meetings and webinars. Waitlisted and pending
registrations are TENTATIVE without join links; cancelled sessions and events stay, cancelled;
drafts never appear.

The rule is written once: two statements read whose feed it is and which events it holds with their
versions (`_FACTS`, `_EVENTS`), and `_choose` says which copy of each event the person gets.
Thousands of calendar apps poll these feeds, so `personal_calendar` puts the calendar together
from VEVENTs serialised once (feeds/fragments.py): a public session's bytes are the same for every
subscriber at one version of its meeting (kept in the shared cache, and in this process); a
webinar's or a cohort meeting's are kept in this process only (a join link never leaves it).
`personal_events` builds the same events from the models, for the rare calendar whose zone needs
its times in UTC and as the tests' reference."""
import json
from dataclasses import dataclass, field

from icalendar import Event
from sqlalchemy import Integer, String, bindparam, case, cast, literal_column, null, or_, select, union_all
from sqlalchemy.orm import selectinload

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.cohorts.models import CohortMember
from mipevents.core import visibility
from mipevents.core.db_types import UTCDateTime
from mipevents.core.vocabulary import ALL_ATTENDEE_KINDS, OPT_IN_KINDS
from mipevents.extensions import db
from mipevents.feeds import events as vevents
from mipevents.feeds import fragments, ics
from mipevents.feeds.fragments import FORMAT
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person, Token
from mipevents.people.services import token_hash
from mipevents.registration.models import Registration, SessionChoice
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar

PUBLIC = visibility.PUBLIC_STATUSES
WAITING = ("waitlisted", "pending")


ACTIVE = ("confirmed", *WAITING)


def _text(value: str):
    """A constant written into the statement itself (not a parameter): executing a statement costs
    less when it has fewer parameters to process. Only for the code's own words, never input."""
    assert value.replace("_", "").isalnum()
    return literal_column(f"'{value}'", String)


def _ids(text: str) -> set[int]:
    """The session ids of a registration's `extras` as stored (a JSON list)."""
    try:
        values = json.loads(text)
    except ValueError:
        return set()
    return {int(i) for i in values if str(i).isdigit()} if isinstance(values, list) else set()


def _one_of(column, values):
    return column.in_([_text(value) for value in values])


def _facts_statement(person):
    """Whose feed a token opens and what they have, in one UNION ALL of index lookups: their own row
    ("person": name in `text`, erased_at in `stamp`), their active registrations ("meeting" /
    "webinar": the event's id, the status in `text`), their cohorts, the sessions they speak in and
    those they chose, and per meeting registration what it said to receptions and site visits
    ("extras": the ticked ids as JSON in `text` once asked, NULL when never asked). No row at all for a token that is unknown, revoked or of another purpose."""
    mine = (Registration.person_id == person) & _one_of(Registration.status, ACTIVE)
    no_time, no_text = cast(null(), UTCDateTime), cast(null(), String)
    return union_all(
        select(_text("person").label("kind"), Person.id, Person.erased_at.label("stamp"),
               Person.name.label("text")).where(Person.id == person),
        select(_text("meeting"), Registration.meeting_id, no_time, Registration.status)
        .where(mine, Registration.meeting_id.is_not(None)),
        select(_text("extras"), Registration.meeting_id, no_time,
               case((Registration.extras_asked, cast(Registration.extras, String)), else_=no_text))
        .where(mine, Registration.meeting_id.is_not(None)),
        select(_text("webinar"), Registration.webinar_id, no_time, Registration.status)
        .where(mine, Registration.webinar_id.is_not(None)),
        select(_text("cohort"), CohortMember.cohort_id, no_time, no_text)
        .where(CohortMember.person_id == person),
        select(_text("speaking"), SessionSpeaker.item_id, no_time, no_text)
        .join(Speaker, Speaker.id == SessionSpeaker.speaker_id).where(Speaker.person_id == person),
        select(_text("chosen"), SessionChoice.item_id, no_time, no_text)
        .join(Registration, Registration.id == SessionChoice.registration_id).where(mine))


def _events_statement():
    """The public sessions, meetings and webinars those facts put in the feed, with their versions,
    in one UNION ALL and without loading any model. Columns: kind, id, ref (a session's meeting),
    stamp (updated_at), version, sequence, status, cohort."""
    items, meetings = bindparam("items", expanding=True), bindparam("meetings", expanding=True)
    extras, all_extras = bindparam("extras", expanding=True), bindparam("all_extras", expanding=True)
    webinars, cohorts = bindparam("webinars", expanding=True), bindparam("cohorts", expanding=True)
    no_int = cast(null(), Integer)
    return union_all(
        select(_text("session").label("kind"), AgendaItem.id, AgendaItem.meeting_id.label("ref"),
               AgendaItem.updated_at.label("stamp"), no_int.label("version"), AgendaItem.sequence,
               AgendaItem.status, no_int.label("cohort"))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(_one_of(AgendaItem.status, PUBLIC), _one_of(Meeting.status, PUBLIC),
               or_(AgendaItem.id.in_(items),
                   AgendaItem.meeting_id.in_(meetings) & _one_of(AgendaItem.kind, ALL_ATTENDEE_KINDS),
                   AgendaItem.id.in_(extras) & _one_of(AgendaItem.kind, OPT_IN_KINDS),
                   AgendaItem.meeting_id.in_(all_extras) & _one_of(AgendaItem.kind, OPT_IN_KINDS))),
        select(_text("meeting"), Meeting.id, no_int, Meeting.updated_at, Meeting.agenda_version,
               Meeting.sequence, Meeting.status, Meeting.cohort_id)
        .where(_one_of(Meeting.status, PUBLIC),
               or_(Meeting.id.in_(meetings), Meeting.cohort_id.in_(cohorts),
                   Meeting.id.in_(select(AgendaItem.meeting_id).where(AgendaItem.id.in_(items))))),
        select(_text("webinar"), Webinar.id, no_int, Webinar.updated_at, Webinar.version,
               Webinar.sequence, Webinar.status, Webinar.cohort_id)
        .where(_one_of(Webinar.status, PUBLIC), or_(Webinar.id.in_(webinars), Webinar.cohort_id.in_(cohorts))))


# Built once. Two plain statements rather than one with correlated subqueries (cheaper to plan),
# run on a connection of their own in autocommit: a read-only feed needs no transaction, and without
# the rollback that ends one, the driver keeps them prepared on the connection, so that PostgreSQL
# does not plan them again on every request.
_BY_TOKEN = _facts_statement(select(Token.person_id)
                             .where(Token.token_hash == bindparam("token_hash"), Token.purpose == _text("feed"),
                                    Token.revoked_at.is_(None))
                             .scalar_subquery())
_BY_PERSON = _facts_statement(bindparam("person_id"))
_EVENTS = _events_statement()


@dataclass
class _Selection:
    """What the two statements read: the person's row, their registrations' statuses by event, their
    cohorts and the sessions they speak in, and the rows of the events their feed holds."""
    owner: object = None
    registered: dict = field(default_factory=dict)   # meeting id -> registration status
    booked: dict = field(default_factory=dict)       # webinar id -> registration status
    cohorts: set = field(default_factory=set)
    speaking: set = field(default_factory=set)
    rows: list = field(default_factory=list)


def _select(statement, params: dict) -> _Selection:
    found, chosen, ticked, never_asked = _Selection(), set(), set(), set()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for row in connection.execute(statement, params):
            if row.kind == "person":
                found.owner = row
            elif row.kind == "meeting":
                found.registered[row.id] = row.text
            elif row.kind == "webinar":
                found.booked[row.id] = row.text
            elif row.kind == "extras":
                if row.text is None:
                    never_asked.add(row.id)
                else:
                    ticked.update(_ids(row.text))
            elif row.kind == "cohort":
                found.cohorts.add(row.id)
            elif row.kind == "speaking":
                found.speaking.add(row.id)
            else:
                chosen.add(row.id)
        if found.owner is None:
            return found
        found.rows = connection.execute(_EVENTS, {
            "items": sorted(found.speaking | chosen), "meetings": sorted(found.registered),
            "extras": sorted(ticked), "all_extras": sorted(never_asked),
            "webinars": sorted(found.booked), "cohorts": sorted(found.cohorts)}).all()
    return found


@dataclass(frozen=True)
class _Choice:
    """One event of the feed: `row` of `_EVENTS`, and how the person holds it."""
    row: object
    tentative: bool = False
    join: bool = False


def _choose(selection: _Selection) -> list[_Choice]:
    """The events of the feed, each UID once: a firm place (confirmed, speaking) wins over a
    tentative one, and either over a cohort's copy (which never carries a join link)."""
    chosen: dict[tuple, tuple[int, _Choice]] = {}   # (kind, id) -> (rank, choice); a lower rank wins

    def offer(rank: int, choice: _Choice) -> None:
        uid = (choice.row.kind, choice.row.id)
        if uid not in chosen or rank < chosen[uid][0]:
            chosen[uid] = (rank, choice)

    for row in selection.rows:
        if row.kind == "session":
            firm = row.id in selection.speaking or selection.registered.get(row.ref) == "confirmed"
            offer(0 if firm else 1, _Choice(row, tentative=not firm))
        elif row.kind == "webinar":
            if row.id in selection.booked:
                waiting = selection.booked[row.id] in WAITING
                offer(1 if waiting else 0, _Choice(row, tentative=waiting, join=True))
            if row.cohort in selection.cohorts:
                offer(2, _Choice(row))
        elif row.cohort in selection.cohorts:   # a meeting: its sessions bring its row along
            offer(2, _Choice(row))
    return [choice for _, choice in chosen.values()]


class _Models:
    """The models a build needs, read at most once per kind and request, only when it needs them."""

    def __init__(self, model, ids, *options):
        self.model, self.ids, self.options, self.rows = model, ids, options, None

    def get(self, ident):
        if self.rows is None:
            self.rows = {row.id: row for row in db.session.execute(
                select(self.model).where(self.model.id.in_(self.ids)).options(*self.options)).scalars()}
        return self.rows.get(ident)


def _models(selection: _Selection):
    rows = selection.rows
    return (_Models(Meeting, [r.id for r in rows if r.kind == "meeting"]),
            _Models(Webinar, [r.id for r in rows if r.kind == "webinar"]),
            _Models(AgendaItem, [r.id for r in rows if r.kind == "session"], selectinload(AgendaItem.room),
                    selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker)))


def _event(choice: _Choice, meetings: _Models, webinars: _Models, items: _Models, site) -> Event | None:
    """The VEVENT of one choice, from the models (None when deleted since the first read)."""
    row = choice.row
    if row.kind == "session":
        item, meeting = items.get(row.id), meetings.get(row.ref)
        return vevents.session_event(meeting, item, site, tentative=choice.tentative) if item and meeting else None
    if row.kind == "webinar":
        webinar = webinars.get(row.id)
        return vevents.webinar_event(webinar, site, join=choice.join, tentative=choice.tentative) if webinar else None
    meeting = meetings.get(row.id)
    return vevents.meeting_event(meeting, site) if meeting is not None else None


def personal_events(person: Person, site: vevents.Site) -> list[Event]:
    """The person's events in calendar order, built from the models."""
    selection = _select(_BY_PERSON, {"person_id": person.id})
    models = _models(selection)
    built = [_event(choice, *models, site) for choice in _choose(selection)]
    events = [event for event in built if event is not None]
    events.sort(key=lambda e: (e.decoded("dtstart").isoformat(), str(e["uid"])))
    return events


def _key(choice: _Choice, meeting_rows: dict, site) -> tuple:
    """The version of everything the event shows, as its fragment's key."""
    row = choice.row
    if row.kind == "session":
        meeting = meeting_rows[row.ref]
        return ("session", FORMAT, site, meeting.id, meeting.version, meeting.stamp, row.id, row.stamp,
                row.sequence, choice.tentative)
    return (row.kind, FORMAT, site, row.id, row.stamp, row.version, row.sequence, row.status, choice.join,
            choice.tentative)


def personal_calendar(token: str, site: vevents.Site) -> bytes | None:
    """The feed a `token` opens, or None when it opens none (an unknown, revoked or other purpose
    token, or a person since erased): the same bytes as `ics.subscribed_calendar(person.name,
    personal_events(person, site), site)`, in two queries when every event's fragment is kept (a
    fixed few more for those that are not)."""
    hashed = token_hash(token)
    if hashed is None:
        return None
    selection = _select(_BY_TOKEN, {"token_hash": hashed})
    if selection.owner is None or selection.owner.stamp is not None:
        return None
    models = _models(selection)
    choices = _choose(selection)
    meeting_rows = {row.id: row for row in selection.rows if row.kind == "meeting"}
    sessions = {_key(c, meeting_rows, site): c for c in choices if c.row.kind == "session"}
    pieces = list(fragments.public_sessions({key: (c.row.id, c.tentative) for key, c in sessions.items()},
                                            models[0].get, site).values())
    for choice in choices:   # webinars and cohort meetings: kept in this process only
        if choice.row.kind != "session":
            piece = fragments.kept(fragments.PRIVATE, _key(choice, meeting_rows, site),
                                   lambda c=choice: _event(c, *models, site))
            if piece is not None:
                pieces.append(piece)
    pieces.sort(key=lambda p: (p.sort_key, p.uid))
    body = ics.calendar_from_fragments(pieces, site, ics.personal_subscription(selection.owner.text, site))
    if body is None:   # a zone without a yearly rule over these dates: times in UTC, built in full
        person = db.session.get(Person, selection.owner.id)
        body = ics.subscribed_calendar(person.name, personal_events(person, site), site)
    return body
