"""Staff changes to meetings and rooms: create, edit, unpublish, cancel; each audited, and each
public change moves the meeting's agenda_version on (`touch`: caches) and, where calendars show it,
SEQUENCE. What the meeting's sessions do alongside is in workflows.meetings."""
from datetime import datetime

from sqlalchemy import func, select

from mipevents.accounts import audit
from mipevents.core.text import slugify
from mipevents.core.timeutil import isoformat_z, wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room


class MeetingProblem(ValueError):
    """A change refused because of other rows (e.g. a web address in use); `field` names the form field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


EDITABLE = ("name", "slug", "kind", "starts_on", "ends_on", "timezone", "city", "state", "venue", "address",
            "description", "panel_topics", "capacity", "registration_opens_at", "registration_closes_at")
# Changes that calendars show for the meeting itself (its all-day entry in the organisation feed).
CALENDAR_FIELDS = ("name", "starts_on", "ends_on", "city", "state", "venue", "address", "status")


def touch(meeting: Meeting) -> None:
    """Something public about this meeting changed: caches and ETags keyed by its version move on."""
    meeting.agenda_version = (meeting.agenda_version or 0) + 1


def _plain(value):
    if isinstance(value, datetime):
        return isoformat_z(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def meeting_state(meeting: Meeting, fields=EDITABLE + ("status",)) -> dict:
    return {f: _plain(getattr(meeting, f)) for f in fields}


def _local_to_utc(naive: datetime | None, zone: str) -> datetime | None:
    return None if naive is None else wall_clock_to_utc(naive.date(), naive.time(), zone)


def _resolve(values: dict) -> dict:
    """Form values -> model values: registration times typed in the meeting's zone become UTC."""
    out = {k: v for k, v in values.items() if not k.endswith("_local")}
    zone = values["timezone"]
    if "registration_opens_local" in values:
        out["registration_opens_at"] = _local_to_utc(values["registration_opens_local"], zone)
    if "registration_closes_local" in values:
        out["registration_closes_at"] = _local_to_utc(values["registration_closes_local"], zone)
    return out


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    stmt = select(func.count()).select_from(Meeting).where(Meeting.slug == slug)
    if exclude_id is not None:
        stmt = stmt.where(Meeting.id != exclude_id)
    return db.session.execute(stmt).scalar_one() > 0


SLUG_LENGTH = 60


def slug_from_name(name: str, exclude_id: int | None = None) -> str:
    """A web address made from a name, not used by another meeting: "Summer Meeting 2026 — Tacoma, WA"
    -> "summer-meeting-2026-tacoma-wa" (accents dropped, at most SLUG_LENGTH characters, cut at a
    word), then "-2", "-3"… when it is taken."""
    base = slugify(name, SLUG_LENGTH) or "meeting"
    candidate, n = base, 2
    while slug_taken(candidate, exclude_id):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def create_meeting(values: dict, *, actor) -> Meeting:
    """A new draft meeting (flushed); without a web address, one is made from its name."""
    values = _resolve(values)
    if not values.get("slug"):
        values["slug"] = slug_from_name(values["name"])
    if slug_taken(values["slug"]):
        raise MeetingProblem("Another meeting already uses this web address.", "slug")
    if values["ends_on"] < values["starts_on"]:
        raise MeetingProblem("The last day cannot be before the first day.", "ends_on")
    meeting = Meeting(status="draft", **values)
    db.session.add(meeting)
    db.session.flush()
    audit.record("create_meeting", meeting, actor=actor, meeting_id=meeting.id,
                 summary=f"Created the meeting “{meeting.name}”", after=meeting_state(meeting))
    return meeting


def update_meeting(meeting: Meeting, values: dict, *, actor) -> bool:
    """Apply the edit; returns whether anything changed. A public meeting's visible change is public at
    once (agenda_version), and a change its calendar entry shows raises its SEQUENCE. (Its sessions
    follow new dates in workflows.meetings.)"""
    values = _resolve(values)
    values["slug"] = values.get("slug") or meeting.slug     # emptied: the address stays (links point at it)
    if slug_taken(values["slug"], exclude_id=meeting.id):
        raise MeetingProblem("Another meeting already uses this web address.", "slug")
    if values["ends_on"] < values["starts_on"]:
        raise MeetingProblem("The last day cannot be before the first day.", "ends_on")
    before = meeting_state(meeting)
    for key, value in values.items():
        setattr(meeting, key, value)
    after = meeting_state(meeting)
    changed = {k for k in after if after[k] != before[k]}
    if not changed:
        return False
    if meeting.is_public:
        if changed & set(CALENDAR_FIELDS):
            meeting.sequence += 1
        touch(meeting)
    audit.record("update_meeting", meeting, actor=actor, meeting_id=meeting.id,
                 summary=f"Edited the meeting “{meeting.name}” ({', '.join(sorted(changed))})",
                 before={k: before[k] for k in sorted(changed)}, after={k: after[k] for k in sorted(changed)})
    return True


