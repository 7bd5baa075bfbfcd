"""Importing a meeting from a JSON file in the format of mipevents/workflows/import.schema.json
(agendas are often drafted in spreadsheets first). Validates the whole file before writing anything; a re-import updates
rows in place (matched by the file's ids, scoped by the meeting's slug, and speakers by email),
so an unchanged file changes nothing and creates no new version."""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.agenda.publishing import meeting_conflicts, publish_agenda
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import canonical_zone
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.meetings.services import touch
from mipevents.people.models import Person
from mipevents.people.services import normalise_email
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar
from mipevents.workflows import import_checks, import_schema


class ImportProblem(ValueError):
    """The file cannot be imported; the message names the problem and where it is."""


@dataclass
class ImportReport:
    meeting: Meeting | None = None
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    release: object = None

    def count(self, bucket: str, what: str, n: int = 1):
        target = self.created if bucket == "created" else self.updated
        target[what] = target.get(what, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _local(value: str, zone: ZoneInfo, where: str) -> datetime:
    try:
        naive = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImportProblem(f"{where}: “{value}” is not a date and time (YYYY-MM-DDTHH:MM:SS)") from None
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=zone)
    return naive.astimezone(UTC)


def validate(data) -> dict:
    """The file as it is imported (every text as the text rule keeps it), once the whole of it fits
    the schema and the checks a schema cannot express; else ImportProblem naming every problem,
    one a line, each with its place in the file. Nothing is written before this."""
    problems = import_schema.problems(data)
    if not problems:
        data, problems = import_checks.checked(data)
    if problems:
        raise ImportProblem("\n".join(problems))
    return data


