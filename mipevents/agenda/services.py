"""Staff changes to sessions: add, edit, cancel, restore, delete drafts, and their speakers.

An edit to a session that is already public shows at once: it raises that session's iCalendar
SEQUENCE once per saved change to time, place, title or status, moves the meeting's
agenda_version on (touch), and is audited with the values before and after."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from mipevents.accounts import audit
from mipevents.agenda.changes import record_session_change
from mipevents.agenda.conflicts import Conflict, conflicts_of, find_conflicts
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.agenda.publishing import meeting_conflicts, meeting_items, placed
from mipevents.core.timeutil import isoformat_z, to_local, wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.meetings.services import touch
from mipevents.speakers.models import Speaker

# The changes subscribed calendars must pick up (DESIGN "Publishing").
SEQUENCED = ("starts_at", "ends_at", "room_id", "location_name", "location_address", "latitude", "longitude",
             "title", "status")
AUDITED = SEQUENCED + ("kind", "description", "track", "capacity", "press_status")


class SessionProblem(ValueError):
    """Impossible or inconsistent data; `field` names the form field to show it next to."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _plain(value):
    return isoformat_z(value) if isinstance(value, datetime) else value


def item_state(item: AgendaItem) -> dict:
    state = {f: _plain(getattr(item, f)) for f in AUDITED}
    state["room"] = item.place   # an off-site session's own place, else its room
    return state


def instants(meeting: Meeting, day: date, starts: time, ends: time, ends_next_day: bool = False) -> tuple[datetime, datetime]:
    """A local day and wall-clock times in the meeting's zone -> UTC instants (the end on the next
    day for a session that runs past midnight). Refuses an end at or before the start (impossible
    data), whatever the zone does that night."""
    starts_at = wall_clock_to_utc(day, starts, meeting.timezone)
    ends_at = wall_clock_to_utc(day + timedelta(days=1) if ends_next_day else day, ends, meeting.timezone)
    if ends_at <= starts_at:
        raise SessionProblem("The session must end after it starts.", "ends")
    return starts_at, ends_at


def _room(meeting: Meeting, room_id: int | None) -> int | None:
    if room_id is None:
        return None
    room = db.session.get(Room, room_id)
    if room is None or room.meeting_id != meeting.id:
        raise SessionProblem("Choose one of this meeting's rooms.", "room_id")
    return room.id


def offsite_values(values: dict) -> dict:
    """An off-site session's own place: name, address and coordinates (both or neither, in range)."""
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None) != (longitude is None):
        raise SessionProblem("Give both the latitude and the longitude, or neither.",
                             "longitude" if longitude is None else "latitude")
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise SessionProblem("The latitude is between -90 and 90, the longitude between -180 and 180.", "latitude")
    return {"location_name": values.get("location_name", ""), "location_address": values.get("location_address", ""),
            "latitude": latitude, "longitude": longitude}


def _model_values(meeting: Meeting, values: dict) -> dict:
    starts_at, ends_at = instants(meeting, values["day"], values["starts"], values["ends"], values.get("ends_next_day", False))
    return {**offsite_values(values), "kind": values["kind"], "title": values["title"], "description": values.get("description", ""),
            "starts_at": starts_at, "ends_at": ends_at, "room_id": _room(meeting, values.get("room_id")),
            "track": values.get("track", ""), "capacity": values.get("capacity"),
            "press_status": values.get("press_status", "open")}


def add_item(meeting: Meeting, values: dict, *, actor) -> AgendaItem:
    """A new session: a draft until the meeting's agenda is next published (flushed)."""
    item = AgendaItem(meeting_id=meeting.id, status="draft", **_model_values(meeting, values))
    db.session.add(item)
    db.session.flush()
    audit.record("add_session", item, actor=actor, meeting_id=meeting.id, summary=f"Added the session “{item.title}”",
                 after=item_state(item))
    return item


def _apply(item: AgendaItem, new: dict, *, actor, action: str, summary: str) -> set[str]:
    """Set `new` on the item; SEQUENCE +1 once if it is public and a calendar-visible field changed."""
    before = item_state(item)
    for key, value in new.items():
        setattr(item, key, value)
    if "room_id" in new:
        item.room = db.session.get(Room, item.room_id) if item.room_id else None
    after = item_state(item)
    changed = {k for k in after if after[k] != before[k]}
    if not changed:
        return changed
    was_public = before["status"] in ("published", "cancelled")
    if was_public:
        if changed & set(SEQUENCED):
            item.sequence += 1
        touch(item.meeting)
        if changed & {"starts_at", "ends_at", "room_id", "location_name", "location_address", "status"}:
            # Calendars are not enough on the day: speakers and those who chose it get an email.
            record_session_change(item, before, actor=actor)
    audit.record(action, item, actor=actor, meeting_id=item.meeting_id, summary=summary,
                 before={k: before[k] for k in sorted(changed)}, after={k: after[k] for k in sorted(changed)})
    return changed


