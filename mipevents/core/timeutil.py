"""Time: UTC instants in, wall-clock words out, in the zone of the meeting or webinar."""
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

# The generic names US readers expect ("12:00 PM CT"), whatever the season.
US_GENERIC = {
    "America/New_York": "ET", "America/Detroit": "ET", "America/Indiana/Indianapolis": "ET",
    "America/Kentucky/Louisville": "ET", "US/Eastern": "ET",
    "America/Chicago": "CT", "America/Indiana/Knox": "CT", "America/Menominee": "CT", "US/Central": "CT",
    "America/Denver": "MT", "America/Boise": "MT", "America/Phoenix": "MT", "US/Mountain": "MT",
    "America/Los_Angeles": "PT", "US/Pacific": "PT",
    "America/Anchorage": "AKT", "Pacific/Honolulu": "HT",
}


# The instant utcnow() answers instead of the system clock, when a test sets one (set_clock): time that
# must pass (a publish date arriving, a survey closing) is moved, never slept through.
_fixed_now: datetime | None = None


def utcnow() -> datetime:
    return _fixed_now if _fixed_now is not None else datetime.now(UTC)


def set_clock(instant: datetime | None) -> None:
    """Make utcnow() answer `instant` (aware) until set_clock(None) gives the system clock back."""
    global _fixed_now
    if instant is not None and instant.tzinfo is None:
        raise ValueError("naive datetime: instants must be timezone-aware")
    _fixed_now = instant


def checked_zone(name: str) -> str:
    """`name` when it is a time zone this system knows, else ValueError (for the models' checks)."""
    if not is_valid_zone(name):
        raise ValueError(f"unknown time zone {name!r}")
    return name


def is_valid_zone(name: str) -> bool:
    if not name or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


# The zones most US meetings use, first in every picker, in this order.
US_COMMON_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
                   "America/Anchorage", "Pacific/Honolulu")


def _zone_tab() -> str:
    """tzdata's zone.tab (the package pinned in requirements.txt, else the system's copy)."""
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        for folder in TZPATH:
            path = Path(folder) / "zone.tab"
            if path.is_file():
                return path.read_text(encoding="utf-8")
    return ""


@cache
def canonical_zones() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(US zones, every other zone): the zones a person picks from, one per region of a country as
    tzdata's zone.tab lists them, never an alias (US/Eastern, Asia/Calcutta) nor a bare offset. The
    common US zones come first, then the rest of the US; elsewhere by name, then UTC."""
    us, others = [], []
    for line in _zone_tab().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone = line.split("\t")[:3]
        if is_valid_zone(zone):
            (us if country == "US" else others).append(zone)
    rest_of_us = sorted(z for z in us if z not in US_COMMON_ZONES)
    return (tuple(z for z in US_COMMON_ZONES if is_valid_zone(z)) + tuple(rest_of_us),
            tuple(sorted(others)) + (("UTC",) if is_valid_zone("UTC") else ()))


def wall_clock_to_utc(day: date, at: time, zone: str) -> datetime:
    """What staff typed (Jan 22, 9:00) -> UTC, using the meeting's zone; DST handled by zoneinfo."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def parse_local(value: str, zone: str) -> datetime:
    """An ISO wall-clock time without offset ("2025-01-22T08:30:00") in `zone` -> aware UTC."""
    naive = datetime.fromisoformat(value)
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: instants must be timezone-aware")
    return instant.astimezone(ZoneInfo(zone))


def zone_abbrev(zone: str, at: datetime | None = None) -> str:
    """ET/CT/MT/PT for US zones; elsewhere the zone's own abbreviation at that instant."""
    if zone in US_GENERIC:
        return US_GENERIC[zone]
    return to_local(at or utcnow(), zone).tzname() or zone


def format_clock(local: datetime) -> str:
    """9:00 AM, 12:30 PM (no leading zero)."""
    return local.strftime("%I:%M %p").lstrip("0")


def format_time(instant: datetime, zone: str, with_zone: bool = True) -> str:
    """'12:00 PM CT' for an instant shown in `zone`."""
    text = format_clock(to_local(instant, zone))
    return f"{text} {zone_abbrev(zone, instant)}" if with_zone else text


def format_day(day: date) -> str:
    """'Wednesday, January 22'."""
    return f"{day:%A}, {day:%B} {day.day}"


def format_date(day: date) -> str:
    """'January 22, 2025'."""
    return f"{day:%B} {day.day}, {day.year}"


def format_date_range(first: date, last: date) -> str:
    """'January 22–24, 2025', 'January 30 – February 1, 2025', 'December 30, 2025 – January 2, 2026'."""
    if first == last:
        return format_date(first)
    if first.year != last.year:
        return f"{format_date(first)} – {format_date(last)}"
    if first.month != last.month:
        return f"{first:%B} {first.day} – {last:%B} {last.day}, {last.year}"
    return f"{first:%B} {first.day}–{last.day}, {last.year}"


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day begins and ends (23 or 25 hours across DST)."""
    start = wall_clock_to_utc(day, time(0), zone)
    end = wall_clock_to_utc(day + timedelta(days=1), time(0), zone)
    return start, end


def isoformat_z(instant: datetime) -> str:
    """'2025-01-22T13:30:00Z'."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
