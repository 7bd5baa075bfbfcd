"""iCalendar building (with the `icalendar` library): pure functions from models and values to bytes.

One calendar per use: a meeting's agenda feed, one session, one webinar, the organisation-wide
feed, a person's feed, and the files attached to confirmation emails. Every event carries a UID
that never changes (`session-<id>@<host>`, the host from MIPEVENTS_BASE_URL), the SEQUENCE kept on
the models, and local times with the event's IANA TZID plus a matching VTIMEZONE. The VTIMEZONE is
the yearly-rule form (RRULE, as Outlook, Google and Apple write it) whenever the zone's rules are
regular over the years the file covers, else the library's list of transitions."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vDuration

from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_date_range, format_time
from mipevents.feeds.ical_text import Calendar, Event

PRODID = "-//Mayors Innovation Project//mipevents//EN"
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Site:
    """What every builder needs from the settings: absolute links, the UID host, the refresh."""

    base_url: str
    org_name: str = "Mayors Innovation Project"
    zone: str = "America/Chicago"
    refresh_minutes: int = 60

    @classmethod
    def from_config(cls, config) -> "Site":
        return cls(base_url=config["MIPEVENTS_BASE_URL"].rstrip("/"), org_name=config["MIPEVENTS_ORG_NAME"],
                   zone=config["MIPEVENTS_TIMEZONE"], refresh_minutes=int(config["MIPEVENTS_FEED_REFRESH_MINUTES"]))

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    def url(self, path: str) -> str:
        return self.base_url + path


@dataclass(frozen=True)
class Deadline:
    """An open call's deadline as the org feed shows it (the calls area provides these)."""

    uid_key: str
    title: str
    deadline_at: datetime
    zone: str
    url: str
    sequence: int = 0


def uid(kind: str, ident: int, site: Site) -> str:
    return f"{kind}-{ident}@{site.host}"


def session_url(meeting, item, site: Site) -> str:
    return site.url(f"/meetings/{meeting.slug}/sessions/{item.id}")


def meeting_url(meeting, site: Site) -> str:
    return site.url(f"/meetings/{meeting.slug}/")


def webinar_url(webinar, site: Site) -> str:
    return site.url(f"/webinars/{webinar.slug}/")


def _utc(instant: datetime | None) -> datetime | None:
    return instant.astimezone(UTC) if instant is not None else None


def _stamp(event: Event, created: datetime | None, modified: datetime | None) -> None:
    """DTSTAMP is the last change, not the build time, so an unchanged feed is the same bytes
    (stable ETags, no churn in clients that compare them)."""
    modified = _utc(modified or created) or datetime(2000, 1, 1, tzinfo=UTC)
    event.add("dtstamp", modified)
    if created is not None:
        event.add("created", _utc(created))
    event.add("last-modified", modified)


def _status(is_cancelled: bool, tentative: bool = False) -> str:
    if is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if tentative else "CONFIRMED"


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


def speaker_lines(item) -> list[str]:
    """'Mayor Jane Doe (Moderator), Mayor of Tacoma, WA' per speaker, in their order."""
    lines = []
    for link in item.speaker_links:
        speaker = link.speaker
        who = f"{speaker.display_name} ({vocab.label(vocab.SPEAKER_ROLES, link.role)})"
        lines.append(_join(who, speaker.position or speaker.organization))
    return lines


def session_location(meeting, item) -> str:
    return _join(item.room.name if item.room else "", meeting.venue, meeting.address)


