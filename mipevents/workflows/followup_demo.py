"""The demo's "after the event": the past Winter 2025 Meeting gets a recording and slides on two panels,
a published write-up (with a credited photo) of its flood-resilience panel and of one showcase idea,
checked-in attendees, and a survey with their answers. Slides and photo are drawn here, so the demo
needs no file from outside the repository."""
import io
from datetime import UTC, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from mipevents.agenda.models import AgendaItem
from mipevents.core.text import slugify
from mipevents.extensions import db
from mipevents.followup import services
from mipevents.meetings.models import Meeting
from mipevents.people.services import person_for_email
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot

FLOOD_PANEL = "Data and Financing for Flood Resilient Infrastructure"
INCLUSION_PANEL = "Creating Inclusive, Welcoming Communities"

FLOOD_STORY = """At our 2025 Winter Meeting, we held a panel on how cities pay for infrastructure that keeps
working when the water rises. Mayor Elena Rivera of Dubuque and Dr. Wei Chen joined Ramón Ortiz of the
Flood Finance Institute.

## Start with the data you already have

Most cities hold more flood data than they use: 311 calls about flooded basements, stormwater work
orders, insurance claims. Mapped together, they show where the next dollar does the most good.

## Financing that fits a city budget

- **Stormwater utility credits** reward property owners who hold water on site.
- **Resilience bonds** price the avoided losses into the deal.
- **State revolving funds** now score projects on flood risk reduction.

> "Put the map in front of the council before you put the price in front of them." (Mayor Rivera)

Read the [Flood Finance Institute's primer](https://example.org/flood-finance-primer) and watch the
recording of the panel.
"""

SLOT_STORY = """Dubuque replaced every lead service line in four years without raising water rates.

The city paired a utility-fee credit with block-by-block scheduling, so crews worked one street at a
time and residents knew their week months ahead.
"""

ATTENDEES = [("amara.diallo", "Amara", "Diallo", "Mayor", "City of Lansing", "Lansing", "MI", True),
             ("tom.becker", "Tom", "Becker", "Mayor", "City of Fargo", "Fargo", "ND", True),
             ("lucia.ferro", "Lucía", "Ferro", "Mayor", "City of Tucson", "Tucson", "AZ", True),
             ("sam.owens", "Sam", "Owens", "Mayor", "City of Eau Claire", "Eau Claire", "WI", False)]

ANSWERS = [{"q1": "5", "q2": "The financing tools", "try": "yes", "try_what": "A stormwater utility credit"},
           {"q1": "4", "q2": "The flood data", "try": "maybe", "try_what": "Mapping 311 calls against flood zones"}]


def _slides_pdf(title: str) -> bytes:
    """A one-page PDF (drawn with Pillow) standing in for a panel's slides."""
    page = Image.new("RGB", (1280, 720), (11, 79, 108))
    draw = ImageDraw.Draw(page)
    draw.rectangle((60, 300, 1220, 420), fill=(255, 255, 255))
    draw.text((80, 340), title, fill=(11, 79, 108))
    out = io.BytesIO()
    page.save(out, format="PDF")
    return out.getvalue()


def _photo() -> bytes:
    """A drawn "photo" of a panel on stage."""
    image = Image.new("RGB", (1200, 675), (214, 226, 233))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 1200, 675), fill=(92, 64, 51))
    for n, x in enumerate((250, 600, 950)):
        draw.ellipse((x - 60, 200, x + 60, 320), fill=(120 + 30 * n, 90, 70))
        draw.rectangle((x - 90, 320, x + 90, 480), fill=(30, 50 + 40 * n, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _item(meeting: Meeting, title: str) -> AgendaItem:
    return db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                       AgendaItem.title == title)).scalar_one()


def load_followup_demo(winter: Meeting) -> None:
    """Recording, slides, write-ups, attendees and a survey with answers for the past winter meeting."""
    flood, inclusion = _item(winter, FLOOD_PANEL), _item(winter, INCLUSION_PANEL)
    for panel in (flood, inclusion):
        services.add_link(panel, kind="recording", title=f"{panel.title} (video)", is_public=True, actor=None,
                          url=f"https://video.example.org/winter-2025/{slugify(panel.title)}")
        services.add_file(panel, title=f"{panel.title} slides", data=_slides_pdf(panel.title),
                          max_bytes=5 * 1024 * 1024, is_public=True, actor=None)
    published = flood.ends_at + timedelta(days=14)
    story = services.save_story(flood, {
        "title": "Flood-resilient infrastructure: data first, then the money",
        "author": "Mayors Innovation Project staff", "body": FLOOD_STORY, "publish": True, "published_at": published,
        "summary": "Three ways cities pay for infrastructure that keeps working when the water rises."}, actor=None)
    services.add_photo(story, data=_photo(), alt="Three panelists on stage in front of a flood-risk map",
                       credit="Jordan Lee for the Mayors Innovation Project", max_bytes=8 * 1024 * 1024, actor=None)
    slot = db.session.execute(select(ShowcaseSlot).where(ShowcaseSlot.item_id.in_(
        select(AgendaItem.id).where(AgendaItem.meeting_id == winter.id)), ShowcaseSlot.position == 0)).scalar_one()
    services.save_story(slot, {"title": f"{slot.title}: how {slot.city} did it", "author": "Mayors Innovation Project staff",
                               "body": SLOT_STORY, "publish": True, "published_at": published,
                               "summary": slot.summary}, actor=None)
    survey = services.save_survey(flood, actor=None, closes_at=datetime(2099, 12, 31, tzinfo=UTC), questions=(
        "rating: How useful was this panel for your city?\n"
        "choice: Which part helped most? | The flood data | The financing tools | The questions"))
    arrived = flood.starts_at - timedelta(hours=1)
    for n, (key, first, last, title, org, city, state, came) in enumerate(ATTENDEES):
        person = person_for_email(f"{key}@example.org", f"{first} {last}")
        registration = Registration(person=person, meeting_id=winter.id, status="confirmed", role="mayor",
                                    first_name=first, last_name=last, email=person.email, title=title,
                                    organization=org, city=city, state=state, source="staff",
                                    confirmed_at=arrived - timedelta(days=30),
                                    checked_in_at=arrived if came else None)
        db.session.add(registration)
        db.session.flush()
        if n < len(ANSWERS):
            services.answer(survey, registration, ANSWERS[n], now=published)
