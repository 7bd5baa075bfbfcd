"""A mayor registers from a phone for a full meeting: the form catches a mistyped domain, the
confirmation page names the address, the email and the manage page say "waitlisted, number 1 in
line". Once a seat frees, she declines the rooftop reception and gives her needs on her own page; her
personal feed and the staff counts then leave the reception out. After "reset my links", the old link
offers "email me my link". axe finds no serious or critical problem on each page."""
import re
import urllib.request
from datetime import UTC, datetime, time, timedelta

import icalendar
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration import queries, services
from mipevents.registration.models import Registration
from mipevents.workflows.emails import BUILDERS


def _latest(kind, to_email):
    db.session.commit()   # see what the server committed
    return db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.to_email == to_email)
                              .order_by(OutboxMessage.id.desc())).scalars().first()


def _built(message):
    built = BUILDERS[message.kind](message)   # as delivery builds it: its links are made now
    db.session.commit()
    return built


def test_a_waitlisted_mayor_sees_her_place_then_edits_her_record_and_a_dead_link_gets_a_new_one(
        start_server, make_meeting, make_item, new_page, assert_accessible):
    first_day = datetime.now(UTC).date() + timedelta(days=21)
    meeting = make_meeting(name="Summer Meeting", starts_on=first_day, ends_on=first_day + timedelta(days=1),
                           timezone="America/Chicago", capacity=1)

    def at(hour):
        return datetime.combine(first_day, time(hour, 0))

    make_item(meeting, at=at(8), kind="plenary", title="Opening plenary")
    reception = make_item(meeting, at=at(18), kind="reception", title="Reception on the rooftop")
    make_item(meeting, at=at(15), kind="tour", title="Site visit: the new library")
    db.session.commit()
    seated = services.register(meeting, {"first_name": "Ana", "last_name": "First", "email": "first@town.gov",
                                         "role": "mayor", "consent": True}).registration
    db.session.commit()
    slug, reception_id = meeting.slug, reception.id
    server = start_server(workers=1)

    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    page.goto(f"{server.url}/meetings/{slug}/register")
    page.get_by_label("Mayor", exact=True).check()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Alvarez")
    page.get_by_label("City", exact=True).fill("Elm")
    page.get_by_label("State", exact=True).fill("IA")
    page.get_by_label("Attendee's email").fill("rosa@elm.gvo")
    page.get_by_label("Reception on the rooftop").check()
    page.get_by_label("Site visit: the new library").check()
    # The hint comes before submitting; the form is not sent until she chooses.
    page.get_by_label("Phone").click()
    assert page.locator("#email-typo").inner_text() == "Did you mean rosa@elm.gov? Use rosa@elm.gov"
    assert_accessible(page)
    page.get_by_role("button", name="Use rosa@elm.gov").click()
    assert page.get_by_label("Attendee's email").input_value() == "rosa@elm.gov"
    page.get_by_label("I agree that the Mayors Innovation Project keeps these details to run this meeting").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{server.url}/meetings/{slug}/register/check-your-email")
    assert page.locator(".sent-address").inner_text() == "rosa@elm.gov"
    assert page.get_by_role("link", name="Add to Google Calendar").is_visible()
    assert_accessible(page)

    # Her email and her page open with the waitlist and her place.
    received = _latest("registration_received", "rosa@elm.gov")
    email = _built(received)
    assert email.text.splitlines()[0] == "Your status: On the waitlist, number 1 in line"
    token = re.search(r"/manage/([\w-]{20,})", email.text).group(1)
    page.goto(f"{server.url}/manage/{token}")
    assert page.get_by_role("heading", level=2, name="Status: On the waitlist, number 1 in line").is_visible()
    assert_accessible(page)

    # A seat frees: she is confirmed, declines the reception and gives her needs on her own page.
    services.cancel(db.session.get(Registration, seated.id))
    db.session.commit()
    page.reload()
    assert page.get_by_role("heading", level=2, name="Status: Confirmed").is_visible()
    page.get_by_text("Change these details").click()
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_label("Accessibility needs").fill("Step-free access")
    page.get_by_label("Reception on the rooftop").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{server.url}/manage/{token}")
    assert page.locator(".flash-success").inner_text() == "Your details are saved."
    record = page.locator("dl.details")
    assert record.get_by_text("Vegetarian").is_visible() and record.get_by_text("Step-free access").is_visible()
    # Her feed address exists since her email carried it: one tap subscribes.
    assert page.get_by_role("link", name="Subscribe in Google Calendar").is_visible()
    assert page.get_by_role("link", name="Subscribe in Apple Calendar or Outlook").get_attribute("href").startswith("webcal://")
    assert_accessible(page)
    feed_url = page.locator("#feed-url").input_value()
    with urllib.request.urlopen(feed_url) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        "Opening plenary", "Site visit: the new library"]
    db.session.expire_all()
    counts = {c.item.id: c.said for c in queries.session_counts(meeting)}
    assert counts[reception_id] == 0

    # "Reset my links": the old link now says so, and offers to email a working one.
    page.get_by_role("button", name="Reset my links").click()
    page.goto(f"{server.url}/manage/{token}")
    assert page.get_by_role("heading", level=1).inner_text() == "This link no longer works"
    assert_accessible(page)
    page.get_by_label("Your email address").fill("rosa@elm.gov")
    page.get_by_role("button", name="Email me my link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)
    links = _built(_latest("registration_links", "rosa@elm.gov"))
    fresh = re.search(r"/manage/([\w-]{20,})", links.text).group(1)
    page.goto(f"{server.url}/manage/{fresh}")
    assert page.get_by_role("heading", level=1).inner_text() == "Summer Meeting"
