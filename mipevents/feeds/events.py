"""iCalendar events (with the `icalendar` library): pure functions from models and values to VEVENTs.

Every event carries a UID that never changes (`session-<id>@<host>`, the host from
MIPEVENTS_BASE_URL), the SEQUENCE kept on the models, and local times with the event's IANA TZID
(timezones.py writes the matching VTIMEZONE; ics.py puts events into calendars)."""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_date_range, format_time
from mipevents.feeds.ical_text import Event


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


def utc_or_epoch(instant: datetime | None) -> datetime:
    return _utc(instant) or datetime(2000, 1, 1, tzinfo=UTC)


def _stamp(event: Event, created: datetime | None, modified: datetime | None) -> None:
    """DTSTAMP is the last change, not the build time, so an unchanged feed is the same bytes
    (stable ETags, no churn in clients that compare them)."""
    modified = utc_or_epoch(modified or created)
    event.add("dtstamp", modified)
    if created is not None:
        event.add("created", _utc(created))
    event.add("last-modified", modified)


def _status(is_cancelled: bool, tentative: bool = False) -> str:
    if is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if tentative else "CONFIRMED"


def join_parts(*parts: str, sep: str = ", ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


def speaker_lines(item) -> list[str]:
    """'Mayor Jane Doe (Moderator), Mayor of Tacoma, WA' per speaker, in their order."""
    lines = []
    for link in item.speaker_links:
        speaker = link.speaker
        who = f"{speaker.display_name} ({vocab.label(vocab.SPEAKER_ROLES, link.role)})"
        lines.append(join_parts(who, speaker.position or speaker.organization))
    return lines


def session_location(meeting, item) -> str:
    """An off-site session's own place and address; else its room at the meeting's venue."""
    if item.location_name or item.location_address:
        return join_parts(item.location_name, item.location_address)
    return join_parts(item.room.name if item.room else "", meeting.venue, meeting.address)


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
    if item.latitude is not None and item.longitude is not None:
        event.add("geo", (item.latitude, item.longitude))
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
    location = join_parts(meeting.venue, meeting.address, meeting.location)
    if location:
        event.add("location", location)
    body = []
    if cancelled:
        body.append("This meeting is cancelled.")
    body.append(join_parts(format_date_range(meeting.starts_on, meeting.ends_on), meeting.location, sep=" · "))
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
