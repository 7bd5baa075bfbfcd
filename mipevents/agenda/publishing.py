"""Publishing an agenda: drafts become public, a numbered release records what changed, and every
cache keyed by the meeting's agenda_version moves on."""
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mipevents.accounts import audit
from mipevents.agenda.conflicts import Conflict, Placed, find_conflicts
from mipevents.agenda.models import AgendaItem, AgendaRelease, Invitation, SessionSpeaker
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_day, format_time, isoformat_z, to_local, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.meetings.services import touch

# The one upward import of the areas (pyproject.toml says so): a showcase session's length, for its
# conflicts, is its line-up's, and the line-up's slots hang off the session.
from mipevents.showcase.models import ShowcaseSlot


class OpenConflicts(Exception):
    """Publishing was asked without acknowledging the conflicts it would publish."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} open conflicts")
        self.conflicts = conflicts


def meeting_items(meeting: Meeting, *, public_only: bool = False) -> list[AgendaItem]:
    """A meeting's sessions with room and speakers loaded (a fixed number of queries)."""
    # Staff's reads also load the speakers' invitations (a declined one is a conflict); public reads never show them.
    links = selectinload(AgendaItem.speaker_links)
    links = links.selectinload(SessionSpeaker.speaker) if public_only else \
        links.options(selectinload(SessionSpeaker.speaker), selectinload(SessionSpeaker.invitation))
    stmt = (select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
            .options(selectinload(AgendaItem.room), links)
            .order_by(AgendaItem.starts_at, AgendaItem.room_id, AgendaItem.id))
    if public_only:
        stmt = stmt.where(AgendaItem.status.in_(("published", "cancelled")))
    return list(db.session.execute(stmt).scalars())


def showcase_seconds(item_ids: list[int]) -> dict[int, int]:
    """Per showcase session: the seconds its slots and changeovers take."""
    if not item_ids:
        return {}
    rows = db.session.execute(
        select(ShowcaseSlot.item_id, func.count(), func.sum(func.coalesce(ShowcaseSlot.duration_seconds, AgendaItem.slot_seconds)),
               AgendaItem.changeover_seconds)
        .join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
        .where(ShowcaseSlot.item_id.in_(item_ids))
        .group_by(ShowcaseSlot.item_id, AgendaItem.changeover_seconds)
    ).all()
    return {item_id: int(total) + max(count - 1, 0) * changeover for item_id, count, total, changeover in rows}


