"""Duplicating a past meeting as the start of the next one: its rooms and sessions move to the new
dates keeping each session's LOCAL wall-clock time and day offset in the new meeting's zone — never a
fixed UTC shift, which lands an hour off when one meeting is in daylight saving time and the other not."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mipevents.accounts import audit
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.agenda.publishing import meeting_items
from mipevents.core.timeutil import to_local, wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room

COPIED_FIELDS = ("kind", "city", "state", "venue", "address", "description", "panel_topics", "capacity",
                 "approval_roles", "cohort_id")
COPIED_ITEM_FIELDS = ("kind", "title", "description", "track", "capacity", "press_status", "slot_seconds",
                      "changeover_seconds")


@dataclass(frozen=True)
class WallClock:
    """A moment as staff think of it: the n-th day of the meeting (0 = first day) at a local time."""
    day_offset: int
    at: time


def wall_clock(instant: datetime, first_day: date, zone: str) -> WallClock:
    local = to_local(instant, zone)
    return WallClock((local.date() - first_day).days, local.time().replace(tzinfo=None))


def instant_of(moment: WallClock, first_day: date, zone: str) -> datetime:
    """The UTC instant of `moment` in a meeting starting on `first_day` in `zone`."""
    return wall_clock_to_utc(first_day + timedelta(days=moment.day_offset), moment.at, zone)


def shifted_times(item_start: datetime, item_end: datetime, source: Meeting, first_day: date, zone: str):
    """(starts_at, ends_at) of a session moved to a meeting starting on `first_day` in `zone`."""
    starts = instant_of(wall_clock(item_start, source.starts_on, source.timezone), first_day, zone)
    ends = instant_of(wall_clock(item_end, source.starts_on, source.timezone), first_day, zone)
    if ends <= starts:   # a wall-clock end that does not exist in the new zone's day (DST gap)
        ends = starts + (item_end - item_start)
    return starts, ends


def duplicate_meeting(source: Meeting, *, name: str, slug: str, starts_on: date, timezone: str | None = None,
                      kind: str | None = None, with_speakers: bool = False, actor=None) -> Meeting:
    """A new draft meeting with `source`'s details, rooms and sessions (all drafts, never published,
    no releases, SEQUENCE 0), shifted to start on `starts_on`. Registrations and showcase slots stay behind."""
    zone = timezone or source.timezone
    meeting = Meeting(name=name, slug=slug, status="draft", starts_on=starts_on,
                      ends_on=starts_on + (source.ends_on - source.starts_on), timezone=zone,
                      **{f: getattr(source, f) for f in COPIED_FIELDS})
    if kind:
        meeting.kind = kind
    meeting.panel_topics = list(source.panel_topics or [])
    meeting.approval_roles = list(source.approval_roles or [])
    db.session.add(meeting)
    db.session.flush()

    rooms: dict[int, Room] = {}
    for room in source.rooms:
        copy = Room(meeting_id=meeting.id, name=room.name, capacity=room.capacity, position=room.position)
        db.session.add(copy)
        rooms[room.id] = copy
    db.session.flush()

    items = meeting_items(source)
    for item in items:
        if item.status == "cancelled":
            continue
        starts, ends = shifted_times(item.starts_at, item.ends_at, source, starts_on, zone)
        copy = AgendaItem(meeting_id=meeting.id, status="draft", sequence=0, starts_at=starts, ends_at=ends,
                          room_id=rooms[item.room_id].id if item.room_id in rooms else None,
                          **{f: getattr(item, f) for f in COPIED_ITEM_FIELDS})
        db.session.add(copy)
        if with_speakers:
            db.session.flush()
            for link in item.speaker_links:
                db.session.add(SessionSpeaker(item_id=copy.id, speaker_id=link.speaker_id, role=link.role,
                                              position=link.position))
    db.session.flush()
    audit.record("duplicate_meeting", meeting, actor=actor, meeting_id=meeting.id,
                 summary=f"Started “{name}” as a copy of “{source.name}”",
                 after={"source_meeting_id": source.id, "starts_on": starts_on.isoformat(), "timezone": zone,
                        "sessions": sum(1 for i in items if i.status != "cancelled"), "with_speakers": with_speakers})
    return meeting