def _assign(obj, values: dict) -> bool:
    """Set changed attributes only; True if anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _split_city(text: str) -> tuple[str, str]:
    city, _, state = (text or "").partition(", ")
    return city.strip(), state.strip()


def import_meeting(data: dict, *, draft: bool = False, with_registrants: bool = False, progress=None,
                   actor=None) -> ImportReport:
    """Import (or update) one meeting and everything in the file; flushes, the caller commits.

    Published unless `draft`: the agenda is published with its conflicts acknowledged, since an
    import loads real drafts, conflicts and all, and reports them."""
    data = validate(data)
    say = progress or (lambda message: None)
    report = ImportReport()
    m = data["meeting"]
    zone = ZoneInfo(m["timezone"])
    slug = m["slug"]

    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    city, state = _split_city(m.get("city", ""))
    kind = next((k for k in vocab.MEETING_KINDS if slug.startswith(k) or m["name"].lower().startswith(k)), "workshop")
    values = {"name": m["name"], "city": city, "state": state, "venue": m.get("venue", ""),
              "address": m.get("address", ""), "timezone": canonical_zone(m["timezone"]), "kind": kind,
              "starts_on": date.fromisoformat(m["start"]), "ends_on": date.fromisoformat(m["end"])}
    if meeting is None:
        meeting = Meeting(slug=slug, external_id=slug, status="draft", description=m.get("description", ""),
                          panel_topics=m.get("panel_topics", []), **values)
        db.session.add(meeting)
        db.session.flush()
        report.count("created", "meetings")
    elif _assign(meeting, values):
        report.count("updated", "meetings")
    report.meeting = meeting

    rooms = {r.external_id: r for r in db.session.execute(select(Room).where(Room.meeting_id == meeting.id)).scalars()}
    for position, r in enumerate(data["rooms"]):
        values = {"name": r["name"], "capacity": r.get("capacity"), "position": position}
        room = rooms.get(r["id"])
        if room is None:
            room = rooms[r["id"]] = Room(meeting_id=meeting.id, external_id=r["id"], **values)
            db.session.add(room)
            report.count("created", "rooms")
        elif _assign(room, values):
            report.count("updated", "rooms")
    db.session.flush()
    say(f"rooms: {len(rooms)}")

    speakers = _import_speakers(data["speakers"], report)
    say(f"speakers: {len(speakers)}")
    items = _import_sessions(meeting, data["sessions"], rooms, speakers, zone, report)
    say(f"sessions: {len(items)}")
    _import_webinars(data.get("webinars") or [], report)
    if with_registrants:
        _import_registrants(meeting, data.get("registrants") or [], data.get("webinars") or [], report, say)

    db.session.flush()
    conflicts = meeting_conflicts(meeting)
    report.warnings.extend(c.message for c in conflicts)
    if report.changed and meeting.status != "draft":
        touch(meeting)
    if not draft:
        report.release = publish_agenda(meeting, actor=actor, accept_conflicts=True, note="Imported")
    return report


def _import_speakers(rows: list[dict], report: ImportReport) -> dict[str, Speaker]:
    """Speakers are global: matched by email (never by name: many share a name)."""
    emails = [normalise_email(s["email"]) for s in rows if s.get("email")]
    people = {p.email: p for p in db.session.execute(select(Person).where(Person.email.in_(emails))).scalars()} if emails else {}
    existing = {}
    if people:
        existing = {s.person_id: s for s in db.session.execute(
            select(Speaker).where(Speaker.person_id.in_([p.id for p in people.values()]))).scalars()}
    result = {}
    for s in rows:
        email = normalise_email(s.get("email", ""))
        values = {"name": s["name"], "honorific": s.get("honorific", ""), "position": s.get("title", ""),
                  "organization": s.get("organization", ""), "city": s.get("city", ""),
                  "state": s.get("state", ""), "bio": s.get("bio", ""), "email": email or None}
        person = people.get(email) if email else None
        if email and person is None:
            person = people[email] = Person(email=email, name=s["name"])
            db.session.add(person)
        speaker = existing.get(person.id) if person is not None and person.id else None
        if speaker is None:
            speaker = Speaker(person=person, **values)
            db.session.add(speaker)
            report.count("created", "speakers")
        elif _assign(speaker, values):
            report.count("updated", "speakers")
        result[s["id"]] = speaker
    db.session.flush()
    return result


def _import_sessions(meeting, rows, rooms, speakers, zone, report) -> dict[str, AgendaItem]:
    existing = {i.external_id: i for i in db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).scalars()}
    links = {}
    for link in db.session.execute(select(SessionSpeaker).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).scalars():
        links.setdefault(link.item_id, []).append(link)
    slots = {}
    for slot in db.session.execute(select(ShowcaseSlot).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).scalars():
        slots[(slot.item_id, slot.external_id)] = slot
    for s in rows:
        kind, known = vocab.normalise(vocab.SESSION_KINDS, s.get("kind"), "panel")
        if not known:
            report.warnings.append(f"session “{s['title']}”: unknown kind “{s.get('kind')}”, imported as a panel")
        starts = _local(s["start"], zone, s["id"])
        values = {"kind": kind, "title": s["title"], "description": s.get("abstract", ""), "track": s.get("track", ""),
                  "starts_at": starts, "ends_at": starts + timedelta(minutes=s["minutes"]),
                  "room_id": rooms[s["room"]].id if s.get("room") else None, "capacity": s.get("capacity"),
                  "location_name": s.get("location", ""), "location_address": s.get("address", ""),
                  "latitude": s.get("latitude"), "longitude": s.get("longitude")}
        item = existing.get(s["id"])
        if item is None:
            item = existing[s["id"]] = AgendaItem(meeting_id=meeting.id, external_id=s["id"], status="draft", **values)
            db.session.add(item)
            report.count("created", "sessions")
        else:
            seq_fields = ("title", "starts_at", "ends_at", "room_id", "location_name", "location_address",
                          "latitude", "longitude")
            moved = any(getattr(item, k) != values[k] for k in seq_fields)
            if _assign(item, values):
                report.count("updated", "sessions")
                if moved and item.status != "draft":
                    item.sequence += 1
    db.session.flush()

    for s in rows:
        item = existing[s["id"]]
        wanted = []
        for position, link in enumerate(s.get("speakers") or []):
            role, known = vocab.normalise(vocab.SPEAKER_ROLES, link.get("role"), "speaker")
            if not known:
                report.warnings.append(f"session “{s['title']}”: unknown speaker role “{link.get('role')}”, imported as speaker")
            wanted.append((speakers[link["id"]].id, role, position))
        have = {(lk.speaker_id, lk.role, lk.position) for lk in links.get(item.id, [])}
        if set(wanted) != have:
            for lk in links.get(item.id, []):
                db.session.delete(lk)
            db.session.flush()
            for speaker_id, role, position in wanted:
                db.session.add(SessionSpeaker(item_id=item.id, speaker_id=speaker_id, role=role, position=position))
            report.count("updated" if have else "created", "session speakers", len(wanted))
        for position, talk in enumerate(s.get("lightning") or []):
            key = f"{s['id']}:{position}"
            presenter = speakers.get(talk.get("speaker"))
            values = {"speaker_id": presenter.id if presenter else None,
                      "presenter_name": presenter.display_name if presenter else talk.get("presenter", ""),
                      "city": presenter.city if presenter else "", "state": presenter.state if presenter else "",
                      "title": talk["title"], "summary": talk.get("summary", ""), "topic": talk.get("topic", ""),
                      "position": position, "duration_seconds": int(talk.get("seconds") or 180)}
            slot = slots.get((item.id, key))
            if slot is None:
                db.session.add(ShowcaseSlot(item_id=item.id, external_id=key, **values))
                report.count("created", "showcase slots")
            elif _assign(slot, values):
                report.count("updated", "showcase slots")
    db.session.flush()
    return existing


def _import_webinars(rows, report):
    if not rows:
        return
    existing = {w.slug: w for w in db.session.execute(select(Webinar).where(Webinar.slug.in_([w["slug"] for w in rows]))).scalars()}
    for w in rows:
        zone = ZoneInfo(w["timezone"])
        starts = _local(w["start"], zone, w["slug"])
        values = {"title": w["title"], "description": w.get("description", ""), "timezone": canonical_zone(w["timezone"]),
                  "starts_at": starts, "ends_at": starts + timedelta(minutes=int(w.get("minutes") or 60)),
                  "capacity": w.get("capacity"), "join_url": w.get("join_url", ""),
                  "registration_closes_at": _local(w["closes"], zone, w["slug"]) if w.get("closes") else None,
                  "presenters": w.get("presenters", "")}
        webinar = existing.get(w["slug"])
        if webinar is None:
            db.session.add(Webinar(slug=w["slug"], external_id=w["slug"], status="published", **values))
            report.count("created", "webinars")
        else:
            moved = any(getattr(webinar, k) != values[k] for k in ("title", "starts_at", "ends_at"))
            if _assign(webinar, values):
                report.count("updated", "webinars")
                webinar.version += 1
                if moved:
                    webinar.sequence += 1
    db.session.flush()


def _import_registrants(meeting, rows, webinar_rows, report, say):
    """Registrants for benchmarks and demos: each is registered for the meeting, and for one webinar
    when the file says so. An import records registrations made elsewhere, so they are confirmed
    directly, up to the event's capacity; beyond it they join the waitlist in file order."""
    slugs = {w["id"]: w["slug"] for w in webinar_rows}
    webinars = {}
    if slugs:
        webinars = {w.slug: w for w in db.session.execute(select(Webinar).where(Webinar.slug.in_(list(slugs.values())))).scalars()}
    emails = [normalise_email(r["email"]) for r in rows]
    people = {}
    for chunk in range(0, len(emails), 1000):
        part = emails[chunk:chunk + 1000]
        people.update({p.email: p for p in db.session.execute(select(Person).where(Person.email.in_(part))).scalars()})
    for r in rows:
        email = normalise_email(r["email"])
        if email not in people:
            people[email] = Person(email=email, name=r.get("name", ""))
            db.session.add(people[email])
    db.session.flush()
    have_meeting = {pid for (pid,) in db.session.execute(
        select(Registration.person_id).where(Registration.meeting_id == meeting.id))}
    have_webinar = {tuple(row) for row in db.session.execute(
        select(Registration.person_id, Registration.webinar_id).where(Registration.webinar_id.is_not(None))).all()}
    confirmed = {(kind, event_id): n for kind, event_id, n in db.session.execute(
        select(func.coalesce(Registration.meeting_id, -1), func.coalesce(Registration.webinar_id, -1), func.count())
        .where(Registration.status == "confirmed")
        .group_by(Registration.meeting_id, Registration.webinar_id)).all()}

    def status_for(key, capacity):
        taken = confirmed.get(key, 0)
        if capacity is not None and taken >= capacity:
            return {"status": "waitlisted", "confirmed_at": None}
        confirmed[key] = taken + 1
        return {"status": "confirmed", "confirmed_at": now}

    now = datetime.now(UTC)
    added = 0
    for n, r in enumerate(rows):
        person = people[normalise_email(r["email"])]
        first, _, last = (r.get("name") or "").partition(" ")
        city, state = _split_city(r.get("city", ""))
        role, _known = vocab.normalise(vocab.REGISTRATION_ROLES, r.get("role"), "other")
        common = {"first_name": first, "last_name": last, "email": r["email"], "role": role, "city": city,
                  "state": state, "consent_at": now, "queued_at": now, "source": "import"}
        if person.id not in have_meeting:
            db.session.add(Registration(person_id=person.id, meeting_id=meeting.id, **common,
                                        **status_for((meeting.id, -1), meeting.capacity)))
            have_meeting.add(person.id)
            added += 1
        if r.get("webinar"):
            webinar = webinars.get(slugs.get(r["webinar"]))
            if webinar is not None and (person.id, webinar.id) not in have_webinar:
                db.session.add(Registration(person_id=person.id, webinar_id=webinar.id, **common,
                                            **status_for((-1, webinar.id), webinar.capacity)))
                have_webinar.add((person.id, webinar.id))
                added += 1
        if n % 2000 == 1999:
            db.session.flush()
            say(f"registrants: {n + 1}/{len(rows)}")
    db.session.flush()
    if added:
        report.count("created", "registrations", added)
