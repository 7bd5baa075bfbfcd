"""What one person's calendar feed holds (DESIGN "The personal feed"), read in a fixed number of queries.

For each active meeting registration: the sessions they chose plus the meeting's sessions for
everyone (ALL_ATTENDEE_KINDS) and the receptions, tours and site visits they join (OPT_IN_KINDS:
all of them when never asked, those ticked when asked); each webinar registration, with its join link once confirmed;
the sessions they speak in; their cohorts' meetings and webinars. Waitlisted and pending
registrations are TENTATIVE without join links; cancelled sessions and events stay, cancelled;
drafts never appear.

Thousands of calendar apps poll these feeds, so `personal_calendar` reads only which events a feed
holds and their versions, and puts the calendar together from VEVENTs serialised once: a public
session's bytes are the same for every subscriber at one version of its meeting (kept in the shared
cache, and in this process); a webinar's or a cohort meeting's are kept in this process only, keyed
by its id, version, SEQUENCE, status and last edit (a join link never leaves the process)."""
import hashlib
import json
import secrets
import sys
import threading
from pathlib import Path

import icalendar
from icalendar import Event
from sqlalchemy import Integer, String, bindparam, case, cast, literal_column, null, or_, select, union_all
from sqlalchemy.orm import selectinload

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.cohorts.models import CohortMember
from mipevents.core import timeutil, visibility, vocabulary
from mipevents.core.db_types import UTCDateTime
from mipevents.core.vocabulary import ALL_ATTENDEE_KINDS, OPT_IN_KINDS
from mipevents.extensions import cache, db
from mipevents.feeds import events as vevents
from mipevents.feeds import ical_text, ics, timezones
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person, Token
from mipevents.people.services import token_hash
from mipevents.registration.models import Registration, SessionChoice
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar

PUBLIC = visibility.PUBLIC_STATUSES
WAITING = ("waitlisted", "pending")


def _items_query():
    return (select(AgendaItem)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.status.in_(PUBLIC), Meeting.status.in_(PUBLIC))
            .options(selectinload(AgendaItem.meeting), selectinload(AgendaItem.room),
                     selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker)))


def personal_events(person: Person, site: vevents.Site) -> list[Event]:
    """The person's events, each UID once: a firm place (confirmed, speaking) wins over a tentative one.
    Built from the models alone: `personal_calendar` gives the same bytes faster."""
    registrations = list(db.session.execute(
        select(Registration).where(Registration.person_id == person.id,
                                   Registration.status.in_(("confirmed", *WAITING)))
        .options(selectinload(Registration.meeting), selectinload(Registration.webinar))
    ).scalars())
    meeting_regs = {r.meeting_id: r for r in registrations
                    if r.meeting_id is not None and r.meeting.status in PUBLIC}
    webinar_regs = [r for r in registrations if r.webinar_id is not None and r.webinar.status in PUBLIC]

    # Sessions: chosen ones, everyone's sessions of their meetings, and the ones they speak in.
    reg_ids = [r.id for r in meeting_regs.values()]
    chosen = (select(SessionChoice.item_id).where(SessionChoice.registration_id.in_(reg_ids))
              if reg_ids else None)
    speaking = (select(SessionSpeaker.item_id).join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
                .where(Speaker.person_id == person.id))
    conditions = [AgendaItem.id.in_(speaking)]
    if meeting_regs:
        conditions.append(AgendaItem.meeting_id.in_(list(meeting_regs)) & AgendaItem.kind.in_(ALL_ATTENDEE_KINDS))
        conditions.append(AgendaItem.id.in_(chosen))
        never_asked = [r.meeting_id for r in meeting_regs.values() if not r.extras_asked]
        ticked = {int(i) for r in meeting_regs.values() if r.extras_asked for i in (r.extras or []) if str(i).isdigit()}
        conditions.append(AgendaItem.meeting_id.in_(never_asked) & AgendaItem.kind.in_(OPT_IN_KINDS))
        conditions.append(AgendaItem.id.in_(ticked) & AgendaItem.kind.in_(OPT_IN_KINDS))
    items = list(db.session.execute(_items_query().where(or_(*conditions))).scalars())
    speaking_ids = set(db.session.execute(speaking).scalars())

    # Cohort events: meetings and webinars of the cohorts they belong to.
    cohort_ids = select(CohortMember.cohort_id).where(CohortMember.person_id == person.id)
    cohort_meetings = list(db.session.execute(
        select(Meeting).where(Meeting.cohort_id.in_(cohort_ids), Meeting.status.in_(PUBLIC))).scalars())
    cohort_webinars = list(db.session.execute(
        select(Webinar).where(Webinar.cohort_id.in_(cohort_ids), Webinar.status.in_(PUBLIC))).scalars())

    chosen_uids: dict[str, tuple[int, Event]] = {}   # uid -> (rank, event); a lower rank wins

    def offer(rank: int, event: Event) -> None:
        key = str(event["uid"])
        if key not in chosen_uids or rank < chosen_uids[key][0]:
            chosen_uids[key] = (rank, event)

    for item in items:
        registration = meeting_regs.get(item.meeting_id)
        firm = item.id in speaking_ids or (registration is not None and registration.status == "confirmed")
        offer(0 if firm else 1, vevents.session_event(item.meeting, item, site, tentative=not firm))
    for registration in webinar_regs:
        waiting = registration.status in WAITING
        offer(1 if waiting else 0, vevents.webinar_event(registration.webinar, site, join=True, tentative=waiting))
    for webinar in cohort_webinars:
        offer(2, vevents.webinar_event(webinar, site))
    for meeting in cohort_meetings:
        offer(2, vevents.meeting_event(meeting, site))

    events = [event for _, event in chosen_uids.values()]
    events.sort(key=lambda e: (e.decoded("dtstart").isoformat(), str(e["uid"])))
    return events