def session_event(meeting, item, site: Site, *, tentative: bool = False) -> Event:
    """One agenda session. A cancelled meeting cancels its sessions, and the meeting's own SEQUENCE
    is added to the session's so that cancelling the meeting still raises every session's."""
    zone = ZoneInfo(meeting.timezone)
    cancelled = item.is_cancelled or meeting.is_cancelled
    url = session_url(meeting, item, site)
    event = Event()
    event.add("uid", uid("session", item.id, site))
    event.add("summary", f"Cancelled: {item.title}" if cancelled else item.title)
    event.add("dtstart", item.starts_at.astimezone(zone))
    event.add("dtend", item.ends_at.astimezone(zone))
    _stamp(event, item.created_at, max(filter(None, (item.updated_at, meeting.updated_at)), default=None))
    event.add("sequence", (item.sequence or 0) + (meeting.sequence or 0))
    event.add("status", _status(cancelled, tentative))
    location = session_location(meeting, item)
    if location:
        event.add("location", location)
    body = []
    if cancelled:
        body.append("This session is cancelled.")
    if item.description:
        body.append(item.description.strip())
    speakers = speaker_lines(item)
    if speakers:
        body.append("Speakers:\n" + "\n".join(speakers))
    body.append(f"Press: {vocab.label(vocab.PRESS_STATUSES, item.press_status)}")
    body.append(f"{meeting.name}\n{url}")
    event.add("description", "\n\n".join(body))
    event.add("url", url)
    event.add("categories", [c for c in (vocab.label(vocab.SESSION_KINDS, item.kind), item.track) if c])
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def webinar_event(webinar, site: Site, *, join: bool = False, tentative: bool = False) -> Event:
    """One webinar. `join` puts the private join link in (a registrant's own copy only)."""
    zone = ZoneInfo(webinar.timezone)
    cancelled = webinar.is_cancelled
    url = webinar_url(webinar, site)
    with_link = join and not cancelled and not tentative and bool(webinar.join_url)
    event = Event()
    event.add("uid", uid("webinar", webinar.id, site))
    event.add("summary", f"Cancelled: {webinar.title}" if cancelled else webinar.title)
    event.add("dtstart", webinar.starts_at.astimezone(zone))
    event.add("dtend", webinar.ends_at.astimezone(zone))
    _stamp(event, webinar.created_at, webinar.updated_at)
    event.add("sequence", webinar.sequence or 0)
    event.add("status", _status(cancelled, tentative))
    event.add("location", webinar.join_url if with_link else "Online")
    body = []
    if cancelled:
        body.append("This webinar is cancelled.")
    elif tentative:
        body.append("Your registration is not confirmed yet; the join link comes once it is.")
    if webinar.description:
        body.append(webinar.description.strip())
    if webinar.presenters:
        body.append(f"Presenters: {webinar.presenters.strip()}")
    if with_link:
        body.append(f"Join: {webinar.join_url}\n(This link is yours: please do not share it.)")
    elif not cancelled:
        body.append("The join link is in your confirmation email.")
    body.append(url)
    event.add("description", "\n\n".join(body))
    event.add("url", url)
    event.add("categories", ["Webinar"])
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def meeting_event(meeting, site: Site, *, tentative: bool = False) -> Event:
    """A meeting as an all-day event over its days (VALUE=DATE, the end date exclusive)."""
    url = meeting_url(meeting, site)
    cancelled = meeting.is_cancelled
    event = Event()
    event.add("uid", uid("meeting", meeting.id, site))
    event.add("summary", f"Cancelled: {meeting.name}" if cancelled else meeting.name)
    event.add("dtstart", meeting.starts_on)
    event.add("dtend", meeting.ends_on + timedelta(days=1))
    _stamp(event, meeting.created_at, meeting.updated_at)
    event.add("sequence", meeting.sequence or 0)
    event.add("status", _status(cancelled, tentative))
    location = _join(meeting.venue, meeting.address, meeting.location)
    if location:
        event.add("location", location)
    body = []
    if cancelled:
        body.append("This meeting is cancelled.")
    body.append(_join(format_date_range(meeting.starts_on, meeting.ends_on), meeting.location, sep=" · "))
    if meeting.description:
        body.append(meeting.description.strip())
    body.append(url)
    event.add("description", "\n\n".join(body))
    event.add("url", url)
    event.add("categories", [vocab.label(vocab.MEETING_KINDS, meeting.kind)])
    event.add("transp", "TRANSPARENT")
    return event


