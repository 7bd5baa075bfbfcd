from datetime import UTC, date, datetime, time, timedelta

import pytest

from mipevents.calls.deadlines import deadline_instant, deadline_wording, local_moment, time_left


def test_deadline_defaults_to_end_of_day_in_its_zone():
    assert deadline_instant(date(2025, 2, 28), "America/Chicago") == datetime(2025, 3, 1, 5, 59, tzinfo=UTC)


def test_deadline_after_the_march_change_uses_daylight_time():
    # DST began Sunday March 9, 2025: Chicago is UTC-5 on March 14, not UTC-6.
    assert deadline_instant(date(2025, 3, 14), "America/Chicago") == datetime(2025, 3, 15, 4, 59, tzinfo=UTC)
    assert deadline_instant(date(2025, 3, 7), "America/Chicago") == datetime(2025, 3, 8, 5, 59, tzinfo=UTC)


def test_deadline_on_the_day_of_the_change_itself():
    assert deadline_instant(date(2025, 3, 9), "America/Chicago") == datetime(2025, 3, 10, 4, 59, tzinfo=UTC)


def test_the_same_wall_clock_deadline_in_other_zones():
    day = date(2025, 3, 14)
    assert deadline_instant(day, "America/New_York") == datetime(2025, 3, 15, 3, 59, tzinfo=UTC)
    assert deadline_instant(day, "America/Los_Angeles") == datetime(2025, 3, 15, 6, 59, tzinfo=UTC)
    assert deadline_instant(day, "America/Phoenix") == datetime(2025, 3, 15, 6, 59, tzinfo=UTC)   # no DST
    assert deadline_instant(day, "Europe/London") == datetime(2025, 3, 14, 23, 59, tzinfo=UTC)     # not yet BST
    assert deadline_instant(day, "America/Chicago", time(17, 0)) == datetime(2025, 3, 14, 22, 0, tzinfo=UTC)


def test_deadline_in_november_after_the_change_back():
    assert deadline_instant(date(2025, 11, 3), "America/Chicago") == datetime(2025, 11, 4, 5, 59, tzinfo=UTC)


def test_wording_reads_the_deadline_in_its_zone_with_days_left():
    deadline = deadline_instant(date(2025, 2, 28), "America/Chicago")
    now = datetime(2025, 2, 22, 12, 0, tzinfo=UTC)
    assert deadline_wording(deadline, "America/Chicago", now) == "closes Friday, February 28 at 11:59 PM CT — 6 days left"


def test_wording_in_another_zone_names_that_zone():
    deadline = deadline_instant(date(2025, 2, 28), "America/New_York", time(17, 0))
    now = datetime(2025, 2, 27, 12, 0, tzinfo=UTC)
    assert deadline_wording(deadline, "America/New_York", now) == "closes Friday, February 28 at 5:00 PM ET — 1 day left"


def test_wording_adds_the_year_when_it_is_not_this_year():
    deadline = deadline_instant(date(2026, 1, 9), "America/Chicago")
    now = datetime(2025, 12, 20, 12, 0, tzinfo=UTC)
    assert deadline_wording(deadline, "America/Chicago", now) == "closes Friday, January 9, 2026 at 11:59 PM CT — 20 days left"


def test_wording_after_the_deadline_says_closed():
    deadline = deadline_instant(date(2025, 2, 28), "America/Chicago")
    assert deadline_wording(deadline, "America/Chicago", deadline) == "closed Friday, February 28 at 11:59 PM CT"


def test_wording_before_opening_says_when_it_opens():
    opens = datetime(2025, 2, 3, 15, 0, tzinfo=UTC)
    deadline = deadline_instant(date(2025, 2, 28), "America/Chicago")
    now = datetime(2025, 2, 1, 12, 0, tzinfo=UTC)
    assert deadline_wording(deadline, "America/Chicago", now, opens) == \
        "opens Monday, February 3 at 9:00 AM CT; closes Friday, February 28 at 11:59 PM CT"


@pytest.mark.parametrize(("remaining", "words"), [
    (timedelta(days=6, hours=23, minutes=59), "6 days left"),
    (timedelta(days=2), "2 days left"),
    (timedelta(days=1, hours=23), "1 day left"),
    (timedelta(days=1), "1 day left"),
    (timedelta(hours=23, minutes=59), "23 hours left"),
    (timedelta(hours=1), "1 hour left"),
    (timedelta(minutes=59, seconds=59), "59 minutes left"),
    (timedelta(minutes=1), "1 minute left"),
    (timedelta(seconds=59), "less than a minute left"),
    (timedelta(0), "closed"),
    (timedelta(seconds=-5), "closed"),
])
def test_time_left_in_whole_units_rounded_down(remaining, words):
    assert time_left(remaining) == words


def test_local_moment_uses_the_generic_us_zone_name_in_summer():
    instant = datetime(2025, 7, 16, 15, 45, tzinfo=UTC)
    assert local_moment(instant, "America/Chicago", instant) == "Wednesday, July 16 at 10:45 AM CT"
