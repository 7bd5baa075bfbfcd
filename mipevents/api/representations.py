"""The JSON shapes of the public API: public fields only (never an email, a join link, a
registration or a Person), times in UTC and in the event's own zone."""
from datetime import datetime, time, timedelta

from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import isoformat_z, to_local, wall_clock_to_utc, zone_abbrev


def _utc(instant: datetime | None) -> str | None:
    return isoformat_z(instant) if instant is not None else None


def _local(instant: datetime, zone: str) -> str:
    return to_local(instant, zone).replace(microsecond=0).isoformat()


def meeting_json(meeting, base: str) -> dict:
    api = f"{base}/api/v1/meetings/{meeting.slug}"
    page = f"{base}/meetings/{meeting.slug}"
    return {
        "id": meeting.id, "slug": meeting.slug, "name": meeting.name, "kind": meeting.kind,
        "kind_label": vocab.label(vocab.MEETING_KINDS, meeting.kind), "status": meeting.status,
        "starts_on": meeting.starts_on.isoformat(), "ends_on": meeting.ends_on.isoformat(),
        "timezone": meeting.timezone,
        # The zone's name as the meeting will see it (outside the US it differs in summer and winter).
        "zone_abbrev": zone_abbrev(meeting.timezone, wall_clock_to_utc(meeting.starts_on, time(12), meeting.timezone)),
        "city": meeting.city, "state": meeting.state, "venue": meeting.venue, "address": meeting.address,
        "description": meeting.description, "panel_topics": list(meeting.panel_topics or []),
        "agenda_release": meeting.agenda_release, "agenda_published_at": _utc(meeting.agenda_published_at),
        "registration_opens_at": _utc(meeting.registration_opens_at),
        "registration_closes_at": _utc(meeting.registration_closes_at),
        "links": {
            "self": api, "html": f"{page}/", "sessions": f"{api}/sessions", "speakers": f"{api}/speakers",
            "showcase": f"{api}/showcase", "registrations": f"{api}/registrations",
            "agenda_ics": f"{page}/agenda.ics", "schedule_xml": f"{page}/schedule.xml",
            "schedule_json": f"{page}/schedule.json",
        },
    }


def _speaker_fields(speaker, base: str) -> dict:
    return {
        "id": speaker.id, "name": speaker.name, "honorific": speaker.honorific,
        "display_name": speaker.display_name, "position": speaker.position,
        "organization": speaker.organization, "city": speaker.city, "state": speaker.state,
    }


def _speaker_links(speaker, base: str) -> dict:
    return {"self": f"{base}/api/v1/speakers/{speaker.id}", "html": f"{base}/speakers/{speaker.id}"}


def material_json(material, base: str) -> dict:
    """A public material: slides or a document (downloaded from this site), a recording or a link."""
    url = f"{base}/materials/{material.id}/{material.filename}" if material.kind == "file" else material.url
    return {"title": material.title, "kind": material.kind, "url": url}


