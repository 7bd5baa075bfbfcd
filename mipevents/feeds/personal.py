"""What one person's calendar feed holds (DESIGN "The personal feed"), read in a fixed number of queries.

For each active meeting registration: the sessions they chose plus the meeting's sessions for
everyone (ALL_ATTENDEE_KINDS); each webinar registration, with its join link once confirmed;
the sessions they speak in; their cohorts' meetings and webinars. Waitlisted and pending
registrations are TENTATIVE without join links; cancelled sessions and events stay, cancelled;
drafts never appear.

Thousands of calendar apps poll these feeds, so `personal_calendar` reads only which events a feed
holds and their versions, and puts the calendar together from VEVENTs serialised once: a public
session's bytes are the same for every subscriber at one version of its meeting (kept in the shared
cache, and in this process); a webinar's or a cohort meeting's are kept in this process only, keyed
by its id, version, SEQUENCE, status and last edit (a join link never leaves the process)."""
import hashlib
import secrets
import threading

from icalendar import Event
from sqlalchemy import Integer, String, bindparam, case, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import selectinload

from mipevents.agenda.models import AgendaItem
from mipevents.cohorts.models import CohortMember
from mipevents.core.vocabulary import ALL_ATTENDEE_KINDS
from mipevents.extensions import cache, db
from mipevents.feeds import ics
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.registration.models import Registration, SessionChoice
from mipevents.speakers.models import SessionSpeaker, Speaker
from mipevents.webinars.models import Webinar

PUBLIC = ("published", "cancelled")
WAITING = ("waitlisted", "pending")


def _items_query():
    return (select(AgendaItem)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.status.in_(PUBLIC), Meeting.status.in_(PUBLIC))
            .options(selectinload(AgendaItem.meeting), selectinload(AgendaItem.room),
                     selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker)))


def personal_events(person: Person, site: ics.Site) -> list[Event]:
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
        offer(0 if firm else 1, ics.session_event(item.meeting, item, site, tentative=not firm))
    for registration in webinar_regs:
        waiting = registration.status in WAITING
        offer(1 if waiting else 0, ics.webinar_event(registration.webinar, site, join=True, tentative=waiting))
    for webinar in cohort_webinars:
        offer(2, ics.webinar_event(webinar, site))
    for meeting in cohort_meetings:
        offer(2, ics.meeting_event(meeting, site))

    events = [event for _, event in chosen_uids.values()]
    events.sort(key=lambda e: (e.decoded("dtstart").isoformat(), str(e["uid"])))
    return events


# ------------------------------------------------------------------------------------ the fast path

FORMAT = 1        # in every kept fragment's key: raise it when a builder's output changes
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


def _plan_statement():
    """One UNION ALL, built once, that says what a feed holds and at which versions, without loading
    any model: a row per session (with whether the person speaks in it), per meeting (with their
    registration there, and whether it is one of their cohorts'), per webinar (likewise). Columns:
    kind, id, ref (a session's meeting), stamp (updated_at), version, sequence, status,
    registration (the person's registration status), flag (speaking / cohort member)."""
    person = bindparam("person_id", type_=Integer)
    mine = (Registration.person_id == person) & Registration.status.in_(ACTIVE)
    cohorts = select(CohortMember.cohort_id).where(CohortMember.person_id == person)
    speaking = (select(SessionSpeaker.item_id).join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
                .where(Speaker.person_id == person))
    chosen = (select(SessionChoice.item_id)
              .join(Registration, Registration.id == SessionChoice.registration_id).where(mine))
    registered = select(Registration.meeting_id).where(mine, Registration.meeting_id.is_not(None))
    no_int, no_text = cast(null(), Integer), cast(null(), String)

    def flag(condition):
        return case((condition, 1), else_=0)

    sessions = (
        select(literal("session", String).label("kind"), AgendaItem.id, AgendaItem.meeting_id.label("ref"),
               AgendaItem.updated_at.label("stamp"), no_int.label("version"), AgendaItem.sequence,
               AgendaItem.status, no_text.label("registration"), flag(AgendaItem.id.in_(speaking)).label("flag"))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.status.in_(PUBLIC), Meeting.status.in_(PUBLIC),
               or_(AgendaItem.id.in_(speaking), AgendaItem.id.in_(chosen),
                   AgendaItem.meeting_id.in_(registered) & AgendaItem.kind.in_(ALL_ATTENDEE_KINDS))))
    their_sessions = select(AgendaItem.meeting_id).where(or_(AgendaItem.id.in_(speaking), AgendaItem.id.in_(chosen)))
    meetings = (
        select(literal("meeting", String), Meeting.id, no_int, Meeting.updated_at, Meeting.agenda_version,
               Meeting.sequence, Meeting.status, Registration.status, flag(Meeting.cohort_id.in_(cohorts)))
        .outerjoin(Registration, (Registration.meeting_id == Meeting.id) & mine)
        .where(Meeting.status.in_(PUBLIC),
               or_(Registration.id.is_not(None), Meeting.cohort_id.in_(cohorts), Meeting.id.in_(their_sessions))))
    webinars = (
        select(literal("webinar", String), Webinar.id, no_int, Webinar.updated_at, Webinar.version,
               Webinar.sequence, Webinar.status, Registration.status, flag(Webinar.cohort_id.in_(cohorts)))
        .outerjoin(Registration, (Registration.webinar_id == Webinar.id) & mine)
        .where(Webinar.status.in_(PUBLIC), or_(Registration.id.is_not(None), Webinar.cohort_id.in_(cohorts))))
    return union_all(sessions, meetings, webinars)


