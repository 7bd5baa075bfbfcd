"""Reminders to applicants who started but did not submit: a week and a day before the deadline,
each exactly once (the outbox's dedupe key guards repeats and concurrent runs)."""
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from mipevents.calls.models import Application, Call
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import enqueue
from mipevents.people.services import mint_token

WEEK = timedelta(days=7)
DAY = timedelta(days=1)


def reminder_due(deadline_at: datetime, now: datetime) -> str | None:
    """Which reminder a draft is due at `now`: "week" in the last seven days before the deadline,
    "day" in the last day, None otherwise (a draft started in the last day gets only the "day" one)."""
    if now >= deadline_at:
        return None
    if now >= deadline_at - DAY:
        return "day"
    if now >= deadline_at - WEEK:
        return "week"
    return None


def application_reminder_key(which: str, application_id: int) -> str:
    return f"calls.reminder-{which}:application:{application_id}"


def queue_application_reminders(now: datetime) -> int:
    """Queue the due reminders of every published call's drafts; returns how many were queued.
    Cron-safe: running it again (or twice at once) queues nothing more."""
    calls = db.session.execute(
        select(Call).where(Call.status == "published", Call.opens_at <= now, Call.deadline_at > now,
                           Call.deadline_at <= now + WEEK)
    ).scalars().all()
    due = {c.id: reminder_due(c.deadline_at, now) for c in calls}
    if not calls:
        return 0
    drafts = db.session.execute(
        select(Application).where(Application.call_id.in_(list(due)), Application.status == "draft")
        .options(selectinload(Application.person)).order_by(Application.id)
    ).scalars().all()
    keys = {a.id: application_reminder_key(due[a.call_id], a.id) for a in drafts}
    sent = set(db.session.execute(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(list(keys.values())))
    ).scalars()) if keys else set()
    queued = 0
    for application in drafts:
        key = keys[application.id]
        if key in sent:
            continue
        try:
            with db.session.begin_nested():
                token = mint_token(application.person, "application", application.id)
                enqueue("calls.reminder", application.email,
                        {"application_id": application.id, "which": due[application.call_id], "link_token": token},
                        person=application.person, dedupe_key=key)
        except IntegrityError:   # another run queued it between our read and our write
            continue
        queued += 1
    return queued
