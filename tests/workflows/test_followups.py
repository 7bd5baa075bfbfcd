"""The follow-up after a webinar, through a real SMTP server: after the attendance import, one "thanks
for joining" to each attendee and one "sorry we missed you" to each confirmed no-show, nothing to
cancelled or waitlisted registrants, nothing twice; List-Unsubscribe leads to a one-click opt-out
that the next follow-up honours."""
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mipevents.accounts.services import create_user
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import services as followup
from mipevents.followup.models import FollowupOptOut
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.people.services import person_for_email
from mipevents.registration import services
from mipevents.registration.models import Registration
from mipevents.workflows import followups

REPORT = Path(__file__).resolve().parents[1] / "webinars" / "attendance-report.csv"
BASE = "http://mipevents.test"


@pytest.fixture
def smtp_app(app, make_app, smtp_server):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        yield app


def person(n):
    return {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
            "organization": f"City {n}", "consent": True}


@pytest.fixture
def past_webinar(make_webinar, smtp_server):
    """Six confirmed (0, 9, 18, 27, 36, 45), one cancelled (54) and one waitlisted (63), the webinar over."""
    webinar = make_webinar(title="Flood resilience", capacity=6)
    db.session.commit()
    for n in (0, 9, 18, 27, 36, 45, 54, 63):
        services.register(webinar, person(n))
        db.session.commit()
    services.cancel(db.session.execute(select(Registration).where(Registration.email == "person54@example.org")).scalar_one())
    webinar.starts_at = utcnow() - timedelta(days=2)
    webinar.ends_at = webinar.starts_at + timedelta(hours=1)
    followup.add_link(webinar, kind="recording", title="The recording", url="https://video.example.org/flood",
                      is_public=True, actor=None)
    followup.add_file(webinar, title="Slides", data=b"%PDF-1.7\n%slides\n", max_bytes=1024, is_public=False, actor=None)
    followup.save_survey(webinar, questions="rating: How useful was it?", closes_at=utcnow() + timedelta(days=30),
                         actor=None)
    db.session.commit()
    delivery.send_pending()          # the registration emails, out of the way
    smtp_server.messages.clear()
    return webinar


def _import_report(client, webinar):
    response = client.post(f"/staff/webinars/{webinar.id}/attendance",
                           data={"report": (io.BytesIO(REPORT.read_bytes()), "attendance-report.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200


def _received(smtp_server):
    return sorted((rcpts[0], message["Subject"]) for rcpts, message in smtp_server.messages)


def _staff_client(app):
    client = app.test_client()
    create_user("followup-staff@example.org", "correct horse battery staple", role="staff")
    db.session.commit()
    assert client.post("/staff/login", data={"email": "followup-staff@example.org",
                                             "password": "correct horse battery staple"}).status_code == 302
    return client


def test_one_thanks_per_attendee_one_missed_you_per_no_show_and_nothing_twice(smtp_app, smtp_server, past_webinar):
    webinar = past_webinar
    client = _staff_client(smtp_app)
    # Before the attendance import nobody can be told apart: the follow-up is refused.
    assert client.post(f"/staff/after/followup/webinar/{webinar.id}").status_code == 409
    _import_report(client, webinar)
    preview = client.get(f"/staff/after/followup/webinar/{webinar.id}").get_data(as_text=True)
    assert "Send 6 follow-up emails" in preview

    assert client.post(f"/staff/after/followup/webinar/{webinar.id}").status_code == 303
    assert delivery.send_pending().sent == 6
    thanks = "Thanks for joining Flood resilience: the recording and slides"
    missed = "Sorry we missed you at Flood resilience: here is the recording"
    # 27 registered and did not attend ("No", 0 minutes); 45 is not in the report; 54 cancelled, 63 waitlisted.
    assert _received(smtp_server) == sorted([
        ("person0@example.org", thanks), ("person9@example.org", thanks), ("person18@example.org", thanks),
        ("person36@example.org", thanks), ("person27@example.org", missed), ("person45@example.org", missed)])

    # Clicking again, even after a second import, sends nothing more.
    _import_report(client, webinar)
    assert client.post(f"/staff/after/followup/webinar/{webinar.id}").status_code == 303
    assert delivery.send_pending().sent == 0
    assert len(smtp_server.messages) == 6
    assert followups.plan(webinar).already_sent == 6

    [message] = smtp_server.to("person0@example.org")
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Recording: The recording\nhttps://video.example.org/flood" in text
    page = re.search(rf"{re.escape(BASE)}(/followup/[A-Za-z0-9_-]+)\n", text).group(1)
    assert message["List-Unsubscribe"] == f"<{BASE}{page}/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    visitor = smtp_app.test_client()
    response = visitor.get(page)
    assert response.status_code == 200
    assert (response.headers["Cache-Control"], response.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    assert "What did you think of Flood resilience?" in response.get_data(as_text=True)


def _meeting_registration(meeting, n, *, checked_in=False, status="confirmed"):
    who = person_for_email(f"member{n}@example.org", f"Member {n}")
    registration = Registration(person=who, meeting_id=meeting.id, status=status, role="mayor", first_name="Member",
                                last_name=str(n), email=who.email, source="staff",
                                checked_in_at=utcnow() - timedelta(days=3) if checked_in else None)
    db.session.add(registration)
    db.session.flush()
    return registration


def test_one_click_unsubscribe_is_honoured_by_the_next_follow_up(smtp_app, smtp_server, make_meeting, make_app):
    meeting = make_meeting(status="published")
    first = _meeting_registration(meeting, 1, checked_in=True)
    _meeting_registration(meeting, 2)
    _meeting_registration(meeting, 3, status="waitlisted")
    db.session.commit()
    followups.send(meeting, actor=None)
    db.session.commit()
    assert delivery.send_pending().sent == 2
    assert _received(smtp_server) == [("member1@example.org", f"Thanks for joining {meeting.name}"),
                                      ("member2@example.org", f"Sorry we missed you at {meeting.name}")]
    [message] = smtp_server.to("member1@example.org")
    unsubscribe = message["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    # RFC 8058: the mail provider posts "List-Unsubscribe=One-Click" without a CSRF token or cookie.
    with_csrf = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = with_csrf.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.commit()   # see what that request committed
    assert db.session.execute(select(FollowupOptOut.person_id)).scalars().all() == [first.person_id]
    # A later follow-up (here: the registration's message was lost, so it is due again) leaves them out.
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    plan = followups.plan(meeting)
    assert (len(plan.thanks), len(plan.missed), plan.opted_out) == (0, 1, 1)
