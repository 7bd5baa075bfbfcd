"""The conflict rules on plain values: rooms, speakers, dates, impossible times, showcases."""
from datetime import UTC, date, datetime, timedelta

from mipevents.agenda.conflicts import Placed, conflicting_ids, conflicts_of, find_conflicts, overlaps


def at(hour, minute=0, day=22, month=1):
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def placed(id, start, minutes=60, **over):
    return Placed(id=id, title=over.pop("title", f"S{id}"), starts_at=start, ends_at=start + timedelta(minutes=minutes), **over)


def test_touching_sessions_in_one_room_do_not_conflict():
    a = placed(1, at(14), 60, room_id=7, room_name="Ballroom")
    b = placed(2, at(15), 60, room_id=7, room_name="Ballroom")
    assert overlaps(a, b) is False
    assert find_conflicts([a, b]) == []


def test_overlapping_sessions_in_one_room_conflict_once():
    a = placed(1, at(14), 60, room_id=7, room_name="Ballroom", title="Housing")
    b = placed(2, at(14, 59), 30, room_id=7, room_name="Ballroom", title="Transit")
    conflicts = find_conflicts([a, b])
    assert [(c.kind, c.message, c.item_ids, c.key) for c in conflicts] == [
        ("room", "Ballroom is booked twice: “Housing” and “Transit” overlap.", (1, 2), "room:7:1,2")]


def test_sessions_in_different_rooms_do_not_conflict():
    assert find_conflicts([placed(1, at(14), room_id=1), placed(2, at(14), room_id=2), placed(3, at(14))]) == []


def test_a_speaker_in_two_overlapping_sessions_conflicts():
    mayor = (5, "Mayor Ana Ruiz")
    a = placed(1, at(14), 90, room_id=1, speakers=(mayor,), title="Housing")
    b = placed(2, at(15), 60, room_id=2, speakers=(mayor, (6, "Dr. Lee")), title="Transit")
    assert [(c.kind, c.message, c.key) for c in find_conflicts([a, b])] == [
        ("speaker", "Mayor Ana Ruiz is in two sessions at once: “Housing” and “Transit”.", "speaker:5:1,2")]


def test_cancelled_sessions_never_conflict():
    mayor = (5, "Mayor Ana Ruiz")
    a = placed(1, at(14), 60, room_id=1, speakers=(mayor,))
    b = placed(2, at(14), 60, room_id=1, speakers=(mayor,), is_cancelled=True)
    assert find_conflicts([a, b], date(2025, 1, 22), date(2025, 1, 22), "America/Chicago") == []


def test_three_overlapping_sessions_give_each_pair():
    items = [placed(i, at(14, 10 * i), 60, room_id=1) for i in (1, 2, 3)]
    assert [c.item_ids for c in find_conflicts(items)] == [(1, 2), (1, 3), (2, 3)]


def test_time_zone_edge_late_evening_local_is_inside_the_meeting():
    # 10:00 PM CST on the last day is 04:00 UTC the next day: still inside.
    late = placed(1, at(4, 0, day=25), 60)
    assert find_conflicts([late], date(2025, 1, 23), date(2025, 1, 24), "America/Chicago") == []


def test_time_zone_edge_early_morning_utc_day_is_outside_in_the_meetings_zone():
    # 01:00 UTC on Jan 23 is 7:00 PM CST on Jan 22: the day before a meeting that opens on the 23rd.
    early = placed(1, at(1, 0, day=23), 60, title="Early")
    conflicts = find_conflicts([early], date(2025, 1, 23), date(2025, 1, 24), "America/Chicago")
    assert [(c.kind, c.message) for c in conflicts] == [("outside_dates", "“Early” falls outside the meeting's dates.")]


def test_ending_at_midnight_of_the_last_day_is_inside():
    # 11:00 PM - midnight CST on the last day (Jan 24) = 05:00 - 06:00 UTC on Jan 25.
    closing = placed(1, at(5, 0, day=25), 60)
    assert find_conflicts([closing], date(2025, 1, 23), date(2025, 1, 24), "America/Chicago") == []
    past = placed(2, at(5, 30, day=25), 60)
    assert [c.kind for c in find_conflicts([past], date(2025, 1, 23), date(2025, 1, 24), "America/Chicago")] == ["outside_dates"]


def test_the_repeated_hour_of_a_dst_fall_back_is_two_different_hours():
    # Nov 2, 2025 in Chicago: 1:00-1:45 AM CDT (06:00Z) and 1:15-2:00 AM CST (07:15Z) share a wall clock, not a time.
    first = Placed(1, "Late", datetime(2025, 11, 2, 6, 0, tzinfo=UTC), datetime(2025, 11, 2, 6, 45, tzinfo=UTC), room_id=1)
    second = Placed(2, "Later", datetime(2025, 11, 2, 7, 15, tzinfo=UTC), datetime(2025, 11, 2, 8, 0, tzinfo=UTC), room_id=1)
    assert find_conflicts([first, second], date(2025, 11, 1), date(2025, 11, 2), "America/Chicago") == []


def test_dst_spring_forward_day_is_23_hours_long_for_date_checks():
    # Mar 9, 2025 in New York: 11:00 PM EDT on the last day ends at 04:00Z on Mar 10 + 1 h = midnight local.
    last_hour = Placed(1, "Nightcap", datetime(2025, 3, 10, 3, 0, tzinfo=UTC), datetime(2025, 3, 10, 4, 0, tzinfo=UTC))
    assert find_conflicts([last_hour], date(2025, 3, 8), date(2025, 3, 9), "America/New_York") == []


def test_an_end_before_the_start_is_reported_first_and_not_compared():
    broken = Placed(1, "Backwards", at(15), at(14), room_id=1)
    fine = placed(2, at(14, 30), 60, room_id=1)
    conflicts = find_conflicts([fine, broken])
    assert [(c.kind, c.message, c.is_impossible) for c in conflicts] == [("ends_before_start", "“Backwards” ends before it starts.", True)]


def test_showcase_that_overruns_its_session():
    show = placed(1, at(14), 30, kind="showcase", showcase_seconds=30 * 60 + 75, title="Showcase")
    fits = placed(2, at(16), 30, kind="showcase", showcase_seconds=30 * 60)
    assert [(c.kind, c.message) for c in find_conflicts([show, fits])] == [
        ("showcase_overrun", "The showcase “Showcase” overruns its session by 1:15.")]


def test_conflicts_of_one_session_and_ids_involved():
    a, b, c = placed(1, at(14), room_id=1), placed(2, at(14), room_id=1), placed(3, at(18), room_id=1)
    conflicts = find_conflicts([a, b, c])
    assert [x.item_ids for x in conflicts_of(conflicts, 2)] == [(1, 2)]
    assert conflicts_of(conflicts, 3) == []
    assert conflicting_ids(conflicts) == {1, 2}
