"""Registration emails as they arrive at a real SMTP server: the confirmation with absolute private
links and a parseable .ics holding the join link, the waitlist and repeat wording, promotion, and
delivery that survives the server being down (nothing lost, nothing sent twice)."""
import re
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration

BASE = "http://mipevents.test"


@pytest.fixture
def smtp_app(app, make_app, smtp_server):
    """An app that sends over the in-process SMTP server (its context on top of the default one)."""
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        yield app


def form(n=1, **over):
    data = {"first_name": "Rosa", "last_name": f"Diaz{n}", "email": f"rosa{n}@city.gov", "role": "mayor",
            "title": "Mayor", "organization": "City of Tacoma", "city": "Tacoma", "state": "WA", "consent": "y"}
    data.update(over)
    return data


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def calendar_of(message):
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(attachment.get_content())


def test_the_confirmation_arrives_with_links_and_the_join_link_in_its_ics(smtp_app, smtp_server, make_webinar):
    webinar = make_webinar(title="Housing first", join_url="https://meet.example.org/j/8123456789?pwd=abc")
    db.session.commit()
    client = smtp_app.test_client()
    assert client.post(f"/webinars/{webinar.slug}/register", data=form()).status_code == 303
    assert delivery.send_pending().sent == 1
    [message] = smtp_server.to("rosa1@city.gov")
    assert message["Subject"] == "You're registered: Housing first"
    text = text_of(message)
    assert "You are registered for:" in text
    manage = re.search(rf"{re.escape(BASE)}/manage/([A-Za-z0-9_-]+)", text)
    feed = re.search(rf"{re.escape(BASE)}/calendar/([A-Za-z0-9_-]+)\.ics", text)
    assert manage and feed
    assert "https://meet.example.org/j/8123456789?pwd=abc" in text
    assert f'href="{manage.group(0)}"' in html_of(message)
    assert "already registered" not in text
    cal = calendar_of(message)
    [event] = cal.walk("VEVENT")
    assert event["SUMMARY"] == "Housing first"
    assert event.decoded("DTSTART") == webinar.starts_at
    assert "https://meet.example.org/j/8123456789?pwd=abc" in (str(event.get("LOCATION", "")) + str(event.get("DESCRIPTION", "")))
    assert "STATUS" not in event or str(event["STATUS"]) == "CONFIRMED"
    # The outbox forgot the private links once the message was sent.
    row = db.session.execute(select(OutboxMessage)).scalar_one()
    assert (row.status, sorted(row.context)) == ("sent", ["registration_id", "status"])
    # The manage link in the email opens the registrant's page.
    page = client.get(f"/manage/{manage.group(1)}")
    assert page.status_code == 200
    assert "You are registered." in page.get_data(as_text=True)


def test_the_waitlist_email_has_no_join_link(smtp_app, smtp_server, make_webinar):
    webinar = make_webinar(title="Full house", capacity=0, join_url="https://meet.example.org/j/555")
    db.session.commit()
    smtp_app.test_client().post(f"/webinars/{webinar.slug}/register", data=form())
    delivery.send_pending()
    [message] = smtp_server.to("rosa1@city.gov")
    assert message["Subject"] == "You're on the waitlist: Full house"
    assert "https://meet.example.org/j/555" not in message.as_string()
    [event] = calendar_of(message).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"


def test_only_the_email_says_you_were_already_registered(smtp_app, smtp_server, make_webinar):
    webinar = make_webinar(title="Twice")
    db.session.commit()
    client = smtp_app.test_client()
    client.post(f"/webinars/{webinar.slug}/register", data=form())
    client.post(f"/webinars/{webinar.slug}/register", data=form())
    assert delivery.send_pending().sent == 2
    first, second = smtp_server.to("rosa1@city.gov")
    assert (first["Subject"], second["Subject"]) == ("You're registered: Twice", "You were already registered: Twice")
    assert "You were already registered, so nothing has changed: your registration is confirmed." in " ".join(text_of(second).split())
    assert first["Message-ID"] != second["Message-ID"]


