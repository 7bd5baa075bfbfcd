"""Reminders: the 24-hour and 1-hour emails reach each confirmed webinar registrant exactly once,
and the day-before email each confirmed meeting registrant, however often cron runs `notify reminders`."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration
from mipevents.workflows import reminders

START = datetime(2031, 3, 4, 18, 0, tzinfo=UTC)   # 12:00 PM CT


def person(n):
    return {"first_name": f"F{n}", "last_name": f"L{n}", "email": f"p{n}@example.org", "role": "mayor", "consent": True}


def setup_webinar(make_webinar, capacity=2, **over):
    webinar = make_webinar(starts_at=START, capacity=capacity, **over)
    db.session.commit()
    when = START - timedelta(days=5)
    for n in range(4):
        services.register(webinar, person(n), now=when)
        db.session.commit()
    return webinar


def queued():
    return sorted((m.dedupe_key, m.to_email) for m in db.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == "registration_reminder")).scalars())


def test_each_reminder_is_queued_once_for_confirmed_registrants_only(make_webinar):
    webinar = setup_webinar(make_webinar)
    ids = db.session.execute(select(Registration.id).where(Registration.status == "confirmed")
                             .order_by(Registration.id)).scalars().all()
    assert reminders.queue_due_reminders(START - timedelta(hours=25)) == 0
    assert reminders.queue_due_reminders(START - timedelta(hours=23)) == 2
    assert reminders.queue_due_reminders(START - timedelta(hours=22)) == 0
    assert reminders.queue_due_reminders(START - timedelta(minutes=59)) == 2
    assert reminders.queue_due_reminders(START - timedelta(minutes=5)) == 0
    assert reminders.queue_due_reminders(START + timedelta(minutes=5)) == 0
    assert queued() == sorted([(f"reminder-24h:registration:{ids[0]}", "p0@example.org"),
                               (f"reminder-24h:registration:{ids[1]}", "p1@example.org"),
                               (f"reminder-1h:registration:{ids[0]}", "p0@example.org"),
                               (f"reminder-1h:registration:{ids[1]}", "p1@example.org")])
    assert webinar.id


def test_a_late_run_sends_only_the_reminder_still_due(make_webinar):
    setup_webinar(make_webinar)
    assert reminders.queue_due_reminders(START - timedelta(minutes=30)) == 2
    assert [key.split(":")[0] for key, _ in queued()] == ["reminder-1h", "reminder-1h"]


def test_someone_promoted_inside_the_day_gets_the_hour_reminder_only(make_webinar):
    setup_webinar(make_webinar)
    first = db.session.execute(select(Registration).order_by(Registration.id)).scalars().first()
    services.cancel(first, now=START - timedelta(hours=10))
    db.session.commit()
    assert reminders.queue_due_reminders(START - timedelta(hours=9)) == 1   # the one still confirmed from before
    assert reminders.queue_due_reminders(START - timedelta(minutes=30)) == 2


def test_a_second_run_racing_the_first_queues_nothing_more(make_webinar):
    setup_webinar(make_webinar)
    now = START - timedelta(hours=20)
    due = reminders.due_webinar_reminders(now)            # what a second cron run saw before the first committed
    assert reminders.queue_due_reminders(now) == 2
    assert [reminders._queue_one(lead, registration) for lead, registration in due] == [False, False]
    db.session.commit()
    assert len(queued()) == 2


def test_drafts_and_cancelled_webinars_get_no_reminders(make_webinar):
    webinar = setup_webinar(make_webinar)
    webinar.status = "cancelled"
    db.session.commit()
    assert reminders.queue_due_reminders(START - timedelta(hours=2)) == 0


def test_the_command_queues_and_the_reminder_arrives_with_the_join_link(app, make_app, smtp_server, make_webinar):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=40)
    webinar = make_webinar(starts_at=soon, capacity=5, title="Budget basics", join_url="https://meet.example.org/j/42")
    db.session.commit()
    services.register(webinar, person(1), now=soon - timedelta(days=3))
    db.session.commit()
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    smtp_app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    runner = smtp_app.test_cli_runner()
    first = runner.invoke(args=["notify", "reminders"])
    second = runner.invoke(args=["notify", "reminders"])
    assert (first.output, second.output) == ("queued 1 reminders\n", "queued 0 reminders\n")
    with smtp_app.app_context():
        assert delivery.send_pending().sent == 1
    [message] = smtp_server.to("p1@example.org")
    assert message["Subject"] == "Starting in an hour: Budget basics"
    assert "https://meet.example.org/j/42" in message.get_body(("plain",)).get_content()


# ------------------------------------------------------------------------------------ meetings

MEETING_FIRST = datetime(2031, 3, 10, 13, 30, tzinfo=UTC)   # 8:30 AM CDT, the day after clocks went forward


def setup_meeting(make_meeting, make_item, make_room, capacity=2):
    from mipevents.registration.models import SessionChoice

    meeting = make_meeting(name="Summer Meeting 2031", timezone="America/Chicago", starts_on=MEETING_FIRST.date(),
                           ends_on=MEETING_FIRST.date() + timedelta(days=1), capacity=capacity, venue="Monona Terrace",
                           address="1 John Nolen Dr, Madison, WI")
    room = make_room(meeting, name="Hall A")
    opening = make_item(meeting, at=datetime(2031, 3, 10, 8, 30), title="Welcome", room=room)
    breakout = make_item(meeting, at=datetime(2031, 3, 11, 14, 0), title="Housing breakout", kind="workshop")
    make_item(meeting, at=datetime(2031, 3, 10, 7, 0), title="Staff setup", status="draft")   # not the start
    db.session.commit()
    for n in range(3):
        services.register(meeting, person(n), now=MEETING_FIRST - timedelta(days=5))
        db.session.commit()
    first = db.session.execute(select(Registration).where(Registration.meeting_id == meeting.id)
                               .order_by(Registration.id)).scalars().first()
    db.session.add_all([SessionChoice(registration_id=first.id, item_id=breakout.id),
                        SessionChoice(registration_id=first.id, item_id=opening.id)])
    db.session.commit()
    return meeting


def test_meeting_registrants_get_one_reminder_the_day_before_the_first_session(make_meeting, make_item, make_room):
    setup_meeting(make_meeting, make_item, make_room)
    assert reminders.queue_due_reminders(MEETING_FIRST - timedelta(hours=24, minutes=1)) == 0
    assert reminders.queue_due_reminders(MEETING_FIRST - timedelta(hours=23)) == 2     # the waitlisted one: none
    assert reminders.queue_due_reminders(MEETING_FIRST - timedelta(hours=1)) == 0      # no "in an hour" for meetings
    assert reminders.queue_due_reminders(MEETING_FIRST + timedelta(minutes=5)) == 0
    assert [email for _, email in queued()] == ["p0@example.org", "p1@example.org"]


def test_a_meeting_without_published_sessions_is_taken_to_start_at_nine(make_meeting):
    meeting = make_meeting(timezone="America/Los_Angeles", starts_on=MEETING_FIRST.date(),
                           ends_on=MEETING_FIRST.date(), capacity=5)
    db.session.commit()
    services.register(meeting, person(7), now=MEETING_FIRST - timedelta(days=5))
    db.session.commit()
    nine = datetime(2031, 3, 10, 16, 0, tzinfo=UTC)                                      # 9:00 AM PDT
    assert reminders.queue_due_reminders(nine - timedelta(hours=24, seconds=1)) == 0
    assert reminders.queue_due_reminders(nine - timedelta(hours=24)) == 1


def test_the_meeting_reminder_arrives_with_the_venue_and_the_sessions_picked(make_app, smtp_server, make_meeting,
                                                                              make_item, make_room):
    setup_meeting(make_meeting, make_item, make_room)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    assert reminders.queue_due_reminders(MEETING_FIRST - timedelta(hours=20)) == 2
    smtp_app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with smtp_app.app_context():
        assert delivery.send_pending().sent == 2
    [message] = smtp_server.to("p0@example.org")
    assert message["Subject"] == "Tomorrow: Summer Meeting 2031"
    text = message.get_body(("plain",)).get_content()
    assert "Where: Monona Terrace, 1 John Nolen Dr, Madison, WI" in text
    assert text.index("Monday, March 10, 8:30 AM CT: Welcome (Hall A)") < text.index("Tuesday, March 11, 2:00 PM CT: Housing breakout")
    assert "Staff setup" not in text
    assert "/manage/" in text
    html = message.get_body(("html",)).get_content()
    assert "Monona Terrace" in html and "Housing breakout" in html
