"""The demo convening `make run` shows: a past Winter Meeting with its panels and Innovation
Showcase, an upcoming Summer Meeting (its speakers' invitations in every state, the keynote mayor's
travel details and so her briefing book) and an upcoming webinar, dated relative to today."""
import secrets
from datetime import date, time, timedelta

from sqlalchemy import func, select

from mipevents.accounts import services as accounts
from mipevents.agenda.models import AgendaItem, Invitation, SessionSpeaker
from mipevents.agenda.publishing import publish_agenda
from mipevents.calls.demo import load_calls_demo
from mipevents.core.timeutil import utcnow, wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.people.services import person_for_email
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker, SpeakerLogistics
from mipevents.webinars.models import Webinar
from mipevents.webinars.presenters import set_presenters
from mipevents.workflows.followup_demo import load_followup_demo

STAFF_EMAIL = "staff@mipevents.local"

SPEAKERS = [
    # key, honorific, name, position, organization, city, state
    ("rivera", "Mayor", "Elena Rivera", "Mayor of Dubuque, IA", "City of Dubuque", "Dubuque", "IA"),
    ("okafor", "Mayor", "Daniel Okafor", "Mayor of Tacoma, WA", "City of Tacoma", "Tacoma", "WA"),
    ("lindqvist", "Mayor", "Sara Lindqvist", "Mayor of Evanston, IL", "City of Evanston", "Evanston", "IL"),
    ("baptiste", "Mayor", "Marc Baptiste", "Mayor of Salem, MA", "City of Salem", "Salem", "MA"),
    ("chen", "Mayor", "Grace Chen", "Mayor of Ann Arbor, MI", "City of Ann Arbor", "Ann Arbor", "MI"),
    ("haddad", "Mayor", "Omar Haddad", "Mayor of Durham, NC", "City of Durham", "Durham", "NC"),
    ("moreno", "Mayor", "Lucía Moreno", "Mayor of Santa Fe, NM", "City of Santa Fe", "Santa Fe", "NM"),
    ("walsh", "Mayor", "Patrick Walsh", "Mayor of Ithaca, NY", "City of Ithaca", "Ithaca", "NY"),
    ("nguyen", "Mayor", "Thu Nguyen", "Mayor of Tempe, AZ", "City of Tempe", "Tempe", "AZ"),
    ("adeyemi", "Mayor", "Funmi Adeyemi", "Mayor of Richmond, VA", "City of Richmond", "Richmond", "VA"),
    ("kowalski", "Mayor", "Anna Kowalski", "Mayor of Rochester, MN", "City of Rochester", "Rochester", "MN"),
    ("brooks", "", "Jamal Brooks", "Senior Fellow", "Inclusive Prosperity Lab", "", ""),
    ("ellis", "", "Priya Ellis", "Policy Director", "Welcoming Communities Network", "", ""),
    ("ortiz", "", "Ramón Ortiz", "Chief Resilience Officer", "Flood Finance Institute", "", ""),
    ("fischer", "Dr.", "Hannah Fischer", "Research Director", "Mayors Innovation Project", "Madison", "WI"),
]

SHOWCASE = [
    ("rivera", "Water affordability", "Lead service lines replaced in four years",
     "Dubuque paired a utility-fee credit with block-by-block scheduling so every lead line was replaced without a rate spike."),
    ("okafor", "Housing", "Missing-middle housing by right",
     "Tacoma allowed duplexes to fourplexes across residential zones and pre-approved six building plans."),
    ("lindqvist", "Clean energy finance", "A reparations-informed home energy fund",
     "Evanston directed cannabis tax revenue to weatherisation grants in historically redlined blocks."),
    ("baptiste", "Civic engagement", "Participatory budgeting in every ward",
     "Salem let residents decide how to spend one million dollars of capital funds, with a youth ballot."),
    ("chen", "Climate adaptation", "A tree canopy plan residents can see",
     "Ann Arbor mapped heat islands and planted where the map was hottest, publishing progress monthly."),
    ("haddad", "Public health", "Community responders for 911 calls",
     "Durham sends unarmed responders to behavioural-health calls, freeing officers for emergencies."),
    ("moreno", "Workforce development", "Paid apprenticeships in city departments",
     "Santa Fe opened 40 paid apprenticeships in water, transit and IT, half filled by first-generation hires."),
    ("walsh", "Zoning reform", "Ending parking minimums downtown",
     "Ithaca removed parking minimums and saw three stalled infill projects break ground within a year."),
    ("nguyen", "Pedestrian safety", "Quick-build crosswalks near every school",
     "Tempe used paint, posts and planters to build 30 safer crossings in one summer."),
    ("adeyemi", "Community wealth building", "Anchor institutions buying local",
     "Richmond's hospitals and university shifted 8% of purchasing to local and minority-owned firms."),
]


