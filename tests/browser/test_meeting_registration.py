"""A mayor's scheduler registers the mayor, picks two sessions from the link in the email, and the
personal calendar feed holds them (with the sessions everyone attends); at the door a staff member
finds the mayor in two keystrokes and checks them in. axe finds no serious or critical problem on
the form, the confirmation page, the sessions page or the check-in desk."""
import urllib.request
from datetime import UTC, datetime, time, timedelta

import icalendar
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration.models import Registration, SessionChoice
from tests.support.links import MANAGE, delivered_link


def test_a_scheduler_registers_a_mayor_picks_sessions_and_staff_check_the_mayor_in(
        start_server, make_meeting, make_room, make_item, new_page, staff_login, assert_accessible):
    from mipevents.accounts.services import create_user

    first_day = datetime.now(UTC).date() + timedelta(days=21)
    meeting = make_meeting(name="Summer Meeting", starts_on=first_day, ends_on=first_day + timedelta(days=1),
                           timezone="America/Chicago", city="Madison", state="WI")
    room = make_room(meeting, "Lakeview Room")

    def at(hour):
        return datetime.combine(first_day, time(hour, 0))

    make_item(meeting, at=at(8), kind="plenary", title="Opening plenary")
    budget = make_item(meeting, at=at(10), kind="workshop", title="Budget workshop", capacity=25, room=room)
    housing = make_item(meeting, at=at(14), kind="panel", title="Housing panel")
    make_item(meeting, at=at(14), kind="panel", title="Transit panel")
    reception = make_item(meeting, at=at(18), kind="reception", title="Evening reception")
    create_user("door@mipevents.test", "correct horse battery staple", role="staff", name="Door")
    db.session.commit()
    slug, meeting_id, chosen_ids = meeting.slug, meeting.id, sorted([budget.id, housing.id])
    reception_id = reception.id
    server = start_server(workers=2)

    # The scheduler fills in the form for the mayor, from a phone.
    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    page.goto(f"{server.url}/meetings/{slug}/register")
    assert page.get_by_role("heading", level=1).inner_text() == "Register for Summer Meeting"
    assert_accessible(page)
    page.get_by_label("Mayor", exact=True).check()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Alvarez")
    page.get_by_label("Title", exact=True).fill("Mayor")
    page.get_by_label("City or organization").fill("City of Elm")
    page.get_by_label("City", exact=True).fill("Elm")
    page.get_by_label("State", exact=True).fill("IA")
    page.get_by_label("Attendee's email").fill("mayor@elm.gov")
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_label("Evening reception").check()
    page.get_by_label("Your email (if you register someone else)").fill("scheduler@elm.gov")
    page.get_by_label("I agree that the Mayors Innovation Project keeps these details to run this meeting").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{server.url}/meetings/{slug}/register/check-your-email")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)

    db.session.commit()   # see what the server committed
    registration = db.session.execute(select(Registration)).scalar_one()
    assert (registration.status, registration.email, registration.scheduler_email, registration.extras) == (
        "confirmed", "mayor@elm.gov", "scheduler@elm.gov", [reception_id])
    to_scheduler = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_email == "scheduler@elm.gov")).scalar_one()
    assert db.session.execute(select(OutboxMessage.to_email).where(OutboxMessage.to_email == "mayor@elm.gov")).scalar_one()

    # From the link in the scheduler's email: the mayor's sessions.
    token = delivered_link(to_scheduler, MANAGE)
    page.goto(f"{server.url}/manage/{token}/sessions")
    assert page.get_by_role("heading", level=1).inner_text() == "Your sessions"
    assert_accessible(page)
    page.get_by_label("Budget workshop").check()
    page.get_by_label("Housing panel").check()
    page.get_by_role("button", name="Save my sessions").click()
    page.wait_for_url(f"{server.url}/manage/{token}/sessions")
    assert page.locator(".flash-success").inner_text() == "Your sessions are saved. Your personal calendar feed follows them."
    assert (page.get_by_label("Budget workshop").is_checked(), page.get_by_label("Transit panel").is_checked()) == (True, False)
    assert page.get_by_text("Lakeview Room · 24 of 25 places left").is_visible()
    assert_accessible(page)
    db.session.commit()
    assert sorted(db.session.execute(select(SessionChoice.item_id)).scalars()) == chosen_ids

    # The scheduler's page never shows the mayor's personal feed; the mayor's own email carries it, and it
    # holds the two picks and the sessions everyone attends, not the other panel.
    assert page.locator("#feed-url").count() == 0
    to_mayor = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_email == "mayor@elm.gov")).scalar_one()
    feed_url = f"{server.url}/calendar/{delivered_link(to_mayor, r'/calendar/([A-Za-z0-9_-]{40,})[.]ics')}.ics"
    with urllib.request.urlopen(feed_url) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        "Budget workshop", "Evening reception", "Housing panel", "Opening plenary"]

    # At the door: two keystrokes find the mayor; one tap checks her in.
    desk = new_page(width=1024, height=768, has_touch=True)
    staff_login(desk, server, "door@mipevents.test", "correct horse battery staple")
    desk.goto(f"{server.url}/staff/meetings/{meeting_id}/registrations/check-in")
    assert desk.locator("#checkin-summary").inner_text() == "0 of 1 checked in · 1 still expected"
    assert_accessible(desk)
    desk.get_by_label("Find a person").press_sequentially("al")
    assert desk.locator("#checkin-count").inner_text() == "1 person shown"
    desk.get_by_role("button", name="Check in Rosa Alvarez").click()
    desk.wait_for_url(f"**/registrations/check-in?done={registration.id}")
    assert desk.locator("#checkin-summary").inner_text() == "1 of 1 checked in · 0 still expected"
    assert desk.get_by_role("status").filter(has_text="is checked in").inner_text().startswith("Rosa Alvarez is checked in (")
    assert_accessible(desk)
    desk.get_by_label("Find a person").press_sequentially("zz")
    assert desk.locator("#checkin-count").inner_text() == "0 people shown"
    db.session.commit()
    assert db.session.execute(select(Registration.checked_in_at)).scalar_one() is not None

    # The other staff pages of the registrations pass axe too.
    for path in ("", "notices", "settings"):
        desk.goto(f"{server.url}/staff/meetings/{meeting_id}/registrations/{path}")
        assert_accessible(desk)
