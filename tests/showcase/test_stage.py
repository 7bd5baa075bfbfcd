"""The running order's pure rules: cues of a room's day, running late, expected starts, planned
against actual, CSV cells and messages."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from mipevents.showcase.live import RunState
from mipevents.showcase.stage import Cue, clean_message, cues_for_day, expected_starts, late_by, late_words, running_late, start_bound
from mipevents.showcase.timing import ReportRow

T0 = datetime(2025, 1, 22, 15, 0, tzinfo=UTC)        # 10:00 AM in Washington
MIN = timedelta(minutes=1)


@dataclass
class Item:
    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    status: str = "published"


def day_of_cues():
    """10:00 panel (30 min), 10:30 showcase (30 min), 11:15 workshop after a 15-minute break."""
    return [Cue(1, "Panel", "panel", T0, T0 + 30 * MIN), Cue(2, "Showcase", "showcase", T0 + 30 * MIN, T0 + 60 * MIN),
            Cue(3, "Workshop", "workshop", T0 + 75 * MIN, T0 + 135 * MIN)]


def test_cues_of_a_day_are_its_sessions_in_the_meetings_zone_without_cancelled_ones():
    items = [Item(5, "Late", "panel", T0 + 600 * MIN, T0 + 630 * MIN),          # 8:00 PM local: same day
             Item(4, "Early", "plenary", T0, T0 + 60 * MIN),
             Item(6, "Next day", "panel", T0 + 900 * MIN, T0 + 920 * MIN),      # 1:00 AM the next day
             Item(7, "Cancelled", "panel", T0, T0 + 10 * MIN, status="cancelled")]
    cues = cues_for_day(items, date(2025, 1, 22), "America/New_York")
    assert [(c.id, c.title, c.seconds) for c in cues] == [(4, "Early", 3600), (5, "Late", 1800)]


def test_a_running_session_in_overtime_makes_the_room_late_by_its_overtime():
    cues = day_of_cues()
    started_late = RunState(status="running", index=0, deadline_at=T0 + 36 * MIN)
    assert late_by(cues, started_late, now=T0 + 10 * MIN) == 6 * MIN
    overtime = RunState(status="running", index=0, deadline_at=T0 + 30 * MIN)
    assert late_by(cues, overtime, now=T0 + 34 * MIN) == 4 * MIN


def test_paused_and_ready_sessions_project_their_remaining_time_from_now():
    cues = day_of_cues()
    paused = RunState(status="paused", index=0, remaining=timedelta(minutes=10))
    assert late_by(cues, paused, now=T0 + 25 * MIN) == 5 * MIN
    ready_before_its_time = RunState(status="ready", index=1, remaining=timedelta(minutes=30))
    assert late_by(cues, ready_before_its_time, now=T0 + 20 * MIN) == timedelta(0)
    ready_late = RunState(status="ready", index=1, remaining=timedelta(minutes=30))
    assert late_by(cues, ready_late, now=T0 + 38 * MIN) == 8 * MIN


def test_nothing_is_late_before_the_run_begins_or_after_it_ends():
    cues = day_of_cues()
    for state in (RunState(), RunState(status="finished")):
        assert late_by(cues, state, now=T0 + 100 * MIN) is None
        assert expected_starts(cues, state, now=T0 + 100 * MIN) == {}
        assert running_late(cues, state, now=T0 + 100 * MIN) == {}


def test_expected_starts_shift_by_the_delay_and_a_break_absorbs_it():
    cues = day_of_cues()
    eight_late = RunState(status="running", index=0, deadline_at=T0 + 38 * MIN)
    expected = expected_starts(cues, eight_late, now=T0 + 20 * MIN)
    # The showcase starts 8 minutes late and ends at 11:08; the 15-minute break absorbs that.
    assert expected == {2: T0 + 38 * MIN, 3: T0 + 75 * MIN}
    assert running_late(cues, eight_late, now=T0 + 20 * MIN) == {1: 8 * MIN, 2: 8 * MIN}
    twenty_late = RunState(status="running", index=0, deadline_at=T0 + 50 * MIN)
    assert running_late(cues, twenty_late, now=T0 + 20 * MIN) == {1: 20 * MIN, 2: 20 * MIN, 3: 5 * MIN}


def test_less_than_two_minutes_behind_is_on_time():
    cues = day_of_cues()
    state = RunState(status="running", index=0, deadline_at=T0 + 31 * MIN + timedelta(seconds=59))
    assert running_late(cues, state, now=T0 + 5 * MIN) == {}
    state = RunState(status="running", index=0, deadline_at=T0 + 32 * MIN)
    assert running_late(cues, state, now=T0 + 5 * MIN) == {1: 2 * MIN, 2: 2 * MIN}


@pytest.mark.parametrize(("delay", "words"), [
    (timedelta(seconds=29), "Running about 1 minute late"), (timedelta(seconds=90), "Running about 2 minutes late"),
    (timedelta(minutes=8, seconds=20), "Running about 8 minutes late")])
def test_late_words_round_to_the_minute(delay, words):
    assert late_words(delay) == words


def test_planned_against_actual_per_session():
    cue = Cue(1, "Panel", "panel", T0, T0 + 30 * MIN)
    ran = ReportRow(0, cue.starts_at, cue.seconds, T0 + 2 * MIN, T0 + 38 * MIN, cue=cue)
    assert (ran.actual_seconds, ran.start_delay_seconds, ran.over_seconds) == (2160.0, 120.0, 360.0)
    not_run = ReportRow(0, cue.starts_at, cue.seconds, None, None, cue=cue)
    assert (not_run.actual_seconds, not_run.start_delay_seconds, not_run.over_seconds) == (None, None, None)


def test_messages_are_one_trimmed_line_of_at_most_140_characters():
    assert clean_message("  Wrap   up\n now\x00 ") == "Wrap up now"
    assert clean_message("x" * 140) == "x" * 140
    with pytest.raises(ValueError, match="at most 140"):
        clean_message("x" * 141)
    with pytest.raises(ValueError, match="Write a message"):
        clean_message("   ")


@pytest.mark.parametrize("deadline_minutes", [20, 30, 38, 50, 70])
def test_the_bound_of_a_later_start_agrees_with_the_expected_starts(deadline_minutes):
    cues = day_of_cues()
    state = RunState(status="running", index=0, deadline_at=T0 + deadline_minutes * MIN)
    now = T0 + 5 * MIN
    floor, after = start_bound(cues, 0, 2)
    assert (floor, after) == (T0 + 75 * MIN, 30 * MIN)
    assert max(floor, state.deadline_at + after) == expected_starts(cues, state, now)[3]
    assert start_bound(cues, 0, 1) == (T0 + 30 * MIN, timedelta(0))
