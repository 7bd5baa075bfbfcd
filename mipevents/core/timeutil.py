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
    """`name` in its canonical form (canonical_zone) when it is a time zone this system knows, else
    ValueError (for the models' checks: whatever sets a zone, a form, an import or the API, stores the
    name the pickers offer)."""
    if not is_valid_zone(name):
        raise ValueError(f"unknown time zone {name!r}")
    return canonical_zone(name)


def canonical_zone(name: str) -> str:
    """The canonical name of a zone given by an alias ("US/Eastern" -> "America/New_York"); any
    other name as it is."""
    return ZONE_ALIASES.get(name, name)


# Alias -> the canonical name the pickers offer (canonical_zones: tzdata's zone.tab, and UTC), as
# tzdata's links say; the POSIX-style US names go to the US zone they stand for. Fixed offsets
# (Etc/GMT+5) have no canonical name and stay. The one map the application reads; migration
# 0012_canonical_zones keeps its own literal copy, as migrations do.
ZONE_ALIASES = {
    "Africa/Asmera": "Africa/Asmara", "Africa/Timbuktu": "Africa/Abidjan",
    "America/Argentina/ComodRivadavia": "America/Argentina/Catamarca", "America/Atka": "America/Adak",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires", "America/Catamarca": "America/Argentina/Catamarca",
    "America/Coral_Harbour": "America/Panama", "America/Cordoba": "America/Argentina/Cordoba",
    "America/Ensenada": "America/Tijuana", "America/Fort_Wayne": "America/Indiana/Indianapolis",
    "America/Godthab": "America/Nuuk", "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Jujuy": "America/Argentina/Jujuy", "America/Knox_IN": "America/Indiana/Knox",
    "America/Louisville": "America/Kentucky/Louisville", "America/Mendoza": "America/Argentina/Mendoza",
    "America/Montreal": "America/Toronto", "America/Nipigon": "America/Toronto",
    "America/Pangnirtung": "America/Iqaluit", "America/Porto_Acre": "America/Rio_Branco",
    "America/Rainy_River": "America/Winnipeg", "America/Rosario": "America/Argentina/Cordoba",
    "America/Santa_Isabel": "America/Tijuana", "America/Shiprock": "America/Denver",
    "America/Thunder_Bay": "America/Toronto", "America/Virgin": "America/Puerto_Rico",
    "America/Yellowknife": "America/Edmonton", "Antarctica/South_Pole": "Pacific/Auckland",
    "Asia/Ashkhabad": "Asia/Ashgabat", "Asia/Calcutta": "Asia/Kolkata", "Asia/Choibalsan": "Asia/Ulaanbaatar",
    "Asia/Chongqing": "Asia/Shanghai", "Asia/Chungking": "Asia/Shanghai", "Asia/Dacca": "Asia/Dhaka",
    "Asia/Harbin": "Asia/Shanghai", "Asia/Istanbul": "Europe/Istanbul", "Asia/Kashgar": "Asia/Urumqi",
    "Asia/Katmandu": "Asia/Kathmandu", "Asia/Macao": "Asia/Macau", "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh", "Asia/Tel_Aviv": "Asia/Jerusalem", "Asia/Thimbu": "Asia/Thimphu",
    "Asia/Ujung_Pandang": "Asia/Makassar", "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Atlantic/Faeroe": "Atlantic/Faroe", "Atlantic/Jan_Mayen": "Europe/Berlin", "Australia/ACT": "Australia/Sydney",
    "Australia/Canberra": "Australia/Sydney", "Australia/Currie": "Australia/Hobart",
    "Australia/LHI": "Australia/Lord_Howe", "Australia/NSW": "Australia/Sydney",
    "Australia/North": "Australia/Darwin", "Australia/Queensland": "Australia/Brisbane",
    "Australia/South": "Australia/Adelaide", "Australia/Tasmania": "Australia/Hobart",
    "Australia/Victoria": "Australia/Melbourne", "Australia/West": "Australia/Perth",
    "Australia/Yancowinna": "Australia/Broken_Hill", "Brazil/Acre": "America/Rio_Branco",
    "Brazil/DeNoronha": "America/Noronha", "Brazil/East": "America/Sao_Paulo", "Brazil/West": "America/Manaus",
    "CET": "Europe/Brussels", "CST6CDT": "America/Chicago", "Canada/Atlantic": "America/Halifax",
    "Canada/Central": "America/Winnipeg", "Canada/Eastern": "America/Toronto", "Canada/Mountain": "America/Edmonton",
    "Canada/Newfoundland": "America/St_Johns", "Canada/Pacific": "America/Vancouver",
    "Canada/Saskatchewan": "America/Regina", "Canada/Yukon": "America/Whitehorse",
    "Chile/Continental": "America/Santiago", "Chile/EasterIsland": "Pacific/Easter", "Cuba": "America/Havana",
    "EET": "Europe/Athens", "EST": "America/Panama", "EST5EDT": "America/New_York", "Egypt": "Africa/Cairo",
    "Eire": "Europe/Dublin", "Etc/GMT": "UTC", "Etc/GMT+0": "UTC", "Etc/GMT-0": "UTC", "Etc/GMT0": "UTC",
    "Etc/Greenwich": "UTC", "Etc/UCT": "UTC", "Etc/UTC": "UTC", "Etc/Universal": "UTC", "Etc/Zulu": "UTC",
    "Europe/Belfast": "Europe/London", "Europe/Kiev": "Europe/Kyiv", "Europe/Nicosia": "Asia/Nicosia",
    "Europe/Tiraspol": "Europe/Chisinau", "Europe/Uzhgorod": "Europe/Kyiv", "Europe/Zaporozhye": "Europe/Kyiv",
    "GB": "Europe/London", "GB-Eire": "Europe/London", "GMT": "UTC", "GMT+0": "UTC", "GMT-0": "UTC", "GMT0": "UTC",
    "Greenwich": "UTC", "HST": "Pacific/Honolulu", "Hongkong": "Asia/Hong_Kong", "Iceland": "Africa/Abidjan",
    "Iran": "Asia/Tehran", "Israel": "Asia/Jerusalem", "Jamaica": "America/Jamaica", "Japan": "Asia/Tokyo",
    "Kwajalein": "Pacific/Kwajalein", "Libya": "Africa/Tripoli", "MET": "Europe/Brussels", "MST": "America/Phoenix",
    "MST7MDT": "America/Denver", "Mexico/BajaNorte": "America/Tijuana", "Mexico/BajaSur": "America/Mazatlan",
    "Mexico/General": "America/Mexico_City", "NZ": "Pacific/Auckland", "NZ-CHAT": "Pacific/Chatham",
    "Navajo": "America/Denver", "PRC": "Asia/Shanghai", "PST8PDT": "America/Los_Angeles",
    "Pacific/Enderbury": "Pacific/Kanton", "Pacific/Johnston": "Pacific/Honolulu",
    "Pacific/Ponape": "Pacific/Pohnpei", "Pacific/Samoa": "Pacific/Pago_Pago",
    "Pacific/Truk": "Pacific/Port_Moresby", "Pacific/Yap": "Pacific/Port_Moresby", "Poland": "Europe/Warsaw",
    "Portugal": "Europe/Lisbon", "ROC": "Asia/Taipei", "ROK": "Asia/Seoul", "Singapore": "Asia/Singapore",
    "Turkey": "Europe/Istanbul", "UCT": "UTC", "US/Alaska": "America/Anchorage", "US/Aleutian": "America/Adak",
    "US/Arizona": "America/Phoenix", "US/Central": "America/Chicago",
    "US/East-Indiana": "America/Indiana/Indianapolis", "US/Eastern": "America/New_York",
    "US/Hawaii": "Pacific/Honolulu", "US/Indiana-Starke": "America/Indiana/Knox", "US/Michigan": "America/Detroit",
    "US/Mountain": "America/Denver", "US/Pacific": "America/Los_Angeles", "US/Samoa": "Pacific/Pago_Pago",
    "Universal": "UTC", "W-SU": "Europe/Moscow", "WET": "Europe/Lisbon", "Zulu": "UTC",
}


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
