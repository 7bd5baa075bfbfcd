"""A speaker on a phone answers their invitation, uploads a headshot and edits their bio; staff review
and publish the change, and invite them to present a webinar too; the new pages pass axe."""
import re
from datetime import date, datetime

import pytest
from PIL import Image

PASSWORD = "correct horse battery staple"


@pytest.fixture
def invited(app, make_meeting, make_room, make_item, make_speaker, make_webinar):
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db
    from mipevents.webinars.models import WebinarPresenter

    meeting = make_meeting(slug="winter-2031", name="Winter 2031 Meeting", starts_on=date(2031, 1, 22),
                           ends_on=date(2031, 1, 24), timezone="America/New_York")
    room = make_room(meeting, "Grand Ballroom")
    speaker = make_speaker(name="Victoria Woodards", email="mayor@tacoma.example", position="Mayor of Tacoma, WA")
    item = make_item(meeting, at=datetime(2031, 1, 22, 10, 30), room=room, title="Housing that works",
                     speakers=[(speaker, "panelist")])
    webinar = make_webinar(title="Housing finance hour", status="published")
    db.session.add(WebinarPresenter(webinar_id=webinar.id, speaker_id=speaker.id))
    user = create_user("planner@example.org", PASSWORD, role="staff", name="Planner")
    db.session.commit()
    return {"item_id": item.id, "meeting_id": meeting.id, "speaker_id": speaker.id, "email": user.email,
            "webinar_id": webinar.id}


def _headshot(tmp_path):
    path = tmp_path / "headshot.png"
    Image.new("RGB", (480, 480), (40, 90, 160)).save(path)
    return str(path)


def test_a_speaker_accepts_on_a_phone_and_staff_publish_their_bio(invited, live_server, page, phone_page, staff_login,
                                                                  assert_accessible, make_app, smtp_server, tmp_path):
    from mipevents.notify.delivery import send_pending

    staff_login(page, live_server, invited["email"], PASSWORD)
    page.goto(f"{live_server.url}/staff/sessions/{invited['item_id']}/edit")
    page.get_by_label("Personal note to Mayor Victoria Woodards (optional)").fill("We would love your Tacoma story.")
    page.get_by_role("button", name="Invite Mayor Victoria Woodards").click()
    page.wait_for_load_state()
    assert page.locator("main ol li .invitation-status").all_inner_texts() == ["Invited"]
    assert_accessible(page)

    with make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port).app_context():
        send_pending()
    [message] = smtp_server.to("mayor@tacoma.example")
    path = re.search(r"http://[^/\s]+(/speakers/invitation/[\w-]+)", message.get_body(("plain",)).get_content()).group(1)

    phone = phone_page
    phone.goto(live_server.url + path)
    assert phone.locator("h1").inner_text() == "Mayor Victoria Woodards"
    assert_accessible(phone)
    phone.get_by_label("Yes, I accept").check()
    phone.get_by_role("button", name="Send my answer").click()
    phone.wait_for_load_state()
    assert phone.locator(".invitation-answer").inner_text() == "You accepted. Thank you!"
    phone.get_by_label("Biography").fill("Mayor of Tacoma since 2018; housing first.")
    phone.get_by_label("Headshot", exact=True).set_input_files(_headshot(tmp_path))
    phone.get_by_label("Describe your headshot for people who cannot see it").fill("Mayor Woodards smiling")
    phone.get_by_role("button", name="Send my changes for review").click()
    phone.wait_for_load_state()
    assert phone.locator("#profile .notice").inner_text().endswith(
        "are waiting for our staff's review; the public profile shows the earlier version until then.")
    assert_accessible(phone)

    page.goto(f"{live_server.url}/staff/meetings/{invited['meeting_id']}/invitations")
    assert page.locator("td.invitation-status").all_inner_texts() == ["Accepted"]
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/speakers/changes")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the changes of Mayor Victoria Woodards").click()
    page.wait_for_load_state()
    assert page.locator("main").inner_text().count("Nothing to review.") == 1

    phone.goto(f"{live_server.url}/speakers/{invited['speaker_id']}")
    assert "Mayor of Tacoma since 2018; housing first." in phone.locator("main").inner_text()
    assert phone.locator("main img").first.get_attribute("alt") == "Mayor Woodards smiling"
    assert phone.locator("#webinars-heading + ul .title").all_inner_texts() == ["Housing finance hour"]
    assert_accessible(phone)

    page.goto(f"{live_server.url}/staff/webinars/{invited['webinar_id']}/edit")
    assert_accessible(page)
    page.get_by_role("button", name="Invite Mayor Victoria Woodards").click()
    page.wait_for_load_state()
    assert page.locator("#presenters-heading + ul .invitation-status").all_inner_texts() == ["Invited"]
