"""Off-site sessions (a site visit, a reception at another venue) carry their own place: staff give it
on the session form, and the agenda, the session page, its calendar file (LOCATION, GEO) and the API
show it instead of the room; a change of place on a public session reaches calendars (SEQUENCE)."""
import icalendar
from sqlalchemy import select

from mipevents.agenda.models import AgendaItem
from tests.agenda.test_staff_agenda import session_form

WHARF = {"location_name": "The Wharf, Pier 4", "location_address": "950 Wharf St SW, Washington, DC 20024",
         "latitude": "38.8785", "longitude": "-77.0235"}


def test_an_offsite_session_shows_its_own_place_everywhere(client, login_as, make_meeting, make_room, db_session):
    meeting = make_meeting(venue="Capitol Hill Conference Center")
    room = make_room(meeting, "Salon A")
    db_session.commit()
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/sessions/new",
                           data=session_form(kind="tour", title="Site visit: the waterfront", room_id=str(room.id), **WHARF))
    assert response.status_code == 303
    item = db_session.execute(select(AgendaItem)).scalar_one()
    item.status = "published"
    db_session.commit()
    client.post("/staff/logout")

    agenda = client.get(f"/meetings/{meeting.slug}/agenda").get_data(as_text=True)
    assert '<span class="room offsite">Off-site: The Wharf, Pier 4, 950 Wharf St SW, Washington, DC 20024</span>' in agenda
    page = client.get(f"/meetings/{meeting.slug}/sessions/{item.id}").get_data(as_text=True)
    assert "<address>950 Wharf St SW, Washington, DC 20024</address>" in page
    assert "Salon A" not in page
    event = icalendar.Calendar.from_ical(client.get(f"/meetings/{meeting.slug}/sessions/{item.id}.ics").data).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "The Wharf, Pier 4, 950 Wharf St SW, Washington, DC 20024"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (38.8785, -77.0235)
    api = client.get(f"/api/v1/meetings/{meeting.slug}/sessions/{item.id}").json
    assert api["location"] == {"name": "The Wharf, Pier 4", "address": "950 Wharf St SW, Washington, DC 20024",
                               "latitude": 38.8785, "longitude": -77.0235}

    login_as("staff")
    moved = {**WHARF, "location_name": "The Wharf, Pier 7"}
    client.post(f"/staff/sessions/{item.id}/edit", data=session_form(kind="tour", title="Site visit: the waterfront",
                                                                      room_id=str(room.id), **moved))
    db_session.refresh(item)
    assert (item.location_name, item.sequence) == ("The Wharf, Pier 7", 1)


def test_half_or_impossible_coordinates_are_field_errors(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    db_session.commit()
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/sessions/new"
    half = client.post(url, data=session_form(**{**WHARF, "longitude": ""}))
    beyond = client.post(url, data=session_form(**{**WHARF, "latitude": "95"}))
    words = client.post(url, data=session_form(**{**WHARF, "latitude": "north"}))
    assert [r.status_code for r in (half, beyond, words)] == [422, 422, 422]
    assert '<p class="error" id="longitude-error">Give both the latitude and the longitude, or neither.</p>' in half.get_data(as_text=True)
    assert '<p class="error" id="latitude-error">Enter degrees from -90 to 90, e.g. 38.8977.</p>' in beyond.get_data(as_text=True)
    assert '<p class="error" id="latitude-error">Enter degrees from -90 to 90, e.g. 38.8977.</p>' in words.get_data(as_text=True)
    assert db_session.execute(select(AgendaItem)).scalars().all() == []


def test_an_import_carries_the_offsite_place_and_a_reimport_that_moves_it_raises_sequence(app, db_session):
    import json
    from pathlib import Path

    from mipevents.workflows.importer import import_meeting

    data = json.loads((Path(__file__).parents[1] / "workflows" / "import_cases" / "valid.json").read_text())
    data["sessions"][0].update({"room": None, "location": "The Wharf, Pier 4", "address": "950 Wharf St SW",
                                "latitude": 38.8785, "longitude": -77.0235})
    import_meeting(data)
    db_session.commit()
    item = db_session.execute(select(AgendaItem).where(AgendaItem.external_id == "x0")).scalar_one()
    assert (item.place, item.latitude, item.longitude, item.sequence) == ("The Wharf, Pier 4, 950 Wharf St SW", 38.8785, -77.0235, 0)
    data["sessions"][0]["location"] = "The Wharf, Pier 7"
    import_meeting(data)
    db_session.commit()
    db_session.refresh(item)
    assert (item.location_name, item.sequence) == ("The Wharf, Pier 7", 1)
