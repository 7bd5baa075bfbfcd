"""A staff member finds a meeting registrant from the registrations hub by typing part of her name,
cancels her there, and the next person on the waitlist takes the seat; then emails the meeting's
confirmed mayors. axe finds no serious or critical problem on the hub or the email page."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
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
    create_user("staff@mipevents.test", "correct horse battery staple", role="staff", name="Staff")
    db.session.commit()
    meeting_id = meeting.id
    server = start_server()

    page = new_page()
    staff_login(page, server, "staff@mipevents.test", "correct horse battery staple")
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Registrations").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Registrations"
    assert page.get_by_role("link", name="Summer Meeting").is_visible()
    assert page.get_by_role("link", name="Heat webinar").is_visible()
    assert_accessible(page)
    page.get_by_label("Find a registrant of any meeting or webinar").fill("alva")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", level=2, name="1 registration matches “alva”").is_visible()
    row = page.get_by_role("row", name="Rosa Alvarez")
    assert row.get_by_role("cell").nth(2).inner_text() == "Confirmed"
    assert_accessible(page)
    row.get_by_role("button", name="Cancel the registration of Rosa Alvarez").click()
    assert page.get_by_text("Cancelled the registration of Rosa Alvarez; they were emailed. Tom Berg moved up from the waitlist.").is_visible()
    assert page.get_by_role("row", name="Rosa Alvarez").get_by_role("cell").nth(2).inner_text() == "Cancelled"

    db.session.commit()   # see what the server committed
    assert [r.status for r in db.session.execute(select(Registration).order_by(Registration.id)).scalars()] == [
        "cancelled", "confirmed"]

    page.goto(f"{server.url}/staff/meetings/{meeting_id}/registrations/message")
    assert_accessible(page)
    page.get_by_label("Subject").fill("Hotel block")
    page.get_by_label("Message").fill("Book by Friday.")
    page.get_by_role("button", name="Queue the message").click()
    assert page.get_by_text("Your message is queued for 1 person.").is_visible()
    db.session.commit()
    assert db.session.execute(select(OutboxMessage.to_email).where(OutboxMessage.kind == "registration_message")).scalars().all() == [
        "tom@berg.gov"]
