"""The check-in desk: two keystrokes find a person (server-side, without JavaScript), one POST checks
them in, undo, and who is still expected."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.registration import services
from mipevents.registration.attendance import matches
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()
PEOPLE = [("Rosa", "Alvarez", "City of Elm", "Elm"), ("Kate", "Nguyen", "City of Tacoma", "Tacoma"),
          ("Karl", "Olsen", "Partners for Places", "Denver"), ("Ana", "Katz", "City of Madison", "Madison")]


@pytest.fixture
def meeting(make_meeting):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=1), ends_on=TODAY + timedelta(days=2))
    db.session.commit()
    for n, (first, last, organization, city) in enumerate(PEOPLE):
        services.register(meeting, {"first_name": first, "last_name": last, "organization": organization, "city": city,
                                    "state": "WI", "email": f"p{n}@example.org", "role": "mayor"})
        db.session.commit()
    return meeting


def names(html):
    return [line.split("<strong>")[1].split("</strong>")[0] for line in html.split('<div class="checkin-who">')[1:]]


def test_search_matches_the_beginning_of_any_word():
    text = "kate nguyen city of tacoma tacoma mayor kate@tacoma.gov"
    assert [matches(text, q) for q in ("ka", "ta", "ng", "KA TA", "kate@", "at", "ka de")] == [
        True, True, True, True, True, False, False]


def test_two_keystrokes_find_the_people_whose_words_begin_with_them(client, login_as, meeting):
    login_as("staff")
    everyone = client.get(f"/staff/meetings/{meeting.id}/registrations/check-in")
    assert everyone.status_code == 200
    assert names(everyone.get_data(as_text=True)) == ["Alvarez, Rosa", "Katz, Ana", "Nguyen, Kate", "Olsen, Karl"]
    found = client.get(f"/staff/meetings/{meeting.id}/registrations/check-in?q=ka").get_data(as_text=True)
    assert names(found) == ["Katz, Ana", "Nguyen, Kate", "Olsen, Karl"]
    assert names(client.get(f"/staff/meetings/{meeting.id}/registrations/check-in?q=ta").get_data(as_text=True)) == ["Nguyen, Kate"]
    assert '<p id="checkin-count" role="status" aria-live="polite">3 people shown</p>' in found


def test_one_tap_checks_in_and_undo_takes_it_back(client, login_as, meeting):
    login_as("staff")
    kate = db.session.execute(select(Registration).where(Registration.last_name == "Nguyen")).scalar_one()
    response = client.post(f"/staff/meetings/{meeting.id}/registrations/{kate.id}/check-in")
    assert (response.status_code, response.headers["Location"]) == (
        302, f"/staff/meetings/{meeting.id}/registrations/check-in?done={kate.id}")
    db.session.expire_all()
    first_time = kate.checked_in_at
    assert first_time is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Kate Nguyen</strong> is checked in" in page
    assert '<p class="checkin-summary" id="checkin-summary">1 of 4 checked in · 3 still expected</p>' in page
    client.post(f"/staff/meetings/{meeting.id}/registrations/{kate.id}/check-in")   # a second tap keeps the first time
    db.session.expire_all()
    assert kate.checked_in_at == first_time
    expected = client.get(f"/staff/meetings/{meeting.id}/registrations/check-in?expected=1").get_data(as_text=True)
    assert names(expected) == ["Alvarez, Rosa", "Katz, Ana", "Olsen, Karl"]
    client.post(f"/staff/meetings/{meeting.id}/registrations/{kate.id}/undo-check-in")
    db.session.expire_all()
    assert kate.checked_in_at is None


def test_the_desk_is_for_staff_only_and_for_this_meetings_people(client, login_as, meeting, make_meeting):
    kate = db.session.execute(select(Registration).where(Registration.last_name == "Nguyen")).scalar_one()
    anonymous = client.get(f"/staff/meetings/{meeting.id}/registrations/check-in")
    assert (anonymous.status_code, anonymous.headers["Location"].split("?")[0]) == (302, "/staff/login")
    assert client.post(f"/staff/meetings/{meeting.id}/registrations/{kate.id}/check-in").status_code == 302
    db.session.expire_all()
    assert kate.checked_in_at is None
    login_as("reviewer")
    assert client.get(f"/staff/meetings/{meeting.id}/registrations/check-in").status_code == 403
    other = make_meeting()
    db.session.commit()
    client.post("/staff/logout")
    login_as("staff")
    assert client.post(f"/staff/meetings/{other.id}/registrations/{kate.id}/check-in").status_code == 404


def test_the_desk_has_a_constant_number_of_queries(client, login_as, meeting, count_queries):
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/check-in"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(20):
        services.register(meeting, {"first_name": f"F{n}", "last_name": f"L{n}", "email": f"more{n}@example.org", "role": "guest"})
        db.session.commit()
    client.get(url)
    with count_queries() as many:
        client.get(url)
    assert few.count == many.count


def test_the_desk_shows_dietary_and_accessibility_needs(client, login_as, meeting):
    kate = db.session.execute(select(Registration).where(Registration.last_name == "Nguyen")).scalar_one()
    kate.dietary_needs, kate.accessibility_needs = "Vegan, no nuts", "Step-free access"
    rosa = db.session.execute(select(Registration).where(Registration.last_name == "Alvarez")).scalar_one()
    rosa.dietary_needs = "Halal"
    db.session.commit()
    login_as("staff")
    page = re.sub(r">\s+<", "><", client.get(f"/staff/meetings/{meeting.id}/registrations/check-in").get_data(as_text=True))
    assert ('<ul class="checkin-needs" aria-label="Needs of Kate Nguyen">'
            '<li><span class="badge badge-need">Dietary</span> Vegan, no nuts</li>'
            '<li><span class="badge badge-need">Accessibility</span> Step-free access</li></ul>') in page
    assert ('<ul class="checkin-needs" aria-label="Needs of Rosa Alvarez">'
            '<li><span class="badge badge-need">Dietary</span> Halal</li></ul>') in page
    assert page.count('class="checkin-needs"') == 2                 # nobody else has any
    done = client.get(f"/staff/meetings/{meeting.id}/registrations/check-in?done={kate.id}").get_data(as_text=True)
    assert done.count('aria-label="Needs of Kate Nguyen"') == 2    # in the notice too, where the desk looks first


def _many(meeting, count):
    """`count` confirmed registrants written in one statement (the desk reads them; how they came does not matter)."""
    from sqlalchemy import insert

    from mipevents.people.models import Person
    people = db.session.execute(insert(Person).returning(Person.id), [
        {"email": f"crowd{n}@example.org", "name": f"Crowd {n}"} for n in range(count)]).scalars().all()
    db.session.execute(insert(Registration), [
        {"person_id": pid, "meeting_id": meeting.id, "status": "confirmed", "role": "guest", "first_name": f"Zed{n:04d}",
         "last_name": f"Zulu{n:04d}", "email": f"crowd{n}@example.org", "city": "Crowdville", "organization": "Crowd Inc"}
        for n, pid in enumerate(people)])
    db.session.commit()


def test_the_desk_searches_and_pages_on_the_server(client, login_as, meeting):
    _many(meeting, 120)
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/check-in"
    first = client.get(url).get_data(as_text=True)
    assert len(names(first)) == 50 and names(first)[:4] == ["Alvarez, Rosa", "Katz, Ana", "Nguyen, Kate", "Olsen, Karl"]
    assert "1–50 of 124 people shown" in first and "Page 1 of 3" in first and "Previous page" not in first
    last = client.get(url + "?page=3").get_data(as_text=True)
    assert names(last) == [f"Zulu{n:04d}, Zed{n:04d}" for n in range(96, 120)] and "Next page" not in last
    for page in ("99", "0", "x", "-3"):
        assert names(client.get(url + "?page=" + page).get_data(as_text=True)) == names(last if page == "99" else first)
    # Whoever is on page 3 is found from anywhere by the search.
    assert names(client.get(url + "?q=zed0117").get_data(as_text=True)) == ["Zulu0117, Zed0117"]
    assert names(client.get(url + "?q=crowd117@").get_data(as_text=True)) == ["Zulu0117, Zed0117"]
    assert names(client.get(url + "?q=kat+madi").get_data(as_text=True)) == ["Katz, Ana"]
    assert names(client.get(url + "?q=50%25").get_data(as_text=True)) == []
    assert len(names(client.get(url + "?q=crowdville&page=2").get_data(as_text=True))) == 50


def test_one_badge_on_demand_replaces_the_old_code(client, login_as, meeting):
    from mipevents.registration.checkin_codes import issue_codes, registration_for_code
    kate = db.session.execute(select(Registration).where(Registration.last_name == "Nguyen")).scalar_one()
    old = issue_codes([kate])[kate.id]
    db.session.commit()
    url = f"/staff/meetings/{meeting.id}/registrations/{kate.id}/badge"
    assert client.post(url).headers["Location"].split("?")[0] == "/staff/login"
    login_as("reviewer")
    assert client.post(url).status_code == 403
    assert registration_for_code(old, meeting.id) is not None
    client.post("/staff/logout")
    login_as("staff")
    desk = client.get(f"/staff/meetings/{meeting.id}/registrations/check-in?q=kate").get_data(as_text=True)
    assert f'action="{url}" class="inline-form" target="_blank"' in desk
    badge = client.post(url)
    assert badge.status_code == 200 and "no-store" in badge.headers["Cache-Control"]
    assert badge.mimetype in ("application/pdf", "text/html")
    assert badge.data.startswith(b"%PDF") if badge.mimetype == "application/pdf" else b"Kate Nguyen" in badge.data
    assert registration_for_code(old, meeting.id) is None      # the lost badge no longer checks anyone in
    from mipevents.accounts.models import AuditEntry
    assert db.session.execute(select(AuditEntry.summary).where(AuditEntry.action == "registration.badge")).scalar_one() == (
        "Printed a new badge for Kate Nguyen; the old one no longer checks in")
    kate.status = "cancelled"
    db.session.commit()
    assert client.post(url).status_code == 404


def test_the_database_search_finds_whom_the_desks_rule_finds(meeting):
    from mipevents.registration import queries
    from mipevents.registration.attendance import search_text
    everyone = db.session.execute(queries.door_list(meeting)).scalars().all()
    for query in ("ka", "ta", "ng", "KA TA", "p1@", "@example", "example", "org", "at", "ka de", "city of", "of",
                  "madison", "50%", "_", "ol\\", "p2@example.org"):
        found = db.session.execute(queries.door_list(meeting, query)).scalars().all()
        assert [r.id for r in found] == [r.id for r in everyone if matches(search_text(r), query)], query


def test_the_desk_finds_names_with_letters_outside_ascii_whatever_their_case(client, login_as, meeting):
    services.register(meeting, {"first_name": "Élodie", "last_name": "Ørsted", "organization": "Ísafjörður",
                                "city": "Ísafjörður", "state": "WI", "email": "x9@example.org", "role": "mayor"})
    db.session.commit()
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/check-in?q="
    for typed in ("élo", "ÉLO", "ørs", "ØRSTED", "ísa", "ÍSAFJÖRÐUR"):
        assert names(client.get(url + typed).get_data(as_text=True)) == ["Ørsted, Élodie"], typed
    assert names(client.get(url + "elo").get_data(as_text=True)) == []    # a letter is not its accent-less twin
