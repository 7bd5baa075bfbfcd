"""The briefing book by email (the PDF attached where it can be built): on request, and once,
automatically, a week before the meeting to each of its speakers, to their own address."""
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mipevents.agenda.models import AgendaItem
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import Attachment, BuiltMessage, enqueue, message_builder
from mipevents.notify.reminders import meeting_starts_at
from mipevents.people.models import Person
from mipevents.printing import briefing, pdf

KIND = "printing.briefing_book"
WEEK_BEFORE = timedelta(days=7)


def queue_briefing_book(person: Person, meeting: Meeting, dedupe_key: str | None = None) -> OutboxMessage:
    return enqueue(KIND, person.email, {"person_id": person.id, "meeting_id": meeting.id}, person=person,
                   dedupe_key=dedupe_key)


@message_builder(KIND)
def build_briefing_book(msg: OutboxMessage) -> BuiltMessage:
    person = db.session.get(Person, msg.context["person_id"])
    meeting = db.session.get(Meeting, msg.context["meeting_id"])
    if person is None or meeting is None or person.erased_at is not None:
        raise LookupError("the person or the meeting of this briefing book no longer exists")
    book = briefing.briefing_book(person, meeting, with_photos=False)
    context = {"book": book, "org": current_app.config["MIPEVENTS_ORG_NAME"], "has_pdf": not pdf.pdf_unavailable()}
    attachments = [Attachment(f"briefing-{meeting.slug}.pdf", "application/pdf", briefing.briefing_pdf(person, meeting))] \
        if context["has_pdf"] else []
    return BuiltMessage(subject=f"Your briefing book: {meeting.name}",
                        text=render_template("email/printing/briefing_book.txt", **context), attachments=attachments)


def week_before_key(meeting_id: int, person_id: int) -> str:
    return f"briefing-week:{meeting_id}:{person_id}"


def queue_week_before(now: datetime | None = None) -> int:
    """Each speaker of a published meeting that starts within the week gets their book once (cron)."""
    now = now or utcnow()
    soon = db.session.execute(select(Meeting).where(
        Meeting.status == "published", Meeting.starts_on >= (now - timedelta(days=1)).date(),
        Meeting.starts_on <= (now + WEEK_BEFORE + timedelta(days=1)).date())).scalars().all()
    queued = 0
    for meeting in soon:
        first = db.session.execute(select(AgendaItem.starts_at).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.status == "published")
            .order_by(AgendaItem.starts_at).limit(1)).scalar()
        if not now < meeting_starts_at(meeting, first) <= now + WEEK_BEFORE:
            continue
        for person, _ in briefing.meeting_speaker_people(meeting):
            key = week_before_key(meeting.id, person.id)
            if db.session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
                continue
            try:
                with db.session.begin_nested():
                    queue_briefing_book(person, meeting, dedupe_key=key)
            except IntegrityError:
                continue
            queued += 1
    db.session.commit()
    return queued