def update_item(item: AgendaItem, values: dict, *, actor, new: dict | None = None) -> set[str]:
    """Save an edit; returns the names of what changed (empty when nothing did). `new`: the model
    values when edit_values already made them."""
    new = _model_values(item.meeting, values) if new is None else new
    return _apply(item, new, actor=actor, action="edit_session", summary=f"Edited the session “{new['title']}”")


def cancel_item(item: AgendaItem, *, actor) -> None:
    """A published session stays visible, marked cancelled (calendars get STATUS:CANCELLED)."""
    if item.status != "published":
        raise SessionProblem("Only a published session can be cancelled; delete a draft instead.")
    _apply(item, {"status": "cancelled"}, actor=actor, action="cancel_session", summary=f"Cancelled “{item.title}”")


def restore_item(item: AgendaItem, *, actor) -> None:
    if item.status != "cancelled":
        raise SessionProblem("Only a cancelled session can be reinstated.")
    _apply(item, {"status": "published"}, actor=actor, action="restore_session", summary=f"Reinstated “{item.title}”")


def delete_item(item: AgendaItem, *, actor) -> None:
    """Only drafts (never seen publicly) can be deleted; public sessions are cancelled instead."""
    if item.status != "draft":
        raise SessionProblem("A published session cannot be deleted (calendars have it); cancel it instead.")
    audit.record("delete_session", item, actor=actor, meeting_id=item.meeting_id, summary=f"Deleted the draft “{item.title}”",
                 before=item_state(item))
    db.session.delete(item)
    db.session.flush()


# ---------------------------------------------------------------------------------------------- speakers

def _speaker_list(item: AgendaItem) -> list[str]:
    return [f"{link.speaker.display_name} ({link.role})" for link in item.speaker_links]


def _after_speakers_change(item: AgendaItem, before: list[str], *, actor, summary: str) -> None:
    db.session.flush()
    db.session.refresh(item, ["speaker_links"])
    if item.is_public:
        touch(item.meeting)
    audit.record("session_speakers", item, actor=actor, meeting_id=item.meeting_id, summary=summary,
                 before={"speakers": before}, after={"speakers": _speaker_list(item)})


def add_speaker(item: AgendaItem, speaker: Speaker, *, role: str = "speaker", position: int | None = None,
                actor) -> SessionSpeaker:
    """Attach a speaker with a role; `position` 1 lists them first (None: last). Re-adding changes the role."""
    before = _speaker_list(item)
    links = sorted(item.speaker_links, key=lambda link: link.position)
    link = next((existing for existing in links if existing.speaker_id == speaker.id), None)
    if link is None:
        link = SessionSpeaker(item_id=item.id, speaker_id=speaker.id, speaker=speaker, role=role)
        db.session.add(link)
    else:
        links.remove(link)
        link.role = role
    index = len(links) if position is None else max(min(position - 1, len(links)), 0)
    links.insert(index, link)
    for n, each in enumerate(links):
        each.position = n
    _after_speakers_change(item, before, actor=actor, summary=f"{speaker.display_name} ({role}) on “{item.title}”")
    return link


def remove_speaker(item: AgendaItem, link: SessionSpeaker, *, actor) -> None:
    if link.item_id != item.id:
        raise SessionProblem("That speaker is not on this session.")
    before = _speaker_list(item)
    name = link.speaker.display_name
    db.session.delete(link)
    db.session.flush()
    remaining = db.session.execute(select(SessionSpeaker).where(SessionSpeaker.item_id == item.id)
                                   .order_by(SessionSpeaker.position)).scalars().all()
    for n, each in enumerate(remaining):
        each.position = n
    _after_speakers_change(item, before, actor=actor, summary=f"Removed {name} from “{item.title}”")


def conflicts_for(item: AgendaItem) -> list[Conflict]:
    """The conflicts this session is part of now (drafts included)."""
    return conflicts_of(meeting_conflicts(item.meeting), item.id)


# The double-bookings that must not reach the public unnoticed: a saved edit of a public session is
# public at once, so these are confirmed before the save, not only listed after it.
WARNED_BEFORE_SAVE = ("room", "speaker")


