"""What the import file's schema cannot say, checked over the whole file before anything is written:
every text as the text rule keeps it and within its column, dates in the sane window, numbers with
sane maxima, web addresses http(s) only, known time zones, ids used once, and the references between
rooms, speakers, sessions and webinars. Each problem is named by its place (`sessions[12].title: …`)."""
import copy
import math
from datetime import date, datetime

from mipevents.agenda.models import AgendaItem
from mipevents.core.forms import FIRST_YEAR, LAST_YEAR
from mipevents.core.text import TextProblem, clean_text, email_key
from mipevents.core.timeutil import is_valid_zone
from mipevents.meetings.models import Meeting, Room
from mipevents.people.models import Person
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar
from mipevents.workflows.import_schema import place

ID_LENGTH = 70            # a showcase talk's key is "<session id>:<position>" in an 80-character column
MAX_MINUTES = 7 * 24 * 60
MAX_SECONDS = 60 * 60
MAX_CAPACITY = 100_000
NAME_PART = 100           # a registrant's first and last name each
MULTI_LINE = {"description", "abstract", "bio", "summary", "presenters"}

KIND_LENGTH = 60          # a kind or role outside the vocabulary is imported as the generic one, with a warning

# Where each text is kept: its column (its length is the limit), a length, or None (a text column).
COLUMNS = {
    "meeting": {"slug": Meeting.slug, "name": Meeting.name, "venue": Meeting.venue, "address": Meeting.address, "description": None,
                "city": None, "timezone": Meeting.timezone},
    "rooms": {"id": ID_LENGTH, "name": Room.name},
    "speakers": {"id": ID_LENGTH, "name": Speaker.name, "honorific": Speaker.honorific, "title": Speaker.position,
                 "organization": Speaker.organization, "city": Speaker.city, "state": Speaker.state, "bio": None,
                 "email": Person.email},
    "sessions": {"id": ID_LENGTH, "title": AgendaItem.title, "abstract": None, "track": AgendaItem.track,
                 "kind": KIND_LENGTH, "room": ID_LENGTH, "location": AgendaItem.location_name,
                 "address": AgendaItem.location_address},
    "lightning": {"title": ShowcaseSlot.title, "presenter": ShowcaseSlot.presenter_name, "topic": ShowcaseSlot.topic,
                  "summary": None, "speaker": ID_LENGTH},
    "speaker links": {"id": ID_LENGTH, "role": KIND_LENGTH},
    "webinars": {"id": ID_LENGTH, "slug": Webinar.slug, "title": Webinar.title, "description": None,
                 "presenters": None, "timezone": Webinar.timezone, "join_url": Webinar.join_url},
    "registrants": {"name": Person.name, "email": Person.email, "role": KIND_LENGTH, "city": None,
                    "webinar": ID_LENGTH},
}


def _limit(column) -> int | None:
    return column if column is None or isinstance(column, int) else column.type.length


