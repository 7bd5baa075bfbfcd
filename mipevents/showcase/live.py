"""The live run's state machine: pure, with an injected clock, in absolute instants.

States: idle (not begun) -> ready (a slot chosen, its clock full and not started) -> running
<-> paused -> (next) ready for the following slot ... -> finished. While running, the remaining
time is `deadline_at - now` (negative in overtime); while ready or paused it is `remaining`.
Pausing stores `deadline_at - now` and resuming sets `deadline_at = now + remaining`: datetime
arithmetic is exact to the microsecond, so a pause and a resume conserve the remaining time
exactly. Every action returns the marks to record on slots (actual start, actual end)."""
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

ACTIONS = ("start", "pause", "resume", "next", "previous", "restart", "add30")
ADD_STEP = timedelta(seconds=30)


class InvalidAction(Exception):
    """The action makes no sense in the run's current state (e.g. pause while paused)."""


@dataclass(frozen=True)
class RunState:
    status: str = "idle"                       # idle, ready, running, paused, finished
    index: int | None = None                   # the current slot's place in the line-up
    deadline_at: datetime | None = None        # running: when the remaining time reaches zero
    remaining: timedelta | None = None         # ready / paused: the time left on the clock
    added: timedelta = timedelta(0)            # time staff added to the current slot

    def remaining_at(self, now: datetime) -> timedelta | None:
        """The time left on the clock at `now` (negative in overtime); None when no slot is on."""
        if self.status == "running":
            return self.deadline_at - now
        if self.status in ("ready", "paused"):
            return self.remaining
        return None


def stored_state(run, ids: list[int], current_id: int | None) -> RunState:
    """A stored run (a showcase's ShowcaseRun or a room's StageRun: state, deadline_at, remaining_us,
    added_seconds) as the machine's value; `ids` are the run's slots or sessions in order and
    `current_id` the one it stored as current. A run whose current one left the order is idle again."""
    if run is None or run.state == "idle":
        return RunState()
    if run.state == "finished":
        return RunState(status="finished")
    index = next((i for i, found in enumerate(ids) if found == current_id), None)
    if index is None:
        return RunState()
    remaining = timedelta(microseconds=run.remaining_us) if run.remaining_us is not None else None
    return RunState(status=run.state, index=index, deadline_at=run.deadline_at, remaining=remaining,
                    added=timedelta(seconds=run.added_seconds))


@dataclass(frozen=True)
class Mark:
    """A fact to record on the slot at `index`: it "started" or "ended" at `at`."""

    index: int
    kind: str
    at: datetime


class LiveRun:
    """The run of one line-up: `lengths` are the slots' lengths in order, `clock()` gives aware UTC.

        run = LiveRun([180, 180], clock=utcnow, state=stored)
        marks = run.apply("pause")
    """

    def __init__(self, lengths: list[int], clock: Callable[[], datetime], state: RunState | None = None):
        self.lengths = [timedelta(seconds=s) for s in lengths]
        self.clock = clock
        self.state = state or RunState()

    def apply(self, action: str) -> list[Mark]:
        if action not in ACTIONS:
            raise InvalidAction(f"unknown action {action!r}")
        return getattr(self, action)()

    # -- the actions -------------------------------------------------------------------------

    def start(self) -> list[Mark]:
        """Start the clock of the ready slot (the first one when the run has not begun)."""
        s = self.state
        if s.status == "idle":
            if not self.lengths:
                raise InvalidAction("the line-up is empty")
            s = self._ready(0)
        if s.status != "ready":
            raise InvalidAction(f"cannot start while {s.status}")
        now = self.clock()
        self.state = replace(s, status="running", deadline_at=now + s.remaining, remaining=None)
        return [Mark(s.index, "started", now)]

    def pause(self) -> list[Mark]:
        s = self.state
        if s.status != "running":
            raise InvalidAction(f"cannot pause while {s.status}")
        now = self.clock()
        self.state = replace(s, status="paused", remaining=s.deadline_at - now, deadline_at=None)
        return []

    def resume(self) -> list[Mark]:
        s = self.state
        if s.status != "paused":
            raise InvalidAction(f"cannot resume while {s.status}")
        now = self.clock()
        self.state = replace(s, status="running", deadline_at=now + s.remaining, remaining=None)
        return []

    def next(self) -> list[Mark]:
        """End the current slot (if its clock ran) and make the following one ready."""
        s = self.state
        if s.status in ("idle", "finished"):
            raise InvalidAction(f"no current slot while {s.status}")
        marks = self._end_current()
        following = s.index + 1
        self.state = self._ready(following) if following < len(self.lengths) else RunState(status="finished")
        return marks

    def previous(self) -> list[Mark]:
        """Go back one slot (from the end: to the last one), ready with a full clock."""
        s = self.state
        if s.status == "finished":
            target = len(self.lengths) - 1
        elif s.status == "idle" or s.index == 0:
            raise InvalidAction("there is no previous slot")
        else:
            target = s.index - 1
        if target < 0:
            raise InvalidAction("there is no previous slot")
        marks = self._end_current()
        self.state = self._ready(target)
        return marks

    def restart(self) -> list[Mark]:
        """Put the current slot back to its full length, ready to start again (added time dropped)."""
        s = self.state
        if s.status not in ("ready", "running", "paused"):
            raise InvalidAction(f"no current slot while {s.status}")
        self.state = self._ready(s.index)
        return [Mark(s.index, "cleared", self.clock())]

    def add30(self) -> list[Mark]:
        s = self.state
        if s.status == "running":
            self.state = replace(s, deadline_at=s.deadline_at + ADD_STEP, added=s.added + ADD_STEP)
        elif s.status in ("ready", "paused"):
            self.state = replace(s, remaining=s.remaining + ADD_STEP, added=s.added + ADD_STEP)
        else:
            raise InvalidAction(f"no current slot while {s.status}")
        return []

    # -- internals ---------------------------------------------------------------------------

    def _ready(self, index: int) -> RunState:
        if not 0 <= index < len(self.lengths):
            raise InvalidAction("no such slot")
        return RunState(status="ready", index=index, remaining=self.lengths[index])

    def _end_current(self) -> list[Mark]:
        s = self.state
        if s.status in ("running", "paused"):
            return [Mark(s.index, "ended", self.clock())]
        return []
