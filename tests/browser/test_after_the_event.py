"""After the meeting: a panelist attaches her slides from her private speaker link; on a phone, a mayor
opens the past Winter Meeting, reads the write-up, downloads the slides, and answers the survey from
the follow-up email's private link; staff then see the answer in the results and who added the
panelist's slides, and withdraw the links, after which her old link offers a fresh one by email. axe
finds no serious or critical problem on any of these pages."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from mipevents.agenda import invitations
from mipevents.agenda.models import SessionSpeaker
from mipevents.extensions import db
from mipevents.followup.models import Story, Survey
from mipevents.meetings.models import Meeting
from mipevents.notify import delivery
from mipevents.people.services import mint_token
from mipevents.workflows import followups
from mipevents.workflows.demo import load_demo

FEATURE = "Flood-resilient infrastructure: data first, then the money"
SLIDES = "Data and Financing for Flood Resilient Infrastructure slides"


@pytest.fixture
def smtp_app(make_app, smtp_server):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        yield app


def test_a_mayor_reads_downloads_and_answers_then_staff_see_it(smtp_app, smtp_server, start_server, phone_page,
                                                                new_page, assert_accessible, staff_login):
    staff = load_demo(date(2026, 3, 2))
    db.session.commit()
    winter = db.session.execute(select(Meeting).where(Meeting.slug == "winter-2025")).scalar_one()
    followups.send(winter, actor=None)
    db.session.commit()
    assert delivery.send_pending().sent == 4
    [email] = smtp_server.to("lucia.ferro@example.org")
    assert email["Subject"] == "Thanks for joining Winter 2025 Meeting"
    link = re.search(r"http://mipevents\.test(/followup/[A-Za-z0-9_-]+)\s", email.get_body(("plain",)).get_content()).group(1)
    panel_id = db.session.execute(select(Story.item_id).where(Story.item_id.is_not(None))).scalar_one()
    role = db.session.execute(select(SessionSpeaker).where(SessionSpeaker.item_id == panel_id)
                              .order_by(SessionSpeaker.position)).scalars().first()
    speaker_token = mint_token(role.speaker.person, "invitation", invitations.invite(role, actor=None).id)
    db.session.commit()
    server = start_server(workers=1)

    # The panelist, from her invitation link: her slides go on her panel.
    speaker = new_page()
    speaker.goto(f"{server.url}/speakers/invitation/{speaker_token}")
    speaker.get_by_role("link", name="Your slides and links").click()
    assert speaker.get_by_role("heading", level=1).inner_text() == "Your slides and links"
    assert_accessible(speaker)
    speaker.get_by_label("For which session").select_option(value=f"session:{panel_id}")
    speaker.get_by_label("Title").fill("Panelist's deck")
    speaker.get_by_label("File").set_input_files(files=[{"name": "deck.pdf", "mimeType": "application/pdf",
                                                         "buffer": b"%PDF-1.7\n%deck\n%%EOF\n"}])
    speaker.get_by_role("button", name="Add").click()
    assert speaker.locator(".flash-success").inner_text() == \
        "Thank you: “Panelist's deck” is attached. Our staff see that you added it."
    assert speaker.locator(".own-materials li strong").all_inner_texts() == ["Panelist's deck"]
    assert_accessible(speaker)

    page = phone_page

    page.goto(f"{server.url}/meetings/winter-2025/")
    assert_accessible(page)
    page.get_by_role("link", name=FEATURE).click()
    page.wait_for_url(re.compile(r".*/stories/\d+-flood-resilient-infrastructure-data-first-then-the-money$"))
    assert page.get_by_role("heading", level=1).inner_text() == FEATURE
    assert page.get_by_role("img", name="Three panelists on stage in front of a flood-risk map").is_visible()
    assert page.locator("figcaption").first.inner_text() == "Photo: Jordan Lee for the Mayors Innovation Project"
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=SLIDES).click()
    assert download.value.suggested_filename == "Data-and-Financing-for-Flood-Resilient-Infrastructure-slides.pdf"
    with open(download.value.path(), "rb") as slides:
        assert slides.read(5) == b"%PDF-"

    page.goto(f"{server.url}/stories/")
    assert_accessible(page)

    page.goto(server.url + link)
    assert page.get_by_role("heading", level=1).inner_text() == "After Winter 2025 Meeting"
    assert_accessible(page)
    page.get_by_role("group", name="How useful was this panel for your city? (1 = not at all, 5 = very)") \
        .get_by_label("5", exact=True).check()
    page.get_by_label("The financing tools").check()
    page.get_by_role("group", name="Will you try something from this in your city?").get_by_label("Yes").check()
    page.get_by_label("What would you try?").fill("A stormwater credit for Tucson")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url(re.compile(r".*/followup/.*#survey-\d+$"))
    assert page.locator(".flash-success").inner_text() == \
        "Thank you: your answers are saved. You can change them until the survey closes."
    assert page.get_by_label("What would you try?").input_value() == "A stormwater credit for Tucson"
    assert_accessible(page)

    desk = new_page()
    staff_login(desk, server, staff["email"], staff["password"])
    survey_id = db.session.execute(select(Survey.id)).scalar_one()
    desk.goto(f"{server.url}/staff/after/surveys/{survey_id}/results")
    assert desk.locator(".answers-count").inner_text().startswith("3 answers")
    assert desk.locator(".try-what li").all_inner_texts() == [
        "A stormwater utility credit", "Mapping 311 calls against flood zones", "A stormwater credit for Tucson"]
    assert_accessible(desk)
    desk.goto(f"{server.url}/staff/after/session/{panel_id}")
    row = desk.get_by_role("row").filter(has_text="Panelist's deck")
    assert row.get_by_role("cell").nth(3).inner_text().startswith(f"{role.speaker.display_name} (speaker) · ")
    assert_accessible(desk)

    # Staff withdraw the follow-up links (one was forwarded?): while the survey is open, the mayor's
    # old link offers a fresh one, sent to her own address.
    desk.goto(f"{server.url}/staff/after/followup/meeting/{winter.id}")
    desk.get_by_role("button", name=re.compile(r"^Withdraw all \d+ links$")).click()
    page.goto(server.url + link)
    assert page.get_by_role("heading", level=1).inner_text() == "This link no longer works"
    assert_accessible(page)
    page.get_by_label("Your email address").fill("lucia.ferro@example.org")
    page.get_by_role("button", name="Email me my link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)
