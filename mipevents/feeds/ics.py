"""Calendars (iCalendar bytes): one per use — a meeting's agenda feed, one session, one webinar, the
organisation-wide feed, a person's feed, and the files attached to confirmation emails — built
from events.py's VEVENTs with timezones.py's VTIMEZONEs, whole or from kept fragments."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from flask import current_app
from icalendar import vDDDTypes, vDuration

from mipevents.core.timeutil import format_date_range
from mipevents.feeds.events import (
    Site,
    deadline_event,
    join_parts,
    meeting_event,
    meeting_url,
    session_event,
    webinar_event,
)
from mipevents.feeds.ical_text import Calendar, Event
from mipevents.feeds.timezones import add_timezones, vtimezone, write_in_utc, zone_days

PRODID = "-//Mayors Innovation Project//mipevents//EN"


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
    add_timezones(cal, events)
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
    stamp: bytes = b""   # its DTSTAMP's value as written (LAST-MODIFIED writes the same)

    def stamped(self, stamp: bytes) -> "Fragment":
        """The same event with DTSTAMP and LAST-MODIFIED at `stamp` (their value as written)."""
        if stamp == self.stamp or not self.stamp:
            return self
        ical = self.ical.replace(b"\r\nDTSTAMP:" + self.stamp + b"\r\n", b"\r\nDTSTAMP:" + stamp + b"\r\n", 1)
        ical = ical.replace(b"\r\nLAST-MODIFIED:" + self.stamp + b"\r\n", b"\r\nLAST-MODIFIED:" + stamp + b"\r\n", 1)
        return Fragment(self.uid, self.sort_key, self.days, ical, stamp)


def stamp_text(instant) -> bytes:
    """A UTC instant as DTSTAMP writes it."""
    return vDDDTypes(instant).to_ical()


def fragment(event: Event) -> Fragment:
    """Serialise `event` (changing it: a repeated hour is written in UTC, as `calendar` does). Its
    bytes are the ones `calendar` writes unless the calendar's span makes its zone irregular, which
    `calendar_from_fragments` detects."""
    sort_key = event.decoded("dtstart").isoformat()
    days = tuple(zone_days(event))
    write_in_utc(event, set())
    stamp = event["dtstamp"].to_ical() if "dtstamp" in event else b""
    return Fragment(uid=str(event["uid"]), sort_key=sort_key, days=days, ical=event.to_ical(), stamp=stamp)


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


def agenda_subscription(meeting, site: Site, *, filtered: str = "") -> Subscription:
    name = f"{meeting.name} agenda" + (f" ({filtered})" if filtered else "")
    description = join_parts(f"Sessions of {meeting.name}", format_date_range(meeting.starts_on, meeting.ends_on),
                        meeting.location, sep=" · ") + f". {meeting_url(meeting, site)}"
    return Subscription(name=name, description=description, zone=meeting.timezone)


def agenda_calendar(meeting, items, site: Site, *, filtered: str = "") -> bytes:
    """A meeting's public agenda (the caller has filtered and left out drafts)."""
    return calendar((session_event(meeting, item, site) for item in items), site,
                    agenda_subscription(meeting, site, filtered=filtered))


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


def subscribed_calendar(person_name: str, events: list[Event], site: Site) -> bytes:
    return calendar(events, site, personal_subscription(person_name, site))


def _site(site: Site | None) -> Site:
    return site if site is not None else Site.from_config(current_app.config)


def webinar_attachment(webinar, registration, site: Site | None = None) -> bytes:
    """The confirmation email's file: with the join link once confirmed; tentative while waiting."""
    tentative = registration.status in ("waitlisted", "pending")
    return calendar([webinar_event(webinar, _site(site), join=True, tentative=tentative)], _site(site))


def meeting_attachment(meeting, registration, site: Site | None = None) -> bytes:
    """The confirmation email's file: the meeting's days as an all-day event (tentative while waiting)."""
    tentative = registration.status in ("waitlisted", "pending")
    return calendar([meeting_event(meeting, _site(site), tentative=tentative)], _site(site))
