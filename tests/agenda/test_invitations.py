"""Speaker invitations through real SMTP: the link in the email accepts and staff see it; a decline
with a reason is a warning in the builder and before publishing; the no-reply reminder goes once
after a week; a speaker's profile changes wait for staff review before they are public."""
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from mipevents.accounts.services import create_user
from mipevents.agenda import invitations
from mipevents.agenda.models import Invitation, SessionSpeaker
from mipevents.extensions import db
from mipevents.notify.delivery import send_pending
from mipevents.speakers.models import Speaker
from mipevents.workflows.reminders import queue_due_reminders

LINK = re.compile(r"http://[^/\s]+(/speakers/invitation/[\w-]+)")


@pytest.fixture
def mail_app(app, make_app, smtp_server):
    """The app delivering to the in-process SMTP server (its context above the default app's)."""
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        yield app


@pytest.fixture
def staff_client(mail_app):
    user = create_user("staff@mip.test", "correct horse battery staple", role="staff", name="Staff")
    db.session.commit()
    client = mail_app.test_client()
    assert client.post("/staff/login", data={"email": user.email, "password": "correct horse battery staple"}).status_code == 302
    return client


@pytest.fixture
def panel(make_meeting, make_room, make_item, make_speaker):
    meeting = make_meeting(status="draft", starts_on=date(2031, 1, 22), ends_on=date(2031, 1, 24))
    room = make_room(meeting, "Grand Ballroom")
    tacoma = make_speaker(name="Victoria Woodards", email="mayor@tacoma.example", city="Tacoma", state="WA")
    dubuque = make_speaker(name="Brad Cavanagh", email="mayor@dubuque.example", city="Dubuque", state="IA")
    item = make_item(meeting, at=datetime(2031, 1, 22, 10, 30), room=room, status="draft", title="Housing that works",
                     speakers=[(tacoma, "moderator"), (dubuque, "panelist")])
    db.session.commit()
    return meeting, item, tacoma, dubuque


def _link(item, speaker):
    return db.session.execute(select(SessionSpeaker).where(SessionSpeaker.item_id == item.id,
                                                           SessionSpeaker.speaker_id == speaker.id)).scalar_one()


def _invite(staff_client, item, speaker, note=""):
    response = staff_client.post(f"/staff/session-speakers/{_link(item, speaker).id}/invite", data={"note": note})
    assert response.status_code == 303
    send_pending()


def _path_in(message) -> str:
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def test_an_invitation_accepted_through_its_link_shows_on_the_staff_page(staff_client, smtp_server, panel):
    meeting, item, tacoma, _ = panel
    _invite(staff_client, item, tacoma, note="We would love you to moderate.")

    [message] = smtp_server.to("mayor@tacoma.example")
    assert message["Subject"] == f"Invitation to speak: Housing that works, {meeting.name}"
    body = message.get_body(("plain",)).get_content()
    assert "Wednesday, January 22, 10:30 AM–11:30 AM ET" in body
    assert "We would love you to moderate." in body
    speaker_client = staff_client.application.test_client()
    path = _path_in(message)
    page = speaker_client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert speaker_client.post(path + "/answer", data={"decision": "accepted"}).status_code == 303

    status = staff_client.get(f"/staff/meetings/{meeting.id}/invitations").get_data(as_text=True)
    cells = re.findall(r'<td class="invitation-status">\s*(.*?)\s*</td>', status, re.S)
    assert cells == ["Accepted", "Not invited"]
    assert "1 accepted, 0 declined, 0 waiting for an answer, 1 not invited yet." in status


def test_a_link_of_another_purpose_or_a_wrong_token_opens_nothing(staff_client, client, panel):
    _, item, tacoma, _ = panel
    assert client.get("/speakers/invitation/not-a-token").status_code == 404
    invitation = invitations.invite(_link(item, tacoma), actor=None)
    db.session.commit()
    from mipevents.people.services import mint_token
    other = mint_token(tacoma.person, "feed")
    db.session.commit()
    assert client.get(f"/speakers/invitation/{other}").status_code == 404
    assert invitation.status == "invited"


