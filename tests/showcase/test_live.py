"""The live run's state machine, driven by an injected clock."""
from datetime import UTC, datetime, timedelta

import pytest

from mipevents.showcase.live import InvalidAction, LiveRun, Mark, RunState

T0 = datetime(2025, 1, 22, 15, 45, tzinfo=UTC)


class Clock:
    def __init__(self, at=T0):
        self.at = at

    def __call__(self):
        return self.at

    def advance(self, **delta):
        self.at += timedelta(**delta)


def run(lengths=(180, 180, 120)):
    clock = Clock()
    return LiveRun(list(lengths), clock=clock), clock


def test_start_runs_the_first_slot_with_a_deadline_and_marks_its_start():
    machine, clock = run()
    marks = machine.start()
    assert machine.state == RunState(status="running", index=0, deadline_at=T0 + timedelta(seconds=180))
    assert marks == [Mark(0, "started", T0)]
    clock.advance(seconds=61, milliseconds=250)
    assert machine.state.remaining_at(clock()) == timedelta(seconds=118, milliseconds=750)


def test_pause_and_resume_conserve_the_remaining_time_exactly():
    machine, clock = run()
    machine.start()
    clock.advance(seconds=42, microseconds=123457)
    machine.pause()
    left = timedelta(seconds=180) - timedelta(seconds=42, microseconds=123457)
    assert machine.state.status == "paused"
    assert machine.state.remaining == left
    clock.advance(minutes=7, microseconds=3)          # however long the pause
    assert machine.state.remaining_at(clock()) == left
    machine.resume()
    assert machine.state.remaining_at(clock()) == left
    assert machine.state.deadline_at == clock() + left
    clock.advance(seconds=10)
    assert machine.state.remaining_at(clock()) == left - timedelta(seconds=10)


def test_many_pauses_lose_no_time():
    machine, clock = run()
    machine.start()
    for _ in range(50):
        clock.advance(milliseconds=333, microseconds=7)
        machine.pause()
        clock.advance(seconds=5, microseconds=911)
        machine.resume()
    assert machine.state.remaining_at(clock()) == timedelta(seconds=180) - 50 * timedelta(milliseconds=333, microseconds=7)


def test_overtime_is_negative_remaining_time():
    machine, clock = run()
    machine.start()
    clock.advance(seconds=195)
    assert machine.state.remaining_at(clock()) == timedelta(seconds=-15)
    machine.pause()
    assert machine.state.remaining == timedelta(seconds=-15)


def test_next_ends_the_slot_and_makes_the_following_one_ready():
    machine, clock = run()
    machine.start()
    clock.advance(seconds=190)
    marks = machine.next()
    assert marks == [Mark(0, "ended", T0 + timedelta(seconds=190))]
    assert machine.state == RunState(status="ready", index=1, remaining=timedelta(seconds=180))
    clock.advance(seconds=15)
    assert machine.start() == [Mark(1, "started", T0 + timedelta(seconds=205))]


def test_next_from_a_paused_slot_ends_it_at_the_press():
    machine, clock = run()
    machine.start()
    clock.advance(seconds=20)
    machine.pause()
    clock.advance(seconds=5)
    assert machine.next() == [Mark(0, "ended", T0 + timedelta(seconds=25))]


def test_next_after_the_last_slot_finishes_the_run():
    machine, clock = run(lengths=(60,))
    machine.start()
    clock.advance(seconds=60)
    machine.next()
    assert machine.state == RunState(status="finished")
    assert machine.state.remaining_at(clock()) is None
    with pytest.raises(InvalidAction):
        machine.next()


def test_next_from_ready_skips_without_marks():
    machine, _ = run()
    machine.start()
    machine.next()
    assert machine.next() == []
    assert (machine.state.status, machine.state.index) == ("ready", 2)


def test_previous_goes_back_to_a_full_clock():
    machine, clock = run()
    machine.start()
    clock.advance(seconds=30)
    machine.next()
    machine.start()
    clock.advance(seconds=3)
    marks = machine.previous()
    assert marks == [Mark(1, "ended", T0 + timedelta(seconds=33))]
    assert machine.state == RunState(status="ready", index=0, remaining=timedelta(seconds=180))


def test_previous_from_finished_returns_to_the_last_slot():
    machine, _ = run(lengths=(60, 90))
    machine.start()
    machine.next()
    machine.next()
    assert machine.state.status == "finished"
    machine.previous()
    assert machine.state == RunState(status="ready", index=1, remaining=timedelta(seconds=90))


def test_previous_at_the_first_slot_is_refused():
    machine, _ = run()
    machine.start()
    with pytest.raises(InvalidAction):
        machine.previous()
    with pytest.raises(InvalidAction):
        LiveRun([180], clock=Clock()).previous()


def test_restart_puts_the_slot_back_to_full_length_and_clears_its_record():
    machine, clock = run()
    machine.start()
    machine.add30()
    clock.advance(seconds=100)
    marks = machine.restart()
    assert marks == [Mark(0, "cleared", T0 + timedelta(seconds=100))]
    assert machine.state == RunState(status="ready", index=0, remaining=timedelta(seconds=180))


def test_add30_while_running_moves_the_deadline():
    machine, clock = run()
    machine.start()
    clock.advance(seconds=170)
    machine.add30()
    assert machine.state.remaining_at(clock()) == timedelta(seconds=40)
    assert machine.state.added == timedelta(seconds=30)


def test_add30_while_paused_and_ready_adds_to_the_clock():
    machine, clock = run()
    machine.start()
    machine.next()
    machine.add30()
    assert machine.state.remaining == timedelta(seconds=210)
    machine.start()
    clock.advance(seconds=10)
    machine.pause()
    machine.add30()
    assert machine.state.remaining == timedelta(seconds=230)
    assert machine.state.added == timedelta(seconds=60)


@pytest.mark.parametrize(("status", "action"), [("idle", "pause"), ("idle", "resume"), ("idle", "next"),
                                                ("idle", "restart"), ("idle", "add30"), ("running", "start"),
                                                ("running", "resume"), ("paused", "pause"), ("paused", "start"),
                                                ("finished", "start"), ("finished", "add30")])
def test_actions_that_make_no_sense_are_refused(status, action):
    states = {"idle": RunState(), "finished": RunState(status="finished"),
              "running": RunState(status="running", index=0, deadline_at=T0),
              "paused": RunState(status="paused", index=0, remaining=timedelta(seconds=5))}
    machine = LiveRun([180, 180], clock=Clock(), state=states[status])
    with pytest.raises(InvalidAction):
        machine.apply(action)
    assert machine.state == states[status]


def test_an_empty_lineup_cannot_start():
    with pytest.raises(InvalidAction):
        LiveRun([], clock=Clock()).start()


def test_unknown_actions_are_refused():
    with pytest.raises(InvalidAction):
        LiveRun([180], clock=Clock()).apply("explode")
