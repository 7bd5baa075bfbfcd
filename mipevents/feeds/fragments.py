"""VEVENTs serialised once and kept: the one mechanism behind the agenda, session, webinar and personal
feeds. A feed is its head, the VTIMEZONEs its events need, and the events' kept bytes (ics.py
puts them together); only an event whose version changed is built again.

A public event's bytes are the same for every reader at one version, so they are kept in the shared
cache and in this process (`PUBLIC`); an event with a private part (a registrant's join link) is
kept in this process only (`PRIVATE`), and never leaves it. Both keep their entries when the
whole-response cache is off (CACHE_TYPE=NullCache): a key names the version of everything the bytes
show, so an entry is never stale."""
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.core import timeutil, vocabulary
from mipevents.core.cache import Region
from mipevents.extensions import db
from mipevents.feeds import events, ical_text, ics, timezones

# A calendar app polls a personal feed without anything telling it the shared cache was cleared, so
# these regions look at the shared cache's generation on every use (one small read).
PUBLIC = Region("vevent", size=16384, uncached_local=True, check_seconds=0)
PRIVATE = Region("vevent-private", size=4096, shared_tier=False, uncached_local=True, check_seconds=0)


def _builders_version() -> str:
    """Changes whenever the code or the library that writes fragments does, so that a fragment kept
    in the shared cache by another release is never read by this one."""
    sources = [Path(module.__file__).read_bytes() for module in (events, timezones, ical_text, ics, vocabulary, timeutil,
                                                                 sys.modules[__name__])]
    return hashlib.sha256(b"\0".join([*sources, icalendar.__version__.encode()])).hexdigest()[:16]


FORMAT = _builders_version()   # in every kept fragment's key


def session_content(item) -> tuple:
    """Everything of a session's own that its VEVENT shows, from an AgendaItem or an agenda row (the
    same tuple from both): its last edit (title, times, description, press, status), its SEQUENCE,
    its room's name and its speakers as shown. The meeting's part is `meeting_content`."""
    links = item.speaker_links
    if links and not isinstance(links, tuple):   # models: the same values as an agenda row's
        links = tuple((link.speaker_id, link.role, (link.speaker.id, link.speaker.honorific, link.speaker.name,
                                                    link.speaker.position, link.speaker.organization))
                      for link in links)
    return (item.id, item.updated_at, item.sequence, item.status, item.room.name if item.room else "", tuple(links))


def meeting_content(meeting, site: events.Site) -> tuple:
    """A meeting's part of its sessions' VEVENTs, and the site's: what they show of the meeting (its
    address, zone, name, SEQUENCE and status; rooms and speakers are in `session_content`). Not its
    last edit, which moves on with every publish: the DTSTAMP and LAST-MODIFIED it sets are put in
    when the feed is assembled (`agenda_sessions`), so a publish rebuilds only the sessions it changed."""
    return ("session", FORMAT, (site.base_url, site.org_name, site.zone, site.refresh_minutes), meeting.id,
            meeting.slug, meeting.name, meeting.timezone, meeting.venue, meeting.address, meeting.sequence,
            meeting.status)


def session_stamps(meeting) -> Callable[[object], bytes]:
    """The DTSTAMP (and LAST-MODIFIED) of a session's VEVENT, as `events.session_event` writes it:
    the later of the session's and the meeting's last edits (each instant written once)."""
    written: dict = {}

    def stamp(item) -> bytes:
        latest = max(filter(None, (item.updated_at, meeting.updated_at)), default=None) or item.created_at
        text = written.get(latest)
        if text is None:
            text = written[latest] = ics.stamp_text(events.utc_or_epoch(latest))
        return text
    return stamp


def session_key(meeting, item, site, *, tentative: bool = False) -> tuple:
    return (meeting_content(meeting, site), session_content(item), tentative)


def public_sessions(wanted: dict[tuple, tuple[int, bool]], meeting_for: Callable[[int], object],
                    site: events.Site, items: dict | None = None) -> dict[tuple, ics.Fragment]:
    """Fragments for `wanted` ({key: (session id, tentative)}): kept ones, and the missing ones built
    from `items` ({id: agenda row or AgendaItem}) or, without them, from the sessions read in a
    fixed number of queries; all kept. A session deleted since the caller read it is left out."""
    found = PUBLIC.get_many(wanted)
    missing = [key for key in wanted if key not in found]
    if not missing:
        return found
    if items is None:
        items = {item.id: item for item in db.session.execute(
            select(AgendaItem).where(AgendaItem.id.in_({wanted[key][0] for key in missing}))
            .options(selectinload(AgendaItem.room),
                     selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker))).scalars()}
    built = {}
    for key in missing:
        item_id, tentative = wanted[key]
        item = items.get(item_id)
        meeting = meeting_for(item.meeting_id) if item is not None else None
        if meeting is not None:
            built[key] = ics.fragment(events.session_event(meeting, item, site, tentative=tentative))
            PUBLIC.count_render(key)
    PUBLIC.set_many(built)
    return found | built


def agenda_sessions(meeting, rows, site: events.Site) -> list[ics.Fragment]:
    """The VEVENTs of these sessions (agenda rows or AgendaItems) of `meeting`, in their order: built
    from the rows themselves when missing (no query)."""
    where = meeting_content(meeting, site)
    keys = [(where, session_content(row), False) for row in rows]
    pieces = public_sessions({key: (row.id, False) for key, row in zip(keys, rows, strict=True)},
                             lambda ident: meeting if ident == meeting.id else None, site,
                             items={row.id: row for row in rows})
    stamp, out, restamped = session_stamps(meeting), [], {}
    for key, row in zip(keys, rows, strict=True):
        piece = pieces.get(key)
        if piece is not None:
            wanted = stamp(row)
            if piece.stamp != wanted:   # kept before the meeting's last edit moved on: kept again as now
                piece = restamped[key] = piece.stamped(wanted)
            out.append(piece)
    # In this process only: another restamps its own copies faster than it would read these (writing
    # every session's bytes to the shared cache after a publish took a third of the feed's render).
    PUBLIC.set_many(restamped, shared_too=False)
    return out


def kept(region: Region, key: tuple, build: Callable[[], object]) -> ics.Fragment | None:
    """One event's fragment from `region`, built (and kept) when missing; None when `build` finds
    nothing (deleted since the caller read it)."""
    piece = region.get(key)
    if piece is None:
        event = build()
        if event is None:
            return None
        piece = ics.fragment(event)
        region.count_render(key)
        region.set(key, piece)
    return piece


def webinar(webinar, site: events.Site) -> ics.Fragment:
    """The public webinar's event (never the join link): the same bytes for everyone."""
    key = ("webinar", FORMAT, site, webinar.id, webinar.updated_at, webinar.version, webinar.sequence,
           webinar.status, False, False)
    return kept(PUBLIC, key, lambda: events.webinar_event(webinar, site, join=False))
