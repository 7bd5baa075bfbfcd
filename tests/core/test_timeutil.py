from datetime import UTC, date, datetime, time

from mipevents.core.timeutil import format_date_range, format_time, local_day_bounds, wall_clock_to_utc, zone_abbrev


def test_wall_clock_to_utc_follows_daylight_saving():
    # 2025-03-09: clocks spring forward in New York at 2:00 AM.
    assert wall_clock_to_utc(date(2025, 3, 8), time(9), "America/New_York") == datetime(2025, 3, 8, 14, tzinfo=UTC)
    assert wall_clock_to_utc(date(2025, 3, 9), time(9), "America/New_York") == datetime(2025, 3, 9, 13, tzinfo=UTC)


def test_format_time_uses_the_generic_us_zone_name():
    noon_ct = datetime(2025, 2, 10, 18, 0, tzinfo=UTC)
    assert format_time(noon_ct, "America/Chicago") == "12:00 PM CT"
    assert format_time(datetime(2025, 7, 10, 13, 30, tzinfo=UTC), "America/New_York") == "9:30 AM ET"


def test_zone_abbrev_outside_the_us_is_the_zones_own():
    assert zone_abbrev("Europe/Berlin", datetime(2025, 7, 1, tzinfo=UTC)) == "CEST"


def test_local_day_bounds_is_23_hours_on_the_spring_change():
    start, end = local_day_bounds(date(2025, 3, 9), "America/New_York")
    assert (end - start).total_seconds() == 23 * 3600


def test_format_date_range_reads_naturally():
    assert format_date_range(date(2025, 1, 22), date(2025, 1, 24)) == "January 22–24, 2025"
    assert format_date_range(date(2025, 1, 30), date(2025, 2, 1)) == "January 30 – February 1, 2025"
