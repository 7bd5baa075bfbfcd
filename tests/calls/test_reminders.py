"""Reminders to drafts a week and a day before the deadline, exactly once each."""
from datetime import timedelta

from sqlalchemy import select

from mipevents.calls import services
from mipevents.calls.reminders import queue_application_reminders, reminder_due
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage


def _reminders():
    return db.session.execute(select(OutboxMessage.to_email, OutboxMessage.context["which"].as_string())
                              .where(OutboxMessage.kind == "calls.reminder").order_by(OutboxMessage.id)).all()


def test_reminder_windows():
    from datetime import UTC, datetime

    deadline = datetime(2025, 2, 28, 5, 59, tzinfo=UTC)
    assert reminder_due(deadline, deadline - timedelta(days=8)) is None
    assert reminder_due(deadline, deadline - timedelta(days=7)) == "week"
    assert reminder_due(deadline, deadline - timedelta(days=1, seconds=1)) == "week"
    assert reminder_due(deadline, deadline - timedelta(days=1)) == "day"
    assert reminder_due(deadline, deadline - timedelta(seconds=1)) == "day"
    assert reminder_due(deadline, deadline) is None


def test_drafts_get_a_week_and_a_day_reminder_exactly_once(app, make_call, application_values):
    call = make_call(deadline_in=timedelta(days=20))
    draft, _ = services.apply(call, application_values(call, email="draft@a.gov"), submit=False)
    services.apply(call, application_values(call, email="done@b.gov"), submit=True)
    db.session.commit()
    deadline = call.deadline_at

    assert queue_application_reminders(deadline - timedelta(days=10)) == 0
    assert queue_application_reminders(deadline - timedelta(days=6)) == 1
    assert queue_application_reminders(deadline - timedelta(days=5)) == 0
    assert queue_application_reminders(deadline - timedelta(hours=20)) == 1
    assert queue_application_reminders(deadline - timedelta(hours=2)) == 0
    assert queue_application_reminders(deadline + timedelta(hours=1)) == 0
    db.session.commit()
    assert _reminders() == [("draft@a.gov", "week"), ("draft@a.gov", "day")]
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "calls.reminder")).scalars().first()
    assert message.dedupe_key == f"calls.reminder-week:application:{draft.id}"
    assert services.application_for_token(message.context["link_token"]).id == draft.id


def test_a_draft_submitted_before_the_reminder_gets_none(app, make_call, application_values):
    call = make_call(deadline_in=timedelta(days=20))
    draft, _ = services.apply(call, application_values(call), submit=False)
    services.apply(call, application_values(call), submit=True, application=draft)
    assert queue_application_reminders(call.deadline_at - timedelta(days=3)) == 0


def test_the_reminder_email_reads_well(app, make_call, application_values):
    from mipevents.calls.emails import build_reminder

    call = make_call(deadline_in=timedelta(days=20))
    services.apply(call, application_values(call, email="draft@a.gov"), submit=False)
    queue_application_reminders(call.deadline_at - timedelta(hours=3))
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "calls.reminder")).scalar_one()
    built = build_reminder(message)
    assert built.subject == f"One day left to submit: {call.short_title}"
    assert f"http://mipevents.test/calls/application/{message.context['link_token']}" in built.text
    assert "started but not submitted" in built.text