_PLAN = _plan_statement()


def _session_fragments(wanted: dict[tuple, tuple], meetings: dict, site: ics.Site,
                       generation: str | None) -> dict[tuple, ics.Fragment]:
    """Fragments for `wanted` ({key: (item id, tentative)}): from this process, else the shared
    cache, else built from the items (a fixed number of queries, only for those missing)."""
    found = {key: _LOCAL[key] for key in wanted if generation is not None and key in _LOCAL}
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
            item = items[item_id]
            built[key] = ics.fragment(ics.session_event(meetings.get(item.meeting_id), item, site, tentative=tentative))
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
        return self.rows[ident]


def _kept(key: tuple, build, generation: str | None) -> ics.Fragment:
    """A webinar's or a cohort meeting's fragment: kept in this process only."""
    piece = _LOCAL.get(key) if generation is not None else None
    if piece is None:
        piece = ics.fragment(build())
        if generation is not None:
            _remember(key, piece)
    return piece


def personal_calendar(person: Person, site: ics.Site) -> bytes:
    """The person's feed: the same bytes as `ics.personal_calendar(person.name, personal_events(...))`,
    in one query when every event's fragment is kept (a fixed few more for those that are not)."""
    generation = _generation()
    rows = db.session.execute(_PLAN, {"person_id": person.id}).all()
    sessions = [row for row in rows if row.kind == "session"]
    meeting_rows = {row.id: row for row in rows if row.kind == "meeting"}
    meetings = _Models(Meeting, list(meeting_rows))
    webinars = _Models(Webinar, [row.id for row in rows if row.kind == "webinar"])

    chosen: dict[str, tuple[int, ics.Fragment]] = {}   # uid -> (rank, fragment); a lower rank wins

    def offer(rank: int, piece: ics.Fragment) -> None:
        if piece.uid not in chosen or rank < chosen[piece.uid][0]:
            chosen[piece.uid] = (rank, piece)

    wanted, ranks = {}, {}
    for row in sessions:
        meeting = meeting_rows[row.ref]
        firm = bool(row.flag) or meeting.registration == "confirmed"
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
        if row.registration is not None:
            waiting = row.registration in WAITING
            offer(1 if waiting else 0, _kept(
                ("webinar", FORMAT, site, *version, True, waiting),
                lambda i=row.id, t=waiting: ics.webinar_event(webinars.get(i), site, join=True, tentative=t),
                generation))
        if row.flag:
            offer(2, _kept(("webinar", FORMAT, site, *version, False, False),
                           lambda i=row.id: ics.webinar_event(webinars.get(i), site), generation))
    for row in meeting_rows.values():
        if row.flag:
            offer(2, _kept(("meeting", FORMAT, site, row.id, row.stamp, row.version, row.sequence, row.status),
                           lambda i=row.id: ics.meeting_event(meetings.get(i), site), generation))

    pieces = sorted((piece for _, piece in chosen.values()), key=lambda p: (p.sort_key, p.uid))
    body = ics.calendar_from_fragments(pieces, site, ics.personal_subscription(person.name, site))
    if body is None:   # a zone without a yearly rule over these dates: times in UTC, built in full
        body = ics.personal_calendar(person.name, personal_events(person, site), site)
    return body
