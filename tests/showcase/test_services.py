"""Showcase services on the database: line-up edits bump the meeting's version, the run's
persistence records actual starts and ends, the display state."""
from datetime import UTC, datetime, timedelta

import pytest

from mipevents.agenda.publishing import showcase_seconds
from mipevents.extensions import db
from mipevents.showcase import queries, services
from mipevents.showcase.live import InvalidAction
from mipevents.showcase.models import ShowcaseRun

T0 = datetime(2025, 1, 23, 15, 45, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.at = T0

    def __call__(self):
        return self.at


def order(item):
    return [s.title for s in queries.lineup(item)]


def test_add_slot_takes_name_city_and_state_from_the_speaker(make_showcase, make_speaker):
    meeting, item, _ = make_showcase(presenters=2)
    speaker = make_speaker(name="Ada Lovelace", city="Tacoma", state="WA")
    version = meeting.agenda_version
    slot = services.add_slot(item, {"speaker_id": speaker.id, "title": "Quick-build crosswalks"}, position=1)
    assert (slot.presenter_name, slot.city, slot.state, slot.status) == ("Mayor Ada Lovelace", "Tacoma", "WA", "published")
    assert order(item) == ["Quick-build crosswalks", "Idea 1", "Idea 2"]
    assert meeting.agenda_version == version + 1


def test_add_draft_slot_does_not_touch_the_public_version(make_showcase):
    meeting, item, _ = make_showcase(presenters=1)
    version = meeting.agenda_version
    services.add_slot(item, {"presenter_name": "Mayor Draft", "title": "Accepted proposal", "status": "draft"})
    assert meeting.agenda_version == version
    assert order(item) == ["Idea 1", "Accepted proposal"]


def test_move_and_reorder_renumber_positions(make_showcase):
    meeting, item, slots = make_showcase(presenters=3)
    version = meeting.agenda_version
    assert services.move_slot(slots[2], "up") is True
    assert order(item) == ["Idea 1", "Idea 3", "Idea 2"]
    assert services.move_slot(slots[0], "up") is False           # already first
    assert meeting.agenda_version == version + 1
    services.reorder(item, [slots[1].id, slots[0].id, slots[2].id])
    assert order(item) == ["Idea 2", "Idea 1", "Idea 3"]
    assert [s.position for s in queries.lineup(item)] == [0, 1, 2]
    with pytest.raises(ValueError):
        services.reorder(item, [slots[0].id, slots[0].id, slots[2].id])


def test_remove_slot_closes_the_gap(make_showcase):
    meeting, item, slots = make_showcase(presenters=3)
    services.remove_slot(slots[0])
    assert [(s.title, s.position) for s in queries.lineup(item)] == [("Idea 2", 0), ("Idea 3", 1)]


def test_timing_agrees_with_the_conflict_list(make_showcase):
    meeting, item, slots = make_showcase(presenters=4, minutes=10)
    slots[1].duration_seconds = 240
    services.update_timing(item, 150, 20)
    fit = queries.fit(item, queries.lineup(item))
    assert fit.needed_seconds == 150 + 240 + 150 + 150 + 3 * 20
    assert showcase_seconds([item.id]) == {item.id: fit.needed_seconds}
    assert fit.overrun_seconds == fit.needed_seconds - 600


def test_publish_drafts(make_showcase):
    meeting, item, _ = make_showcase(presenters=3, statuses=["published", "draft", "draft"])
    assert [s.title for s in queries.lineup(item, public_only=True)] == ["Idea 1"]
    assert services.publish_drafts(item) == 2
    assert len(queries.lineup(item, public_only=True)) == 3


def test_act_records_actual_start_and_end(make_showcase):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    clock = Clock()
    services.act(item.id, "start", clock=clock)
    clock.at += timedelta(seconds=200)
    run, _ = services.act(item.id, "next", clock=clock)
    db.session.commit()
    assert (slots[0].actual_started_at, slots[0].actual_ended_at) == (T0, T0 + timedelta(seconds=200))
    assert (run.state, run.current_slot_id, run.remaining_us, run.version) == ("ready", slots[1].id, 180_000_000, 2)
    report = queries.overtime(item, queries.lineup(item, public_only=True))
    assert [r.over_seconds for r in report.rows] == [20, None]


def test_act_stores_pauses_in_microseconds(make_showcase):
    meeting, item, slots = make_showcase(presenters=1)
    db.session.commit()
    clock = Clock()
    services.act(item.id, "start", clock=clock)
    clock.at += timedelta(seconds=12, microseconds=345678)
    run, _ = services.act(item.id, "pause", clock=clock)
    db.session.commit()
    db.session.expire_all()
    run = db.session.get(ShowcaseRun, run.id)
    assert run.remaining_us == 180_000_000 - 12_345_678
    clock.at += timedelta(hours=1)
    run, _ = services.act(item.id, "resume", clock=clock)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ShowcaseRun, run.id).deadline_at == clock.at + timedelta(microseconds=180_000_000 - 12_345_678)