def load_demo(today: date | None = None) -> dict:
    """Load the demo into an empty database; returns the staff credentials it created."""
    today = today or utcnow().date()
    speakers = _speakers()
    winter = _winter_meeting(speakers)
    summer = _summer_meeting(speakers, today)
    _invitations(summer, speakers, today)
    webinar = _webinar(today)
    # Its presenters are the demo's speaker profiles (their pages list the webinar).
    set_presenters(webinar, "Mayor Elena Rivera <rivera@example.org>\nRamón Ortiz <ortiz@example.org>", actor=None)
    load_calls_demo(today)
    password = secrets.token_urlsafe(12)
    accounts.create_user(STAFF_EMAIL, password, role="admin", name="Demo Staff")
    db.session.flush()
    publish_agenda(winter, accept_conflicts=True, note="Demo")
    publish_agenda(summer, accept_conflicts=True, note="Demo")
    load_followup_demo(winter)
    return {"email": STAFF_EMAIL, "password": password, "meetings": [winter.slug, summer.slug],
            "webinar": webinar.slug}


def database_is_empty() -> bool:
    return db.session.execute(select(func.count()).select_from(Meeting)).scalar_one() == 0


def _speakers() -> dict[str, Speaker]:
    result = {}
    for key, honorific, name, position, org, city, state in SPEAKERS:
        email = f"{key}@example.org"
        person = person_for_email(email, name)
        speaker = Speaker(person=person, honorific=honorific, name=name, position=position, organization=org,
                          city=city, state=state, email=email,
                          bio=f"{honorific + ' ' if honorific else ''}{name} is {position} ({org}). "
                              "Their work focuses on practical, replicable policy for cities.")
        db.session.add(speaker)
        result[key] = speaker
    db.session.flush()
    return result


def _add(meeting, rooms, day, start, minutes, kind, title, room=None, speakers=(), description="", track="",
         press="open", capacity=None):
    starts = wall_clock_to_utc(day, start, meeting.timezone)
    item = AgendaItem(meeting_id=meeting.id, kind=kind, title=title, description=description, track=track,
                      starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
                      room_id=rooms[room].id if room else None, status="draft", press_status=press,
                      capacity=capacity)
    db.session.add(item)
    db.session.flush()
    for position, (speaker, role) in enumerate(speakers):
        db.session.add(SessionSpeaker(item_id=item.id, speaker_id=speaker.id, role=role, position=position))
    return item


def _rooms(meeting, names):
    rooms = {}
    for position, (name, capacity) in enumerate(names):
        rooms[name] = Room(meeting_id=meeting.id, name=name, capacity=capacity, position=position)
        db.session.add(rooms[name])
    db.session.flush()
    return rooms


