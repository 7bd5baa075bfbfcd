"""Registering for a webinar from a phone: the webinar page, the form (with its errors), the
"check your email" page, the manage link from the email's outbox row, and cancelling; axe finds
no serious or critical problem on any of them."""
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration.models import Registration
from tests.support.links import MANAGE, delivered_link


def test_register_from_a_phone_then_cancel_from_the_manage_link(start_server, make_webinar, phone_page,
                                                                  assert_accessible):
    webinar = make_webinar(title="Budgeting for resilience", capacity=30,
                           description="How three cities pay for resilience.\n\nWith time for questions.",
                           presenters="Mayor Ana Lopez, Tacoma\nDirector Sam Lee, Dubuque")
    db.session.commit()
    slug = webinar.slug
    server = start_server(workers=2)
    page = phone_page

    page.goto(f"{server.url}/webinars/{slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Budgeting for resilience"
    assert page.locator(".seats").inner_text() == "30 seats left."
    assert_accessible(page)
    page.get_by_role("link", name="Register", exact=True).click()

    page.wait_for_url(f"{server.url}/webinars/{slug}/register")
    assert_accessible(page)
    page.get_by_role("button", name="Register").click()             # nothing filled in
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#email-error").inner_text() == "Enter your email address."
    assert_accessible(page)

    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Email", exact=True).fill("Ana.Lopez@Tacoma.gov")
    page.get_by_label("Your role").select_option(label="Mayor")
    page.get_by_label("Title").fill("Mayor")
    page.get_by_label("City or organization").fill("City of Tacoma")
    page.get_by_label("City", exact=True).fill("Tacoma")
    page.get_by_label("State").fill("WA")
    page.get_by_label("I agree that my details are used as described above.").check()
    page.get_by_role("button", name="Register").click()

    page.wait_for_url(f"{server.url}/webinars/{slug}/register/thanks")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)

    db.session.commit()   # see what the server committed
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "registration_received")).scalar_one()
    assert message.to_email == "Ana.Lopez@tacoma.gov"   # the domain in its normal form, the mailbox as typed
    manage = delivered_link(message, MANAGE)
    page.goto(f"{server.url}/manage/{manage}")
    assert page.locator(".status-line").inner_text() == "You are registered."
    assert_accessible(page)

    page.get_by_role("link", name="Cancel my registration").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cancel your registration?"
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url(f"{server.url}/manage/{manage}")
    assert page.locator(".status-line").inner_text().startswith("Cancelled.")
    assert_accessible(page)

    db.session.commit()
    assert db.session.execute(select(Registration.status)).scalars().all() == ["cancelled"]


def test_a_viewer_in_another_zone_also_sees_their_own_time(start_server, make_webinar, new_page):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    noon_ct = datetime(2031, 2, 10, 12, 0, tzinfo=ZoneInfo("America/Chicago")).astimezone(UTC)
    webinar = make_webinar(title="Across zones", starts_at=noon_ct)
    db.session.commit()
    slug = webinar.slug
    server = start_server(workers=1)
    east = new_page(timezone_id="America/New_York", locale="en-US")
    east.goto(f"{server.url}/webinars/{slug}/")
    assert east.locator(".when time").inner_text() == "Monday, February 10, 2031 · 12:00 PM CT to 1:00 PM CT"
    assert east.locator(".your-time").inner_text() == "Your time: Monday, February 10 at 1:00 PM EST"
    local = new_page(timezone_id="America/Chicago", locale="en-US")
    local.goto(f"{server.url}/webinars/{slug}/")
    assert local.locator(".your-time").is_hidden()
