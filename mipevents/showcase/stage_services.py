"""The stage of every room: each room's running order on a meeting day (its sessions as cues) run
with the live clock, messages and screen toggles for the stage, the display and speaker-view links,
running late for the public agenda, and planned against actual. Plain functions taking `actor=`;
they add and flush, the view commits."""
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased, joinedload

from mipevents.accounts import audit
from mipevents.agenda.models import AgendaItem
from mipevents.core.database import lock_row
from mipevents.core.timeutil import local_day_bounds, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.people.models import Token
from mipevents.people.services import mint_token, person_for_email, token_hash
from mipevents.showcase import queries, stage
from mipevents.showcase import services as showcase_services
from mipevents.showcase.live import InvalidAction, LiveRun, Mark, RunState, stored_state
from mipevents.showcase.models import SessionTiming, ShowcaseRun, StageRun
from mipevents.showcase.timing import ReportRow

LINK_PURPOSES = ("display", "speaker_view")
TOGGLES = {"blackout": "is_blackout", "hide-timer": "is_timer_hidden"}


# -- the day's running order ----------------------------------------------------------------------

def meeting_days(meeting: Meeting) -> list[date]:
    return [meeting.starts_on + timedelta(days=n) for n in range((meeting.ends_on - meeting.starts_on).days + 1)]


def room_items(room: Room, day: date) -> list[AgendaItem]:
    """The room's sessions (draft and published; cancelled ones left out) starting on `day` in the
    meeting's zone, in start order."""
    zone = room.meeting.timezone
    start, end = local_day_bounds(day, zone)
    items = db.session.execute(
        select(AgendaItem).where(AgendaItem.room_id == room.id, AgendaItem.starts_at >= start,
                                 AgendaItem.starts_at < end, AgendaItem.status != "cancelled")
        .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars().all()
    return list(items)


def cues(room: Room, day: date) -> tuple[list[AgendaItem], list[stage.Cue]]:
    items = room_items(room, day)
    return items, stage.cues_for_day(items, day, room.meeting.timezone)


def rooms_of_day(meeting: Meeting, day: date) -> list[tuple[Room, int]]:
    """Every room of the meeting with how many sessions it holds on `day`."""
    start, end = local_day_bounds(day, meeting.timezone)
    counts = dict(db.session.execute(
        select(AgendaItem.room_id, func.count()).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.starts_at >= start, AgendaItem.starts_at < end,
            AgendaItem.status != "cancelled", AgendaItem.room_id.is_not(None)).group_by(AgendaItem.room_id)).all())
    rooms = sorted(meeting.rooms, key=lambda r: (r.position, r.id))
    return [(room, counts.get(room.id, 0)) for room in rooms]


def run_for(room_id: int, day: date) -> StageRun | None:
    return db.session.execute(select(StageRun).where(StageRun.room_id == room_id, StageRun.day == day)
                              ).scalar_one_or_none()


def to_state(run: StageRun | None, day_cues: list[stage.Cue]) -> RunState:
    """The stored run as the state machine's value (a run whose session left the day is idle)."""
    return stored_state(run, [c.id for c in day_cues], run.current_item_id if run is not None else None)


def _store(run: StageRun, state: RunState, day_cues: list[stage.Cue]) -> None:
    run.state = state.status
    run.current_item_id = day_cues[state.index].id if state.index is not None else None
    run.deadline_at = state.deadline_at
    run.remaining_us = None if state.remaining is None else state.remaining // timedelta(microseconds=1)
    run.added_seconds = int(state.added.total_seconds())


def _record(marks: list[Mark], day_cues: list[stage.Cue]) -> None:
    for mark in marks:
        item_id = day_cues[mark.index].id
        timing = db.session.execute(select(SessionTiming).where(SessionTiming.item_id == item_id)).scalar_one_or_none()
        if timing is None:
            timing = SessionTiming(item_id=item_id)
            db.session.add(timing)
        if mark.kind == "started":
            timing.actual_started_at, timing.actual_ended_at = mark.at, None
        elif mark.kind == "ended":
            timing.actual_ended_at = mark.at
        elif mark.kind == "cleared":
            timing.actual_started_at = timing.actual_ended_at = None


