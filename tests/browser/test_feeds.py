"""Add to calendar in a real browser: the session page's links and the agenda subscription, with
the copy-the-address button working and axe finding nothing serious; without JavaScript the button
stays hidden and the address is still there to select."""
from datetime import date, datetime, timedelta

import pytest


@pytest.fixture
def session_page_data(app):
    from mipevents.agenda.models import AgendaItem
    from mipevents.core.timeutil import wall_clock_to_utc
    from mipevents.extensions import db
    from mipevents.meetings.models import Meeting

    meeting = Meeting(slug="spring-academy", name="Spring Academy", kind="academy", status="published",
                      starts_on=date(2099, 3, 8), ends_on=date(2099, 3, 10), timezone="America/New_York",
                      city="Washington", state="DC", venue="Civic Center")
    db.session.add(meeting)
    db.session.flush()
    starts = wall_clock_to_utc(date(2099, 3, 9), datetime(2099, 3, 9, 10, 0).time(), meeting.timezone)
    item = AgendaItem(meeting_id=meeting.id, kind="panel", title="Housing panel", status="published",
                      starts_at=starts, ends_at=starts + timedelta(hours=1))
    db.session.add(item)
    db.session.commit()
    return {"slug": meeting.slug, "item_id": item.id}


def test_session_page_offers_every_calendar_and_copies_the_feed_address(
        live_server, new_page, assert_accessible, session_page_data):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    slug, item_id = session_page_data["slug"], session_page_data["item_id"]
    page.goto(f"{live_server.url}/meetings/{slug}/sessions/{item_id}")

    assert page.get_by_role("link", name="Download the calendar file (.ics)").get_attribute("href") == \
        f"/meetings/{slug}/sessions/{item_id}.ics"
    assert "dates=20990309T140000Z%2F20990309T150000Z" in page.get_by_role("link", name="Add to Google Calendar").get_attribute("href")
    page.get_by_text("Subscribe to the whole agenda").click()
    assert page.get_by_role("link", name="Subscribe in Apple Calendar or Outlook").get_attribute("href") == \
        f"webcal://{live_server.url.split('://')[1]}/meetings/{slug}/agenda.ics"
    button = page.get_by_role("button", name="Copy address")
    button.click()
    status = page.locator("[data-copy-status]")
    status.filter(has_text="Address copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/meetings/{slug}/agenda.ics"
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the calendar file (.ics)").click()
    assert download.value.suggested_filename == f"{slug}-session-{item_id}.ics"


def test_without_javascript_the_address_is_selectable_text(live_server, new_page, session_page_data):
    page = new_page(java_script_enabled=False)
    page.goto(f"{live_server.url}/meetings/{session_page_data['slug']}/agenda")
    field = page.get_by_label("Or copy the feed address")
    assert field.input_value() == f"{live_server.url}/meetings/{session_page_data['slug']}/agenda.ics"
    assert page.get_by_role("button", name="Copy address").count() == 0   # hidden until the script runs