def _winter_meeting(sp) -> Meeting:
    meeting = Meeting(
        slug="winter-2025", name="Winter 2025 Meeting", kind="winter", status="draft",
        starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24), timezone="America/New_York",
        city="Washington", state="DC", venue="Capitol Hill Conference Center",
        address="400 New Jersey Ave NW, Washington, DC 20001", capacity=250,
        description=("Mayors and national experts on inclusive communities, local wealth, flood-resilient "
                     "infrastructure and mayor-council partnerships, with the Innovation Showcase."),
        panel_topics=["Creating Inclusive, Welcoming Communities", "Advancing Local Wealth and Opportunity",
                      "Data and Financing for Flood Resilient Infrastructure",
                      "Stronger Together: Building Effective Mayor-Council Partnerships"],
    )
    db.session.add(meeting)
    db.session.flush()
    rooms = _rooms(meeting, [("Grand Ballroom", 300), ("Salon A", 80), ("Salon B", 80)])
    d1, d2, d3 = date(2025, 1, 22), date(2025, 1, 23), date(2025, 1, 24)
    _add(meeting, rooms, d1, time(8, 0), 60, "meal", "Registration and breakfast", "Grand Ballroom")
    _add(meeting, rooms, d1, time(9, 0), 45, "plenary", "Welcome and opening remarks", "Grand Ballroom",
         [(sp["kowalski"], "keynote")], "Opening the Winter Meeting: what cities did this year.")
    _add(meeting, rooms, d1, time(10, 0), 75, "panel", "Creating Inclusive, Welcoming Communities", "Salon A",
         [(sp["ellis"], "moderator"), (sp["lindqvist"], "panelist"), (sp["haddad"], "panelist"), (sp["moreno"], "panelist")],
         "How cities welcome immigrants and refugees and make services reach every resident.", "Inclusion")
    _add(meeting, rooms, d1, time(10, 0), 75, "panel", "Advancing Local Wealth and Opportunity", "Salon B",
         [(sp["brooks"], "moderator"), (sp["adeyemi"], "panelist"), (sp["walsh"], "panelist")],
         "Community wealth building: anchor institutions, worker ownership and local procurement.", "Economy")
    _add(meeting, rooms, d1, time(11, 30), 60, "meal", "Lunch", "Grand Ballroom")
    _add(meeting, rooms, d1, time(13, 0), 60, "briefing", "Research briefing: what the data says about city budgets",
         "Salon A", [(sp["fischer"], "presenter")], "New findings from the network's survey of member cities.",
         "Research", press="chatham_house")
    _add(meeting, rooms, d1, time(14, 15), 20, "break", "Break")
    _add(meeting, rooms, d1, time(18, 0), 120, "reception", "Welcome reception", "Grand Ballroom",
         description="Hosted by the network's partners.", press="closed")
    _add(meeting, rooms, d2, time(8, 0), 45, "meal", "Breakfast", "Grand Ballroom")
    _add(meeting, rooms, d2, time(9, 0), 75, "panel", "Data and Financing for Flood Resilient Infrastructure",
         "Salon A", [(sp["ortiz"], "moderator"), (sp["chen"], "panelist"), (sp["rivera"], "panelist")],
         "Flood maps, risk data and the financing tools that pay for resilient infrastructure.", "Resilience")
    showcase = _add(meeting, rooms, d2, time(10, 45), 45, "showcase", "Innovation Showcase", "Grand Ballroom",
                    description="Each mayor has exactly three minutes to present a policy, program or practice their city implemented.",
                    track="Innovation")
    for position, (key, topic, title, summary) in enumerate(SHOWCASE):
        s = sp[key]
        db.session.add(ShowcaseSlot(item_id=showcase.id, speaker_id=s.id, presenter_name=s.display_name,
                                    city=s.city, state=s.state, title=title, summary=summary, topic=topic,
                                    position=position))
    _add(meeting, rooms, d2, time(12, 0), 60, "meal", "Lunch with federal partners", "Grand Ballroom")
    _add(meeting, rooms, d2, time(13, 30), 75, "panel", "Stronger Together: Building Effective Mayor-Council Partnerships",
         "Salon B", [(sp["baptiste"], "moderator"), (sp["nguyen"], "panelist"), (sp["okafor"], "panelist")],
         "Practical ways mayors and councils share credit, data and the hard votes.", "Governance")
    visit = _add(meeting, rooms, d2, time(15, 0), 90, "tour", "Site visit: green infrastructure on the Anacostia",
                 description="Buses leave from the main entrance.", capacity=40)
    visit.location_name, visit.location_address = "Anacostia Park", "1900 Anacostia Dr SE, Washington, DC 20020"
    visit.latitude, visit.longitude = 38.8706, -76.9724
    museum = _add(meeting, rooms, d2, time(18, 30), 90, "reception", "Reception at the National Building Museum",
                  press="closed")
    museum.location_name, museum.location_address = "National Building Museum", "401 F St NW, Washington, DC 20001"
    _add(meeting, rooms, d3, time(8, 30), 60, "meal", "Breakfast", "Grand Ballroom")
    _add(meeting, rooms, d3, time(9, 30), 60, "plenary", "Closing plenary: ideas to take home", "Grand Ballroom",
         [(sp["kowalski"], "moderator"), (sp["rivera"], "speaker")])
    return meeting