def test_a_decline_with_its_reason_warns_in_the_builder_and_before_publishing(staff_client, smtp_server, panel):
    meeting, item, _, dubuque = panel
    _invite(staff_client, item, dubuque)
    path = _path_in(smtp_server.to("mayor@dubuque.example")[0])
    speaker_client = staff_client.application.test_client()
    assert speaker_client.post(path + "/answer", data={"decision": "declined",
                                                       "reason": "City council budget vote that day"}).status_code == 303

    key = f"declined:{dubuque.id}:{item.id}"
    warning = "Mayor Brad Cavanagh declined “Housing that works” (City council budget vote that day)."
    for page in (f"/staff/meetings/{meeting.id}/agenda?day=2031-01-22", f"/staff/meetings/{meeting.id}/publish"):
        html = staff_client.get(page).get_data(as_text=True)
        assert re.search(rf'<li data-conflict="{key}">(.*?)\n', html).group(1) == warning
    refused = staff_client.post(f"/staff/meetings/{meeting.id}/publish", data={})
    assert refused.status_code == 422
    db.session.refresh(item)
    assert item.status == "draft"


def test_the_no_reply_reminder_goes_once_after_seven_days(mail_app, smtp_server, panel):
    _, item, tacoma, dubuque = panel
    sent = datetime(2030, 12, 1, 15, 0, tzinfo=UTC)
    invitations.invite(_link(item, tacoma), actor=None, now=sent)
    answered = invitations.invite(_link(item, dubuque), actor=None, now=sent)
    invitations.respond(answered, "accepted", now=sent + timedelta(days=1))
    db.session.commit()
    send_pending()
    smtp_server.messages.clear()

    assert queue_due_reminders(sent + timedelta(days=6, hours=23)) == 0
    assert queue_due_reminders(sent + timedelta(days=7, minutes=1)) == 1
    assert queue_due_reminders(sent + timedelta(days=8)) == 0
    assert queue_due_reminders(sent + timedelta(days=30)) == 0
    send_pending()
    assert [m["Subject"] for _, m in smtp_server.messages] == [
        f"Reminder: will you speak: Housing that works, {item.meeting.name}?"]
    assert smtp_server.messages[0][0] == ["mayor@tacoma.example"]


def test_staff_remind_in_one_click_while_the_answer_is_awaited(staff_client, smtp_server, panel):
    meeting, item, tacoma, _ = panel
    _invite(staff_client, item, tacoma)
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert staff_client.post(f"/staff/invitations/{invitation.id}/remind").status_code == 303
    send_pending()
    assert [m["Subject"].split(":")[0] for m in smtp_server.to("mayor@tacoma.example")] == ["Invitation to speak", "Reminder"]
    # Both links work: the first email's link was not revoked by the reminder.
    first, second = (_path_in(m) for m in smtp_server.to("mayor@tacoma.example"))
    client = staff_client.application.test_client()
    assert [client.get(first).status_code, client.get(second).status_code] == [200, 200]


