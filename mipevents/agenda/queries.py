"""Read-side of the public agenda: the ?day=&track=&kind= filters, days and time blocks in the
meeting's zone, one public session, and the releases of the public changelog. Every function
issues a fixed number of queries whatever the agenda's size."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from mipevents.agenda.models import AgendaItem, AgendaRelease, SessionSpeaker, place_in_words
from mipevents.core import visibility
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_date, to_local
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.speakers.models import Speaker

PUBLIC_STATUSES = visibility.PUBLIC_STATUSES
MAX_TRACK_LENGTH = 120


class BadFilter(ValueError):
    """A filter value the agenda cannot apply; `field` names the query parameter."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


class NoMatch(BadFilter):
    """A well-formed filter value that names nothing on this agenda (a track it does not have): the
    answer is an empty list, built afresh and never cached, since any value may come."""


@dataclass(frozen=True)
class AgendaFilters:
    day: date | None = None
    track: str = ""
    kind: str = ""

    @property
    def is_active(self) -> bool:
        return bool(self.day or self.track or self.kind)

    def key(self) -> tuple:
        """What a cached page depends on, normalised (so ?kind=panel&day= and ?kind=panel share it)."""
        return (self.day.isoformat() if self.day else "", self.track.casefold(), self.kind)

    def args(self) -> dict:
        """The query parameters that link to this view of the agenda."""
        values = {"day": self.day.isoformat() if self.day else "", "track": self.track, "kind": self.kind}
        return {k: v for k, v in values.items() if v}


def meeting_days(meeting: Meeting) -> list[date]:
    return [meeting.starts_on + timedelta(days=n) for n in range((meeting.ends_on - meeting.starts_on).days + 1)]


def parse_filters(args, meeting: Meeting) -> AgendaFilters:
    """The filters from a query string; empty values mean "all". Raises BadFilter for a day that is
    no date or a kind outside the vocabulary; a date outside the meeting is a filter that matches
    nothing (see `outside_meeting`), and the track is checked against the agenda itself (`check_track`)."""
    raw_day = (args.get("day") or "").strip()
    raw_track = " ".join((args.get("track") or "").split())
    raw_kind = (args.get("kind") or "").strip().lower()
    day = None
    if raw_day:
        try:
            day = date.fromisoformat(raw_day) if len(raw_day) == 10 else None
        except ValueError:
            day = None
        if day is None:
            days = meeting_days(meeting)
            first, last = format_date(days[0]), format_date(days[-1])
            raise BadFilter("day", f"“{raw_day[:40]}” is not a date: choose a day of this meeting, from {first} to "
                                   f"{last} (written like {days[0].isoformat()}).")
    if raw_kind and raw_kind not in vocab.SESSION_KINDS:
        raise BadFilter("kind", f"“{raw_kind[:40]}” is not a kind of session. Choose one of: "
                                + ", ".join(vocab.SESSION_KINDS.values()) + ".")
    if len(raw_track) > MAX_TRACK_LENGTH:
        raise BadFilter("track", "That track name is too long to be one of this agenda's tracks.")
    return AgendaFilters(day=day, track=raw_track, kind=raw_kind)


def outside_meeting(filters: AgendaFilters, meeting: Meeting) -> bool:
    """Whether the filters ask for a day the meeting does not have (an empty list, never cached)."""
    return filters.day is not None and filters.day not in meeting_days(meeting)


# ------------------------------------------------------------------------------------ plain rows
#
# The public pages and feeds of a large agenda read its sessions as plain rows (two queries, no
# model loaded): a row answers the same attribute names as an AgendaItem for what they show
# (`room.name`, `speaker_links[n].speaker.display_name`, `is_cancelled`...), and its `version`
# changes whenever anything a session's page, row or VEVENT shows does.

class RoomRef(NamedTuple):
    id: int
    name: str
    position: int


class SpeakerRef(NamedTuple):
    id: int
    honorific: str
    name: str
    position: str
    organization: str

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class LinkRef(NamedTuple):
    speaker_id: int
    role: str
    speaker: SpeakerRef