def deadline_event(deadline, site: Site) -> Event:
    """An open call's deadline: a moment (no DTEND: it ends when it starts), in the call's zone."""
    event = Event()
    event.add("uid", f"{deadline.uid_key}@{site.host}")
    title = deadline.title
    event.add("summary", title if title.lower().startswith("deadline") else f"Deadline: {title}")
    event.add("dtstart", deadline.deadline_at.astimezone(ZoneInfo(deadline.zone)))
    _stamp(event, None, getattr(deadline, "updated_at", None) or deadline.deadline_at)
    event.add("sequence", deadline.sequence or 0)
    event.add("status", "CONFIRMED")
    event.add("description", f"Applications close at {format_time(deadline.deadline_at, deadline.zone)}.\n\n"
                             f"{deadline.url}")
    event.add("url", deadline.url)
    event.add("categories", ["Deadline"])
    event.add("transp", "TRANSPARENT")
    return event


# ------------------------------------------------------------------------------------ time zones

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


def _zone_days(event: Event) -> list[tuple[str, date]]:
    """(zone, local day) of each of the event's zoned times: the span its VTIMEZONE must cover."""
    return [(moment.tzinfo.key, moment.date()) for key in ("dtstart", "dtend")
            if (moment := _zoned(event, key)) is not None]


def _write_in_utc(event: Event, irregular: set[str]) -> None:
    """Times no VTIMEZONE says alike to every client (a repeated hour, a zone in `irregular`) in UTC."""
    for key in ("dtstart", "dtend"):
        moment = _zoned(event, key)
        if moment is not None and (moment.tzinfo.key in irregular or _is_ambiguous(moment)):
            event.pop(key)
            event.add(key, moment.astimezone(UTC))


def _add_timezones(cal: Calendar, events: list[Event]) -> None:
    """A VTIMEZONE per zone the events use. Times no VTIMEZONE can say the same way to every client
    (a repeated hour, or a zone whose rules changed within the file's years) are written in UTC,
    which every client reads alike and shows in its user's own zone."""
    spans: dict[str, list[date]] = {}
    for event in events:
        for zone, day in _zone_days(event):
            spans.setdefault(zone, []).append(day)
    irregular = set()
    for zone in sorted(spans):
        tz = vtimezone(zone, min(spans[zone]), max(spans[zone]))
        if tz is None:
            irregular.add(zone)
        else:
            cal.add_component(tz)
    for event in events:
        _write_in_utc(event, irregular)


# ------------------------------------------------------------------------------------ calendars

@dataclass(frozen=True)
class Subscription:
    """The names a subscribed calendar shows, and how often clients should fetch it again."""

    name: str
    description: str
    zone: str