def declined_slots(item_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """Per showcase session: its slot presenters who declined their invitation, as (speaker id,
    "name (slot “title”)", reason), in line-up order (one query)."""
    found: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    if item_ids:
        rows = db.session.execute(
            select(ShowcaseSlot, Invitation).join(Invitation, Invitation.id == ShowcaseSlot.invitation_id)
            .where(ShowcaseSlot.item_id.in_(item_ids), Invitation.status == "declined")
            .options(selectinload(Invitation.speaker))
            .order_by(ShowcaseSlot.item_id, ShowcaseSlot.position, ShowcaseSlot.id)).all()
        for slot, invitation in rows:
            found[slot.item_id].append((invitation.speaker_id,
                                        f"{invitation.speaker.display_name} (showcase slot “{slot.title}”)",
                                        invitation.reason))
    return found


def placed(items: list[AgendaItem]) -> list[Placed]:
    showcases = [i.id for i in items if i.kind == "showcase"]
    seconds = showcase_seconds(showcases)
    slots_declined = declined_slots(showcases)
    return [Placed(id=i.id, title=i.title, starts_at=i.starts_at, ends_at=i.ends_at, room_id=i.room_id,
                   room_name=i.room.name if i.room else "",
                   speakers=tuple((link.speaker_id, link.speaker.display_name) for link in i.speaker_links),
                   is_cancelled=i.status == "cancelled", kind=i.kind, showcase_seconds=seconds.get(i.id, 0),
                   declined=tuple((link.speaker_id, link.speaker.display_name, link.invitation.reason)
                                  for link in i.speaker_links
                                  if link.invitation is not None and link.invitation.status == "declined")
                   + tuple(slots_declined.get(i.id, ())))
            for i in items]


def meeting_conflicts(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[Conflict]:
    """Every conflict of the meeting's agenda, drafts included (staff see them before publishing)."""
    items = meeting_items(meeting) if items is None else items
    return find_conflicts(placed(items), meeting.starts_on, meeting.ends_on, meeting.timezone)


def snapshot(meeting: Meeting, items: list[AgendaItem], *, as_if_published: bool = False) -> dict:
    """The public agenda as plain values, to diff the next release against (`as_if_published`: with
    the drafts, as publishing now would make it)."""
    shown = ("published", "cancelled", "draft") if as_if_published else ("published", "cancelled")
    return {str(i.id): {
        "title": i.title, "starts_at": isoformat_z(i.starts_at), "ends_at": isoformat_z(i.ends_at),
        "room": i.place, "status": "published" if i.status == "draft" else i.status,
        "speakers": [f"{link.speaker.display_name} ({vocab.label(vocab.SPEAKER_ROLES, link.role)})"
                     for link in i.speaker_links],
    } for i in items if i.status in shown}


def _when(values: dict, zone: str) -> str:
    from datetime import datetime

    start = datetime.fromisoformat(values["starts_at"].replace("Z", "+00:00"))
    where = f", {values['room']}" if values["room"] else ""
    return f"{format_day(to_local(start, zone).date())}, {format_time(start, zone)}{where}"


def diff_snapshots(before: dict, after: dict, zone: str) -> list[dict]:
    """What changed between two snapshots, as entries a person can read."""
    changes = []
    for key, now in after.items():
        was = before.get(key)
        title = now["title"]
        if was is None:
            changes.append({"type": "added", "item_id": int(key), "text": f"Added “{title}” ({_when(now, zone)})."})
            continue
        if was["status"] != now["status"] and now["status"] == "cancelled":
            changes.append({"type": "cancelled", "item_id": int(key), "text": f"Cancelled “{title}”."})
        elif was["status"] == "cancelled" and now["status"] == "published":
            changes.append({"type": "restored", "item_id": int(key), "text": f"Reinstated “{title}”."})
        if was["title"] != title:
            changes.append({"type": "renamed", "item_id": int(key),
                            "text": f"Renamed “{was['title']}” to “{title}”."})
        if (was["starts_at"], was["ends_at"], was["room"]) != (now["starts_at"], now["ends_at"], now["room"]):
            changes.append({"type": "moved", "item_id": int(key),
                            "text": f"Moved “{title}” from {_when(was, zone)} to {_when(now, zone)}."})
        if was["speakers"] != now["speakers"]:
            added = [s for s in now["speakers"] if s not in was["speakers"]]
            removed = [s for s in was["speakers"] if s not in now["speakers"]]
            parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(removed)}"] if removed else [])
            changes.append({"type": "speakers", "item_id": int(key),
                            "text": f"Speakers of “{title}”: {'; '.join(parts) or 'new order'}."})
    for key, was in before.items():
        if key not in after:
            changes.append({"type": "removed", "item_id": int(key), "text": f"Removed “{was['title']}”."})
    return changes


def latest_release(meeting: Meeting) -> AgendaRelease | None:
    return db.session.execute(
        select(AgendaRelease).where(AgendaRelease.meeting_id == meeting.id)
        .order_by(AgendaRelease.number.desc()).limit(1)
    ).scalar_one_or_none()


def live_changes(meeting: Meeting, public_items: list[AgendaItem], previous: AgendaRelease | None = None) -> list[dict]:
    """What is public now that the last release does not list: edits of published sessions, which
    are public as soon as they are saved. The public changelog shows them until the next release
    records them. `public_items`: the published and cancelled sessions, with rooms and speakers
    (models, or the public page's plain rows); `previous`: the latest release when the caller has it."""
    previous = previous or latest_release(meeting)
    if previous is None:
        return []
    return diff_snapshots(previous.snapshot, snapshot(meeting, public_items), meeting.timezone)


def changes_since_release(meeting: Meeting, items: list[AgendaItem]) -> dict:
    """For the builder: the last release, and what changed since it, split into what is already
    public (edits of published sessions) and what waits for the next publish (drafts and the rest).
    `items`: every session of the meeting (meeting_items)."""
    previous = latest_release(meeting)
    before = previous.snapshot if previous else {}
    pending = diff_snapshots(before, snapshot(meeting, items, as_if_published=True), meeting.timezone)
    live = diff_snapshots(before, snapshot(meeting, items), meeting.timezone) if previous else []
    live_keys = {(c["type"], c["item_id"], c["text"]) for c in live}
    return {"release": previous, "total": len(pending), "live": live,
            "waiting": [c for c in pending if (c["type"], c["item_id"], c["text"]) not in live_keys]}


def count_words(n: int, one: str, many: str | None = None) -> str:
    """"1 change", "3 changes": a count with its noun in the right number."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def unacknowledged(conflicts: list[Conflict], accept_conflicts) -> list[Conflict]:
    """The conflicts an acknowledgement does not cover: `True` covers all, `False` none, and a
    collection of Conflict.key values exactly those (so a conflict that appeared after staff read
    the list is not published by accident)."""
    if accept_conflicts is True:
        return []
    if not accept_conflicts:
        return list(conflicts)
    accepted = set(accept_conflicts)
    return [c for c in conflicts if c.key not in accepted]


def publish_agenda(meeting: Meeting, *, actor=None, accept_conflicts=False, note: str = "") -> AgendaRelease | None:
    """Publish the meeting (if a draft) and its draft sessions, and record a release of what changed.

    Raises OpenConflicts unless there are none or they are acknowledged: `accept_conflicts` is True
    (all), or the keys of the conflicts staff saw. Returns the new release, or None when nothing
    changed since the last one (an unchanged re-publish records nothing)."""
    items = meeting_items(meeting)
    conflicts = meeting_conflicts(meeting, items)
    open_ = unacknowledged(conflicts, accept_conflicts)
    if open_:
        raise OpenConflicts(open_)
    changed_meeting = meeting.status == "draft"
    if changed_meeting:
        meeting.status = "published"
    for item in items:
        if item.status == "draft":
            item.status = "published"
    previous = latest_release(meeting)
    after = snapshot(meeting, items)
    changes = diff_snapshots(previous.snapshot if previous else {}, after, meeting.timezone)
    if previous is not None and not changes:
        if changed_meeting:
            touch(meeting)
        return None
    release = AgendaRelease(meeting_id=meeting.id, number=(previous.number if previous else 0) + 1,
                            actor_id=getattr(actor, "id", None), note=note, changes=changes, snapshot=after,
                            conflicts_accepted=[c.message for c in conflicts])
    db.session.add(release)
    meeting.agenda_release = release.number
    meeting.agenda_published_at = utcnow()
    touch(meeting)
    audit.record("publish_agenda", meeting, actor=actor, meeting_id=meeting.id,
                 summary=f"Published release {release.number} of the agenda ({count_words(len(changes), 'change')})",
                 after={"release": release.number, "conflicts_accepted": len(conflicts)})
    db.session.flush()
    return release


def items_by_day(items: list[AgendaItem], zone: str) -> dict:
    """{local date: [items]} in start order."""
    days = defaultdict(list)
    for item in items:
        days[to_local(item.starts_at, zone).date()].append(item)
    return dict(sorted(days.items()))
