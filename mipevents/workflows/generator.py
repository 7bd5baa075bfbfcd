"""Synthetic convenings in the import format, for tests, benchmarks and trying the importer.

`generate(scale, seed, start)` returns one import document (see import.schema.json beside this
module): a Winter Meeting (a Summer Meeting when it starts from April to September) in Washington, DC with its rooms, speakers (mayors with their honorific
and city, and experts), a day-by-day agenda that holds every kind of session, an Innovation
Showcase of three-minute lightning talks, weekly webinars after the meeting, and registrants.
The same scale, seed and start always give the same document, ids included, so importing it
again changes nothing. Plain functions: no database, no app.

The scales, by what they hold:

    small   3 days, 3 rooms, 60 speakers, 200 registrants: about a real Winter Meeting
    medium  3 days, 6 rooms, 400 speakers, 2,000 registrants
    large   4 days, 10 rooms, 1,500 speakers, 10,000 registrants, ~250 sessions: a national
            convening, the size `make bench` measures

Like agendas drafted by hand, the data has conflicts, which an import reports and loads anyway:
on each day one speaker is booked in two rooms at once, random panels double-book a few more,
and at the large scale the showcase (40 presenters) runs past the next session in its room.
"""
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Scale:
    days: int
    rooms: int
    blocks_per_day: int        # the plenary, the breakout blocks and the evening event
    speakers: int
    registrants: int
    webinars: int
    showcase_talks: int


SCALES = {
    "small": Scale(days=3, rooms=3, blocks_per_day=5, speakers=60, registrants=200, webinars=3, showcase_talks=12),
    "medium": Scale(days=3, rooms=6, blocks_per_day=7, speakers=400, registrants=2000, webinars=10, showcase_talks=20),
    "large": Scale(days=4, rooms=10, blocks_per_day=8, speakers=1500, registrants=10000, webinars=30, showcase_talks=40),
}
DEFAULT_SEED = 2025
DEFAULT_START = date(2025, 1, 22)

MEETING_ZONE = "America/New_York"
WEBINAR_ZONE = "America/Chicago"
DAY_BEGINS = time(8, 30)
GAP = timedelta(minutes=15)            # between blocks; the morning break fills the first one
LUNCH = timedelta(minutes=60)
FIRST_WEBINAR_AFTER = timedelta(days=19)
TALK_SECONDS = 180
CHANGEOVER_SECONDS = 15

TOPICS = ["Water affordability", "Zoning reform", "Community wealth building", "Flood resilience",
          "Pedestrian safety", "Immigrant inclusion", "Clean energy finance", "Housing", "Public health",
          "Workforce development", "Civic engagement", "Climate adaptation"]
ANGLES = ["what works", "lessons from cities", "getting started", "funding the work"]
CITIES = ["Madison, WI", "Rochester, MN", "Tacoma, WA", "Richmond, VA", "Hoboken, NJ", "Salem, MA",
          "San Rafael, CA", "Jonesboro, GA", "Dubuque, IA", "Ithaca, NY", "Boulder, CO", "Evanston, IL",
          "Santa Fe, NM", "Ann Arbor, MI", "Durham, NC", "Bloomington, IN", "Asheville, NC", "Tempe, AZ"]
FIRST_NAMES = ["Kim", "Victoria", "Ravinder", "Kate", "Donya", "Dominick", "Nairuti", "Caprichia", "Andrea",
               "Shalini", "Katya", "Jorge", "Maria", "James", "Aisha", "Luis", "Mei", "Omar", "Grace", "Tomás"]
LAST_NAMES = ["Norton", "Woodards", "Bhalla", "Colin", "Sartor", "Pangallo", "Shastry", "Spellman", "Limauro",
              "Vajjhala", "Spear", "Amaya", "García", "O'Neil", "Nguyen", "Okafor", "Lindqvist", "Müller", "Díaz"]
EXPERT_TITLES = ["Policy Director", "Chief Resilience Officer", "Senior Fellow", "Research Director"]
ORGANISATIONS = ["The Democracy Collaborative", "PRE Collective", "Welcoming America", "Smart Growth America"]
ROOM_CAPACITIES = [40, 80, 150, 300]
WEBINAR_CAPACITIES = [100, 500, 1000]
REGISTRANT_ROLES = ["mayor", "city_staff", "partner"]