def test_act_refuses_what_makes_no_sense(make_showcase):
    meeting, item, _ = make_showcase(presenters=1)
    db.session.commit()
    with pytest.raises(InvalidAction):
        services.act(item.id, "pause")


def test_the_run_skips_draft_slots(make_showcase):
    meeting, item, slots = make_showcase(presenters=3, statuses=["draft", "published", "published"])
    db.session.commit()
    run, _ = services.act(item.id, "start", clock=Clock())
    assert run.current_slot_id == slots[1].id


def test_display_state_while_running(make_showcase):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    run, public = services.act(item.id, "start", clock=Clock())
    state = services.display_state(item, run, public)
    assert state["status"] == "running"
    assert state["deadline_ms"] == (T0 + timedelta(seconds=180)).timestamp() * 1000
    assert state["remaining_ms"] is None
    assert (state["slot"]["presenter"], state["slot"]["order"], state["next"]["title"]) == ("Mayor Number 1", 1, "Idea 2")
    assert services.allowed_actions(state) == {"pause", "next", "restart", "add30"}


def test_display_state_before_the_run_shows_who_is_first(make_showcase):
    meeting, item, slots = make_showcase(presenters=2)
    state = services.display_state(item, None, queries.lineup(item, public_only=True))
    assert (state["status"], state["slot"], state["next"]["presenter"], state["version"]) == ("idle", None, "Mayor Number 1", 0)
    assert services.allowed_actions(state) == {"start"}


def test_ideas_only_from_meetings_that_are_over(make_showcase, make_meeting):
    from datetime import date

    past = make_meeting(name="Past", starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    future = make_meeting(name="Future", starts_on=date(2099, 1, 22), ends_on=date(2099, 1, 24))
    make_showcase(meeting=past, presenters=3, statuses=["published", "published", "draft"])
    make_showcase(meeting=future, presenters=2)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    ideas, topics = queries.ideas(None, now)
    assert [i.slot.title for i in ideas] == ["Idea 1", "Idea 2"]
    assert topics == [("Climate", 1), ("Housing", 1)]
    assert [i.slot.title for i in queries.ideas("Climate", now)[0]] == ["Idea 2"]


def test_is_over_uses_the_meetings_zone(make_meeting):
    from datetime import date

    meeting = make_meeting(ends_on=date(2025, 1, 24), timezone="America/Chicago")
    assert queries.is_over(meeting, datetime(2025, 1, 25, 5, 59, tzinfo=UTC)) is False
    assert queries.is_over(meeting, datetime(2025, 1, 25, 6, 0, tzinfo=UTC)) is True


def test_meeting_speakers_include_presenters_who_speak_nowhere_else(make_showcase, make_speaker, make_item):
    meeting, item, slots = make_showcase(presenters=1)
    panelist = make_speaker(name="Bea Panel")
    presenter = make_speaker(name="Al Presenter")
    make_speaker(name="Zed Elsewhere")
    make_item(meeting, speakers=[panelist])
    slots[0].speaker_id = presenter.id
    db.session.flush()
    assert [s.name for s in queries.speakers_to_pick(meeting)] == ["Al Presenter", "Bea Panel"]


def test_act_refuses_a_press_made_on_a_state_that_moved_on(make_showcase):
    meeting, item, slots = make_showcase(presenters=3)
    db.session.commit()
    run, _ = services.act(item.id, "start", expected_version=0, clock=Clock())
    db.session.commit()
    services.act(item.id, "next", expected_version=1, clock=Clock())
    db.session.commit()
    with pytest.raises(InvalidAction):     # a second "Next" from a page that still showed version 1
        services.act(item.id, "next", expected_version=1, clock=Clock())
    db.session.rollback()
    assert services.run_for(item).current_slot_id == slots[1].id


def test_display_state_carries_the_planned_end_of_the_slot_on_stage(make_showcase):
    """From it the displays show how far the run is behind its plan: before the run the first
    slot's planned end, then the current one's (slots of 180 s, a changeover of 15 s)."""
    meeting, item, slots = make_showcase(presenters=3)
    db.session.commit()
    public = queries.lineup(item, public_only=True)
    assert item.changeover_seconds == 15
    assert services.display_state(item, None, public)["planned_end_ms"] == (
        item.starts_at + timedelta(seconds=180)).timestamp() * 1000
    services.act(item.id, "start", clock=Clock())
    run, public = services.act(item.id, "next", clock=Clock())
    assert services.display_state(item, run, public)["planned_end_ms"] == (
        item.starts_at + timedelta(seconds=180 + 15 + 180)).timestamp() * 1000
    services.act(item.id, "next", clock=Clock())
    run, public = services.act(item.id, "next", clock=Clock())
    assert services.display_state(item, run, public)["planned_end_ms"] is None     # finished
