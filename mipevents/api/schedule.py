"""The frab / c3voc schedule exports (schedule.xml and its "schedule v1" JSON form) of a meeting's
public agenda, as plain functions of the meeting, its sessions and the site's base URL."""
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lxml import etree

from mipevents.core import vocabulary as vocab
from mipevents.core.text import slugify
from mipevents.core.timeutil import local_day_bounds, to_local

GENERATOR = {"name": "mipevents", "version": "0.1.0"}
JSON_SCHEMA_ID = "https://c3voc.de/schedule/schema.json"
TIMESLOT = "00:05"
LANGUAGE = "en"
# The JSON schema's pattern for time_zone_name (searched, as JSON Schema patterns are): zones it
# refuses (Etc/GMT+5, …) are simply left out, the field being optional.
_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
# Characters XML 1.0 cannot carry at all; a title pasted from a word processor may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def acronym(slug: str) -> str:
    """The conference acronym: the meeting slug in the alphabet both schemas accept
    ([a-z0-9_], at least 4 characters; hyphens only in the JSON schema's year form, so none)."""
    text = re.sub(r"[^a-z0-9_]+", "_", slug.lower()).strip("_")
    return text.ljust(4, "_")


def _guid(base_url: str, path: str) -> str:
    """A stable UUID for one thing on this site: uuid5 of its URL-like name under the base URL,
    so every export (and every host behind one base URL) names a session the same way."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}{path}"))


def _duration(delta: timedelta) -> str:
    minutes = max(int(round(delta.total_seconds() / 60)), 0)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


@dataclass
class Event:
    id: int
    guid: str
    slug: str
    url: str
    title: str
    subtitle: str
    kind: str
    date: str           # local ISO date-time with offset
    end: str
    start: str          # local HH:MM
    duration: str       # HH:MM
    room: str
    track: str
    abstract: str
    do_not_record: bool
    persons: list[dict]
    links: list[dict] = field(default_factory=list)        # [{"type", "url", "title"}]: recordings, articles
    attachments: list[dict] = field(default_factory=list)  # the same for slides and documents


@dataclass
class ScheduleRoom:
    name: str
    guid: str
    events: list[Event] = field(default_factory=list)


@dataclass
class Day:
    index: int
    date: date
    start: datetime
    end: datetime
    rooms: list[ScheduleRoom]


@dataclass
class Schedule:
    """What both formats say, once: the meeting as a conference, its days, rooms and events."""
    title: str
    acronym: str
    description: str
    version: str
    start: date
    end: date
    zone: str
    url: str
    schedule_url: str
    base_url: str
    rooms: list[ScheduleRoom]
    tracks: list[dict]
    days: list[Day]


def _references(materials, base: str) -> tuple[list[dict], list[dict]]:
    """(links, attachments) of a session's public materials, as the schedule formats' references."""
    links = [{"type": "media" if m.kind == "recording" else "related", "url": m.url, "title": _clean(m.title)}
             for m in materials if m.kind != "file"]
    attachments = [{"type": "slides", "url": f"{base}/materials/{m.id}/{m.filename}", "title": _clean(m.title)}
                   for m in materials if m.kind == "file"]
    return links, attachments


def build(meeting, items, base_url: str, materials: dict | None = None) -> Schedule:
    """The schedule of `meeting` from its public `items` (sessions with room and speakers loaded) and
    their public `materials` (by session id: recordings and links, slides as attachments).

    Sessions sit on the local day they start on; days are the meeting's days plus any day a
    session falls on outside them; a session without a room goes under the venue's name."""
    base = base_url.rstrip("/")
    zone = meeting.timezone
    short = acronym(meeting.slug)
    unplaced = _clean(meeting.venue) or "Venue"
    rooms = [ScheduleRoom(name=_clean(r.name), guid=_guid(base, f"/meetings/{meeting.id}/rooms/{r.id}")) for r in meeting.rooms]
    room_by_id = {r.id: room for r, room in zip(meeting.rooms, rooms, strict=True)}
    # A session without a room goes under the venue's name (the room of that name, if any).
    unplaced_room = next((room for room in rooms if room.name == unplaced), None)
    extra_rooms: list[ScheduleRoom] = []

    by_day: dict[date, dict[str, list[Event]]] = {}
    tracks: list[str] = []
    for item in items:
        if item.status not in ("published", "cancelled"):
            continue
        local_start = to_local(item.starts_at, zone).replace(microsecond=0)
        local_end = to_local(item.ends_at, zone).replace(microsecond=0)
        room = room_by_id.get(item.room_id)
        if room is None:
            if unplaced_room is None:
                unplaced_room = ScheduleRoom(name=unplaced, guid=_guid(base, f"/meetings/{meeting.id}/rooms/venue"))
                extra_rooms.append(unplaced_room)
            room = unplaced_room
        if item.track and item.track not in tracks:
            tracks.append(item.track)
        cancelled = item.status == "cancelled"
        links, attachments = _references((materials or {}).get(item.id, []), base)
        event = Event(
            id=item.id, guid=_guid(base, f"/meetings/{meeting.id}/sessions/{item.id}"),
            slug=f"{short}-{item.id}-{slugify(item.title) or 'session'}",
            url=f"{base}/meetings/{meeting.slug}/sessions/{item.id}",
            title=_clean(f"Cancelled: {item.title}" if cancelled else item.title),
            subtitle="This session is cancelled." if cancelled else "",
            kind=vocab.label(vocab.SESSION_KINDS, item.kind), date=local_start.isoformat(), end=local_end.isoformat(),
            start=local_start.strftime("%H:%M"), duration=_duration(item.ends_at - item.starts_at), room=room.name,
            track=_clean(item.track), abstract=_clean(item.description), do_not_record=item.press_status != "open",
            persons=[{"id": link.speaker.id, "guid": _guid(base, f"/speakers/{link.speaker.id}"),
                      "name": _clean(link.speaker.display_name), "role": link.role,
                      "biography": _clean(link.speaker.bio), "url": f"{base}/speakers/{link.speaker.id}"}
                     for link in item.speaker_links],
            links=links, attachments=attachments,
        )
        by_day.setdefault(local_start.date(), {}).setdefault(room.name, []).append(event)

    all_rooms = rooms + extra_rooms
    day_dates = set(by_day)
    day_dates.update(meeting.starts_on + timedelta(days=n) for n in range((meeting.ends_on - meeting.starts_on).days + 1))
    days = []
    for index, day in enumerate(sorted(day_dates), start=1):
        start, end = local_day_bounds(day, zone)
        events = by_day.get(day, {})
        day_rooms = [ScheduleRoom(name=r.name, guid=r.guid, events=sorted(events[r.name], key=lambda e: (e.date, e.id)))
                     for r in all_rooms if r.name in events]
        days.append(Day(index=index, date=day, start=to_local(start, zone), end=to_local(end, zone), rooms=day_rooms))

    track_list = []
    for n, name in enumerate(tracks, start=1):
        slug = slugify(name)
        if not slug or not slug[0].isalpha() or len(slug) < 2:
            slug = f"track-{slug or n}"
        track_list.append({"name": _clean(name), "slug": slug})

    title = meeting.name + (" (cancelled)" if meeting.status == "cancelled" else "")
    return Schedule(
        title=_clean(title), acronym=short, description=_clean(meeting.description),
        version=f"{meeting.agenda_release}.{meeting.agenda_version}",
        start=days[0].date, end=days[-1].date, zone=zone,
        url=f"{base}/meetings/{meeting.slug}/", schedule_url=f"{base}/meetings/{meeting.slug}/schedule.xml",
        base_url=f"{base}/", rooms=all_rooms, tracks=track_list, days=days,
    )


