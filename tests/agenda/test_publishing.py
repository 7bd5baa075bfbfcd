"""Publishing: the changelog diff, releases, and the acknowledgement of conflicts."""
from datetime import datetime

import pytest

from mipevents.agenda.publishing import OpenConflicts, diff_snapshots, meeting_conflicts, publish_agenda, unacknowledged


def snap(title="Housing", starts="2025-01-22T14:00:00Z", ends="2025-01-22T15:00:00Z", room="Ballroom",
         status="published", speakers=("Mayor Ana Ruiz (Panelist)",)):
    return {"title": title, "starts_at": starts, "ends_at": ends, "room": room, "status": status,
            "speakers": list(speakers)}


def test_diff_lists_an_added_session_with_its_local_time():
    assert diff_snapshots({}, {"1": snap()}, "America/New_York") == [
        {"type": "added", "item_id": 1, "text": "Added “Housing” (Wednesday, January 22, 9:00 AM ET, Ballroom)."}]


def test_diff_lists_a_move_in_the_meetings_zone():
    before = {"1": snap()}
    after = {"1": snap(starts="2025-01-22T19:00:00Z", ends="2025-01-22T20:00:00Z", room="Salon A")}
    assert diff_snapshots(before, after, "America/Chicago") == [
        {"type": "moved", "item_id": 1,
         "text": "Moved “Housing” from Wednesday, January 22, 8:00 AM CT, Ballroom to Wednesday, January 22, 1:00 PM CT, Salon A."}]


def test_diff_lists_rename_cancel_reinstate_speakers_and_removal():
    before = {"1": snap(), "2": snap(title="Transit"), "3": snap(title="Parks", status="cancelled"), "4": snap(title="Gone")}
    after = {"1": snap(title="Housing for all"), "2": snap(title="Transit", status="cancelled"),
             "3": snap(title="Parks", speakers=("Mayor Ana Ruiz (Panelist)", "Dr. Lee (Moderator)"))}
    assert [(c["type"], c["item_id"], c["text"]) for c in diff_snapshots(before, after, "America/New_York")] == [
        ("renamed", 1, "Renamed “Housing” to “Housing for all”."),
        ("cancelled", 2, "Cancelled “Transit”."),
        ("restored", 3, "Reinstated “Parks”."),
        ("speakers", 3, "Speakers of “Parks”: added Dr. Lee (Moderator)."),
        ("removed", 4, "Removed “Gone”."),
    ]


def test_diff_of_identical_snapshots_is_empty():
    assert diff_snapshots({"1": snap()}, {"1": snap()}, "UTC") == []


def test_unacknowledged_takes_true_false_or_the_keys_seen(make_meeting, make_room, make_item):
    meeting = make_meeting()
    room = make_room(meeting)
    make_item(meeting, room=room)
    make_item(meeting, room=room)
    conflicts = meeting_conflicts(meeting)
    assert len(conflicts) == 1
    assert unacknowledged(conflicts, True) == []
    assert unacknowledged(conflicts, False) == conflicts
    assert unacknowledged(conflicts, [conflicts[0].key]) == []
    assert unacknowledged(conflicts, ["room:999:1,2"]) == conflicts


def test_publish_refuses_open_conflicts_and_records_the_accepted_ones(make_meeting, make_room, make_item, db_session):
    meeting = make_meeting(status="draft")
    room = make_room(meeting, "Ballroom")
    a = make_item(meeting, room=room, status="draft", title="Housing")
    b = make_item(meeting, room=room, status="draft", title="Transit")
    with pytest.raises(OpenConflicts) as raised:
        publish_agenda(meeting)
    assert [c.key for c in raised.value.conflicts] == [f"room:{room.id}:{a.id},{b.id}"]
    assert (meeting.status, a.status) == ("draft", "draft")
    release = publish_agenda(meeting, accept_conflicts=[f"room:{room.id}:{a.id},{b.id}"])
    assert release.number == 1
    assert release.conflicts_accepted == ["Ballroom is booked twice: “Housing” and “Transit” overlap."]
    assert (meeting.status, a.status, b.status, meeting.agenda_release) == ("published", "published", "published", 1)


def test_republishing_unchanged_records_nothing_and_a_move_records_a_release(make_meeting, make_item, db_session):
    meeting = make_meeting(status="draft")
    item = make_item(meeting, status="draft", title="Housing")
    assert publish_agenda(meeting).number == 1
    assert publish_agenda(meeting) is None
    from mipevents.core.timeutil import wall_clock_to_utc
    item.starts_at = wall_clock_to_utc(datetime(2025, 1, 22).date(), datetime(2025, 1, 22, 10).time(), meeting.timezone)
    item.ends_at = wall_clock_to_utc(datetime(2025, 1, 22).date(), datetime(2025, 1, 22, 11).time(), meeting.timezone)
    release = publish_agenda(meeting)
    assert (release.number, [c["type"] for c in release.changes]) == (2, ["moved"])