def _summer_meeting(sp, today: date) -> Meeting:
    first = date(today.year, 7, 15)                              # the next July at least three weeks out
    if first < today + timedelta(days=21):
        first = date(today.year + 1, 7, 15)
    first += timedelta(days=(2 - first.weekday()) % 7)          # a Wednesday
    meeting = Meeting(
        slug=f"summer-{first.year}", name=f"Summer {first.year} Meeting", kind="summer", status="draft",
        starts_on=first, ends_on=first + timedelta(days=2), timezone="America/Chicago",
        city="Madison", state="WI", venue="Monona Terrace Community and Convention Center",
        address="1 John Nolen Dr, Madison, WI 53703", capacity=200, approval_roles=["partner"],
        registration_closes_at=wall_clock_to_utc(first - timedelta(days=7), time(23, 59), "America/Chicago"),
        description="Three days on housing, pedestrian safety and clean energy finance, hosted by the City of Madison.",
        panel_topics=["Housing people can afford", "Safe streets for everyone", "Financing the clean energy transition"],
    )
    db.session.add(meeting)
    db.session.flush()
    rooms = _rooms(meeting, [("Exhibit Hall", 250), ("Hall of Ideas E", 60), ("Hall of Ideas F", 60)])
    d1, d2, d3 = first, first + timedelta(days=1), first + timedelta(days=2)
    _add(meeting, rooms, d1, time(9, 0), 60, "plenary", "Opening plenary", "Exhibit Hall", [(sp["kowalski"], "keynote")])
    _add(meeting, rooms, d1, time(10, 15), 75, "panel", "Housing people can afford", "Hall of Ideas E",
         [(sp["brooks"], "moderator"), (sp["okafor"], "panelist"), (sp["walsh"], "panelist")], track="Housing",
         capacity=60)
    _add(meeting, rooms, d1, time(10, 15), 75, "workshop", "Safe streets for everyone", "Hall of Ideas F",
         [(sp["nguyen"], "presenter")], track="Pedestrian safety", capacity=60)
    _add(meeting, rooms, d1, time(12, 0), 60, "meal", "Lunch", "Exhibit Hall")
    _add(meeting, rooms, d2, time(9, 0), 75, "panel", "Financing the clean energy transition", "Hall of Ideas E",
         [(sp["ortiz"], "moderator"), (sp["lindqvist"], "panelist")], track="Clean energy finance", capacity=60)
    _add(meeting, rooms, d2, time(10, 45), 45, "showcase", "Innovation Showcase", "Exhibit Hall", track="Innovation")
    _add(meeting, rooms, d2, time(18, 0), 120, "reception", "Reception on the rooftop", "Exhibit Hall", press="closed")
    _add(meeting, rooms, d3, time(9, 0), 60, "plenary", "Closing plenary", "Exhibit Hall", [(sp["chen"], "speaker")])
    return meeting


# The summer speakers' answers: key -> (status, days ago invited, reason for declining).
INVITATIONS = {
    "kowalski": ("accepted", 30, ""), "brooks": ("accepted", 30, ""), "lindqvist": ("accepted", 20, ""),
    "okafor": ("declined", 25, "Our city council's budget session falls on that day."),
    "walsh": ("invited", 10, ""), "nguyen": ("invited", 3, ""),
}


def _invitations(meeting: Meeting, sp, today: date) -> None:
    """Invitations in every state (no emails: the demo starts with an empty outbox), and the keynote
    mayor's travel, so her briefing book has all it shows."""
    links = db.session.execute(select(SessionSpeaker).join(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).scalars()
    keys = {speaker.id: key for key, speaker in sp.items()}
    noon = wall_clock_to_utc(today, time(12, 0), meeting.timezone)
    for link in links:
        status, days_ago, reason = INVITATIONS.get(keys[link.speaker_id], (None, 0, ""))
        if status:
            invited = noon - timedelta(days=days_ago)
            db.session.add(Invitation(link_id=link.id, speaker_id=link.speaker_id, role=link.role, status=status,
                                      reason=reason, invited_at=invited,
                                      responded_at=None if status == "invited" else invited + timedelta(days=2)))
    db.session.add(SpeakerLogistics(
        speaker_id=sp["kowalski"].id, meeting_id=meeting.id, av_needs="Slides from a laptop; a lapel microphone.",
        arrives_on=meeting.starts_on - timedelta(days=1), departs_on=meeting.starts_on + timedelta(days=1),
        travel="Drives from Rochester, MN; arrives the evening before.", hotel="The Edgewater", needs_room=True))
    db.session.flush()


def _webinar(today: date) -> Webinar:
    day = today + timedelta(days=14)
    day += timedelta(days=(0 - day.weekday()) % 7)              # a Monday
    starts = wall_clock_to_utc(day, time(12, 0), "America/Chicago")
    webinar = Webinar(
        slug=f"flood-resilience-{day:%Y-%m-%d}", title="Financing flood-resilient infrastructure",
        description="One hour with mayors and financing experts on paying for flood-resilient streets, "
                    "stormwater and housing. Bring your questions.",
        presenters="Mayor Elena Rivera (Dubuque, IA); Ramón Ortiz, Flood Finance Institute",
        starts_at=starts, ends_at=starts + timedelta(hours=1), timezone="America/Chicago", capacity=100,
        join_url="https://meet.example.org/j/7310042277?pwd=demo", status="published",
        registration_closes_at=starts)
    db.session.add(webinar)
    db.session.flush()
    return webinar