def _locked_run(room_id: int, day: date) -> tuple[Room, StageRun]:
    """The room's run of `day` under a lock on the room's row, so two control pages (or processes)
    apply their presses one after the other; created idle when the day has none yet."""
    room = lock_row(Room, room_id)
    run = run_for(room.id, day)
    if run is None:
        run = StageRun(room_id=room.id, day=day, state="idle", version=0, message="",
                       is_blackout=False, is_timer_hidden=False, added_seconds=0)
        db.session.add(run)
    return room, run


def act(room_id: int, day: date, action: str, *, clock=utcnow,
        expected_version: int | None = None) -> StageRun:
    """Apply a control action (live.ACTIONS) to a room's run of a day. With `expected_version`
    (the state the control page showed), a press made on a state that moved on is refused.
    Raises live.InvalidAction when it makes no sense now (the view answers 409)."""
    room, run = _locked_run(room_id, day)
    if expected_version is not None and (run.version or 0) != expected_version:
        raise InvalidAction("the run moved on meanwhile (another control page?); look again and retry")
    _, day_cues = cues(room, day)
    machine = LiveRun([c.seconds for c in day_cues], clock=clock, state=to_state(run, day_cues))
    marks = machine.apply(action)
    _store(run, machine.state, day_cues)
    _record(marks, day_cues)
    run.version = (run.version or 0) + 1
    db.session.flush()
    return run


def set_message(room_id: int, day: date, text: str | None, *, actor=None, clock=utcnow) -> StageRun:
    """Show `text` on the room's stage and speaker view until cleared (None or "" clears it).
    Raises ValueError for a message that is too long."""
    line = stage.clean_message(text) if text else ""
    room, run = _locked_run(room_id, day)
    before = run.message
    run.message, run.message_at = line, (clock() if line else None)
    run.version = (run.version or 0) + 1
    db.session.flush()
    audit.record("stage_message" if line else "stage_message_cleared", run, actor=actor, meeting_id=room.meeting_id,
                 summary=(f"Message to the stage in {room.name}: “{line}”" if line
                          else f"Cleared the message to the stage in {room.name}"),
                 before={"message": before}, after={"message": line})
    return run


def toggle(room_id: int, day: date, what: str, on: bool, *, actor=None) -> StageRun:
    """Black the stage screen out, or hide its timer (`what` is a TOGGLES key)."""
    field = TOGGLES[what]
    room, run = _locked_run(room_id, day)
    before = getattr(run, field)
    setattr(run, field, on)
    run.version = (run.version or 0) + 1
    db.session.flush()
    words = {"blackout": "Blacked out the stage", "hide-timer": "Hid the stage timer"}[what] if on else \
        {"blackout": "Lit the stage again", "hide-timer": "Showed the stage timer"}[what]
    audit.record(f"stage_{field}", run, actor=actor, meeting_id=room.meeting_id,
                 summary=f"{words} in {room.name}", before={field: before}, after={field: on})
    return run


# -- what displays show ---------------------------------------------------------------------------

def _ms(instant: datetime | None) -> float | None:
    return None if instant is None else round(instant.timestamp() * 1000, 3)


def _cue_json(cue: stage.Cue | None, index: int | None) -> dict | None:
    if cue is None:
        return None
    return {"id": cue.id, "order": index + 1, "presenter": cue.title, "location": "", "title": cue.kind.title(),
            "kind": cue.kind, "seconds": cue.seconds,
            "planned_start_ms": _ms(cue.starts_at), "planned_end_ms": _ms(cue.ends_at)}


