"""A staff member previews a draft meeting and its agenda as the public will see them (nobody else
can), publishes it, and is asked before an edit that double-books a published session goes live;
once confirmed, the public changelog lists the move at once. Every page passes axe."""
from datetime import date, datetime

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture
def draft_meeting(app, make_meeting, make_room, make_item):
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db

    meeting = make_meeting(slug="summer-2025", name="Summer 2025 Meeting", status="draft", starts_on=date(2025, 7, 16),
                           ends_on=date(2025, 7, 17), timezone="America/Chicago")
    ballroom = make_room(meeting, "Ballroom", position=1)
    salon = make_room(meeting, "Salon A", position=2)
    make_item(meeting, at=datetime(2025, 7, 16, 9, 0), room=ballroom, title="Opening plenary", kind="plenary", status="draft")
    make_item(meeting, at=datetime(2025, 7, 16, 11, 0), minutes=75, room=salon, title="Housing that lasts", status="draft")
    user = create_user("builder@example.org", PASSWORD, role="staff", name="Builder")
    db.session.commit()
    return {"meeting_id": meeting.id, "email": user.email, "salon_id": salon.id}


def test_staff_preview_a_draft_and_confirm_a_double_booking_before_it_goes_live(
        draft_meeting, live_server, page, staff_login, assert_accessible):
    url, meeting_id = live_server.url, draft_meeting["meeting_id"]
    assert page.goto(url + "/meetings/summer-2025/").status == 404
    staff_login(page, live_server, draft_meeting["email"], PASSWORD)

    page.goto(url + f"/staff/meetings/{meeting_id}")
    page.get_by_role("link", name="Preview (not public yet)").click()
    page.wait_for_url(f"**/staff/meetings/{meeting_id}/preview")
    banner = page.get_by_role("complementary", name="Preview")
    assert banner.locator("strong").inner_text() == "Preview - not public."
    assert page.get_by_role("heading", level=1).inner_text() == "Summer 2025 Meeting"
    assert_accessible(page)
    banner.get_by_role("link", name="Preview its agenda").click()
    page.wait_for_url("**/preview/agenda")
    titles = page.locator("main .agenda h4").all_inner_texts()
    assert titles == ["Opening plenary", "Housing that lasts"]
    assert_accessible(page)
    # Previewing published nothing.
    assert page.context.request.get(url + "/meetings/summer-2025/agenda").status == 404

    page.goto(url + f"/staff/meetings/{meeting_id}/publish")
    page.get_by_role("button", name="Publish the agenda").click()
    page.wait_for_url(f"**/staff/meetings/{meeting_id}")
    assert page.locator(".flash-success").inner_text() == "Published release 1 of the agenda (2 changes)."

    # The builder: the 75-minute panel spans five quarter hours.
    page.get_by_role("link", name="Agenda builder").click()
    page.wait_for_url("**/agenda")
    assert page.locator(".since-release strong").inner_text() == "0 changes since release 1"
    assert page.locator("td.booked", has_text="Housing that lasts").get_attribute("rowspan") == "5"
    assert_accessible(page)
    # Dragged to an empty quarter hour of Salon A (an enhancement of the move form): no conflict, moved.
    transfer = page.evaluate_handle("new DataTransfer()")
    page.locator("a.slot", has_text="Housing that lasts").dispatch_event("dragstart", {"dataTransfer": transfer})
    page.locator(f"td[data-room='{draft_meeting['salon_id']}'][data-at='13:00']").dispatch_event("drop", {"dataTransfer": transfer})
    page.wait_for_url(lambda u: "/agenda?day=2025-07-16" in u)
    assert page.locator(".flash-success").inner_text() == \
        "Moved “Housing that lasts” to 1:00 PM on Jul 16, Salon A. It is public at once."

    # Into the Ballroom during the plenary: asked first, nothing public yet.
    page.get_by_role("link", name="Housing that lasts").first.click()
    page.wait_for_url("**/staff/sessions/*/edit")
    page.get_by_label("Starts", exact=True).fill("09:30")
    page.get_by_label("Ends", exact=True).fill("10:45")
    page.get_by_label("Room", exact=True).select_option(label="Ballroom")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    warning = page.locator(".confirm-conflicts")
    assert warning.locator("h2").inner_text() == \
        "Not saved yet: “Housing that lasts” is public, and this change would double-book it"
    assert warning.locator(".clashes").inner_text() == "It clashes with “Opening plenary”."
    assert_accessible(page)
    assert "Ballroom." not in page.context.request.get(url + "/meetings/summer-2025/agenda/changes").text()

    warning.get_by_role("button", name="Save and make it public anyway").click()
    page.wait_for_url("**/staff/sessions/*/edit")
    assert page.locator(".flash-success").inner_text() == "Saved “Housing that lasts”. It is public at once."
    page.goto(url + "/meetings/summer-2025/agenda/changes")
    assert page.locator(".release-live li").all_inner_texts() == [
        "Moved “Housing that lasts” from Wednesday, July 16, 11:00 AM CT, Salon A to Wednesday, July 16, 9:30 AM CT, Ballroom."]
    assert_accessible(page)