# ------------------------------------------------------------------------------------ the fast path

def _builders_version() -> str:
    """Changes whenever the code or the library that writes fragments does, so that a fragment kept
    in the shared cache by another release is never read by this one."""
    sources = [Path(module.__file__).read_bytes() for module in (vevents, timezones, ical_text, ics, vocabulary, timeutil,
                                                                 sys.modules[__name__])]
    return hashlib.sha256(b"\0".join([*sources, icalendar.__version__.encode()])).hexdigest()[:16]


FORMAT = _builders_version()   # in every kept fragment's key
ACTIVE = ("confirmed", *WAITING)
_GENERATION_KEY = "personal-feed:generation"
_LOCAL: dict[tuple, ics.Fragment] = {}   # fragments this process built or fetched, by key
_LOCAL_MAX = 4096
_LOCK = threading.Lock()
_seen = {"generation": None}


def _generation() -> str | None:
    """A value held in the shared cache: this process uses its own fragments only while it stands,
    so clearing the shared cache retires every process's copies too. None without a cache."""
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, secrets.token_hex(8), timeout=0)
        generation = cache.get(_GENERATION_KEY)
    if generation != _seen["generation"]:
        with _LOCK:
            _LOCAL.clear()
            _seen["generation"] = generation
    return generation


def _remember(key: tuple, piece: ics.Fragment) -> None:
    with _LOCK:
        if len(_LOCAL) >= _LOCAL_MAX:
            _LOCAL.pop(next(iter(_LOCAL)))
        _LOCAL[key] = piece


def _shared_key(key: tuple) -> str:
    return "personal-feed:" + hashlib.sha256(repr(key).encode()).hexdigest()[:40]


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


def _facts_statement():
    """Whose feed a token opens and what they have, in one UNION ALL of index lookups: their own row
    ("person": name in `text`, erased_at in `stamp`), their active registrations ("meeting" /
    "webinar": the event's id, the status in `text`), their cohorts, the sessions they speak in and
    those they chose, and per meeting registration what it said to receptions and site visits
    ("extras": the ticked ids as JSON in `text` once asked, NULL when never asked). No row at all for a token that is unknown, revoked or of another purpose."""
    person = (select(Token.person_id)
              .where(Token.token_hash == bindparam("token_hash"), Token.purpose == _text("feed"),
                     Token.revoked_at.is_(None))
              .scalar_subquery())
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
_FACTS, _EVENTS = _facts_statement(), _events_statement()


def _session_fragments(wanted: dict[tuple, tuple], meetings: dict, site: vevents.Site,
                       generation: str | None) -> dict[tuple, ics.Fragment]:
    """Fragments for `wanted` ({key: (item id, tentative)}): from this process, else the shared
    cache, else built from the items (a fixed number of queries, only for those missing)."""
    found = {}
    if generation is not None:
        for key in wanted:
            piece = _LOCAL.get(key)
            if piece is not None:
                found[key] = piece
    missing = [key for key in wanted if key not in found]
    if missing and generation is not None:
        for key, piece in zip(missing, cache.get_many(*(_shared_key(k) for k in missing)), strict=True):
            if piece is not None:
                found[key] = piece
                _remember(key, piece)
        missing = [key for key in missing if key not in found]
    if missing:
        items = {item.id: item for item in db.session.execute(
            select(AgendaItem).where(AgendaItem.id.in_({wanted[key][0] for key in missing}))
            .options(selectinload(AgendaItem.room),
                     selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker))).scalars()}
        built = {}
        for key in missing:
            item_id, tentative = wanted[key]
            item = items.get(item_id)
            meeting = meetings.get(item.meeting_id) if item is not None else None
            if meeting is not None:   # else deleted since the first read: the next fetch is whole again
                built[key] = ics.fragment(vevents.session_event(meeting, item, site, tentative=tentative))
        found.update(built)
        if generation is not None:
            cache.set_many({_shared_key(key): piece for key, piece in built.items()})
            for key, piece in built.items():
                _remember(key, piece)
    return found