def conflicts_if_saved(item: AgendaItem, new: dict | None = None, *, speaker: Speaker | None = None,
                       reinstate: bool = False) -> list[Conflict]:
    """The room and speaker conflicts this session would gain from a change that is not saved yet:
    `new` model values (from edit_values or move_values), an added `speaker`, or reinstating it
    (a cancelled session conflicts with nothing). Conflicts it is already part of are not repeated.
    Reads only."""
    now = placed(meeting_items(item.meeting))
    changes = {"is_cancelled": False} if reinstate else {}
    if new is not None:
        changes = {key: new[key] for key in ("title", "starts_at", "ends_at", "room_id") if key in new}
        if "room_id" in new:
            room = db.session.get(Room, new["room_id"]) if new["room_id"] else None
            changes["room_name"] = room.name if room else ""
    after = []
    for p in now:
        if p.id == item.id:
            if speaker is not None and speaker.id not in dict(p.speakers):
                changes["speakers"] = p.speakers + ((speaker.id, speaker.display_name),)
            p = replace(p, **changes)
        after.append(p)
    known = {c.key for c in find_conflicts(now)}
    return [c for c in find_conflicts(after) if c.kind in WARNED_BEFORE_SAVE and c.involves(item.id)
            and c.key not in known]


def edit_values(meeting: Meeting, values: dict) -> dict:
    """The form's values (local day and times) as model values; SessionProblem for impossible ones."""
    return _model_values(meeting, values)


def move_values(item: AgendaItem, *, day: date, starts: time, room_id: int | None) -> dict:
    """Where a move puts the session: a new local day, start and room; it keeps its length."""
    starts_at = wall_clock_to_utc(day, starts, item.meeting.timezone)
    return {"starts_at": starts_at, "ends_at": starts_at + (item.ends_at - item.starts_at),
            "room_id": _room(item.meeting, room_id)}


def move_item(item: AgendaItem, new: dict, *, actor) -> set[str]:
    """Move a session (values from move_values); public at once when it is published, like any edit."""
    return _apply(item, new, actor=actor, action="move_session", summary=f"Moved the session “{item.title}”")


SPEAKER_MATCHES = 25      # a search answers at most this many speakers
SHOW_ALL_UP_TO = 30       # a short list of speakers is shown whole, without a search


def search_speakers(query: str, limit: int = SPEAKER_MATCHES) -> tuple[list[Speaker], int]:
    """Speakers whose name, honorific, position, organisation or city contains every word of `query`
    (case-insensitive), by name; with the number that match (more than `limit` says "narrow it").
    An empty query matches everyone. Two queries, whatever the number of speakers."""
    stmt = select(Speaker)
    for word in query.split()[:6]:
        like = "%" + word.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(func.lower(Speaker.name).like(like, escape="\\")
                          | func.lower(Speaker.honorific).like(like, escape="\\")
                          | func.lower(Speaker.position).like(like, escape="\\")
                          | func.lower(Speaker.organization).like(like, escape="\\")
                          | func.lower(Speaker.city).like(like, escape="\\"))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    found = db.session.execute(stmt.order_by(func.lower(Speaker.name), Speaker.id).limit(limit)).scalars().all()
    return list(found), total


# ------------------------------------------------------------------------- following the meeting's edits

def keep_wall_clock(meeting: Meeting, old_zone: str, day_shift: int = 0) -> int:
    """New dates or a new zone move the sessions with the meeting: each keeps its day of the meeting
    and its wall-clock times (9:00 AM on the second day stays 9:00 AM on the second day, across a
    daylight-saving change too), so its instants move; public ones get a new SEQUENCE."""
    items = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).scalars().all()
    for item in items:
        for name in ("starts_at", "ends_at"):
            local = to_local(getattr(item, name), old_zone)
            day = local.date() + timedelta(days=day_shift)
            setattr(item, name, wall_clock_to_utc(day, local.time().replace(tzinfo=None), meeting.timezone))
        if item.is_public:
            item.sequence += 1
    return len(items)


def cancel_published_items(meeting: Meeting) -> int:
    """The meeting is cancelled: each published session becomes cancelled with a higher SEQUENCE, so
    subscribed calendars show it cancelled. Returns how many."""
    items = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                        AgendaItem.status == "published")).scalars().all()
    for item in items:
        item.status = "cancelled"
        item.sequence += 1
    return len(items)


def room_renamed(room: Room) -> None:
    """A room's new name shows on every public session in it: their SEQUENCE rises."""
    items = db.session.execute(select(AgendaItem).where(AgendaItem.room_id == room.id,
                                                        AgendaItem.status.in_(("published", "cancelled")))).scalars().all()
    for item in items:
        item.sequence += 1


def take_out_of_room(room: Room) -> list[int]:
    """The room goes: its sessions stay, without a room (public ones' SEQUENCE rises). Returns their ids."""
    items = db.session.execute(select(AgendaItem).where(AgendaItem.room_id == room.id)).scalars().all()
    for item in items:
        item.room_id = None
        if item.is_public:
            item.sequence += 1
    return [item.id for item in items]