def generate(scale: str = "small", seed: int = DEFAULT_SEED, start: date = DEFAULT_START) -> dict:
    """The import document for one convening beginning on `start` (its first day, in the meeting's
    zone). Times in the document are wall-clock times in the meeting's or webinar's own zone."""
    size = SCALES[scale]
    rnd = random.Random(f"{scale}:{seed}")
    rooms = _rooms(size, rnd)
    speakers = _speakers(size, scale, rnd)
    sessions = _agenda(size, start, rooms, speakers, rnd)
    webinars = _webinars(size, scale, start, rnd)
    season = "summer" if 4 <= start.month <= 9 else "winter"
    return {
        "meeting": {
            "slug": f"{season}-{start.year}-{scale}", "name": f"{season.title()} Meeting {start.year}",
            "city": "Washington, DC", "venue": "Capitol Hill Conference Center", "timezone": MEETING_ZONE,
            "start": start.isoformat(), "end": (start + timedelta(days=size.days - 1)).isoformat(),
            "description": f"Mayors and national experts on {', '.join(t.lower() for t in TOPICS[:3])} and more.",
            "panel_topics": TOPICS[:4],
        },
        "rooms": rooms,
        "speakers": speakers,
        "sessions": sessions,
        "webinars": webinars,
        "registrants": _registrants(size, webinars, rnd),
    }


def _rooms(size: Scale, rnd: random.Random) -> list[dict]:
    return [{"id": f"r{i}", "name": f"Salon {chr(ord('A') + i)}", "capacity": rnd.choice(ROOM_CAPACITIES)}
            for i in range(size.rooms)]