def _presenter(item: AgendaItem) -> dict | None:
    """A showcase session on the clock shows its presenter's own countdown while its line-up runs."""
    run = showcase_services.run_for(item)
    if run is None or run.state not in ("ready", "running", "paused"):
        return None
    state = showcase_services.display_state(item, run, queries.lineup(item, public_only=True))
    return {key: state[key] for key in ("version", "status", "slot", "next", "count", "deadline_ms",
                                        "remaining_ms", "length_ms", "added_ms")}


def stage_state(room: Room, day: date, items: list[AgendaItem], day_cues: list[stage.Cue],
                run: StageRun | None) -> dict:
    """What the room's stage, speaker view and control page need, as JSON values (epoch ms, UTC).
    Private: it holds the message to the speaker, so only token-opened and staff pages get it."""
    state = to_state(run, day_cues)
    index = state.index
    cue = day_cues[index] if index is not None else None
    following = 0 if state.status == "idle" else (index + 1 if index is not None else None)
    following_cue = day_cues[following] if following is not None and following < len(day_cues) else None
    current_item = next((i for i in items if cue is not None and i.id == cue.id), None)
    return {
        "version": run.version if run is not None else 0,
        "status": state.status,
        "room": {"id": room.id, "name": room.name},
        "day": day.isoformat(),
        "count": len(day_cues),
        "slot": _cue_json(cue, index),
        "next": _cue_json(following_cue, following),
        "deadline_ms": _ms(state.deadline_at),
        "remaining_ms": None if state.remaining is None else state.remaining / timedelta(milliseconds=1),
        "length_ms": cue.seconds * 1000 if cue is not None else None,
        "added_ms": int(state.added / timedelta(milliseconds=1)),
        "amber_ms": showcase_services.AMBER_MS,
        "red_ms": showcase_services.RED_MS,
        "planned_end_ms": _ms(cue.ends_at) if cue is not None else None,
        "presenter": _presenter(current_item) if current_item is not None and current_item.kind == "showcase" else None,
        "message": run.message if run is not None else "",
        "blackout": bool(run and run.is_blackout),
        "hide_timer": bool(run and run.is_timer_hidden),
    }


def state_etag_source(room_id: int, day: date) -> tuple:
    """What a room display's state depends on, in one query: the run's version, the version of the
    showcase run on its clock (if any), and the meeting's agenda_version."""
    run = aliased(StageRun)
    row = db.session.execute(
        select(func.coalesce(run.version, 0), func.coalesce(ShowcaseRun.version, 0), Meeting.agenda_version)
        .select_from(Room).join(Meeting, Meeting.id == Room.meeting_id)
        .outerjoin(run, (run.room_id == Room.id) & (run.day == day))
        .outerjoin(ShowcaseRun, ShowcaseRun.item_id == run.current_item_id)
        .where(Room.id == room_id)).first()
    return (room_id, day.isoformat(), *row) if row is not None else (room_id, day.isoformat())


# -- display and speaker-view links ---------------------------------------------------------------

def mint_link(room: Room, purpose: str, *, actor) -> str:
    """A new private link of `purpose` (display, speaker_view) to the room's stage; the raw token,
    shown once. It belongs to the staff member who made it (their Person), so erasing them ends it."""
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    person = person_for_email(actor.email, getattr(actor, "name", "") or "")
    raw = mint_token(person, purpose, subject_id=room.id)
    audit.record(f"mint_{purpose}_link", room, actor=actor, meeting_id=room.meeting_id,
                 summary=f"Made a {purpose.replace('_', ' ')} link for {room.name}")
    return raw


def revoke_links(room: Room, *, actor) -> int:
    """Revoke every live display and speaker-view link of the room, whoever made them; how many."""
    revoked = db.session.execute(update(Token).where(
        Token.purpose.in_(LINK_PURPOSES), Token.subject_id == room.id, Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())).rowcount
    audit.record("revoke_stage_links", room, actor=actor, meeting_id=room.meeting_id,
                 summary=f"Revoked {revoked} display and speaker links of {room.name}")
    return revoked


