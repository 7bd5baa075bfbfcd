"""Showcase services: the line-up (add, edit, reorder, remove, timing settings), the live run's
persistence around the pure state machine (live.py) and the displays' state. Plain functions
taking `actor=`; they add and flush, the view commits. (Reading line-ups, the overtime report and
the ideas across meetings: queries.py.)"""
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, select

from mipevents.accounts import audit
from mipevents.agenda import invitations
from mipevents.agenda.models import AgendaItem
from mipevents.core import visibility
from mipevents.core.database import lock_row
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.meetings.services import touch
from mipevents.showcase.live import InvalidAction, LiveRun, Mark, RunState, stored_state
from mipevents.showcase.models import ShowcaseRun, ShowcaseSlot, StageRun
from mipevents.showcase.queries import lineup, plan
from mipevents.speakers.models import Speaker

AMBER_MS = 60_000
RED_MS = 30_000
SLOT_FIELDS = ("speaker_id", "presenter_name", "city", "state", "title", "summary", "topic", "link_url",
               "duration_seconds", "status")


def _touch_if_public(slot_or_item, *statuses: str) -> None:
    item = slot_or_item if isinstance(slot_or_item, AgendaItem) else slot_or_item.item
    if not statuses or "published" in statuses:
        touch(item.meeting)


def _renumber(slots: list[ShowcaseSlot]) -> None:
    for position, slot in enumerate(slots):
        if slot.position != position:
            slot.position = position


def _presenter_values(values: dict) -> dict:
    """Fill name, city and state from the chosen speaker where staff left them blank."""
    values = dict(values)
    speaker = db.session.get(Speaker, values["speaker_id"]) if values.get("speaker_id") else None
    if values.get("speaker_id") and speaker is None:
        raise ValueError("unknown speaker")
    if speaker is not None:
        values["presenter_name"] = values.get("presenter_name") or speaker.display_name
        values["city"] = values.get("city") or speaker.city
        values["state"] = values.get("state") or speaker.state
    return values


def _snapshot(slot: ShowcaseSlot) -> dict:
    return {k: getattr(slot, k) for k in SLOT_FIELDS} | {"position": slot.position}


def add_slot(item: AgendaItem, values: dict, *, actor=None, position: int | None = None) -> ShowcaseSlot:
    """A new presenter in `item`'s line-up, at `position` (1-based order; None or past the end:
    last). `values` holds SLOT_FIELDS; status defaults to published (calls add drafts)."""
    values = _presenter_values(values)
    values.setdefault("status", "published")
    slots = lineup(item)
    slot = ShowcaseSlot(item_id=item.id, **{k: v for k, v in values.items() if k in SLOT_FIELDS})
    slot.item = item
    db.session.add(slot)
    index = len(slots) if position is None else min(max(position - 1, 0), len(slots))
    slots.insert(index, slot)
    _renumber(slots)
    db.session.flush()
    _touch_if_public(item, slot.status)
    audit.record("add_showcase_slot", slot, actor=actor, meeting_id=item.meeting_id,
                 summary=f"Added “{slot.title}” ({slot.presenter_name}) to {item.title}", after=_snapshot(slot))
    return slot


def update_slot(slot: ShowcaseSlot, values: dict, *, actor=None) -> bool:
    """Save staff's edit of a slot; True when something changed."""
    values = _presenter_values(values)
    before = _snapshot(slot)
    if "speaker_id" in values and values["speaker_id"] != slot.speaker_id and slot.invitation is not None:
        invitations.withdraw(slot.invitation, f"“{slot.title}” has another presenter now", actor=actor)
        slot.invitation = None
    for key in SLOT_FIELDS:
        if key in values and getattr(slot, key) != values[key]:
            setattr(slot, key, values[key])
    after = _snapshot(slot)
    if after == before:
        return False
    db.session.flush()
    _touch_if_public(slot, before["status"], after["status"])
    audit.record("update_showcase_slot", slot, actor=actor, meeting_id=slot.item.meeting_id,
                 summary=f"Edited “{slot.title}” in {slot.item.title}",
                 before={k: v for k, v in before.items() if after[k] != v},
                 after={k: v for k, v in after.items() if before[k] != v})
    return True


def remove_slot(slot: ShowcaseSlot, *, actor=None) -> None:
    item = slot.item
    if slot.invitation is not None:
        invitations.withdraw(slot.invitation, f"“{slot.title}” was removed from the line-up", actor=actor)
    audit.record("remove_showcase_slot", slot, actor=actor, meeting_id=item.meeting_id,
                 summary=f"Removed “{slot.title}” ({slot.presenter_name}) from {item.title}", before=_snapshot(slot))
    status = slot.status
    db.session.delete(slot)
    db.session.flush()
    _renumber(lineup(item))
    db.session.flush()
    _touch_if_public(item, status)