def _name(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"


def _speakers(size: Scale, scale: str, rnd: random.Random) -> list[dict]:
    """Every other speaker is a mayor (honorific, title and city); the others are experts. Emails
    carry the scale, so the scales can live side by side in one database."""
    speakers = []
    for i in range(size.speakers):
        name = _name(rnd)
        topics = rnd.sample(TOPICS, 3)
        if i % 2 == 0:
            city = rnd.choice(CITIES)
            town, state = city.split(", ")
            who = {"honorific": "Mayor", "title": f"Mayor of {city}", "organization": f"City of {town}",
                   "city": town, "state": state}
            bio = f"{name} is the mayor of {city}, where the city's work on {topics[0].lower()} began."
        else:
            who = {"honorific": "", "title": rnd.choice(EXPERT_TITLES), "organization": rnd.choice(ORGANISATIONS),
                   "city": "", "state": ""}
            bio = f"{name} advises cities on {topics[0].lower()}."
        bio += f" Earlier work: {topics[1].lower()} and {topics[2].lower()}."
        speakers.append({"id": f"s{i}", "name": name, **who, "email": f"speaker{i}.{scale}@example.org", "bio": bio})
    return speakers


def _block_minutes(block: int) -> int:
    """Every third block (the plenary first) is 90 minutes long, the others 60."""
    return 90 if block % 3 == 0 else 60


def _agenda(size: Scale, start: date, rooms: list[dict], speakers: list[dict], rnd: random.Random) -> list[dict]:
    """Each day: a plenary, a short break, breakout blocks (panels and workshops in every room, a
    briefing in the last room of the first block), lunch in the middle, and an evening reception
    (a tour on the last day). The second day's third block is the Innovation Showcase."""
    sessions: list[dict] = []

    def add(kind, at, minutes, room=None, title=None, people=(), **extra):
        sessions.append({"id": f"x{len(sessions)}", "kind": kind, "room": room, "title": title or _title(rnd),
                         "abstract": _abstract(rnd), "track": rnd.choice(TOPICS), "start": at.isoformat(),
                         "minutes": minutes, "speakers": [{"id": s, "role": role} for s, role in people], **extra})

    lunch_after = size.blocks_per_day // 2
    last = size.blocks_per_day - 1
    for day in range(size.days):
        at = datetime.combine(start + timedelta(days=day), DAY_BEGINS)
        for block in range(size.blocks_per_day):
            minutes = _block_minutes(block)
            if block == 0:
                add("plenary", at, minutes, rooms[0]["id"], people=[(_pick(speakers, 1, rnd)[0], "keynote")])
                add("break", at + timedelta(minutes=minutes), GAP.seconds // 60, title="Coffee break")
            elif block == last:
                kind = "tour" if day == size.days - 1 else "reception"
                add(kind, at, minutes, rooms[0]["id"], title="Site visit" if kind == "tour" else "Evening reception")
            elif day == 1 and block == 2:
                talks = _showcase(size, speakers, rnd)
                length = math.ceil(len(talks) * (TALK_SECONDS + CHANGEOVER_SECONDS) / 60) + 5
                add("showcase", at, max(minutes, length), rooms[0]["id"], title="Innovation Showcase", lightning=talks)
            else:
                _breakouts(add, at, minutes, rooms, speakers, rnd, briefing=block == 1, double_book=block == 1)
            at += timedelta(minutes=minutes) + GAP
            if block == lunch_after:
                add("meal", at, LUNCH.seconds // 60, rooms[0]["id"], title="Lunch")
                at += LUNCH + GAP
    return sessions


def _breakouts(add, at, minutes, rooms, speakers, rnd, *, briefing: bool, double_book: bool):
    """One block of parallel sessions: panels (a moderator and three panelists) and workshops (two
    presenters) in turn, a briefing (two speakers) in the last room when asked. With
    `double_book`, the second room's first presenter is the first room's moderator: a conflict."""
    moderator = None
    for r, room in enumerate(rooms):
        if briefing and r == len(rooms) - 1 and r > 0:
            add("briefing", at, minutes, room["id"], people=[(s, "speaker") for s in _pick(speakers, 2, rnd)])
        elif r % 2 == 0:
            chosen = _pick(speakers, 4, rnd)
            moderator = moderator or chosen[0]
            add("panel", at, minutes, room["id"], people=[(chosen[0], "moderator")] + [(s, "panelist") for s in chosen[1:]])
        else:
            chosen = _pick(speakers, 2, rnd)
            if double_book and r == 1 and moderator not in chosen:
                chosen[0] = moderator
            add("workshop", at, minutes, room["id"], people=[(s, "presenter") for s in chosen])


def _showcase(size: Scale, speakers: list[dict], rnd: random.Random) -> list[dict]:
    """Lightning talks by mayors, each about their own city."""
    mayors = [s for s in speakers if s["honorific"] == "Mayor"]
    talks = []
    for presenter in mayors[:size.showcase_talks]:
        topic = rnd.choice(TOPICS)
        talks.append({"speaker": presenter["id"], "title": f"{topic} in {presenter['city']}", "topic": topic,
                      "summary": f"How {presenter['city']} approached {topic.lower()}, and what it cost.",
                      "seconds": TALK_SECONDS})
    return talks


def _webinars(size: Scale, scale: str, start: date, rnd: random.Random) -> list[dict]:
    """Weekly one-hour webinars at noon Central from 19 days after the meeting opens, so a start a
    few weeks ahead gives webinars open for registration. Slugs carry the scale."""
    first = datetime.combine(start + FIRST_WEBINAR_AFTER, time(12, 0))
    webinars = []
    for i in range(size.webinars):
        begins = first + timedelta(weeks=i)
        topic = rnd.choice(TOPICS)
        webinars.append({
            "id": f"w{i}", "slug": f"webinar-{scale}-{i + 1}", "title": f"{topic} webinar",
            "description": f"An hour with mayors on {topic.lower()}: {_abstract(rnd, 8)}",
            "timezone": WEBINAR_ZONE, "start": begins.isoformat(), "minutes": 60,
            "capacity": rnd.choice(WEBINAR_CAPACITIES),
            "join_url": f"https://meet.example.org/j/{rnd.randrange(10**9, 10**10)}",
            "closes": begins.isoformat()})
    return webinars


def _registrants(size: Scale, webinars: list[dict], rnd: random.Random) -> list[dict]:
    """Everyone registers for the meeting; every third registrant also for one webinar, in turn."""
    return [{"name": _name(rnd), "email": f"person{i}@example.org", "role": rnd.choice(REGISTRANT_ROLES),
             "city": rnd.choice(CITIES), "webinar": webinars[(i // 3) % len(webinars)]["id"] if i % 3 == 0 else None}
            for i in range(size.registrants)]


def _pick(speakers: list[dict], n: int, rnd: random.Random) -> list[str]:
    return [speakers[i]["id"] for i in rnd.sample(range(len(speakers)), k=min(n, len(speakers)))]


def _title(rnd: random.Random) -> str:
    return f"{rnd.choice(TOPICS)}: {rnd.choice(ANGLES)}"


def _abstract(rnd: random.Random, sentences: int = 3) -> str:
    return " ".join(f"{topic} and {other.lower()}: {angle}." for topic, other, angle in
                    ((rnd.choice(TOPICS), rnd.choice(TOPICS), rnd.choice(ANGLES)) for _ in range(sentences)))