def checked(document: dict) -> tuple[dict, list[str]]:
    """The document with every text as the text rule keeps it, and every problem found (none: it
    can be imported). `document` already fits the schema; it is not changed."""
    doc = copy.deepcopy(document)
    problems: list[str] = []

    def text(obj: dict, key: str, path: list, section: str) -> None:
        value = obj.get(key)
        if not isinstance(value, str):
            return
        limit = _limit(COLUMNS[section][key])
        try:
            obj[key] = clean_text(value, multiline=key in MULTI_LINE, max_length=limit)
        except TextProblem as problem:
            problems.append(f"{place([*path, key])}: {_lower_first(str(problem))}")
            return
        if key in ("id", "name", "title", "slug") and not obj[key]:
            problems.append(f"{place([*path, key])}: empty once spaces and control characters are left out")

    def texts(obj: dict, path: list, section: str) -> None:
        for key in COLUMNS[section]:
            text(obj, key, path, section)

    def unique(rows: list, path: str, key: str, what: str) -> None:
        seen: dict = {}
        for i, row in enumerate(rows):
            value = row.get(key)
            if value in (None, ""):
                continue
            fold = email_key(value) if key == "email" else value
            if fold in seen:
                problems.append(f"{path}[{i}].{key}: “{value}” is already the {what} of {path}[{seen[fold]}]")
            else:
                seen[fold] = i

    meeting = doc["meeting"]
    texts(meeting, ["meeting"], "meeting")
    topics = meeting.get("panel_topics") or []
    for i, topic in enumerate(topics):
        try:
            topics[i] = clean_text(topic, max_length=200)
        except TextProblem as problem:
            problems.append(f"meeting.panel_topics[{i}]: {_lower_first(str(problem))}")
    _zone(meeting, ["meeting"], problems)
    first, last = _day(meeting, "start", ["meeting"], problems), _day(meeting, "end", ["meeting"], problems)
    if first and last and last < first:
        problems.append("meeting.end: before “start”")
    _city_and_state(meeting, ["meeting"], problems)

    for i, room in enumerate(doc["rooms"]):
        texts(room, ["rooms", i], "rooms")
        _count(room, "capacity", MAX_CAPACITY, ["rooms", i], problems)
    unique(doc["rooms"], "rooms", "id", "id")
    unique(doc["rooms"], "rooms", "name", "name")
    rooms = {room["id"] for room in doc["rooms"]}

    for i, speaker in enumerate(doc["speakers"]):
        texts(speaker, ["speakers", i], "speakers")
    unique(doc["speakers"], "speakers", "id", "id")
    unique(doc["speakers"], "speakers", "email", "email")
    speakers = {speaker["id"] for speaker in doc["speakers"]}

    for i, session in enumerate(doc["sessions"]):
        path = ["sessions", i]
        texts(session, path, "sessions")
        _moment(session, "start", path, problems)
        _count(session, "minutes", MAX_MINUTES, path, problems)
        _count(session, "capacity", MAX_CAPACITY, path, problems)
        for key in ("latitude", "longitude"):
            if key in session and not math.isfinite(session[key]):   # JSON readers take NaN and Infinity
                problems.append(f"{place([*path, key])}: not a number of degrees")
        if session.get("room") not in (None, *rooms):
            problems.append(f"{place([*path, 'room'])}: “{session['room']}” is not the id of one of “rooms”")
        links = session.get("speakers") or []
        for k, link in enumerate(links):
            texts(link, [*path, "speakers", k], "speaker links")
            if link["id"] not in speakers:
                problems.append(f"{place([*path, 'speakers', k, 'id'])}: “{link['id']}” is not the id of one of “speakers”")
        unique(links, place([*path, "speakers"]), "id", "speaker")
        for k, talk in enumerate(session.get("lightning") or []):
            texts(talk, [*path, "lightning", k], "lightning")
            _count(talk, "seconds", MAX_SECONDS, [*path, "lightning", k], problems)
            if talk.get("speaker") not in (None, *speakers):
                problems.append(f"{place([*path, 'lightning', k, 'speaker'])}: “{talk['speaker']}” is not the id of "
                                "one of “speakers”")
    unique(doc["sessions"], "sessions", "id", "id")

    webinars = doc.get("webinars") or []
    for i, webinar in enumerate(webinars):
        path = ["webinars", i]
        texts(webinar, path, "webinars")
        _zone(webinar, path, problems)
        _moment(webinar, "start", path, problems)
        _moment(webinar, "closes", path, problems)
        _count(webinar, "minutes", MAX_MINUTES, path, problems)
        _count(webinar, "capacity", MAX_CAPACITY, path, problems)
        url = webinar.get("join_url") or ""
        if url and (not url.startswith(("https://", "http://")) or any(c.isspace() for c in url)):
            problems.append(f"{place([*path, 'join_url'])}: “{url[:60]}” is not a web address (https://…)")
    unique(webinars, "webinars", "id", "id")
    unique(webinars, "webinars", "slug", "slug")
    webinar_ids = {webinar["id"] for webinar in webinars}

    for i, registrant in enumerate(doc.get("registrants") or []):
        path = ["registrants", i]
        texts(registrant, path, "registrants")
        first_name, _, last_name = (registrant.get("name") or "").partition(" ")
        if len(first_name) > NAME_PART or len(last_name) > NAME_PART:
            problems.append(f"{place([*path, 'name'])}: keep the first and the last name to {NAME_PART} characters each")
        _city_and_state(registrant, path, problems)
        if registrant.get("webinar") not in (None, *webinar_ids):
            problems.append(f"{place([*path, 'webinar'])}: “{registrant['webinar']}” is not the id of one of “webinars”")
    return doc, problems


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _city_and_state(obj: dict, path: list, problems: list) -> None:
    """"City, ST" is kept as a city and a state, each in its column."""
    city, _, state = (obj.get("city") or "").partition(", ")
    if len(city.strip()) > _limit(Meeting.city) or len(state.strip()) > _limit(Meeting.state):
        problems.append(f"{place([*path, 'city'])}: write it as “City, ST”, with {_limit(Meeting.city)} and "
                        f"{_limit(Meeting.state)} characters at most")


def _zone(obj: dict, path: list, problems: list) -> None:
    if isinstance(obj.get("timezone"), str) and not is_valid_zone(obj["timezone"]):
        problems.append(f"{place([*path, 'timezone'])}: “{obj['timezone'][:60]}” is not an IANA time zone "
                        "(America/Chicago)")


def _in_window(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def _day(obj: dict, key: str, path: list, problems: list) -> date | None:
    try:
        day = date.fromisoformat(obj[key])
    except (KeyError, TypeError, ValueError):
        problems.append(f"{place([*path, key])}: “{obj.get(key)}” is not a date (YYYY-MM-DD)")
        return None
    if not _in_window(day.year):
        problems.append(f"{place([*path, key])}: {day.isoformat()} is not between the years {FIRST_YEAR} and {LAST_YEAR}")
        return None
    return day


def _moment(obj: dict, key: str, path: list, problems: list) -> None:
    if not isinstance(obj.get(key), str):
        return
    try:
        moment = datetime.fromisoformat(obj[key])
    except ValueError:
        problems.append(f"{place([*path, key])}: “{obj[key]}” is not a date and time (YYYY-MM-DDTHH:MM:SS)")
        return
    if not _in_window(moment.year):
        problems.append(f"{place([*path, key])}: {obj[key]} is not between the years {FIRST_YEAR} and {LAST_YEAR}")


def _count(obj: dict, key: str, most: int, path: list, problems: list) -> None:
    value = obj.get(key)
    if isinstance(value, int) and value > most:
        problems.append(f"{place([*path, key])}: {value} is more than {most:,}")
