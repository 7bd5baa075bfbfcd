"""Call deadlines: what staff type (a local date and time in a named zone) to a UTC instant, and the
words a reader sees ("closes Friday, February 28 at 11:59 PM CT — 6 days left"). Pure functions."""
from datetime import date, datetime, time, timedelta

from mipevents.core.timeutil import format_clock, format_day, to_local, wall_clock_to_utc, zone_abbrev

END_OF_DAY = time(23, 59)


def deadline_instant(day: date, zone: str, at: time | None = None) -> datetime:
    """The UTC instant of `day` at `at` (default 11:59 PM) in `zone`; DST is the zone's own on that day."""
    return wall_clock_to_utc(day, at or END_OF_DAY, zone)


def local_moment(instant: datetime, zone: str, now: datetime) -> str:
    """'Friday, February 28 at 11:59 PM CT' (the year added when it is not `now`'s year there)."""
    local = to_local(instant, zone)
    day = format_day(local.date())
    if local.year != to_local(now, zone).year:
        day += f", {local.year}"
    return f"{day} at {format_clock(local)} {zone_abbrev(zone, instant)}"


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def time_left(remaining: timedelta) -> str:
    """'6 days left', '1 day left', '5 hours left', '12 minutes left', 'less than a minute left'.

    Whole units, rounded down: a call with 6 days and 23 hours to go has '6 days left'."""
    seconds = int(remaining.total_seconds())
    if seconds <= 0:
        return "closed"
    if seconds >= 86400:
        return _plural(seconds // 86400, "day") + " left"
    if seconds >= 3600:
        return _plural(seconds // 3600, "hour") + " left"
    if seconds >= 60:
        return _plural(seconds // 60, "minute") + " left"
    return "less than a minute left"


def deadline_wording(deadline_at: datetime, zone: str, now: datetime, opens_at: datetime | None = None) -> str:
    """The line under a call's title: when it opens, or when it closes and how long is left, or
    that it closed."""
    if opens_at is not None and now < opens_at:
        return f"opens {local_moment(opens_at, zone, now)}; closes {local_moment(deadline_at, zone, now)}"
    if now >= deadline_at:
        return f"closed {local_moment(deadline_at, zone, now)}"
    return f"closes {local_moment(deadline_at, zone, now)} — {time_left(deadline_at - now)}"
