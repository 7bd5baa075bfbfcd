"""Reminders queued from cron (`flask --app wsgi notify reminders`): the 24-hour and 1-hour emails to
confirmed webinar registrants and the 24-hour email to confirmed meeting registrants (where, and
the sessions they picked), each exactly once per registration (OutboxMessage.dedupe_key is unique,
so two runs at the same moment cannot both queue one), plus the calls area's reminders, the reminder to
speakers who did not answer their invitation in a week and, a week before a meeting, each speaker's
briefing book."""
import logging
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mipevents.agenda.invitations import queue_invitation_reminders
from mipevents.agenda.models import AgendaItem
from mipevents.calls.reminders import queue_application_reminders
from mipevents.core.timeutil import utcnow, wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import enqueue
from mipevents.people.services import mint_token
from mipevents.printing import briefing
from mipevents.printing import emails as briefing_emails
from mipevents.registration.models import Registration
from mipevents.webinars.models import Webinar
from mipevents.workflows.change_notices import queue_due_change_notices

log = logging.getLogger("mipevents.notify")

# (name, how long before the start it becomes due). A reminder is due from its lead until the
# next shorter lead (or the start), so a late cron run never sends both at once.
LEADS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def reminder_key(lead: str, registration_id: int) -> str:
    return f"reminder-{lead}:registration:{registration_id}"


def _window(index: int, starts_at: datetime) -> tuple[datetime, datetime]:
    """[due from, due until) for LEADS[index] of a webinar starting at `starts_at`."""
    opens = starts_at - LEADS[index][1]
    closes = starts_at - LEADS[index + 1][1] if index + 1 < len(LEADS) else starts_at
    return opens, closes


def due_webinar_reminders(now: datetime) -> list[tuple[str, Registration]]:
    """(lead, registration) pairs that are due now and not queued yet."""
    longest = LEADS[0][1]
    rows = db.session.execute(
        select(Registration, Webinar).join(Webinar, Registration.webinar_id == Webinar.id)
        .where(Webinar.status == "published", Webinar.starts_at > now, Webinar.starts_at <= now + longest,
               Registration.status == "confirmed")
        .order_by(Webinar.starts_at, Registration.id)
    ).all()
    wanted = []
    for registration, webinar in rows:
        for index, (lead, _) in enumerate(LEADS):
            opens, closes = _window(index, webinar.starts_at)
            # Someone confirmed inside the 24-hour window just got their confirmation: no "tomorrow".
            if opens <= now < closes and not (lead == "24h" and registration.confirmed_at and registration.confirmed_at > opens):
                wanted.append((lead, registration))
    return _not_queued_yet(wanted)


def _not_queued_yet(wanted: list[tuple[str, Registration]]) -> list[tuple[str, Registration]]:
    if not wanted:
        return []
    keys = {reminder_key(lead, r.id) for lead, r in wanted}
    queued = set(db.session.execute(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))).scalars())
    return [(lead, r) for lead, r in wanted if reminder_key(lead, r.id) not in queued]


# A meeting without a published session yet is taken to start at this local time on its first day.
MEETING_DEFAULT_START = time(9, 0)


def meeting_starts_at(meeting: Meeting, first_session: datetime | None) -> datetime:
    return first_session or wall_clock_to_utc(meeting.starts_on, MEETING_DEFAULT_START, meeting.timezone)


def due_meeting_reminders(now: datetime) -> list[tuple[str, Registration]]:
    """("24h", registration) for confirmed registrants of published meetings starting (first public
    session) within the next 24 hours, not queued yet; one reminder, the day before."""
    lead, ahead = LEADS[0]
    first_sessions = (select(AgendaItem.meeting_id, func.min(AgendaItem.starts_at).label("first"))
                      .where(AgendaItem.status == "published").group_by(AgendaItem.meeting_id).subquery())
    soon = now.date() - timedelta(days=1), (now + ahead).date() + timedelta(days=1)   # local dates, any zone
    meetings = db.session.execute(
        select(Meeting, first_sessions.c.first).outerjoin(first_sessions, first_sessions.c.meeting_id == Meeting.id)
        .where(Meeting.status == "published", Meeting.starts_on.between(*soon))).all()
    starts = {meeting.id: meeting_starts_at(meeting, first) for meeting, first in meetings}
    starting = [meeting_id for meeting_id, at in starts.items() if now < at <= now + ahead]
    if not starting:
        return []
    registrations = db.session.execute(
        select(Registration).where(Registration.meeting_id.in_(starting), Registration.status == "confirmed")
        .order_by(Registration.meeting_id, Registration.id)).scalars().all()
    # Someone confirmed inside the 24 hours just got their confirmation: no "tomorrow" for them.
    return _not_queued_yet([(lead, r) for r in registrations
                            if not (r.confirmed_at and r.confirmed_at > starts[r.meeting_id] - ahead)])


def _queue_one(lead: str, registration: Registration) -> bool:
    """Queue one reminder inside a savepoint; False when another run queued it first."""
    person = registration.person
    try:
        with db.session.begin_nested():
            enqueue("registration_reminder", registration.email or person.email,
                    {"registration_id": registration.id, "status": registration.status, "lead": lead,
                     "manage_token": mint_token(person, "manage", registration.id)},
                    person=person, dedupe_key=reminder_key(lead, registration.id))
    except IntegrityError:
        return False
    return True


# ---------------------------------------------------------------------------------------------- briefing books

BRIEFING_BOOK_LEAD = timedelta(days=7)


def briefing_week_key(meeting_id: int, person_id: int) -> str:
    return f"briefing-week:{meeting_id}:{person_id}"


def queue_briefing_books(now: datetime | None = None) -> int:
    """Each speaker of a published meeting that starts within the week gets their briefing book, once."""
    now = now or utcnow()
    soon = db.session.execute(select(Meeting).where(
        Meeting.status == "published", Meeting.starts_on >= (now - timedelta(days=1)).date(),
        Meeting.starts_on <= (now + BRIEFING_BOOK_LEAD + timedelta(days=1)).date())).scalars().all()
    queued = 0
    for meeting in soon:
        first = db.session.execute(select(AgendaItem.starts_at).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.status == "published")
            .order_by(AgendaItem.starts_at).limit(1)).scalar()
        if not now < meeting_starts_at(meeting, first) <= now + BRIEFING_BOOK_LEAD:
            continue
        for person, _ in briefing.meeting_speaker_people(meeting):
            key = briefing_week_key(meeting.id, person.id)
            if db.session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
                continue
            try:
                with db.session.begin_nested():
                    briefing_emails.queue_briefing_book(person, meeting, dedupe_key=key)
            except IntegrityError:
                continue
            queued += 1
    db.session.commit()
    return queued


def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue every reminder and notice that is due: webinar reminders, open calls' application
    reminders, batched session change notices. Returns how many were queued. Commits (cron)."""
    now = now or utcnow()
    due = due_webinar_reminders(now) + due_meeting_reminders(now)
    queued = sum(1 for lead, registration in due if _queue_one(lead, registration))
    db.session.commit()
    queued += int(queue_application_reminders(now) or 0)
    db.session.commit()
    queued += queue_due_change_notices(now)
    queued += queue_invitation_reminders(now)
    queued += queue_briefing_books(now)
    return queued
