"""A small convening for the print tests: a panel, a showcase and a reception in America/Chicago,
speakers with photos, and a handful of confirmed registrants (one of them a speaker who picked a session)."""
import io
from datetime import date, datetime

import pytest
from PIL import Image

from mipevents.accounts.services import create_user
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services, sessions
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.services import process_photo


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (20, 90, 160)).save(out, format="PNG")
    return process_photo(out.getvalue(), 5_000_000)


@pytest.fixture
def convening(app, make_meeting, make_room, make_item, make_speaker):
    meeting = make_meeting(slug="summer-2031", name="Summer Meeting 2031", starts_on=date(2031, 7, 9),
                           ends_on=date(2031, 7, 10), timezone="America/Chicago", city="Dubuque", state="IA",
                           venue="Grand River Center", address="500 Bell St")
    ballroom, salon = make_room(meeting, "Grand Ballroom"), make_room(meeting, "Salon Zoë")
    keynote = make_speaker(name="Zoë Nuñez-Ødegaard", email="mayor@keynote.example", position="Mayor of Dubuque, IA",
                           bio="Mayor since 2019.")
    moderator = make_speaker(name="Ana Ruiz", email="ana@example.org", honorific="Dr.", position="Housing researcher",
                             bio="Studies housing that lasts. " * 30)
    moderator.photo, moderator.photo_type = _photo()
    moderator.photo_alt = "Dr. Ana Ruiz"
    make_item(meeting, at=datetime(2031, 7, 9, 10, 30), room=ballroom, title="Housing that works",
              speakers=[(moderator, "moderator"), (keynote, "panelist")])
    showcase = make_item(meeting, at=datetime(2031, 7, 9, 14, 0), minutes=45, room=salon, kind="showcase",
                         title="Innovation Showcase")
    for n, who in enumerate(("Mayor A", "Mayor B", keynote.display_name)):
        db.session.add(ShowcaseSlot(item_id=showcase.id, speaker_id=keynote.id if who == keynote.display_name else None,
                                    presenter_name=who, title=f"Idea {n}", position=n))
    make_item(meeting, at=datetime(2031, 7, 9, 18, 0), minutes=120, room=ballroom, kind="reception",
              title="Welcome reception")
    lunch = make_item(meeting, at=datetime(2031, 7, 10, 12, 0), room=salon, kind="workshop", title="Water workshop")
    meeting.registration_opens_at = None
    staff = create_user("staff@mip.test", "correct horse battery staple", role="staff", name="Staff")
    db.session.commit()
    registrations = []
    for n, (first, last, email) in enumerate((("Zoë", "Nuñez-Ødegaard", "mayor@keynote.example"),
                                              ("Brad", "Cavanagh", "brad@dubuque.example"),
                                              ("Lena", "Weiß", "lena@example.org"),
                                              ("Omar", "Haddad", "omar@example.org"))):
        registration = services.register(meeting, {"first_name": first, "last_name": last, "email": email,
                                                   "role": "mayor", "city": "Dubuque", "state": "IA",
                                                   "consent": True}).registration
        db.session.commit()
        registrations.append(registration)
        if n == 0:
            sessions.set_choices(registration, [lunch.id])
            db.session.commit()
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    return {"meeting": meeting, "keynote": keynote, "moderator": moderator, "registrations": registrations,
            "staff": staff}


@pytest.fixture
def staff_client(app, convening):
    client = app.test_client()
    response = client.post("/staff/login", data={"email": "staff@mip.test", "password": "correct horse battery staple"})
    assert response.status_code == 302
    return client