def unpublish_meeting(meeting: Meeting, *, actor) -> None:
    """Back to a draft: the meeting leaves public pages and feeds (its sessions keep their state)."""
    if meeting.status != "published":
        raise MeetingProblem("Only a published meeting can be unpublished.")
    meeting.status = "draft"
    meeting.sequence += 1
    touch(meeting)
    audit.record("unpublish_meeting", meeting, actor=actor, meeting_id=meeting.id,
                 summary=f"Unpublished “{meeting.name}”", before={"status": "published"}, after={"status": "draft"})


def check_cancellable(meeting: Meeting) -> None:
    if meeting.status == "cancelled":
        raise MeetingProblem("This meeting is already cancelled.")


def cancel_meeting(meeting: Meeting, *, actor, sessions_cancelled: int) -> None:
    """Cancel the meeting: it stays visible, marked cancelled, with a higher SEQUENCE (its sessions
    are cancelled beside it, in workflows.meetings)."""
    check_cancellable(meeting)
    before = meeting.status
    meeting.status = "cancelled"
    meeting.sequence += 1
    touch(meeting)
    audit.record("cancel_meeting", meeting, actor=actor, meeting_id=meeting.id,
                 summary=f"Cancelled “{meeting.name}” and its {sessions_cancelled} published sessions",
                 before={"status": before}, after={"status": "cancelled"})


# ---------------------------------------------------------------------------------------------- rooms

def _room_name_taken(meeting: Meeting, name: str, exclude_id: int | None = None) -> bool:
    stmt = select(func.count()).select_from(Room).where(Room.meeting_id == meeting.id,
                                                        func.lower(Room.name) == name.casefold())
    if exclude_id is not None:
        stmt = stmt.where(Room.id != exclude_id)
    return db.session.execute(stmt).scalar_one() > 0


def add_room(meeting: Meeting, *, name: str, capacity: int | None = None, position: int | None = None, actor) -> Room:
    name = name.strip()
    if _room_name_taken(meeting, name):
        raise MeetingProblem("This meeting already has a room with that name.", "name")
    if position is None:
        position = (db.session.execute(select(func.max(Room.position)).where(Room.meeting_id == meeting.id)).scalar() or 0) + 1
    room = Room(meeting_id=meeting.id, name=name, capacity=capacity, position=position)
    db.session.add(room)
    db.session.flush()
    audit.record("add_room", room, actor=actor, meeting_id=meeting.id, summary=f"Added the room “{name}”",
                 after={"name": name, "capacity": capacity})
    return room


def update_room(room: Room, *, name: str, capacity: int | None, position: int | None, actor) -> bool:
    """Rename or resize a room; returns whether anything changed."""
    name = name.strip()
    if _room_name_taken(room.meeting, name, exclude_id=room.id):
        raise MeetingProblem("This meeting already has a room with that name.", "name")
    before = {"name": room.name, "capacity": room.capacity, "position": room.position}
    room.name, room.capacity, room.position = name, capacity, position if position is not None else room.position
    after = {"name": room.name, "capacity": room.capacity, "position": room.position}
    if before == after:
        return False
    touch(room.meeting)
    audit.record("update_room", room, actor=actor, meeting_id=room.meeting_id, summary=f"Edited the room “{name}”",
                 before=before, after=after)
    return True


def delete_room(room: Room, *, actor, session_ids: list[int]) -> None:
    """Remove a room (its sessions, `session_ids`, were taken out of it first)."""
    meeting = room.meeting
    audit.record("delete_room", room, actor=actor, meeting_id=room.meeting_id, summary=f"Removed the room “{room.name}”",
                 before={"name": room.name, "sessions": session_ids})
    db.session.delete(room)
    touch(meeting)
    db.session.flush()


