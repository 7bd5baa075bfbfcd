"""VTIMEZONE definitions for a calendar's zones: the yearly-rule form (RRULE, as Outlook, Google and
Apple write it) whenever the zone's rules are regular over the years the file covers; times no
VTIMEZONE says alike to every client (a repeated hour, a zone whose rules changed) go in UTC."""
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _transitions(zone: str, year: int) -> list[tuple[datetime, timedelta, timedelta, bool, str]]:
    """The zone's offset changes in one year: (UTC instant, offset before, after, is DST after, name)."""
    tz = ZoneInfo(zone)
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = day.astimezone(tz).utcoffset()
    while day < end:
        nxt = day + timedelta(days=1)
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            low, high = day, nxt   # the change is in (low, high]: bisect to the minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= low:
                    mid = low + timedelta(minutes=1)
                if mid.astimezone(tz).utcoffset() == before:
                    low = mid
                else:
                    high = mid
            local = high.astimezone(tz)
            found.append((high, before, after, bool(local.dst()), local.tzname() or zone))
        before = after
        day = nxt
    return found


def _yearly_rule(instant: datetime, offset_from: timedelta) -> tuple[int, str, datetime]:
    """(month, BYDAY like '2SU' or '-1SU', local wall time before the change) of one transition."""
    wall = (instant + offset_from).replace(tzinfo=None)
    weekday = _WEEKDAYS[wall.weekday()]
    nth = (wall.day - 1) // 7 + 1
    next_month = date(wall.year + (wall.month == 12), wall.month % 12 + 1, 1)
    last_week = (next_month - wall.date()).days <= 7
    return wall.month, (f"-1{weekday}" if last_week and nth >= 4 else f"{nth}{weekday}"), wall


def _byday_matches(wall: datetime, byday: str) -> bool:
    weekday = _WEEKDAYS[wall.weekday()]
    if not byday.endswith(weekday):
        return False
    nth = int(byday[:-2])
    if nth > 0:
        return (wall.day - 1) // 7 + 1 == nth
    next_month = date(wall.year + (wall.month == 12), wall.month % 12 + 1, 1)
    return (next_month - wall.date()).days <= 7


@lru_cache(maxsize=64)
def _rule_timezone(zone: str, first_year: int, last_year: int) -> Timezone | None:
    """The zone as yearly rules valid for every year in range, or None when its rules changed."""
    years = {y: _transitions(zone, y) for y in range(first_year, last_year + 1)}
    tz = Timezone()
    tz.add("tzid", zone)
    tz.add("x-lic-location", zone)
    first = years[first_year]
    if all(not t for t in years.values()):
        local = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(zone))
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(first_year, 1, 1))
        standard.add("tzoffsetfrom", local.utcoffset())
        standard.add("tzoffsetto", local.utcoffset())
        standard.add("tzname", local.tzname() or zone)
        tz.add_component(standard)
        return tz
    if len(first) != 2:
        return None
    rules = []
    for instant, before, after, is_dst, name in first:
        month, byday, wall = _yearly_rule(instant, before)
        rules.append((month, byday, wall.time(), before, after, is_dst, name, wall))
    for changes in years.values():
        if len(changes) != 2:
            return None
        for (instant, before, after, is_dst, name), rule in zip(changes, rules, strict=True):
            wall = (instant + before).replace(tzinfo=None)
            if (wall.month, wall.time(), before, after, is_dst, name) != (rule[0], rule[2], *rule[3:7]) \
                    or not _byday_matches(wall, rule[1]):
                return None
    for month, byday, _, before, after, is_dst, name, wall in rules:
        part = TimezoneDaylight() if is_dst else TimezoneStandard()
        part.add("dtstart", wall)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": byday})
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", name)
        tz.add_component(part)
    return tz


def vtimezone(zone: str, first: date, last: date) -> Timezone | None:
    """A yearly-rule VTIMEZONE for `zone` that holds from `first` to `last` (with a year's margin
    when the rules allow), or None when the zone's rules changed within those years."""
    return _rule_timezone(zone, first.year - 1, last.year + 1) or _rule_timezone(zone, first.year, last.year)


def _is_ambiguous(local: datetime) -> bool:
    """A wall-clock time that happens twice (the hour repeated when clocks go back): parsers
    disagree on which one a TZID time means (ical.js takes the second, RFC 5545 the first)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _zoned(event: Event, key: str) -> datetime | None:
    """The event's DTSTART or DTEND when it is a time in a named zone (not a date, not UTC)."""
    value = event.get(key)
    moment = value.dt if value is not None else None
    if isinstance(moment, datetime) and isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key != "UTC":
        return moment
    return None


def zone_days(event: Event) -> list[tuple[str, date]]:
    """(zone, local day) of each of the event's zoned times: the span its VTIMEZONE must cover."""
    return [(moment.tzinfo.key, moment.date()) for key in ("dtstart", "dtend")
            if (moment := _zoned(event, key)) is not None]


def write_in_utc(event: Event, irregular: set[str]) -> None:
    """Times no VTIMEZONE says alike to every client (a repeated hour, a zone in `irregular`) in UTC."""
    for key in ("dtstart", "dtend"):
        moment = _zoned(event, key)
        if moment is not None and (moment.tzinfo.key in irregular or _is_ambiguous(moment)):
            event.pop(key)
            event.add(key, moment.astimezone(UTC))


def add_timezones(cal: Calendar, events: list[Event]) -> None:
    """A VTIMEZONE per zone the events use. Times no VTIMEZONE can say the same way to every client
    (a repeated hour, or a zone whose rules changed within the file's years) are written in UTC,
    which every client reads alike and shows in its user's own zone."""
    spans: dict[str, list[date]] = {}
    for event in events:
        for zone, day in zone_days(event):
            spans.setdefault(zone, []).append(day)
    irregular = set()
    for zone in sorted(spans):
        tz = vtimezone(zone, min(spans[zone]), max(spans[zone]))
        if tz is None:
            irregular.add(zone)
        else:
            cal.add_component(tz)
    for event in events:
        write_in_utc(event, irregular)
