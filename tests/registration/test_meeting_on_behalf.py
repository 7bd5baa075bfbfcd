"""A scheduler registers a mayor: the mayor is the one attendee, and both get the confirmation with
the manage link (the personal feed to the mayor alone) over a real SMTP conversation; the scheduler's link
picks the mayor's sessions."""
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.people.models import Person
from mipevents.registration.models import Registration, SessionChoice

TODAY = datetime.now(UTC).date()


def test_both_the_mayor_and_the_scheduler_get_mail_for_one_attendee_record(make_app, smtp_server):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        from mipevents.agenda.models import AgendaItem
        from mipevents.core.timeutil import wall_clock_to_utc
        from mipevents.meetings.models import Meeting

        meeting = Meeting(slug="summer", name="Summer Meeting", kind="summer", status="published",
                          starts_on=TODAY + timedelta(days=40), ends_on=TODAY + timedelta(days=41), timezone="America/Chicago")
        db.session.add(meeting)
        db.session.flush()
        starts = wall_clock_to_utc(meeting.starts_on, datetime.min.time().replace(hour=10), meeting.timezone)
        panel = AgendaItem(meeting_id=meeting.id, kind="panel", title="Housing panel", status="published",
                           starts_at=starts, ends_at=starts + timedelta(hours=1))
        db.session.add(panel)
        db.session.commit()
        panel_id = panel.id
        client = app.test_client()
        response = client.post("/meetings/summer/register", data={
            "type": "mayor", "first_name": "Rosa", "last_name": "Alvarez", "title": "Mayor", "organization": "City of Elm",
            "city": "Elm", "state": "IA", "email": "Mayor@Elm.gov", "scheduler_email": "scheduler@elm.gov", "consent": "y"})
        assert response.status_code == 303
        result = delivery.send_pending()
        assert (result.sent, result.failed, result.deferred) == (2, 0, 0)

        registration = db.session.execute(select(Registration)).scalar_one()
        mayor = db.session.execute(select(Person).where(Person.email == "mayor@elm.gov")).scalar_one()
        scheduler = db.session.execute(select(Person).where(Person.email == "scheduler@elm.gov")).scalar_one()
        assert (registration.person_id, registration.scheduler_person_id, registration.status) == (mayor.id, scheduler.id, "confirmed")

    [to_mayor] = smtp_server.to("mayor@elm.gov")
    [to_scheduler] = smtp_server.to("scheduler@elm.gov")
    assert len(smtp_server.messages) == 2
    assert to_mayor["Subject"] == to_scheduler["Subject"] == "You're registered: Summer Meeting"
    mayor_text = to_mayor.get_body(("plain",)).get_content().replace("\r\n", "\n")
    scheduler_text = to_scheduler.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Dear Rosa," in mayor_text
    assert "  Registered as: Mayor\n  Name: Rosa Alvarez, Mayor (City of Elm)\n  Dietary needs: none\n" in mayor_text
    assert "Pick the sessions they will attend (breakouts fill up):\nhttp://mipevents.test/manage/" in scheduler_text
    assert "You are receiving this because Rosa Alvarez gave your address as their scheduler." in scheduler_text
    # The mayor's personal feed goes to the mayor alone; the scheduler's link opens this registration.
    assert re.search(r"/calendar/[A-Za-z0-9_-]{40,}\.ics", mayor_text)
    assert "/calendar/" not in scheduler_text
    assert "scheduler@elm.gov registered you or manages this registration for you." in mayor_text
    for message, text in ((to_mayor, mayor_text), (to_scheduler, scheduler_text)):
        assert re.search(r"/manage/[A-Za-z0-9_-]{40,}", text)
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
    # The two emails carry different tokens for the same registration.
    mayor_link = re.search(r"/manage/([A-Za-z0-9_-]{40,})", mayor_text).group(1)
    scheduler_link = re.search(r"/manage/([A-Za-z0-9_-]{40,})", scheduler_text).group(1)
    assert mayor_link != scheduler_link

    with app.app_context():
        client = app.test_client()
        page = client.get(f"/manage/{scheduler_link}/sessions")
        assert page.status_code == 200
        assert "Rosa Alvarez, Mayor · City of Elm" in page.get_data(as_text=True)
        saved = client.post(f"/manage/{scheduler_link}/sessions", data={"sessions": [str(panel_id)]})
        assert saved.status_code == 303
        choices = db.session.execute(select(SessionChoice.registration_id, SessionChoice.item_id)).all()
        assert choices == [(registration.id, panel_id)]
