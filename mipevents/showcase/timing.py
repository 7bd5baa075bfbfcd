"""Showcase timing as pure arithmetic: planned starts, whether a line-up fits its session, and the
overtime report (its planned-against-actual row is also each room's stage report's). Plain values
in and out (seconds as ints, aware UTC instants), no database."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Planned:
    """One slot's place in the plan: its 0-based order and planned instants (aware UTC)."""

    index: int
    starts_at: datetime
    ends_at: datetime

    @property
    def seconds(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds())


def planned_starts(starts_at: datetime, lengths: list[int], changeover: int) -> list[Planned]:
    """Presenter n starts when the slots before it and the changeovers between them have passed:
    starts_at + sum(lengths[:n]) + n * changeover (seconds)."""
    plan, at = [], starts_at
    for index, length in enumerate(lengths):
        plan.append(Planned(index, at, at + timedelta(seconds=length)))
        at += timedelta(seconds=length + changeover)
    return plan


def total_seconds(lengths: list[int], changeover: int) -> int:
    """The seconds a line-up takes: its slots plus a changeover between each two presenters (none
    before the first or after the last). agenda.publishing.showcase_seconds counts the same way."""
    return sum(lengths) + max(len(lengths) - 1, 0) * changeover


@dataclass(frozen=True)
class Fit:
    needed_seconds: int
    available_seconds: int

    @property
    def overrun_seconds(self) -> int:
        """How far the line-up runs past the session's end (0 when it fits)."""
        return max(self.needed_seconds - self.available_seconds, 0)

    @property
    def spare_seconds(self) -> int:
        return max(self.available_seconds - self.needed_seconds, 0)

    @property
    def fits(self) -> bool:
        return self.needed_seconds <= self.available_seconds


def fit(starts_at: datetime, ends_at: datetime, lengths: list[int], changeover: int) -> Fit:
    """Whether the line-up fits the session from `starts_at` to `ends_at`, and by how much."""
    return Fit(total_seconds(lengths, changeover), int((ends_at - starts_at).total_seconds()))


def mmss(seconds: float) -> str:
    """185 -> '3:05'; negative values keep their sign ('-0:15'). Whole seconds, truncated."""
    sign = "-" if seconds < 0 else ""
    minutes, secs = divmod(int(abs(seconds)), 60)
    return f"{sign}{minutes}:{secs:02d}"


@dataclass(frozen=True)
class ReportRow:
    """Planned against actual for one presenter of a showcase, or one session of a room's run (then
    `cue` is the session, a stage.Cue). Seconds; the actual ones None when not run."""

    index: int
    planned_starts_at: datetime
    planned_seconds: int
    actual_starts_at: datetime | None
    actual_ends_at: datetime | None
    cue: Any = None

    @property
    def actual_seconds(self) -> float | None:
        if self.actual_starts_at is None or self.actual_ends_at is None:
            return None
        return (self.actual_ends_at - self.actual_starts_at).total_seconds()

    @property
    def start_delay_seconds(self) -> float | None:
        """How much later than planned it started (negative: earlier)."""
        return None if self.actual_starts_at is None else (self.actual_starts_at - self.planned_starts_at).total_seconds()

    @property
    def over_seconds(self) -> float | None:
        """Positive when it ran over, negative when it finished early."""
        actual = self.actual_seconds
        return None if actual is None else actual - self.planned_seconds


@dataclass(frozen=True)
class Report:
    rows: list[ReportRow]
    planned_starts_at: datetime
    planned_ends_at: datetime

    @property
    def ran(self) -> list[ReportRow]:
        return [r for r in self.rows if r.actual_seconds is not None]

    @property
    def planned_seconds(self) -> int:
        """Planned speaking time of the presenters who ran."""
        return sum(r.planned_seconds for r in self.ran)

    @property
    def actual_seconds(self) -> float:
        return sum(r.actual_seconds for r in self.ran)

    @property
    def over_seconds(self) -> float:
        return self.actual_seconds - self.planned_seconds

    @property
    def actual_starts_at(self) -> datetime | None:
        starts = [r.actual_starts_at for r in self.ran]
        return min(starts) if starts else None

    @property
    def actual_ends_at(self) -> datetime | None:
        ends = [r.actual_ends_at for r in self.ran]
        return max(ends) if ends else None

    @property
    def finish_delay_seconds(self) -> float | None:
        """How much later than planned the last presenter finished (negative: earlier)."""
        if self.actual_ends_at is None or len(self.ran) != len(self.rows):
            return None
        return (self.actual_ends_at - self.planned_ends_at).total_seconds()


def overtime_report(starts_at: datetime, lengths: list[int], changeover: int,
                    actuals: list[tuple[datetime | None, datetime | None]]) -> Report:
    """Planned vs actual per presenter (same order as `lengths` and `actuals`) and in total."""
    plan = planned_starts(starts_at, lengths, changeover)
    rows = [ReportRow(p.index, p.starts_at, p.seconds, started, ended)
            for p, (started, ended) in zip(plan, actuals, strict=True)]
    planned_end = plan[-1].ends_at if plan else starts_at
    return Report(rows, starts_at, planned_end)