class _Models:
    """The models a build needs, read at most once per kind and request, only when it needs them."""

    def __init__(self, model, ids):
        self.model, self.ids, self.rows = model, ids, None

    def get(self, ident):
        if self.rows is None:
            self.rows = {row.id: row for row in db.session.execute(
                select(self.model).where(self.model.id.in_(self.ids))).scalars()}
        return self.rows.get(ident)


def _kept(key: tuple, build, generation: str | None) -> ics.Fragment | None:
    """A webinar's or a cohort meeting's fragment: kept in this process only."""
    piece = _LOCAL.get(key) if generation is not None else None
    if piece is None:
        event = build()
        if event is None:   # deleted since the first read
            return None
        piece = ics.fragment(event)
        if generation is not None:
            _remember(key, piece)
    return piece


def personal_calendar(token: str, site: vevents.Site) -> bytes | None:
    """The feed a `token` opens, or None when it opens none (an unknown, revoked or other purpose
    token, or a person since erased): the same bytes as `ics.subscribed_calendar(person.name,
    personal_events(person, site), site)`, in two queries when every event's fragment is kept (a
    fixed few more for those that are not)."""
    hashed = token_hash(token)
    if hashed is None:
        return None
    generation = _generation()
    owner, registered, booked, facts = None, {}, {}, {"cohort": set(), "speaking": set(), "chosen": set()}
    ticked, never_asked = set(), set()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for row in connection.execute(_FACTS, {"token_hash": hashed}):
            if row.kind == "person":
                owner = row
            elif row.kind == "meeting":
                registered[row.id] = row.text
            elif row.kind == "webinar":
                booked[row.id] = row.text
            elif row.kind == "extras":
                if row.text is None:
                    never_asked.add(row.id)
                else:
                    ticked.update(_ids(row.text))
            else:
                facts[row.kind].add(row.id)
        if owner is None or owner.stamp is not None:
            return None
        cohorts, speaking = facts["cohort"], facts["speaking"]
        rows = connection.execute(_EVENTS, {"items": sorted(speaking | facts["chosen"]), "meetings": sorted(registered),
                                            "extras": sorted(ticked), "all_extras": sorted(never_asked),
                                            "webinars": sorted(booked), "cohorts": sorted(cohorts)}).all()
    meeting_rows = {row.id: row for row in rows if row.kind == "meeting"}
    meetings = _Models(Meeting, list(meeting_rows))
    webinars = _Models(Webinar, [row.id for row in rows if row.kind == "webinar"])

    chosen: dict[str, tuple[int, ics.Fragment]] = {}   # uid -> (rank, fragment); a lower rank wins

    def offer(rank: int, piece: ics.Fragment | None) -> None:
        if piece is not None and (piece.uid not in chosen or rank < chosen[piece.uid][0]):
            chosen[piece.uid] = (rank, piece)

    def webinar_event(ident: int, **how):
        webinar = webinars.get(ident)
        return vevents.webinar_event(webinar, site, **how) if webinar is not None else None

    def meeting_event(ident: int):
        meeting = meetings.get(ident)
        return vevents.meeting_event(meeting, site) if meeting is not None else None

    wanted, ranks = {}, {}
    for row in rows:
        if row.kind != "session":
            continue
        meeting = meeting_rows[row.ref]
        firm = row.id in speaking or registered.get(row.ref) == "confirmed"
        key = ("session", FORMAT, site, meeting.id, meeting.version, meeting.stamp, row.id, row.stamp,
               row.sequence, not firm)
        wanted[key] = (row.id, not firm)
        ranks[key] = 0 if firm else 1
    for key, piece in _session_fragments(wanted, meetings, site, generation).items():
        offer(ranks[key], piece)
    for row in rows:
        if row.kind != "webinar":
            continue
        version = (row.id, row.stamp, row.version, row.sequence, row.status)
        if row.id in booked:
            waiting = booked[row.id] in WAITING
            offer(1 if waiting else 0, _kept(
                ("webinar", FORMAT, site, *version, True, waiting),
                lambda i=row.id, t=waiting: webinar_event(i, join=True, tentative=t), generation))
        if row.cohort in cohorts:
            offer(2, _kept(("webinar", FORMAT, site, *version, False, False),
                           lambda i=row.id: webinar_event(i), generation))
    for row in meeting_rows.values():
        if row.cohort in cohorts:
            offer(2, _kept(("meeting", FORMAT, site, row.id, row.stamp, row.version, row.sequence, row.status),
                           lambda i=row.id: meeting_event(i), generation))

    pieces = sorted((piece for _, piece in chosen.values()), key=lambda p: (p.sort_key, p.uid))
    body = ics.calendar_from_fragments(pieces, site, ics.personal_subscription(owner.text, site))
    if body is None:   # a zone without a yearly rule over these dates: times in UTC, built in full
        person = db.session.get(Person, owner.id)
        body = ics.subscribed_calendar(person.name, personal_events(person, site), site)
    return body