def schedule_json(meeting, items, base_url: str, materials: dict | None = None) -> dict:
    """The "schedule v1" JSON document (as pretalx writes schedule.json)."""
    s = build(meeting, items, base_url, materials)
    conference = {
        "acronym": s.acronym, "title": s.title, "description": s.description,
        "start": s.start.isoformat(), "end": s.end.isoformat(), "daysCount": len(s.days),
        "timeslot_duration": TIMESLOT, "url": s.url,
        "rooms": [{"name": r.name, "guid": r.guid} for r in s.rooms],
        "tracks": [{"name": t["name"], "slug": t["slug"]} for t in s.tracks],
        "days": [{
            "index": d.index, "date": d.date.isoformat(),
            "day_start": d.start.isoformat(), "day_end": d.end.isoformat(),
            "rooms": {r.name: [_event_json(e) for e in r.events] for r in d.rooms},
        } for d in s.days],
    }
    if _ZONE_NAME.search(s.zone):
        conference["time_zone_name"] = s.zone
    return {"$schema": JSON_SCHEMA_ID, "generator": dict(GENERATOR),
            "schedule": {"version": s.version, "base_url": s.base_url, "conference": conference}}


def _event_json(e: Event) -> dict:
    # Persons in the pretalx form ("name", no "public_name"): the schema wants exactly one of
    # the frab and pretalx person forms to match.
    return {
        "guid": e.guid, "id": e.id, "date": e.date, "start": e.start, "end": e.end, "duration": e.duration,
        "room": e.room, "slug": e.slug, "url": e.url, "title": e.title, "subtitle": e.subtitle,
        "track": e.track or None, "type": e.kind, "language": LANGUAGE, "abstract": e.abstract,
        "do_not_record": e.do_not_record, "persons": e.persons, "links": e.links, "attachments": e.attachments,
    }