class SessionRow(NamedTuple):
    """Named tuples, not dataclasses: built, compared and hashed in C, which a large agenda's
    render does a few thousand times."""
    id: int
    meeting_id: int
    title: str
    kind: str
    track: str
    status: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime | None
    sequence: int
    created_at: datetime | None
    press_status: str
    description: str
    location_name: str
    location_address: str
    latitude: float | None
    longitude: float | None
    room: RoomRef | None
    speaker_links: tuple[LinkRef, ...] = ()

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_offsite(self) -> bool:
        return bool(self.location_name or self.location_address)

    @property
    def place(self) -> str:
        return place_in_words(self.location_name, self.location_address, self.room.name if self.room else "")

    @property
    def version(self) -> tuple:
        """The session's own edit, room and speakers: every value its row or VEVENT shows depends on
        these (its description, press status... raise `updated_at`)."""
        return (self.id, self.updated_at, self.sequence, self.status, self.room, self.speaker_links)


_ITEM, _ROOM = AgendaItem.__table__, Room.__table__
# A row's columns, on the tables' own columns: plain rows, without the ORM's result processing.
ROW_COLUMNS = (*(_ITEM.c[name] for name in ("id", "meeting_id", "title", "kind", "track", "status", "starts_at", "ends_at",
                                            "updated_at", "sequence", "created_at", "press_status", "description",
                                            "location_name", "location_address", "latitude", "longitude")),
               _ROOM.c.id, _ROOM.c.name, _ROOM.c.position)
ROW_SOURCE = _ITEM.outerjoin(_ROOM, _ROOM.c.id == _ITEM.c.room_id)
ROW_ORDER = (_ITEM.c.starts_at, _ITEM.c.room_id, _ITEM.c.id)


def _rows_statements():
    link, speaker = SessionSpeaker.__table__, Speaker.__table__
    i, ln, s = _ITEM.c, link.c, speaker.c
    public = (i.meeting_id == bindparam("meeting_id"), i.status.in_(PUBLIC_STATUSES))
    links = (select(ln.item_id, ln.role, s.id, s.honorific, s.name, s.position, s.organization)
             .select_from(link).join(_ITEM, i.id == ln.item_id).join(speaker, s.id == ln.speaker_id)
             .where(*public).order_by(ln.item_id, ln.position))
    items = select(*ROW_COLUMNS).select_from(ROW_SOURCE).where(*public).order_by(*ROW_ORDER)
    return links, items


_LINKS, _ROWS = _rows_statements()   # built once: the agenda page and feed run them on every render


def rows_from(results, links: dict[int, list]) -> list[SessionRow]:
    """SessionRows from results of ROW_COLUMNS, with their speakers' links from `links` (by session id)."""
    rooms: dict[int, RoomRef] = {}
    rows = []
    for *values, room_id, room_name, room_position in results:
        room = None
        if room_id is not None:
            room = rooms.get(room_id) or rooms.setdefault(room_id, RoomRef(room_id, room_name, room_position))
        rows.append(SessionRow(*values, room, tuple(links.get(values[0], ()))))
    return rows


def public_rows(meeting_id: int) -> list[SessionRow]:
    """The published and cancelled sessions of a meeting as plain rows in start order (two queries)."""
    links: dict[int, list[LinkRef]] = {}
    speakers: dict[tuple, SpeakerRef] = {}
    connection, params = db.session.connection(), {"meeting_id": meeting_id}
    for item_id, role, *speaker in connection.execute(_LINKS, params):
        ref = speakers.get(tuple(speaker)) or speakers.setdefault(tuple(speaker), SpeakerRef(*speaker))
        links.setdefault(item_id, []).append(LinkRef(speaker[0], role, ref))
    return rows_from(connection.execute(_ROWS, params), links)


def tracks(items: list[AgendaItem]) -> list[str]:
    return sorted({i.track for i in items if i.track}, key=str.casefold)


