"""Duplicating a meeting keeps each session's local wall-clock time and day offset in the new
meeting's zone — across daylight saving changes, never a fixed UTC shift."""
from datetime import UTC, date, datetime

from mipevents.agenda.publishing import meeting_items
from mipevents.core.timeutil import to_local
from mipevents.workflows.duplication import duplicate_meeting


def local_times(meeting):
    return [(to_local(i.starts_at, meeting.timezone).strftime("%a %Y-%m-%d %H:%M"),
             to_local(i.ends_at, meeting.timezone).strftime("%H:%M"), i.title) for i in meeting_items(meeting)]


def test_winter_standard_time_to_summer_daylight_time_keeps_the_wall_clock(make_meeting, make_item):
    source = make_meeting(starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24), timezone="America/Chicago")
    make_item(source, at=datetime(2025, 1, 23, 9, 0), minutes=90, title="Opening")
    copy = duplicate_meeting(source, name="Summer", slug="summer", starts_on=date(2025, 7, 16))
    [item] = meeting_items(copy)
    # 9:00 AM CST was 15:00Z; 9:00 AM CDT is 14:00Z (a fixed shift would give 10:00 AM).
    assert (item.starts_at, item.ends_at) == (datetime(2025, 7, 17, 14, 0, tzinfo=UTC), datetime(2025, 7, 17, 15, 30, tzinfo=UTC))
    assert local_times(copy) == [("Thu 2025-07-17 09:00", "10:30", "Opening")]


def test_a_meeting_spanning_the_spring_change_keeps_each_days_local_times(make_meeting, make_item):
    # Mar 8-10, 2025 in New York: DST begins on the 9th, so day 1 is EST and days 2-3 are EDT.
    source = make_meeting(starts_on=date(2025, 3, 8), ends_on=date(2025, 3, 10), timezone="America/New_York")
    for day in (8, 9, 10):
        make_item(source, at=datetime(2025, 3, day, 9, 0), title=f"Morning {day}")
    make_item(source, at=datetime(2025, 3, 8, 23, 30), minutes=60, title="Late")   # crosses midnight into day 2
    # The new meeting starts on a Saturday in February: every day is EST.
    copy = duplicate_meeting(source, name="Next", slug="next", starts_on=date(2026, 2, 7))
    assert local_times(copy) == [("Sat 2026-02-07 09:00", "10:00", "Morning 8"), ("Sat 2026-02-07 23:30", "00:30", "Late"),
                                 ("Sun 2026-02-08 09:00", "10:00", "Morning 9"), ("Mon 2026-02-09 09:00", "10:00", "Morning 10")]
    assert (copy.starts_on, copy.ends_on) == (date(2026, 2, 7), date(2026, 2, 9))


def test_duplicating_into_another_zone_keeps_the_local_times_there(make_meeting, make_item, make_room):
    source = make_meeting(starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 23), timezone="America/New_York")
    room = make_room(source, "Ballroom")
    make_item(source, at=datetime(2025, 1, 22, 12, 0), room=room, title="Lunch", kind="meal")
    copy = duplicate_meeting(source, name="West", slug="west", starts_on=date(2025, 8, 6), timezone="America/Los_Angeles")
    [item] = meeting_items(copy)
    assert local_times(copy) == [("Wed 2025-08-06 12:00", "13:00", "Lunch")]
    assert (item.room.name, item.room.meeting_id, item.kind) == ("Ballroom", copy.id, "meal")


def test_the_copy_is_all_drafts_without_releases_or_cancelled_sessions(make_meeting, make_item, make_speaker):
    source = make_meeting()
    speaker = make_speaker()
    make_item(source, title="Kept", speakers=[(speaker, "moderator")], press_status="closed")
    make_item(source, title="Dropped", status="cancelled", sequence=3)
    copy = duplicate_meeting(source, name="Copy", slug="copy", starts_on=date(2026, 1, 21), with_speakers=True)
    [item] = meeting_items(copy)
    assert (copy.status, copy.agenda_release, item.status, item.sequence, item.press_status) == ("draft", 0, "draft", 0, "closed")
    assert [(link.speaker_id, link.role) for link in item.speaker_links] == [(speaker.id, "moderator")]
    bare = duplicate_meeting(source, name="Bare", slug="bare", starts_on=date(2027, 1, 20))
    assert [i.speaker_links for i in meeting_items(bare)] == [[]]