def _jpeg(size=(400, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def test_a_profile_edit_waits_for_staff_review_before_it_is_public(staff_client, smtp_server, panel, make_meeting):
    meeting, item, tacoma, _ = panel
    _invite(staff_client, item, tacoma)
    path = _path_in(smtp_server.to("mayor@tacoma.example")[0])
    speaker_client = staff_client.application.test_client()
    values = {"honorific": "Mayor", "name": "Victoria Woodards", "position": "Mayor of Tacoma, WA", "organization": "",
              "city": "Tacoma", "state": "WA", "bio": "Mayor since 2018; housing first.", "photo_alt": ""}

    refused = speaker_client.post(path + "/profile", data=values | {"photo": (io.BytesIO(_jpeg()), "me.png")},
                                  content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Describe your headshot in a few words" in refused.get_data(as_text=True)
    too_small = speaker_client.post(path + "/profile", data=values | {"photo_alt": "Mayor Woodards smiling",
                                                                        "photo": (io.BytesIO(_jpeg((120, 90))), "me.png")},
                                    content_type="multipart/form-data")
    assert too_small.status_code == 422
    assert "120×90 pixels" in too_small.get_data(as_text=True)
    saved = speaker_client.post(path + "/profile", data=values | {"photo_alt": "Mayor Woodards smiling",
                                                                    "photo": (io.BytesIO(_jpeg()), "me.png")},
                                content_type="multipart/form-data")
    assert saved.status_code == 303

    db.session.expire_all()
    speaker = db.session.get(Speaker, tacoma.id)
    assert (speaker.bio, speaker.has_photo) == ("", False)
    meeting.status = "published"
    item.status = "published"
    db.session.commit()
    public = staff_client.application.test_client()
    assert "housing first" not in public.get(f"/speakers/{tacoma.id}").get_data(as_text=True)

    review = staff_client.get("/staff/speakers/changes").get_data(as_text=True)
    assert "Mayor since 2018; housing first." in review
    draft_id = int(re.search(r"/staff/speakers/changes/(\d+)\"", review).group(1))
    assert staff_client.post(f"/staff/speakers/changes/{draft_id}", data={"action": "accept"}).status_code == 303

    db.session.expire_all()
    speaker = db.session.get(Speaker, tacoma.id)
    assert (speaker.bio, speaker.photo_alt, speaker.has_photo) == ("Mayor since 2018; housing first.",
                                                                   "Mayor Woodards smiling", True)
    assert "Mayor since 2018; housing first." in public.get(f"/speakers/{tacoma.id}").get_data(as_text=True)
    assert "Nothing to review." in staff_client.get("/staff/speakers/changes").get_data(as_text=True)


def test_travel_and_av_details_reach_staff_only(staff_client, smtp_server, panel):
    meeting, item, tacoma, _ = panel
    _invite(staff_client, item, tacoma)
    path = _path_in(smtp_server.to("mayor@tacoma.example")[0])
    speaker_client = staff_client.application.test_client()
    details = {"av_needs": "A clicker and a lapel microphone", "arrives_on": "2031-01-21", "departs_on": "2031-01-23",
               "travel": "AS 12 from SEA, lands 6:40 PM", "hotel": "The Hay-Adams", "needs_room": "y"}
    backwards = speaker_client.post(path + "/travel", data=details | {"departs_on": "2031-01-20"})
    assert backwards.status_code == 422
    assert "You cannot leave before you arrive." in backwards.get_data(as_text=True)
    assert speaker_client.post(path + "/travel", data=details).status_code == 303

    cell = re.search(r'<td class="logistics">(.*?)</td>', staff_client.get(f"/staff/meetings/{meeting.id}/invitations")
                     .get_data(as_text=True), re.S).group(1)
    assert [line.strip() for line in re.sub(r"<br>", "\n", cell).splitlines() if line.strip()] == [
        "A/V: A clicker and a lapel microphone", "January 21, 2031 to January 23, 2031",
        "AS 12 from SEA, lands 6:40 PM", "Hotel: The Hay-Adams (needs a room)"]
    meeting.status = "published"
    item.status = "published"
    db.session.commit()
    public = staff_client.application.test_client().get(f"/speakers/{tacoma.id}").get_data(as_text=True)
    assert "Hay-Adams" not in public


def test_erasing_the_speaker_removes_invitations_drafts_and_travel(staff_client, panel):
    from mipevents.speakers import drafts, logistics
    from mipevents.speakers.models import ProfileDraft, SpeakerLogistics
    from mipevents.workflows.erasure import erase_person

    meeting, item, tacoma, _ = panel
    invitation = invitations.invite(_link(item, tacoma), "Personal note", actor=None)
    invitations.respond(invitation, "declined", "Family matters")
    drafts.propose(tacoma, {"bio": "Something private-ish"}, max_bytes=1000)
    logistics.save_logistics(tacoma, meeting, {"hotel": "The Hay-Adams", "needs_room": True})
    db.session.commit()
    report = erase_person(tacoma.person, actor=None)
    db.session.commit()
    assert report.done["speaker invitations"] == 1
    assert report.done["profile changes waiting for review"] == 1
    assert db.session.execute(select(Invitation)).all() == []
    assert report.done["speaker travel, hotel and A/V details"] == 1
    assert db.session.execute(select(ProfileDraft)).all() == []
    assert db.session.execute(select(SpeakerLogistics)).all() == []
    assert _link(item, tacoma).role == "moderator"


def test_an_approved_scheduler_gets_a_copy_with_a_link_that_ends_when_removed(staff_client, smtp_server, panel):
    """The speaker's office answers for them once the speaker approved it from their own inbox; a
    scheduler who only asked gets nothing, and a removed one's link stops at once."""
    from mipevents.people.models import SchedulerApproval
    from mipevents.people.services import person_for_email

    _, item, tacoma, dubuque = panel
    now = datetime.now(UTC)
    office = person_for_email("office@tacoma.example", "Tacoma office")
    asker = person_for_email("someone@elsewhere.example", "Asked only")
    approval = SchedulerApproval(person_id=tacoma.person_id, scheduler_id=office.id, requested_at=now, approved_at=now)
    db.session.add_all([approval, SchedulerApproval(person_id=dubuque.person_id, scheduler_id=asker.id, requested_at=now)])
    db.session.commit()

    _invite(staff_client, item, tacoma)
    _invite(staff_client, item, dubuque)
    assert smtp_server.to("someone@elsewhere.example") == []
    [copy] = smtp_server.to("office@tacoma.example")
    assert copy["Subject"] == f"For Mayor Victoria Woodards: invitation to speak: Housing that works, {item.meeting.name}"
    body = copy.get_body(("plain",)).get_content()
    assert "You manage Mayor Victoria Woodards's registrations" in body
    own, theirs = _path_in(smtp_server.to("mayor@tacoma.example")[0]), _path_in(copy)
    assert own != theirs
    client = staff_client.application.test_client()
    assert client.post(theirs + "/answer", data={"decision": "accepted"}).status_code == 303
    assert db.session.execute(select(Invitation.status).where(Invitation.link_id == _link(item, tacoma).id)).scalar_one() == "accepted"

    # The speaker removes the office: its link opens nothing, the speaker's own still works, and a
    # reminder's copy goes to nobody.
    approval.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert (client.get(theirs).status_code, client.get(own).status_code) == (404, 200)
    invitation = db.session.execute(select(Invitation).where(Invitation.link_id == _link(item, dubuque).id)).scalar_one()
    smtp_server.messages.clear()
    assert staff_client.post(f"/staff/invitations/{invitation.id}/remind").status_code == 303
    send_pending()
    assert [to for to, _ in smtp_server.messages] == [["mayor@dubuque.example"]]


def test_staff_invite_a_showcase_mayor_and_a_webinar_presenter_the_same_way(staff_client, smtp_server, panel,
                                                                             make_item, make_webinar, make_speaker):
    from mipevents.showcase.models import ShowcaseSlot
    from mipevents.webinars.models import WebinarPresenter

    meeting, _, tacoma, dubuque = panel
    showcase = make_item(meeting, at=datetime(2031, 1, 23, 14, 0), minutes=45, kind="showcase", status="draft",
                         title="Innovation Showcase")
    db.session.add_all([ShowcaseSlot(item_id=showcase.id, presenter_name="Mayor A", title="Idea A", position=0),
                        ShowcaseSlot(item_id=showcase.id, speaker_id=dubuque.id, presenter_name=dubuque.display_name,
                                     title="Flood buyouts", position=1)])
    webinar = make_webinar(title="Financing flood resilience", status="draft")
    presenter = make_speaker(name="Ramón Ortiz", email="ramon@finance.example", honorific="")
    db.session.add(WebinarPresenter(webinar_id=webinar.id, speaker_id=presenter.id))
    db.session.commit()
    slot = db.session.execute(select(ShowcaseSlot).where(ShowcaseSlot.speaker_id == dubuque.id)).scalar_one()
    link = db.session.execute(select(WebinarPresenter)).scalar_one()

    lineup = staff_client.get(f"/staff/showcase/{showcase.id}").get_data(as_text=True)
    assert "No speaker profile" in lineup and "Not invited" in lineup
    assert staff_client.post(f"/staff/showcase/slots/{slot.id}/invite", data={"note": "Three minutes!"}).status_code == 303
    assert staff_client.post(f"/staff/showcase/slots/{slot.id}/invite").status_code == 303     # once only
    assert staff_client.post(f"/staff/webinar-presenters/{link.id}/invite").status_code == 303
    send_pending()

    [mayor_mail] = smtp_server.to("mayor@dubuque.example")
    assert mayor_mail["Subject"] == f"Invitation to speak: Innovation Showcase: “Flood buyouts”, {meeting.name}"
    body = mayor_mail.get_body(("plain",)).get_content()
    assert "Your slot: presenting 2 of 2, planned at 2:03 PM ET for 3 minutes" in body
    assert "Three minutes!" in body
    [presenter_mail] = smtp_server.to("ramon@finance.example")
    assert presenter_mail["Subject"] == "Invitation to speak: Financing flood resilience, webinar"

    speaker_client = staff_client.application.test_client()
    mayor_page = speaker_client.get(_path_in(mayor_mail))
    assert mayor_page.status_code == 200
    assert "A/V, travel and hotel" in mayor_page.get_data(as_text=True)
    assert speaker_client.post(_path_in(mayor_mail) + "/answer", data={"decision": "accepted"}).status_code == 303
    path = _path_in(presenter_mail)
    page = speaker_client.get(path).get_data(as_text=True)
    assert "You are invited to present a webinar." in page and "A/V, travel and hotel" not in page
    assert speaker_client.get(path + "/briefing").status_code == 404                    # a webinar has no book
    assert speaker_client.post(path + "/travel", data={}).status_code == 404
    assert speaker_client.post(path + "/answer", data={"decision": "declined", "reason": "Travelling"}).status_code == 303

    assert "Accepted" in staff_client.get(f"/staff/showcase/{showcase.id}").get_data(as_text=True)
    assert "Declined</span>" not in staff_client.get(f"/staff/webinars/{webinar.id}/edit").get_data(as_text=True)
    assert "Declined: Travelling" in staff_client.get(f"/staff/webinars/{webinar.id}/edit").get_data(as_text=True)

    # Erasing the presenter takes their invitation; the webinar keeps its (emptied) presenter.
    from mipevents.workflows.erasure import erase_person
    erase_person(presenter.person, actor=None)
    db.session.commit()
    assert db.session.execute(select(Invitation).where(Invitation.speaker_id == presenter.id)).scalars().all() == []
    assert db.session.get(WebinarPresenter, link.id).invitation_id is None


def test_an_invitation_whose_slot_or_presenter_goes_away_is_withdrawn_and_never_reminded(
        staff_client, smtp_server, panel, make_item, make_webinar, make_speaker):
    from mipevents.notify.models import OutboxMessage
    from mipevents.showcase import services as showcase
    from mipevents.showcase.models import ShowcaseSlot
    from mipevents.webinars import presenters
    from mipevents.webinars.models import WebinarPresenter

    meeting, _, tacoma, dubuque = panel
    item = make_item(meeting, at=datetime(2031, 1, 23, 14, 0), minutes=45, kind="showcase", status="draft")
    slot = ShowcaseSlot(item_id=item.id, speaker_id=dubuque.id, presenter_name="Mayor Cavanagh", title="Buyouts", position=0)
    webinar = make_webinar(title="Financing flood resilience", status="draft")
    ramon = make_speaker(name="Ramón Ortiz", email="ramon@finance.example")
    db.session.add_all([slot, WebinarPresenter(webinar_id=webinar.id, speaker_id=ramon.id)])
    db.session.commit()
    link = db.session.execute(select(WebinarPresenter)).scalar_one()
    assert staff_client.post(f"/staff/showcase/slots/{slot.id}/invite").status_code == 303
    assert staff_client.post(f"/staff/webinar-presenters/{link.id}/invite").status_code == 303
    send_pending()
    paths = [_path_in(smtp_server.to(a)[0]) for a in ("mayor@dubuque.example", "ramon@finance.example")]
    old = [slot.invitation, link.invitation]
    invitations.remind(old[0], actor=None)       # a reminder still waiting in the outbox when the slot changes
    db.session.commit()

    showcase.update_slot(slot, {"speaker_id": tacoma.id, "presenter_name": ""}, actor=None)
    presenters.set_presenters(webinar, "", actor=None)
    db.session.commit()

    assert [i.status for i in old] == ["withdrawn", "withdrawn"] and slot.invitation is None
    speaker_client = staff_client.application.test_client()
    assert [speaker_client.get(p).status_code for p in paths] == [404, 404]
    assert queue_due_reminders(datetime.now(UTC) + timedelta(days=8)) == 0
    assert send_pending().sent == 0
    assert db.session.execute(select(OutboxMessage.status, OutboxMessage.last_error).where(
        OutboxMessage.status != "sent")).all() == [("failed", "not sent: the invitation was withdrawn")]
    assert [len(smtp_server.to(a)) for a in ("mayor@dubuque.example", "ramon@finance.example")] == [1, 1]
    # The new presenter can be invited afresh.
    assert staff_client.post(f"/staff/showcase/slots/{slot.id}/invite").status_code == 303
    assert slot.invitation is not None and slot.invitation.speaker_id == tacoma.id


def test_a_declined_showcase_presenter_warns_on_the_lineup_and_before_publishing(staff_client, panel, make_item):
    from mipevents.showcase.models import ShowcaseSlot
    from mipevents.workflows import invitations as invitation_work

    meeting, _, _, dubuque = panel
    item = make_item(meeting, at=datetime(2031, 1, 23, 14, 0), minutes=45, kind="showcase", status="draft",
                     title="Innovation Showcase")
    slot = ShowcaseSlot(item_id=item.id, speaker_id=dubuque.id, presenter_name="Mayor Cavanagh", title="Buyouts", position=0)
    db.session.add(slot)
    db.session.flush()
    invitations.respond(invitation_work.invite_slot(slot, actor=None), "declined", "Travelling")
    db.session.commit()

    lineup = staff_client.get(f"/staff/showcase/{item.id}").get_data(as_text=True)
    assert re.search(rf'<li data-declined-slot="{slot.id}">(.*?)</li>', lineup).group(1) == (
        "Mayor Brad Cavanagh declined “Buyouts” (Travelling).")
    publish = staff_client.get(f"/staff/meetings/{meeting.id}/publish").get_data(as_text=True)
    assert re.search(rf'<li data-conflict="declined:{dubuque.id}:{item.id}">(.*?)\n', publish).group(1) == (
        "Mayor Brad Cavanagh (showcase slot “Buyouts”) declined “Innovation Showcase” (Travelling).")
    assert staff_client.post(f"/staff/meetings/{meeting.id}/publish", data={}).status_code == 422
    listing = staff_client.get(f"/staff/meetings/{meeting.id}/invitations").get_data(as_text=True)
    assert "0 accepted, 1 declined, 0 waiting for an answer, 2 not invited yet." in listing
    row = re.search(rf'<tr id="slot-{slot.id}">(.*?)</tr>', listing, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", row).split()) == (
        "Mayor Brad Cavanagh Innovation Showcase: “Buyouts” Thursday, January 23, 2:00 PM ET Showcase presenter "
        "Declined : Travelling")
