"""Follow-up links are their own kind of private link: staff withdraw an event's links in one click
(each then answers 410 with a page saying so, an unknown one 404), and a link expires when the last
survey of its event closes (extending the survey extends it); opting out works with an expired link,
as List-Unsubscribe promises, never with a withdrawn one. Time is moved with the app's clock."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from mipevents.accounts.models import AuditEntry
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import emails, services
from mipevents.followup.models import FollowupOptOut
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Token
from mipevents.people.services import mint_token, person_for_email
from mipevents.registration.models import Registration


def _registered(event_column, event_id, email):
    person = person_for_email(email, "Ana Lopez")
    registration = Registration(person=person, status="confirmed", first_name="Ana", last_name="Lopez", email=email,
                                **{event_column: event_id})
    db.session.add(registration)
    db.session.flush()
    return registration


@pytest.fixture
def links(make_meeting, make_item):
    meeting = make_meeting(status="published")
    other = make_meeting(status="published")
    panel = make_item(meeting, title="Flood finance")
    survey = services.save_survey(panel, questions="rating: Useful?", closes_at=utcnow() + timedelta(days=10), actor=None)
    ana, bo = _registered("meeting_id", meeting.id, "ana@city.gov"), _registered("meeting_id", meeting.id, "bo@city.gov")
    elsewhere = _registered("meeting_id", other.id, "cy@city.gov")
    found = {"meeting": meeting, "survey": survey, "ana_registration": ana, "ana": mint_token(ana.person, "survey", ana.id),
             "bo": mint_token(bo.person, "survey", bo.id), "elsewhere": mint_token(elsewhere.person, "survey", elsewhere.id),
             "manage": mint_token(ana.person, "manage", ana.id)}
    db.session.commit()
    return found


def test_a_link_expires_with_its_last_survey_and_staff_withdraw_an_event_s_links(client, login_as, links,
                                                                               controlled_clock):
    survey, token = links["survey"], links["ana"]
    controlled_clock(survey.closes_at - timedelta(seconds=1))
    assert client.get(f"/followup/{token}").status_code == 200
    controlled_clock(survey.closes_at)
    expired = client.get(f"/followup/{token}")
    assert expired.status_code == 410
    page = expired.get_data(as_text=True)
    assert "<h1>This link has expired</h1>" in page
    assert f'<a href="/meetings/{links["meeting"].slug}/">The meeting\'s page</a>' in page
    # A follow-up built now asks nothing and offers no page, only the opt-out.
    built = emails.build_followup(OutboxMessage(kind="followup_thanks", to_email="ana@city.gov",
                                                context={"registration_id": links["ana_registration"].id}))
    assert ("what you thought" in built.text, "follow-up page" in built.text, "/unsubscribe" in built.text) == (
        False, False, True)
    # Opting out still works, as the email's List-Unsubscribe header promised.
    assert client.post(f"/followup/{token}/unsubscribe", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert db.session.execute(select(FollowupOptOut)).first() is not None

    survey.closes_at += timedelta(days=7)        # staff extend the survey: its links open again
    db.session.commit()
    assert client.get(f"/followup/{token}").status_code == 200
    controlled_clock(None)

    meeting = links["meeting"]
    assert client.get(f"/followup/{links['ana']}").status_code == 200
    login_as("staff")
    page = client.get(f"/staff/after/followup/meeting/{meeting.id}").get_data(as_text=True)
    assert "3 links are live." in page     # the two sent, and the one built above
    response = client.post(f"/staff/after/followup/meeting/{meeting.id}/revoke-links")
    assert response.status_code == 303
    assert "0 links are live." in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post("/staff/logout")

    for token in (links["ana"], links["bo"]):
        gone = client.get(f"/followup/{token}")
        assert (gone.status_code, gone.headers["Cache-Control"], gone.headers["Referrer-Policy"]) == (
            410, "no-store", "no-referrer")
        assert "<h1>This link no longer works</h1>" in gone.get_data(as_text=True)
    assert client.post(f"/followup/{links['ana']}/surveys/{links['survey'].id}", data={"q1": "5"}).status_code == 410
    assert client.post(f"/followup/{links['bo']}/unsubscribe").status_code == 410
    assert db.session.execute(select(FollowupOptOut.person_id)).scalars().all() == [
        db.session.execute(select(Token.person_id).where(Token.purpose == "manage")).scalar_one()]   # Ana's alone
    assert client.get(f"/followup/{links['elsewhere']}").status_code == 200      # another meeting's
    assert client.get(f"/followup/{links['manage']}").status_code == 404          # another purpose
    assert client.get("/followup/never-one-of-ours").status_code == 404
    assert db.session.execute(select(Token.purpose).where(Token.revoked_at.is_not(None))).scalars().all() == [
        "survey"] * 3
    assert db.session.execute(select(AuditEntry.summary).where(AuditEntry.action == "followup.revoke_links")
                              ).scalar_one() == "Revoked 3 follow-up links"


def test_a_withdrawn_link_offers_a_fresh_one_by_email_while_its_survey_is_open(make_app, smtp_server, links):
    """To the address on record only, the same answer for any address, limited per address; an
    expired link stays expired."""
    import re

    from mipevents.notify.delivery import send_pending

    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                   RATELIMIT_ENABLED=True, RATELIMIT_LINK_REQUEST="2 per hour")
    with app.app_context():
        client = app.test_client()
        services.revoke_followup_links(links["meeting"], actor=None)
        db.session.commit()
        gone = client.get(f"/followup/{links['ana']}")
        assert gone.status_code == 410 and ">Email me my link</button>" in gone.get_data(as_text=True)
        assert client.get("/followup/lost-link").status_code == 200
        known = client.post("/followup/lost-link", data={"email": "ANA@city.gov"})
        unknown = client.post("/followup/lost-link", data={"email": "nobody@city.gov"})
        assert (known.status_code, known.headers["Cache-Control"]) == (200, "no-store")
        assert (known.get_data(as_text=True).replace("ANA@city.gov", "X")
                == unknown.get_data(as_text=True).replace("nobody@city.gov", "X"))
        send_pending()
        [mail] = smtp_server.messages
        assert mail[0] == ["ana@city.gov"] and mail[1]["Subject"] == "Your follow-up link"
        fresh = re.search(r"http://[^/\s]+(/followup/[\w-]{20,})", mail[1].get_body(("plain",)).get_content()).group(1)
        assert client.get(fresh).status_code == 200
        assert client.get(f"/followup/{links['ana']}").status_code == 410          # the withdrawn one stays so
        # Per address, whoever asks: the third request in the hour is refused and sends nothing.
        assert client.post("/followup/lost-link", data={"email": "ana@city.gov"}).status_code == 200
        assert client.post("/followup/lost-link", data={"email": "Ana@City.gov"}).status_code == 429
        assert client.post("/followup/lost-link", data={"email": "not an address"}).status_code == 422

        from mipevents.followup.models import Survey
        db.session.get(Survey, links["survey"].id).closes_at = utcnow() - timedelta(minutes=1)   # it closes
        db.session.commit()
        assert ">Email me my link</button>" not in client.get(f"/followup/{links['bo']}").get_data(as_text=True)
        assert client.post("/followup/lost-link", data={"email": "bo@city.gov"}).status_code == 200
        send_pending()
        assert [rcpts for rcpts, _ in smtp_server.messages] == [["ana@city.gov"], ["ana@city.gov"]]