def room_for_link(raw: str, purpose: str) -> Room | None:
    """The room a live link of `purpose` opens, or None (unknown, revoked, another purpose)."""
    hashed = token_hash(raw)
    if hashed is None:
        return None
    return db.session.execute(
        select(Room).join(Token, Token.subject_id == Room.id).options(joinedload(Room.meeting))
        .where(Token.token_hash == hashed, Token.purpose == purpose, Token.revoked_at.is_(None))).scalar_one_or_none()


# -- running late for the public ------------------------------------------------------------------

def public_room_run(item: AgendaItem) -> dict | None:
    """What a public display of `item` (the showcase's stage) needs to tell that its room runs late
    before it begins: the room's clock on an earlier session and stage.start_bound's floor and
    after, as epoch ms, so the display computes the expected start as time passes (nothing about
    the sessions in between, nor the messages). None when the room's run is not on an earlier
    session of the day."""
    if item.room is None:
        return None
    day = stage.local_today(item.starts_at, item.meeting.timezone)
    run = run_for(item.room_id, day)
    if run is None or run.state not in ("ready", "running", "paused"):
        return None
    _, day_cues = cues(item.room, day)
    state = to_state(run, day_cues)
    target = next((n for n, c in enumerate(day_cues) if c.id == item.id), None)
    if state.index is None or target is None or target <= state.index:
        return None
    floor, after = stage.start_bound(day_cues, state.index, target)
    return {"status": state.status, "deadline_ms": _ms(state.deadline_at),
            "remaining_ms": None if state.remaining is None else state.remaining / timedelta(milliseconds=1),
            "cue_planned_start_ms": _ms(day_cues[state.index].starts_at), "floor_ms": _ms(floor),
            "after_ms": after / timedelta(milliseconds=1), "planned_start_ms": _ms(item.starts_at)}


def meeting_live(meeting: Meeting, now: datetime | None = None) -> dict:
    """Running late for the public agenda, from today's runs (in the meeting's zone): for each
    published session late by stage.LATE_SHOWN or more, its delay and expected start. Nothing once
    a run catches up, finishes, or its day is over; the published times are never touched."""
    now = now or utcnow()
    today = stage.local_today(now, meeting.timezone)
    sessions = {}
    runs = db.session.execute(select(StageRun).join(Room, Room.id == StageRun.room_id).where(
        Room.meeting_id == meeting.id, StageRun.day == today,
        StageRun.state.in_(("ready", "running", "paused")))).scalars().all()
    for run in runs:
        room = db.session.get(Room, run.room_id)
        items, day_cues = cues(room, today)
        public = {i.id for i in items if i.status == "published"}
        state = to_state(run, day_cues)
        expected = stage.expected_starts(day_cues, state, now)
        for item_id, delay in stage.running_late(day_cues, state, now).items():
            if item_id in public:
                sessions[str(item_id)] = {"late_minutes": max(round(delay.total_seconds() / 60), 1),
                                          "words": stage.late_words(delay),
                                          "expected_start_ms": _ms(expected.get(item_id))}
    return {"sessions": sessions}


# -- records ----------------------------------------------------------------------------------------

def report(room: Room, day: date) -> list[ReportRow]:
    """Planned against actual for each session of the room's day (each row's `cue` is its session)."""
    _, day_cues = cues(room, day)
    timings = {t.item_id: t for t in db.session.execute(
        select(SessionTiming).where(SessionTiming.item_id.in_([c.id for c in day_cues]))).scalars()}
    return [ReportRow(i, c.starts_at, c.seconds, getattr(timings.get(c.id), "actual_started_at", None),
                      getattr(timings.get(c.id), "actual_ended_at", None), cue=c) for i, c in enumerate(day_cues)]