def _shell(site: Site, subscription: Subscription | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if subscription is not None:
        refresh = timedelta(minutes=site.refresh_minutes)
        cal.add("x-wr-calname", subscription.name)
        cal.add("x-wr-caldesc", subscription.description)
        cal.add("x-wr-timezone", subscription.zone)
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    return cal


def calendar(events: Iterable[Event], site: Site, subscription: Subscription | None = None) -> bytes:
    """One VCALENDAR (METHOD:PUBLISH) with a VTIMEZONE per zone its events use."""
    events = list(events)
    cal = _shell(site, subscription)
    _add_timezones(cal, events)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


# A calendar is its own lines, then each component's lines, then END:VCALENDAR (icalendar folds and
# joins line by line), so a calendar can be put together from events serialised once and kept.

_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class Fragment:
    """One VEVENT already serialised, with what the calendar around it needs: its UID, the key it
    sorts by (DTSTART as local ISO text), and the (zone, local day) of its times for the VTIMEZONEs."""

    uid: str
    sort_key: str
    days: tuple[tuple[str, date], ...]
    ical: bytes


def fragment(event: Event) -> Fragment:
    """Serialise `event` (changing it: a repeated hour is written in UTC, as `calendar` does). Its
    bytes are the ones `calendar` writes unless the calendar's span makes its zone irregular, which
    `calendar_from_fragments` detects."""
    sort_key = event.decoded("dtstart").isoformat()
    days = tuple(_zone_days(event))
    _write_in_utc(event, set())
    return Fragment(uid=str(event["uid"]), sort_key=sort_key, days=days, ical=event.to_ical())


@lru_cache(maxsize=1024)
def _head(site: Site, subscription: Subscription | None) -> bytes:
    body = _shell(site, subscription).to_ical()
    assert body.endswith(_END)
    return body[:-len(_END)]


@lru_cache(maxsize=256)
def _vtimezone_ical(zone: str, first_year: int, last_year: int) -> bytes | None:
    tz = vtimezone(zone, date(first_year, 1, 1), date(last_year, 1, 1))   # depends on the years only
    return tz.to_ical() if tz is not None else None


def calendar_from_fragments(fragments: Iterable[Fragment], site: Site,
                            subscription: Subscription | None = None) -> bytes | None:
    """The bytes `calendar` writes for these events in this order, or None when a zone has no yearly
    rule over the calendar's span (its times must then be rebuilt in UTC: call `calendar`)."""
    fragments = list(fragments)
    spans: dict[str, list[date]] = {}
    for piece in fragments:
        for zone, day in piece.days:
            spans.setdefault(zone, []).append(day)
    parts = [_head(site, subscription)]
    for zone in sorted(spans):
        tz = _vtimezone_ical(zone, min(spans[zone]).year, max(spans[zone]).year)
        if tz is None:
            return None
        parts.append(tz)
    parts.extend(piece.ical for piece in fragments)
    parts.append(_END)
    return b"".join(parts)


def agenda_calendar(meeting, items, site: Site, *, filtered: str = "") -> bytes:
    """A meeting's public agenda (the caller has filtered and left out drafts)."""
    name = f"{meeting.name} agenda" + (f" ({filtered})" if filtered else "")
    description = _join(f"Sessions of {meeting.name}", format_date_range(meeting.starts_on, meeting.ends_on),
                        meeting.location, sep=" · ") + f". {meeting_url(meeting, site)}"
    subscription = Subscription(name=name, description=description, zone=meeting.timezone)
    return calendar((session_event(meeting, item, site) for item in items), site, subscription)


def session_calendar(meeting, item, site: Site) -> bytes:
    return calendar([session_event(meeting, item, site)], site)


def webinar_calendar(webinar, site: Site) -> bytes:
    """The public webinar file: never the join link."""
    return calendar([webinar_event(webinar, site, join=False)], site)


def org_calendar(meetings, webinars, deadlines, site: Site) -> bytes:
    """Published meetings (all-day), public webinars and open calls' deadlines."""
    events = [meeting_event(m, site) for m in meetings]
    events += [webinar_event(w, site) for w in webinars]
    events += [deadline_event(d, site) for d in deadlines]
    subscription = Subscription(name=f"{site.org_name} events",
                                description=f"Meetings, webinars and deadlines of the {site.org_name}. "
                                            f"{site.url('/')}",
                                zone=site.zone)
    return calendar(events, site, subscription)


def personal_subscription(person_name: str, site: Site) -> Subscription:
    return Subscription(name=f"My {site.org_name} schedule",
                        description=f"The sessions and webinars of {person_name or 'one person'}: "
                                    "private, please do not share this address.",
                        zone=site.zone)


def personal_calendar(person_name: str, events: list[Event], site: Site) -> bytes:
    return calendar(events, site, personal_subscription(person_name, site))


def _site(site: Site | None) -> Site:
    if site is not None:
        return site
    from flask import current_app

    return Site.from_config(current_app.config)


def webinar_attachment(webinar, registration, site: Site | None = None) -> bytes:
    """The confirmation email's file: with the join link once confirmed; tentative while waiting."""
    tentative = registration.status in ("waitlisted", "pending")
    return calendar([webinar_event(webinar, _site(site), join=True, tentative=tentative)], _site(site))


def meeting_attachment(meeting, registration, site: Site | None = None) -> bytes:
    """The confirmation email's file: the meeting's days as an all-day event (tentative while waiting)."""
    tentative = registration.status in ("waitlisted", "pending")
    return calendar([meeting_event(meeting, _site(site), tentative=tentative)], _site(site))
