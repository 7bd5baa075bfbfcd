"""A mayor registers from a phone and leaves "Reception on the rooftop" unticked: their page, their
personal feed and the staff count of who joins it all leave the reception out; the site visit they
ticked is in. axe finds no serious or critical problem on the pages that changed."""
import urllib.request
from datetime import UTC, datetime, time, timedelta

import icalendar
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.people.services import mint_token
from mipevents.registration.models import Registration


def test_a_declined_reception_is_absent_from_the_feed_and_the_counts(
        start_server, make_meeting, make_item, new_page, staff_login, assert_accessible):
    from mipevents.accounts.services import create_user

    first_day = datetime.now(UTC).date() + timedelta(days=21)
    meeting = make_meeting(name="Summer Meeting", starts_on=first_day, ends_on=first_day + timedelta(days=1),
                           timezone="America/Chicago")

    def at(hour):
        return datetime.combine(first_day, time(hour, 0))

    make_item(meeting, at=at(8), kind="plenary", title="Opening plenary")
    make_item(meeting, at=at(18), kind="reception", title="Reception on the rooftop")
    make_item(meeting, at=at(15), kind="tour", title="Site visit: the new library")
    create_user("staff@mipevents.test", "correct horse battery staple", role="staff", name="Staff")
    db.session.commit()
    slug, meeting_id = meeting.slug, meeting.id
    server = start_server()

    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    page.goto(f"{server.url}/meetings/{slug}/register")
    page.get_by_label("Mayor", exact=True).check()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Alvarez")
    page.get_by_label("City", exact=True).fill("Elm")
    page.get_by_label("State", exact=True).fill("IA")
    page.get_by_label("Attendee's email").fill("mayor@elm.gov")
    page.get_by_label("Site visit: the new library").check()          # the reception stays unticked
    page.get_by_label("I agree that the Mayors Innovation Project keeps these details to run this meeting").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{server.url}/meetings/{slug}/register/check-your-email")

    db.session.commit()   # see what the server committed
    registration = db.session.execute(select(Registration)).scalar_one()
    assert (registration.status, registration.extras_asked) == ("confirmed", True)
    token = mint_token(db.session.get(Person, registration.person_id), "manage", registration.id)
    db.session.commit()

    page.goto(f"{server.url}/manage/{token}/sessions")
    assert page.get_by_role("heading", level=2, name="For everyone attending").is_visible()
    assert page.get_by_text("Reception on the rooftop").count() == 0
    assert_accessible(page)
    # No page mints a feed address by being viewed: the registrant asks for it on their own page once.
    page.goto(f"{server.url}/manage/{token}")
    page.get_by_role("button", name="Show my calendar address").click()
    feed_url = page.locator("#feed-heading ~ p a.private-link").get_attribute("href")
    with urllib.request.urlopen(feed_url) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        "Opening plenary", "Site visit: the new library"]

    desk = new_page()
    staff_login(desk, server, "staff@mipevents.test", "correct horse battery staple")
    desk.goto(f"{server.url}/staff/meetings/{meeting_id}/registrations/")
    reception = desk.get_by_role("row", name="Reception on the rooftop")
    visit = desk.get_by_role("row", name="Site visit: the new library")
    assert reception.locator("td").all_inner_texts() == ["0", "—", "0"]
    assert visit.locator("td").all_inner_texts() == ["0", "—", "1"]
    assert_accessible(desk)