def schedule_xml(meeting, items, base_url: str, materials: dict | None = None) -> bytes:
    """The frab schedule.xml document (UTF-8 bytes with an XML declaration)."""
    s = build(meeting, items, base_url, materials)
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=GENERATOR["name"], version=GENERATOR["version"])
    _text(root, "url", s.schedule_url)
    _text(root, "version", s.version)
    conference = etree.SubElement(root, "conference")
    for tag, value in (("title", s.title), ("acronym", s.acronym), ("start", s.start.isoformat()),
                       ("end", s.end.isoformat()), ("days", str(len(s.days))), ("timeslot_duration", TIMESLOT),
                       ("base_url", s.base_url), ("url", s.url), ("time_zone_name", s.zone)):
        _text(conference, tag, value)
    for track in s.tracks:
        etree.SubElement(conference, "track", name=track["name"], slug=track["slug"])
    for d in s.days:
        day = etree.SubElement(root, "day", index=str(d.index), date=d.date.isoformat(),
                               start=d.start.isoformat(), end=d.end.isoformat())
        for r in d.rooms:
            room = etree.SubElement(day, "room", name=r.name, guid=r.guid)
            for e in r.events:
                _event_xml(room, e)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(parent, tag: str, value: str):
    element = etree.SubElement(parent, tag)
    element.text = value
    return element


def _event_xml(room, e: Event) -> None:
    event = etree.SubElement(room, "event", id=str(e.id), guid=e.guid)
    for tag, value in (("room", e.room), ("title", e.title), ("subtitle", e.subtitle), ("type", e.kind),
                       ("date", e.date), ("start", e.start), ("duration", e.duration), ("abstract", e.abstract),
                       ("slug", e.slug), ("track", e.track), ("language", LANGUAGE)):
        _text(event, tag, value)
    persons = etree.SubElement(event, "persons")
    for p in e.persons:
        _text(persons, "person", p["name"]).attrib.update({"id": str(p["id"]), "guid": p["guid"]})
    recording = etree.SubElement(event, "recording")
    _text(recording, "license", "")
    _text(recording, "optout", "true" if e.do_not_record else "false")
    for tag, references in (("links", e.links), ("attachments", e.attachments)):
        element = etree.SubElement(event, tag)
        for reference in references:
            _text(element, tag[:-1], reference["title"]).attrib.update({"href": reference["url"], "type": reference["type"]})
    _text(event, "url", e.url)
