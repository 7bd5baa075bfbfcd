"""A saved edit of a public session's time, room or status, noted (a ChangeNotice row) for the
people it affects; the cross-area step that tells them is workflows.change_notices."""
from datetime import datetime

from mipevents.agenda.models import AgendaItem, ChangeNotice
from mipevents.core.timeutil import isoformat_z
from mipevents.extensions import db
from mipevents.meetings.models import Room

NOTIFIED = ("starts_at", "ends_at", "room", "status")


def session_state(item: AgendaItem) -> dict:
    """What a notice compares: plain values (UTC ISO instants, the room's name or an off-site
    session's own place, and which of the two it is)."""
    return {"title": item.title, "starts_at": isoformat_z(item.starts_at), "ends_at": isoformat_z(item.ends_at),
            "room": item.place, "offsite": item.is_offsite, "status": item.status,
            "sequence": item.sequence or 0}


def _plain_state(before: dict) -> dict:
    """A `before` dict in session_state's form. Accepts datetimes or ISO strings, and a room given
    by `room_id` (agenda.services.item_state's form works as it is)."""
    state = {}
    for key in ("title", "starts_at", "ends_at", "status", "sequence"):
        if key in before:
            value = before[key]
            state[key] = isoformat_z(value) if isinstance(value, datetime) else value
    if "offsite" in before:
        state["offsite"] = bool(before["offsite"])
    elif "location_name" in before or "location_address" in before:
        state["offsite"] = bool(before.get("location_name") or before.get("location_address"))
    if "room" in before:
        state["room"] = before["room"] or ""
    elif "room_id" in before:
        room = db.session.get(Room, before["room_id"]) if before["room_id"] else None
        state["room"] = room.name if room else ""
    return state


def changed_fields(before: dict, after: dict) -> list[str]:
    return [key for key in NOTIFIED if key in before and before[key] != after.get(key)]


def record_session_change(item: AgendaItem, before: dict, *, actor=None) -> ChangeNotice | None:
    """Note a saved edit of a session for the people it affects; call it after the change is
    applied (and flushed or not), with the session's state from before the edit.

    Only a session that was public before the edit is noticed (nobody was told about a draft), and
    only a change of time, room or status. When `before` carries the SEQUENCE and the edit did not
    raise it, it is raised here, so the .ics in the email replaces the old entry. Flushed."""
    before = _plain_state(before)
    if before.get("status") not in ("published", "cancelled"):
        return None
    after = session_state(item)
    if not changed_fields(before, after):
        return None
    if "sequence" in before and (item.sequence or 0) <= before["sequence"]:
        item.sequence = before["sequence"] + 1
        after["sequence"] = item.sequence
    notice = ChangeNotice(meeting_id=item.meeting_id, item_id=item.id, before=before, after=after,
                          actor_id=getattr(actor, "id", None))
    db.session.add(notice)
    db.session.flush()
    return notice
