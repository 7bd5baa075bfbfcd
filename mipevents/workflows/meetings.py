"""A meeting's staff work that carries its sessions along: new dates or zone (each session keeps its
day and local time), cancelling, renaming or removing a room; and the counts and checks of the
meeting's agenda that the staff dashboard and meeting page show."""
from sqlalchemy import func, select

from mipevents.agenda import services as agenda
from mipevents.agenda.models import AgendaItem
from mipevents.agenda.publishing import latest_release, meeting_conflicts, meeting_items
from mipevents.extensions import db
from mipevents.meetings import services as meetings
from mipevents.meetings.models import Meeting, Room


def sessions_per_meeting() -> tuple[dict[int, int], dict[int, int]]:
    """For the dashboard: ({meeting id: sessions}, {meeting id: draft sessions})."""
    counts = dict(db.session.execute(select(AgendaItem.meeting_id, func.count()).group_by(AgendaItem.meeting_id)).all())
    drafts = dict(db.session.execute(select(AgendaItem.meeting_id, func.count()).where(AgendaItem.status == "draft")
                                     .group_by(AgendaItem.meeting_id)).all())
    return counts, drafts


def agenda_overview(meeting: Meeting) -> dict:
    """What the staff meeting page shows of its agenda: the sessions, their conflicts, the last release."""
    items = meeting_items(meeting)
    return {"items": items, "conflicts": meeting_conflicts(meeting, items), "release": latest_release(meeting),
            "drafts": sum(1 for i in items if i.status == "draft")}


def update_meeting(meeting: Meeting, values: dict, *, actor) -> bool:
    """meetings.services.update_meeting, and new dates or a new zone move the sessions with it."""
    old_zone, old_start = meeting.timezone, meeting.starts_on
    if not meetings.update_meeting(meeting, values, actor=actor):
        return False
    day_shift = (meeting.starts_on - old_start).days
    if meeting.timezone != old_zone or day_shift:
        agenda.keep_wall_clock(meeting, old_zone, day_shift)
    return True


def cancel_meeting(meeting: Meeting, *, actor) -> int:
    """The meeting and its published sessions are cancelled; returns how many sessions."""
    meetings.check_cancellable(meeting)
    cancelled = agenda.cancel_published_items(meeting)
    meetings.cancel_meeting(meeting, actor=actor, sessions_cancelled=cancelled)
    return cancelled


def update_room(room: Room, *, name: str, capacity: int | None, position: int | None, actor) -> bool:
    old_name = room.name
    changed = meetings.update_room(room, name=name, capacity=capacity, position=position, actor=actor)
    if changed and room.name != old_name:
        agenda.room_renamed(room)
    return changed


def delete_room(room: Room, *, actor) -> int:
    """Remove a room; its sessions stay, without a room. Returns how many."""
    session_ids = agenda.take_out_of_room(room)
    meetings.delete_room(room, actor=actor, session_ids=session_ids)
    return len(session_ids)