def check_track(filters: AgendaFilters, known: list[str]) -> AgendaFilters:
    """The filters with the track spelled as the agenda spells it; NoMatch if there is no such track."""
    if not filters.track:
        return filters
    for name in known:
        if name.casefold() == filters.track.casefold():
            return AgendaFilters(day=filters.day, track=name, kind=filters.kind)
    choices = ", ".join(known) if known else "this agenda has no tracks"
    raise NoMatch("track", f"There is no track “{filters.track}” on this agenda. Tracks: {choices}.")


def apply_filters(items: list[AgendaItem], filters: AgendaFilters, zone: str) -> list[AgendaItem]:
    return [i for i in items
            if (filters.day is None or to_local(i.starts_at, zone).date() == filters.day)
            and (not filters.track or i.track == filters.track)
            and (not filters.kind or i.kind == filters.kind)]


@dataclass
class TimeBlock:
    """Sessions that start at the same instant (parallel sessions), shown together."""
    starts_at: datetime
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def ends_at(self) -> datetime:
        return max(i.ends_at for i in self.items)

    @property
    def is_parallel(self) -> bool:
        return len(self.items) > 1


@dataclass
class AgendaDay:
    day: date
    blocks: list[TimeBlock] = field(default_factory=list)


def by_day_and_block(items: list[AgendaItem], zone: str) -> list[AgendaDay]:
    """Items (in start order) grouped by local day, then by start time; rooms in their order."""
    days: list[AgendaDay] = []
    for item in sorted(items, key=lambda i: (i.starts_at, i.room.position if i.room else 10_000, i.id)):
        local_day = to_local(item.starts_at, zone).date()
        if not days or days[-1].day != local_day:
            days.append(AgendaDay(local_day))
        blocks = days[-1].blocks
        if not blocks or blocks[-1].starts_at != item.starts_at:
            blocks.append(TimeBlock(item.starts_at))
        blocks[-1].items.append(item)
    return days


def public_item_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    """One published or cancelled session of this meeting, with room and speakers loaded."""
    item = db.session.execute(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)
        .options(joinedload(AgendaItem.room),
                 selectinload(AgendaItem.speaker_links).joinedload(SessionSpeaker.speaker))
    ).scalar_one_or_none()
    if item is None or item.status not in PUBLIC_STATUSES:
        abort(404)
    return item


def releases(meeting: Meeting) -> list[AgendaRelease]:
    """The numbered releases of the agenda, newest first (snapshots are not loaded)."""
    return list(db.session.execute(
        select(AgendaRelease).where(AgendaRelease.meeting_id == meeting.id)
        .options(defer(AgendaRelease.snapshot), defer(AgendaRelease.conflicts_accepted))
        .order_by(AgendaRelease.number.desc())
    ).scalars())


def public_item_ids(meeting: Meeting) -> set[int]:
    return set(db.session.execute(
        select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(PUBLIC_STATUSES))
    ).scalars())


# ---------------------------------------------------------------------------------------------- speakers' sessions

def meetings_showing_speaker(speaker_id: int) -> list[Meeting]:
    """Meetings whose public pages show this speaker (a session they are on is public)."""
    return list(db.session.execute(
        select(Meeting).where(Meeting.id.in_(
            select(AgendaItem.meeting_id).join(SessionSpeaker, SessionSpeaker.item_id == AgendaItem.id)
            .where(SessionSpeaker.speaker_id == speaker_id, AgendaItem.status.in_(("published", "cancelled")))))
    ).scalars())


def sessions_per_speaker(speaker_ids: list[int]) -> dict[int, int]:
    """{speaker id: sessions they are on} in one query."""
    if not speaker_ids:
        return {}
    return dict(db.session.execute(select(SessionSpeaker.speaker_id, func.count())
                                   .where(SessionSpeaker.speaker_id.in_(speaker_ids))
                                   .group_by(SessionSpeaker.speaker_id)).all())


def speaker_links(speaker_id: int) -> list[SessionSpeaker]:
    """The speaker's roles on sessions (any status), for their staff page."""
    return list(db.session.execute(select(SessionSpeaker).where(SessionSpeaker.speaker_id == speaker_id)).scalars())
