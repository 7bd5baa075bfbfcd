"""The staff journey in a real browser against gunicorn: sign in, add a session with two speakers in a
room already taken, see the conflict, move it, publish, and find it on the public agenda and changelog.
Staff pages pass axe; an anonymous visitor reaches none of them."""
from datetime import date, datetime

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture
def workspace(app, make_meeting, make_room, make_item, make_speaker):
    from mipevents.accounts.services import create_user
    from mipevents.agenda.publishing import publish_agenda
    from mipevents.extensions import db

    meeting = make_meeting(slug="winter-2025", name="Winter 2025 Meeting", status="draft",
                           starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24), timezone="America/New_York")
    ballroom = make_room(meeting, "Ballroom", position=1)
    make_room(meeting, "Salon A", position=2)
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), minutes=60, room=ballroom, title="Opening plenary", kind="plenary")
    make_speaker(name="Ana Ruiz", honorific="Mayor", position="Mayor of Springfield, IL")
    make_speaker(name="Bo Lee", honorific="Dr.", position="Housing researcher")
    publish_agenda(meeting)
    user = create_user("planner@example.org", PASSWORD, role="staff", name="Planner")
    db.session.commit()
    return {"meeting_id": meeting.id, "email": user.email}


def test_staff_build_a_session_resolve_its_conflict_and_publish(workspace, live_server, page, staff_login, assert_accessible):
    url = live_server.url
    staff_login(page, live_server, workspace["email"], PASSWORD)
    assert page.url == url + "/staff/"
    assert_accessible(page)

    page.get_by_role("link", name="Winter 2025 Meeting").click()
    page.wait_for_url(f"**/staff/meetings/{workspace['meeting_id']}")
    assert_accessible(page)
    page.get_by_role("link", name="Add a session").click()
    page.wait_for_url("**/sessions/new")
    assert_accessible(page)

    # In the Ballroom at 9:30, while the opening plenary holds it until 10:00.
    page.get_by_label("Title").fill("Housing that lasts")
    page.get_by_label("Kind").select_option("panel")
    page.get_by_label("Day", exact=True).fill("2025-01-22")
    page.get_by_label("Starts", exact=True).fill("09:30")
    page.get_by_label("Ends", exact=True).fill("10:30")
    page.get_by_label("Room", exact=True).select_option(label="Ballroom")
    page.get_by_label("Press and recording").select_option("chatham_house")
    page.get_by_role("button", name="Add the session").click()
    page.wait_for_url("**/staff/sessions/*/edit")
    conflict = "Ballroom is booked twice: “Opening plenary” and “Housing that lasts” overlap."
    assert page.locator(".conflicts li").all_inner_texts() == [conflict]
    assert page.locator(".flash-warning").all_inner_texts() == [conflict]

    for name, role in (("Dr. Bo Lee — Housing researcher", "moderator"), ("Mayor Ana Ruiz — Mayor of Springfield, IL", "panelist")):
        page.get_by_label("Speaker", exact=True).select_option(label=name)
        page.get_by_label("Role", exact=True).select_option(role)
        page.get_by_role("button", name="Add the speaker").click()
        page.wait_for_load_state()
    assert page.locator("main ol li").all_inner_texts()[0].startswith("Dr. Bo Lee — Moderator")
    assert page.locator("main ol li").count() == 2
    assert page.locator(".conflicts li").all_inner_texts() == [conflict]
    assert_accessible(page)

    # The builder shows it as conflicting, in its room and slot.
    page.get_by_role("link", name="Agenda builder").first.click()
    page.wait_for_url("**/agenda")
    assert page.locator(".builder .slot.has-conflict").count() == 2
    assert_accessible(page)
    page.get_by_role("link", name="Housing that lasts").first.click()
    page.wait_for_url("**/staff/sessions/*/edit")

    # Move it to Salon A: the conflict is gone.
    page.get_by_label("Room", exact=True).select_option(label="Salon A")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/staff/sessions/*/edit")
    assert page.locator(".conflicts").count() == 0
    assert page.locator(".no-conflicts").inner_text() == "No conflicts."

    page.goto(url + f"/staff/meetings/{workspace['meeting_id']}/publish")
    assert page.locator(".no-conflicts").inner_text() == "No conflicts."
    assert_accessible(page)
    page.get_by_role("button", name="Publish the agenda").click()
    page.wait_for_url(f"**/staff/meetings/{workspace['meeting_id']}")
    assert page.locator(".flash-success").inner_text() == "Published release 2 of the agenda (1 change)."

    # The public agenda and its changelog (the public pages helper's) show it.
    page.goto(url + "/meetings/winter-2025/agenda")
    agenda = page.locator("main").inner_text()
    assert "Housing that lasts" in agenda
    assert "Mayor Ana Ruiz" in agenda and "Dr. Bo Lee" in agenda
    page.goto(url + "/meetings/winter-2025/agenda/changes")
    assert "Added “Housing that lasts” (Wednesday, January 22, 9:30 AM ET, Salon A)." in page.locator("main").inner_text()


def test_an_anonymous_visitor_reaches_no_staff_page(workspace, live_server, page, assert_accessible):
    for path in ("/staff/", f"/staff/meetings/{workspace['meeting_id']}", f"/staff/meetings/{workspace['meeting_id']}/publish",
                 "/staff/speakers/", "/staff/accounts/", "/staff/audit"):
        page.goto(live_server.url + path)
        assert page.url.startswith(live_server.url + "/staff/login?next="), path
        assert page.get_by_role("heading", level=1).inner_text() == "Staff sign-in"
    assert_accessible(page)
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/staff/forgot-password")
    assert_accessible(page)


def test_admin_pages_are_accessible(workspace, app, live_server, page, staff_login, assert_accessible):
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db

    create_user("admin@example.org", PASSWORD, role="admin")
    db.session.commit()
    staff_login(page, live_server, "admin@example.org", PASSWORD)
    for name, heading in (("Staff accounts", "Staff accounts"), ("Audit log", "Audit log"), ("Erase a person", "Erase a person"),
                          ("Speakers", "Speakers")):
        page.get_by_role("navigation", name="Staff").get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)
    for path, heading in (("/staff/speakers/new", "Add a speaker"), ("/staff/meetings/new", "New meeting"),
                          (f"/staff/meetings/{workspace['meeting_id']}/edit", "Edit “Winter 2025 Meeting”"),
                          (f"/staff/meetings/{workspace['meeting_id']}/duplicate", "Start the next meeting from “Winter 2025 Meeting”"),
                          ("/staff/accounts/new", "Add a staff account")):
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)