def move_slot(slot: ShowcaseSlot, direction: str, *, actor=None) -> bool:
    """Swap a slot with its neighbour ("up" or "down"); False at either end of the line-up."""
    item = slot.item
    slots = lineup(item)
    index = next(i for i, s in enumerate(slots) if s.id == slot.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(slots):
        return False
    slots[index], slots[other] = slots[other], slots[index]
    return _save_order(item, slots, actor=actor)


def reorder(item: AgendaItem, slot_ids: list[int], *, actor=None) -> bool:
    """Put the line-up in the order of `slot_ids`, which must name every slot exactly once."""
    slots = lineup(item)
    by_id = {s.id: s for s in slots}
    if sorted(slot_ids) != sorted(by_id):
        raise ValueError("the new order must list every slot of the line-up once")
    return _save_order(item, [by_id[i] for i in slot_ids], actor=actor)


def _save_order(item: AgendaItem, slots: list[ShowcaseSlot], *, actor=None) -> bool:
    before = [s.id for s in sorted(slots, key=lambda s: (s.position, s.id))]
    if before == [s.id for s in slots]:
        return False
    _renumber(slots)
    db.session.flush()
    _touch_if_public(item, *{s.status for s in slots})
    audit.record("reorder_showcase", item, actor=actor, meeting_id=item.meeting_id,
                 summary=f"Reordered the line-up of {item.title}",
                 before={"order": before}, after={"order": [s.id for s in slots]})
    return True


def update_timing(item: AgendaItem, slot_seconds: int, changeover_seconds: int, *, actor=None) -> bool:
    """The session's default slot length and the changeover between presenters (seconds)."""
    before = {"slot_seconds": item.slot_seconds, "changeover_seconds": item.changeover_seconds}
    after = {"slot_seconds": slot_seconds, "changeover_seconds": changeover_seconds}
    if before == after:
        return False
    item.slot_seconds, item.changeover_seconds = slot_seconds, changeover_seconds
    db.session.flush()
    touch(item.meeting)
    audit.record("update_showcase_timing", item, actor=actor, meeting_id=item.meeting_id,
                 summary=f"Showcase timing of {item.title}: {slot_seconds} s slots, {changeover_seconds} s changeover",
                 before=before, after=after)
    return True


def publish_drafts(item: AgendaItem, *, actor=None) -> int:
    """Publish every draft slot of the line-up (e.g. accepted proposals); how many were."""
    drafts = [s for s in lineup(item) if s.status == "draft"]
    for slot in drafts:
        slot.status = "published"
    if drafts:
        db.session.flush()
        touch(item.meeting)
        audit.record("publish_showcase_slots", item, actor=actor, meeting_id=item.meeting_id,
                     summary=f"Published {len(drafts)} draft slots of {item.title}",
                     after={"slots": [s.id for s in drafts]})
    return len(drafts)


# -- the live run -------------------------------------------------------------------------------

def run_for(item: AgendaItem) -> ShowcaseRun | None:
    return db.session.execute(select(ShowcaseRun).where(ShowcaseRun.item_id == item.id)).scalar_one_or_none()


def to_state(run: ShowcaseRun | None, slots: list[ShowcaseSlot]) -> RunState:
    """The stored run as the state machine's value (a run whose slot vanished is idle again)."""
    return stored_state(run, [s.id for s in slots], run.current_slot_id if run is not None else None)


def _store(run: ShowcaseRun, state: RunState, slots: list[ShowcaseSlot]) -> None:
    run.state = state.status
    run.current_slot_id = slots[state.index].id if state.index is not None else None
    run.deadline_at = state.deadline_at
    run.remaining_us = (None if state.remaining is None
                        else state.remaining // timedelta(microseconds=1))
    run.added_seconds = int(state.added.total_seconds())
    run.version = (run.version or 0) + 1


def _record(marks: list[Mark], slots: list[ShowcaseSlot]) -> None:
    for mark in marks:
        slot = slots[mark.index]
        if mark.kind == "started":
            slot.actual_started_at, slot.actual_ended_at = mark.at, None
        elif mark.kind == "ended":
            slot.actual_ended_at = mark.at
        elif mark.kind == "cleared":
            slot.actual_started_at = slot.actual_ended_at = None


def act(item_id: int, action: str, *, actor=None, clock=utcnow,
        expected_version: int | None = None) -> tuple[ShowcaseRun, list[ShowcaseSlot]]:
    """Apply a control action to a session's run under a lock on the session's row, so that two
    control pages (or processes) pressing at once apply one after the other. With
    `expected_version` (the state the control page showed), a press made on a state that has
    moved on meanwhile is refused, so two people pressing "Next" skip no presenter.

    Raises live.InvalidAction when the action makes no sense now (the view answers 409)."""
    item = lock_row(AgendaItem, item_id)
    run = run_for(item)
    if expected_version is not None and (run.version if run is not None else 0) != expected_version:
        raise InvalidAction("the run moved on meanwhile (another control page?); look again and retry")
    if run is None:
        run = ShowcaseRun(item_id=item.id, state="idle", version=0)
        db.session.add(run)
    slots = lineup(item, public_only=True)
    machine = LiveRun([s.seconds for s in slots], clock=clock, state=to_state(run, slots))
    marks = machine.apply(action)
    _store(run, machine.state, slots)
    _record(marks, slots)
    db.session.flush()
    return run, slots


def _ms(instant: datetime | None) -> float | None:
    return None if instant is None else round(instant.timestamp() * 1000, 3)


def _slot_json(slot: ShowcaseSlot | None, index: int | None) -> dict | None:
    if slot is None:
        return None
    return {"id": slot.id, "order": index + 1, "presenter": slot.presenter_name, "location": slot.location,
            "title": slot.title, "seconds": slot.seconds}


def display_state(item: AgendaItem, run: ShowcaseRun | None, slots: list[ShowcaseSlot]) -> dict:
    """What every display needs, as JSON values: absolute instants in epoch milliseconds (UTC)."""
    state = to_state(run, slots)
    index = state.index
    current = slots[index] if index is not None else None
    if state.status == "idle":
        following = slots[0] if slots else None
        following_index = 0
    elif index is not None and index + 1 < len(slots):
        following, following_index = slots[index + 1], index + 1
    else:
        following, following_index = None, None
    remaining = state.remaining
    # The plan's end of the slot on (before the run: of the first), to show how far the run is behind.
    planned_index = index if index is not None else (0 if state.status == "idle" and slots else None)
    planned_end = plan(item, slots)[planned_index][1].ends_at if planned_index is not None else None
    return {
        "version": run.version if run is not None else 0,
        "status": state.status,
        "session": {"id": item.id, "title": item.title},
        "count": len(slots),
        "slot": _slot_json(current, index),
        "next": _slot_json(following, following_index),
        "deadline_ms": _ms(state.deadline_at),
        "remaining_ms": None if remaining is None else remaining / timedelta(milliseconds=1),
        "length_ms": current.seconds * 1000 if current is not None else None,
        "added_ms": int(state.added / timedelta(milliseconds=1)),
        "amber_ms": AMBER_MS,
        "red_ms": RED_MS,
        "planned_end_ms": _ms(planned_end),
    }


def allowed_actions(state: dict) -> set[str]:
    """The control actions that make sense in a display state (the others are disabled)."""
    status, slot = state["status"], state["slot"]
    has_previous = slot is not None and slot["order"] > 1
    allowed = {
        "idle": {"start"} if state["count"] else set(),
        "ready": {"start", "next", "restart", "add30"},
        "running": {"pause", "next", "restart", "add30"},
        "paused": {"resume", "next", "restart", "add30"},
        "finished": {"previous"} if state["count"] else set(),
    }[status]
    return allowed | ({"previous"} if has_previous else set())


@cache
def _state_source_statement(with_item: bool, public_only: bool):
    """Built once per variant: a display polls four times a second, so even building the
    statement would cost more than running it."""
    # The room's stage runs (their versions only rise, so their sum does): the delay they cause.
    room_runs = (select(func.coalesce(func.sum(StageRun.version), 0)).where(StageRun.room_id == AgendaItem.room_id)
                 .correlate(AgendaItem).scalar_subquery())
    stmt = (select(AgendaItem.id, func.coalesce(ShowcaseRun.version, 0), Meeting.agenda_version, room_runs)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .outerjoin(ShowcaseRun, ShowcaseRun.item_id == AgendaItem.id)
            .where(Meeting.slug == bindparam("slug"), AgendaItem.kind == "showcase")
            .order_by(AgendaItem.starts_at, AgendaItem.id).limit(1))
    if public_only:
        stmt = stmt.where(*visibility.public_items(AgendaItem, Meeting))
    if with_item:
        stmt = stmt.where(AgendaItem.id == bindparam("item_id"))
    return stmt


def state_etag_source(slug: str, item_id: int | None, *, public_only: bool = True):
    """What a display's state depends on, in one query: (item_id, run version, agenda_version, the
    room's stage runs),
    or None when there is no such (public, unless `public_only` is off for staff) showcase.
    Cheap enough to answer a 304 with."""
    stmt = _state_source_statement(item_id is not None, public_only)
    params = {"slug": slug} | ({"item_id": item_id} if item_id is not None else {})
    row = db.session.connection().execute(stmt, params).first()
    return tuple(row) if row is not None else None


def now_ms() -> float:
    return round(datetime.now(UTC).timestamp() * 1000, 3)
