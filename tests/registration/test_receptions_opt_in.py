"""Receptions, tours and site visits are opt-in, by one rule for the personal feed, the registrant's
page and the staff counts: never asked joins them all, asked joins those ticked, declined none."""
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from mipevents import create_app
from mipevents.agenda.models import AgendaItem
from mipevents.extensions import db
from mipevents.feeds import events, ics, personal
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.people.services import mint_token
from mipevents.registration import services, sessions
from mipevents.registration.models import Registration
from tests.conftest import _settings

TODAY = datetime.now(UTC).date()
HOST = "mipevents.test"


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
         "title": "Mayor", "organization": f"City {n}", "city": "Madison", "state": "WI", "consent": True}
    v.update(over)
    return v


@pytest.fixture
def party(make_meeting, make_item):
    """A meeting with a plenary, a rooftop reception and a site visit, and three confirmed registrants:
    one said yes to the reception only, one declined both, one was never asked."""
    meeting = make_meeting(starts_on=TODAY + timedelta(days=20), ends_on=TODAY + timedelta(days=21), capacity=10)
    day = meeting.starts_on
    plenary = make_item(meeting, at=datetime(day.year, day.month, day.day, 9, 0), kind="plenary", title="Opening")
    reception = make_item(meeting, at=datetime(day.year, day.month, day.day, 18, 0), kind="reception",
                          title="Reception on the rooftop")
    tour = make_item(meeting, at=datetime(day.year, day.month, day.day, 15, 0), kind="tour", title="Site visit")
    db.session.commit()
    said_yes = services.register(meeting, values(1, extras=[reception.id], extras_asked=True)).registration
    declined = services.register(meeting, values(2, extras=[], extras_asked=True)).registration
    never = services.register(meeting, values(3)).registration
    db.session.commit()
    return {"meeting": meeting, "plenary": plenary, "reception": reception, "tour": tour,
            "said_yes": said_yes, "declined": declined, "never": never}


def _feed(app, client, registration):
    person = db.session.get(Person, registration.person_id)
    token = mint_token(person, "feed")
    db.session.commit()
    body = client.get(f"/calendar/{token}.ics").data
    site = events.Site.from_config(app.config)
    assert body == ics.subscribed_calendar(person.name, personal.personal_events(person, site), site)
    return body


def test_the_feed_holds_the_receptions_said_yes_to_and_all_of_them_when_never_asked(app, client, party):
    uid = {name: f"UID:session-{party[name].id}@{HOST}".encode() for name in ("plenary", "reception", "tour")}
    yes, declined, never = (_feed(app, client, party[who]) for who in ("said_yes", "declined", "never"))
    assert [uid[name] in yes for name in ("plenary", "reception", "tour")] == [True, True, False]
    assert [uid[name] in declined for name in ("plenary", "reception", "tour")] == [True, False, False]
    assert [uid[name] in never for name in ("plenary", "reception", "tour")] == [True, True, True]
    assert b"Reception on the rooftop" not in declined


def test_the_registrants_page_lists_only_the_receptions_they_join(client, party):
    def page(who):
        token = mint_token(db.session.get(Person, party[who].person_id), "manage", party[who].id)
        db.session.commit()
        return client.get(f"/manage/{token}/sessions").get_data(as_text=True)

    heading = "<h2>Receptions and site visits you join</h2>"
    yes, declined, never = page("said_yes"), page("declined"), page("never")
    assert heading in yes and "Reception on the rooftop" in yes
    assert heading not in declined and "Reception on the rooftop" not in declined
    assert heading in never and "Reception on the rooftop" in never


def test_the_rule_and_the_staff_counts_agree(client, login_as, party):
    joining = [who for who in ("said_yes", "declined", "never") if sessions.joins(party[who], party["reception"])]
    assert joining == ["said_yes", "never"]
    login_as("staff")
    page = client.get(f"/staff/meetings/{party['meeting'].id}/registrations/").get_data(as_text=True)
    reception_row = page.split("Reception on the rooftop")[1].split("</tr>")[0]
    tour_row = page.split("Site visit")[1].split("</tr>")[0]
    assert reception_row.endswith('<td class="num">0</td><td class="num">—</td><td class="num">2</td>')
    assert tour_row.endswith('<td class="num">0</td><td class="num">—</td><td class="num">1</td>')


def test_the_json_api_without_the_field_is_never_asked(client, make_meeting, make_item):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=20), ends_on=TODAY + timedelta(days=21))
    make_item(meeting, kind="reception")
    db.session.commit()
    response = client.post(f"/api/v1/meetings/{meeting.slug}/registrations", json={
        "first_name": "Ana", "last_name": "Ruiz", "email": "ana@city.gov", "type": "mayor", "city": "Tacoma",
        "state": "WA", "consent": True})
    assert response.is_json and response.status_code < 300   # accepted (the answer's code is the trust rule's)
    assert db.session.execute(select(Registration.extras_asked)).scalar_one() is False


def test_the_migration_tells_never_asked_from_declined(empty_database_url):
    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        meeting = Meeting(slug="winter", name="Winter", kind="winter", status="published", starts_on=TODAY, ends_on=TODAY,
                          timezone="America/Chicago")
        late = Meeting(slug="late", name="Late", kind="winter", status="published", starts_on=TODAY, ends_on=TODAY,
                       timezone="America/Chicago")
        db.session.add_all([meeting, late])
        db.session.flush()
        db.session.add_all([
            AgendaItem(meeting_id=meeting.id, kind="reception", title="Reception", status="published",
                       starts_at=now, ends_at=now + timedelta(hours=1), created_at=now - timedelta(days=2)),
            AgendaItem(meeting_id=late.id, kind="reception", title="Added later", status="published",
                       starts_at=now, ends_at=now + timedelta(hours=1), created_at=now)])
        people = [Person(email=f"p{n}@example.org") for n in range(5)]
        db.session.add_all(people)
        db.session.flush()
        reception_id = db.session.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)).scalar_one()
        rows = [  # (meeting, source, extras) -> asked?
            (meeting, "web", [reception_id]), (meeting, "web", []), (meeting, "api", []), (meeting, "import", []),
            (late, "web", [])]
        db.session.add_all([Registration(person_id=p.id, meeting_id=m.id, status="confirmed", source=source, extras=extras,
                                         created_at=now - timedelta(days=1))
                            for p, (m, source, extras) in zip(people, rows, strict=True)])
        db.session.commit()
        downgrade(revision="0002")
        upgrade()
        asked = db.session.execute(select(Registration.extras_asked).order_by(Registration.id)).scalars().all()
        assert asked == [True, True, False, False, False]
        db.session.remove()
        db.engine.dispose()