def test_a_freed_seat_emails_the_next_in_line(smtp_app, smtp_server, make_webinar):
    webinar = make_webinar(title="One seat", capacity=1, join_url="https://meet.example.org/j/777")
    db.session.commit()
    first = services.register(webinar, {"first_name": "A", "last_name": "One", "email": "one@city.gov",
                                        "role": "mayor", "consent": True}).registration
    db.session.commit()
    services.register(webinar, {"first_name": "B", "last_name": "Two", "email": "two@city.gov", "role": "mayor",
                                "consent": True})
    db.session.commit()
    services.cancel(db.session.get(Registration, first.id))
    db.session.commit()
    assert delivery.send_pending().sent == 4
    assert [m["Subject"] for m in smtp_server.to("one@city.gov")] == ["You're registered: One seat",
                                                                       "Your registration is cancelled: One seat"]
    waiting, promoted = smtp_server.to("two@city.gov")
    assert (waiting["Subject"], promoted["Subject"]) == ("You're on the waitlist: One seat",
                                                         "A seat opened up: you're registered for One seat")
    assert "https://meet.example.org/j/777" in text_of(promoted)
    assert "https://meet.example.org/j/777" not in text_of(waiting)


def test_delivery_is_retried_after_the_server_was_down_nothing_lost_nothing_twice(smtp_app, smtp_server, make_webinar):
    webinar = make_webinar(capacity=10)
    db.session.commit()
    client = smtp_app.test_client()
    smtp_server.stop()
    for n in range(3):
        assert client.post(f"/webinars/{webinar.slug}/register", data=form(n)).status_code == 303
    down = delivery.send_pending()
    assert (down.sent, down.deferred) == (0, 3)
    rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1)] * 3
    assert all(sorted(r.context) == ["registration_id", "status"] for r in rows)   # no link waits in a row
    expected_ids = sorted(delivery.message_id_for(r) for r in rows)
    smtp_server.start()
    assert delivery.send_pending().sent == 0                # backing off: not due yet
    later = utcnow() + timedelta(minutes=5)
    assert delivery.send_pending(now=later).sent == 3
    assert delivery.send_pending(now=later + timedelta(hours=2)).sent == 0
    assert sorted(m["To"] for _, m in smtp_server.messages) == ["rosa0@city.gov", "rosa1@city.gov", "rosa2@city.gov"]
    assert sorted(m["Message-ID"] for _, m in smtp_server.messages) == expected_ids   # the same id on every try


def test_a_scheduler_gets_their_own_copy_with_the_links(smtp_app, smtp_server, make_webinar):
    webinar = make_webinar(title="Delegated")
    db.session.commit()
    services.register(webinar, {"first_name": "Mayor", "last_name": "Busy", "email": "mayor@city.gov",
                                "role": "mayor", "consent": True, "scheduler_email": "aide@city.gov"})
    db.session.commit()
    assert delivery.send_pending().sent == 2
    [copy] = smtp_server.to("aide@city.gov")
    text = text_of(copy)
    assert "You are receiving this because Mayor Busy gave your address as their scheduler." in " ".join(text.split())
    assert f"{BASE}/manage/" in text


def test_a_meeting_registration_gets_the_meeting_wording_and_its_calendar(smtp_app, smtp_server, make_meeting):
    from datetime import UTC, datetime

    from mipevents.registration.emails import template_names

    today = datetime.now(UTC).date()
    meeting = make_meeting(name="Summer Meeting", starts_on=today + timedelta(days=40),
                           ends_on=today + timedelta(days=42), capacity=100, city="Tacoma", state="WA")
    db.session.commit()
    registration = services.register(meeting, {"first_name": "Lee", "last_name": "Ames", "email": "lee@city.gov",
                                               "role": "mayor", "consent": True}).registration
    db.session.commit()
    assert template_names("registration_received", registration, "txt") == [
        "email/registration/meeting_registration_received.txt", "email/registration/registration_received.txt"]
    assert delivery.send_pending().sent == 1
    [message] = smtp_server.to("lee@city.gov")
    assert message["Subject"] == "You're registered: Summer Meeting"
    text = text_of(message)
    assert "Summer Meeting" in text and f"{BASE}/meetings/{meeting.slug}/" in text
    assert re.search(rf"{re.escape(BASE)}/manage/[A-Za-z0-9_-]+", text)
    [event] = calendar_of(message).walk("VEVENT")
    assert "Summer Meeting" in str(event["SUMMARY"])
