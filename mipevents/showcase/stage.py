"""A room's running order for one day as pure rules: its cues (the room's sessions), how late the run
is against its plan, the expected starts of the sessions still to come, and CSV cells a spreadsheet
will not run (planned against actual is showcase.timing's ReportRow). Plain values, aware UTC
instants, no database."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mipevents.showcase.live import RunState

# Less than this behind the plan is "on time": a few seconds of changeover are no news.
LATE_SHOWN = timedelta(minutes=2)
MESSAGE_PRESETS = ("Wrap up", "Two questions left", "Five minutes left", "Please speak into the microphone")
MESSAGE_LIMIT = 140


@dataclass(frozen=True)
class Cue:
    """One session of a room's running order: its agenda item id and planned instants."""

    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime

    @property
    def seconds(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds())


def cues_for_day(items, day: date, zone: str) -> list[Cue]:
    """The cues of a room's day: its sessions (any kind, not cancelled) that start on `day` in the
    meeting's zone, in start order. `items` are agenda items (or anything with their attributes)."""
    tz = ZoneInfo(zone)
    found = [i for i in items if i.status != "cancelled" and i.starts_at.astimezone(tz).date() == day]
    found.sort(key=lambda i: (i.starts_at, i.id))
    return [Cue(i.id, i.title, i.kind, i.starts_at, i.ends_at) for i in found]


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def projected_end(state: RunState, cue: Cue, now: datetime) -> datetime | None:
    """When the session on the clock will end at the present pace: a running clock ends at its
    deadline (or now, once in overtime); a paused or ready one ends its remaining time after now
    (a ready one not before its planned start). None when no session is on the clock."""
    if state.status == "running":
        return max(state.deadline_at, now)
    if state.status == "paused":
        return now + max(state.remaining, timedelta(0))
    if state.status == "ready":
        return max(now, cue.starts_at) + max(state.remaining, timedelta(0))
    return None


def late_by(cues: list[Cue], state: RunState, now: datetime) -> timedelta | None:
    """How far behind its plan the room runs: the session on the clock's projected end against its
    planned end (negative: ahead). None when the run has not begun or is over."""
    if state.index is None or state.status in ("idle", "finished"):
        return None
    cue = cues[state.index]
    return projected_end(state, cue, now) - cue.ends_at


def expected_starts(cues: list[Cue], state: RunState, now: datetime) -> dict[int, datetime]:
    """The expected start of each session after the one on the clock, {cue id: instant}: each starts
    at its planned time or when the one before it is expected to end, whichever is later, so a gap
    in the plan (a break, lunch) absorbs a delay. Empty when the run has not begun or is over."""
    if state.index is None or state.status in ("idle", "finished"):
        return {}
    end = projected_end(state, cues[state.index], now)
    found = {}
    for cue in cues[state.index + 1:]:
        start = max(cue.starts_at, end)
        found[cue.id] = start
        end = start + timedelta(seconds=cue.seconds)
    return found


def start_bound(cues: list[Cue], index: int, target: int) -> tuple[datetime, timedelta]:
    """expected_starts' answer for cues[target] as a function of when the session on the clock
    (cues[index], before it) ends: max(floor, end + after). `after` is the length of the sessions
    between them and `floor` the latest start their plan allows, so a display can follow the delay
    from the clock's instants alone, without the titles or times of the sessions in between."""
    floor, after = cues[target].starts_at, timedelta(0)
    for cue in reversed(cues[index + 1:target]):
        after += timedelta(seconds=cue.seconds)
        floor = max(floor, cue.starts_at + after)
    return floor, after


def running_late(cues: list[Cue], state: RunState, now: datetime, shown: timedelta = LATE_SHOWN) -> dict[int, timedelta]:
    """What the public agenda says, {cue id: delay}: the session on the clock when it will end late,
    each later session whose expected start is late; only delays of `shown` or more."""
    late = {}
    behind = late_by(cues, state, now)
    if behind is not None and behind >= shown:
        late[cues[state.index].id] = behind
    planned = {cue.id: cue.starts_at for cue in cues}
    for cue_id, start in expected_starts(cues, state, now).items():
        if start - planned[cue_id] >= shown:
            late[cue_id] = start - planned[cue_id]
    return late


def late_words(delay: timedelta) -> str:
    """'Running about 8 minutes late' (to the nearest minute)."""
    minutes = max(round(delay.total_seconds() / 60), 1)
    return f"Running about {minutes} minute{'s' if minutes != 1 else ''} late"


def clean_message(text: str) -> str:
    """A message to the stage as it is shown: one line, spaces collapsed, at most MESSAGE_LIMIT
    characters. Raises ValueError for an empty one (clearing is its own action)."""
    line = " ".join((text or "").replace("\x00", "").split())
    if not line:
        raise ValueError("Write a message, or pick one.")
    if len(line) > MESSAGE_LIMIT:
        raise ValueError(f"A message to the stage is at most {MESSAGE_LIMIT} characters.")
    return line