def session_json(item, meeting, base: str, materials=()) -> dict:
    zone = meeting.timezone
    page = f"{base}/meetings/{meeting.slug}/sessions/{item.id}"
    return {
        "id": item.id, "meeting": meeting.slug, "title": item.title, "description": item.description,
        "kind": item.kind, "kind_label": vocab.label(vocab.SESSION_KINDS, item.kind), "track": item.track,
        "status": item.status, "is_cancelled": item.status == "cancelled",
        "press_status": item.press_status,
        "starts_at": _utc(item.starts_at), "ends_at": _utc(item.ends_at),
        "starts_at_local": _local(item.starts_at, zone), "ends_at_local": _local(item.ends_at, zone),
        "day": to_local(item.starts_at, zone).date().isoformat(),
        "timezone": zone, "zone_abbrev": zone_abbrev(zone, item.starts_at),
        "duration_minutes": int((item.ends_at - item.starts_at).total_seconds() // 60),
        "room": {"id": item.room.id, "name": item.room.name} if item.room is not None else None,
        "location": {"name": item.location_name, "address": item.location_address, "latitude": item.latitude,
                     "longitude": item.longitude} if item.is_offsite else None,
        "speakers": [{**_speaker_fields(link.speaker, base), "role": link.role,
                      "role_label": vocab.label(vocab.SPEAKER_ROLES, link.role),
                      "links": _speaker_links(link.speaker, base)} for link in item.speaker_links],
        "sequence": item.sequence,
        "materials": [material_json(m, base) for m in materials],
        "links": {"self": f"{base}/api/v1/meetings/{meeting.slug}/sessions/{item.id}", "html": page,
                  "ics": f"{page}.ics"},
    }


def speaker_json(speaker, base: str) -> dict:
    photo = f"{base}/speakers/{speaker.id}/photo?v={speaker.photo_version}" if speaker.has_photo else None
    return {**_speaker_fields(speaker, base), "bio": speaker.bio, "photo_url": photo,
            "links": _speaker_links(speaker, base)}


def speaker_webinar_json(webinar, base: str) -> dict:
    """A webinar a speaker presents, as their profile lists it."""
    zone = webinar.timezone
    return {"id": webinar.id, "slug": webinar.slug, "title": webinar.title, "status": webinar.status, "role": "presenter",
            "starts_at": _utc(webinar.starts_at), "ends_at": _utc(webinar.ends_at),
            "starts_at_local": _local(webinar.starts_at, zone), "timezone": zone,
            "links": {"self": f"{base}/api/v1/webinars/{webinar.slug}", "html": f"{base}/webinars/{webinar.slug}/"}}


def speaker_role_json(link, base: str) -> dict:
    """One of a speaker's roles: the session (with its meeting) and the role on it."""
    item = link.item
    meeting = item.meeting
    return {
        "role": link.role, "role_label": vocab.label(vocab.SPEAKER_ROLES, link.role),
        "session": {
            "id": item.id, "title": item.title, "kind": item.kind, "status": item.status,
            "starts_at": _utc(item.starts_at), "ends_at": _utc(item.ends_at),
            "starts_at_local": _local(item.starts_at, meeting.timezone), "timezone": meeting.timezone,
            "links": {"self": f"{base}/api/v1/meetings/{meeting.slug}/sessions/{item.id}",
                      "html": f"{base}/meetings/{meeting.slug}/sessions/{item.id}"},
        },
        "meeting": {"slug": meeting.slug, "name": meeting.name,
                    "links": {"self": f"{base}/api/v1/meetings/{meeting.slug}"}},
    }


def lineup_json(slots, meeting, base: str, materials: dict | None = None) -> list[dict]:
    """The line-up in order, each slot with its planned start: the session's start plus the
    slots and changeovers before it; `materials`: each slot's public materials, by slot id."""
    result = []
    clock: dict[int, datetime] = {}
    for slot in slots:
        item = slot.item
        starts = clock.get(item.id, item.starts_at)
        ends = starts + timedelta(seconds=slot.seconds)
        clock[item.id] = ends + timedelta(seconds=item.changeover_seconds)
        speaker = slot.speaker
        result.append({
            "id": slot.id, "order": len(result) + 1, "title": slot.title, "summary": slot.summary,
            "topic": slot.topic, "link_url": slot.link_url or None,
            "presenter": {
                "name": slot.presenter_name or (speaker.display_name if speaker is not None else ""),
                "city": slot.city, "state": slot.state,
                "speaker_id": speaker.id if speaker is not None else None,
                "links": _speaker_links(speaker, base) if speaker is not None else None,
            },
            "duration_seconds": slot.seconds,
            "materials": [material_json(m, base) for m in (materials or {}).get(slot.id, ())],
            "planned_starts_at": _utc(starts), "planned_ends_at": _utc(ends),
            "planned_starts_at_local": _local(starts, meeting.timezone), "timezone": meeting.timezone,
            "session": {"id": item.id, "title": item.title, "status": item.status,
                        "links": {"self": f"{base}/api/v1/meetings/{meeting.slug}/sessions/{item.id}"}},
        })
    return result


def webinar_json(webinar, base: str, materials=()) -> dict:
    zone = webinar.timezone
    api = f"{base}/api/v1/webinars/{webinar.slug}"
    return {
        "id": webinar.id, "slug": webinar.slug, "title": webinar.title, "description": webinar.description,
        "presenters": webinar.presenters, "status": webinar.status,
        "speakers": [{**_speaker_fields(link.speaker, base), "role": link.role,
                      "links": _speaker_links(link.speaker, base)} for link in webinar.presenter_links],
        "starts_at": _utc(webinar.starts_at), "ends_at": _utc(webinar.ends_at),
        "starts_at_local": _local(webinar.starts_at, zone), "ends_at_local": _local(webinar.ends_at, zone),
        "timezone": zone, "zone_abbrev": zone_abbrev(zone, webinar.starts_at),
        "registration_closes_at": _utc(webinar.closes_at),
        "materials": [material_json(m, base) for m in materials],
        "links": {"self": api, "html": f"{base}/webinars/{webinar.slug}/", "ics": f"{base}/webinars/{webinar.slug}.ics",
                  "registrations": f"{api}/registrations"},
    }
