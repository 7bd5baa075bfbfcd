"""The briefing book by email, to the person's own address, with the PDF attached where it can be built
(staff send it on request; workflows.reminders sends it once, a week before the meeting)."""
from datetime import timedelta

from flask import current_app, render_template

from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import Attachment, BuiltMessage, enqueue
from mipevents.people.models import Person
from mipevents.printing import briefing, pdf

KIND = "printing.briefing_book"
WEEK_BEFORE = timedelta(days=7)


def queue_briefing_book(person: Person, meeting: Meeting, dedupe_key: str | None = None) -> OutboxMessage:
    return enqueue(KIND, person.email, {"person_id": person.id, "meeting_id": meeting.id}, person=person,
                   dedupe_key=dedupe_key)


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
