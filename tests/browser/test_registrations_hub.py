"""A staff member finds a meeting registrant from the registrations hub by typing part of her name,
cancels her there, and the next person on the waitlist takes the seat; corrects another's details;
seats the last waiting person by raising the capacity explicitly (no free seat is never passed
silently); emails the meeting's registrants after a preview; finds a person at the check-in desk
as they type; and reinstates the registration cancelled by mistake. axe finds no serious or critical problem on any of these pages."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration


def _values(first, last, email):
    return {"first_name": first, "last_name": last, "email": email, "role": "mayor", "city": "Elm", "state": "IA",
            "consent": True}


def test_staff_find_a_meeting_registrant_from_the_hub_and_cancel_them(
        start_server, make_meeting, make_webinar, new_page, staff_login, assert_accessible):
    from mipevents.accounts.services import create_user

    first_day = datetime.now(UTC).date() + timedelta(days=21)
    meeting = make_meeting(name="Summer Meeting", starts_on=first_day, ends_on=first_day + timedelta(days=1), capacity=1)
    make_webinar(title="Heat webinar")
    db.session.commit()
    services.register(meeting, _values("Rosa", "Alvarez", "rosa@elm.gov"))
    services.register(meeting, _values("Tom", "Berg", "tom@berg.gov"))     # waitlisted
    services.register(meeting, _values("Ana", "Katz", "ana@katz.gov"))     # waitlisted
    create_user("staff@mipevents.test", "correct horse battery staple", role="staff", name="Staff")
    db.session.commit()
    meeting_id = meeting.id
    server = start_server()

    page = new_page()
    staff_login(page, server, "staff@mipevents.test", "correct horse battery staple")
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Registrations").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Registrations"
    page.get_by_role("link", name="Summer Meeting", exact=True).wait_for()
    page.get_by_role("link", name="Heat webinar", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_label("Find a registrant of any meeting or webinar").fill("alva")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", level=2, name="1 registration matches “alva”").wait_for()
    row = page.get_by_role("row", name="Rosa Alvarez")
    assert row.get_by_role("cell").nth(2).inner_text() == "Confirmed"
    assert_accessible(page)
    row.get_by_role("link", name="Cancel the registration of Rosa Alvarez").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cancel the registration of Rosa Alvarez?"
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel the registration of Rosa Alvarez").click()
    page.get_by_text("Cancelled the registration of Rosa Alvarez; they were emailed. Tom Berg moved up from the waitlist.").wait_for()
    assert page.get_by_role("row", name="Rosa Alvarez").get_by_role("cell").nth(2).inner_text() == "Cancelled"

    # Correct Tom's details from the hub, filtered to the meeting's confirmed people.
    page.get_by_label("Find a registrant").fill("")
    page.get_by_label("Status").select_option("confirmed")
    page.get_by_label("Event").select_option("meeting")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Edit the registration of Tom Berg").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Edit the registration of Tom Berg"
    assert_accessible(page)
    page.get_by_label("Dietary needs").fill("Vegan")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved the registration of Tom Berg.").wait_for()
    page.get_by_role("heading", level=2, name="1 registration matches").wait_for()

    # No seat is free for Ana: staff see why, and seat her by raising the capacity to 2, explicitly.
    page.get_by_label("Status").select_option("waitlisted")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("row", name="Ana Katz").get_by_role("button", name="Seat from the waitlist").click()
    assert page.get_by_role("heading", level=1).inner_text() == "No free seat for Ana Katz"
    assert_accessible(page)
    page.get_by_role("button", name="Raise the capacity to 2 and seat Ana Katz").click()
    page.get_by_text("Ana Katz is confirmed and was emailed. The capacity is now 2.").wait_for()

    db.session.commit()   # see what the server committed
    assert [(r.status, r.dietary_needs) for r in db.session.execute(select(Registration).order_by(Registration.id)).scalars()] == [
        ("cancelled", ""), ("confirmed", "Vegan"), ("confirmed", "")]
    assert db.session.get(Meeting, meeting_id).capacity == 2

    page.goto(f"{server.url}/staff/meetings/{meeting_id}/registrations/message")
    assert_accessible(page)
    page.get_by_label("Subject").fill("Hotel block")
    page.get_by_label("Message").fill("Book by Friday.")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview: 2 people get this email").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Send to 2 people").click()
    page.get_by_text("Your message is queued for 2 people.").wait_for()
    db.session.commit()
    assert db.session.execute(select(OutboxMessage.to_email).where(OutboxMessage.kind == "registration_message")
                              .order_by(OutboxMessage.id)).scalars().all() == ["tom@berg.gov", "ana@katz.gov"]

    # At the door, the list follows what is typed, from the server.
    page.get_by_role("link", name="Check-in").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Find a person").press_sequentially("ka")
    page.wait_for_url("**check-in?q=ka")             # the server's answer replaced the list
    assert page.locator("#checkin-list .checkin-row:not([hidden])").count() == 1
    assert page.locator("#checkin-count").inner_text() == "1 person shown"
    page.get_by_role("button", name="Check in Ana Katz").wait_for()

    # A webinar's message is previewed the same way.
    page.goto(f"{server.url}/staff/registrations/")
    page.get_by_role("link", name="Email registrants of Heat webinar").click()
    page.get_by_label("Subject").fill("New link")
    page.get_by_label("Message").fill("The link changed.")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview: 0 people get this email").wait_for()
    assert page.get_by_text("Nobody matches these choices: no email would be sent.").is_visible()
    assert page.get_by_role("button", name="Send to").count() == 0
    assert_accessible(page)

    # Rosa's cancellation was a mistake: staff reinstate her, and, both seats taken, she waits.
    page.goto(f"{server.url}/staff/registrations/?q=alva")
    page.get_by_role("row", name="Rosa Alvarez").get_by_role("button", name="Reinstate the registration of Rosa Alvarez").click()
    page.get_by_text("Rosa Alvarez is registered again: waitlisted. They were emailed.").wait_for()
    assert page.get_by_role("row", name="Rosa Alvarez").get_by_role("cell").nth(2).inner_text() == "Waitlisted"
    assert_accessible(page)
