"""The briefing book by email, to the person's own address and a copy to each scheduler they approved,
with the PDF attached where it can be built (staff send it on request; workflows.reminders sends it
once, a week before the meeting)."""
from datetime import timedelta

from flask import current_app, render_template

from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import Attachment, BuiltMessage, enqueue
from mipevents.people.models import Person
from mipevents.people.services import approved_schedulers
from mipevents.printing import briefing, pdf

KIND = "printing.briefing_book"
WEEK_BEFORE = timedelta(days=7)


def queue_briefing_book(person: Person, meeting: Meeting, dedupe_key: str | None = None) -> OutboxMessage:
    """To the person's own address, and a copy to each scheduler they approved (their office)."""
    context = {"person_id": person.id, "meeting_id": meeting.id}
    own = enqueue(KIND, person.email, context, person=person, dedupe_key=dedupe_key)
    for scheduler in approved_schedulers(person.id):
        enqueue(KIND, scheduler.email, context | {"to_scheduler": True}, person=scheduler,
                dedupe_key=f"{dedupe_key}:scheduler:{scheduler.id}" if dedupe_key else None)
    return own


def build_briefing_book(msg: OutboxMessage) -> BuiltMessage:
    person = db.session.get(Person, msg.context["person_id"])
    meeting = db.session.get(Meeting, msg.context["meeting_id"])
    if person is None or meeting is None or person.erased_at is not None:
        raise LookupError("the person or the meeting of this briefing book no longer exists")
    book = briefing.briefing_book(person, meeting, with_photos=False)
    to_scheduler = bool(msg.context.get("to_scheduler"))
    if to_scheduler and msg.person_id not in {p.id for p in approved_schedulers(person.id)}:
        # The person removed this scheduler after it was queued: nothing of their book goes out.
        return BuiltMessage(subject=f"Briefing book: {meeting.name}",
                            text=render_template("email/printing/briefing_book_withdrawn.txt", book=book,
                                                 org=current_app.config["MIPEVENTS_ORG_NAME"]))
    context = {"book": book, "org": current_app.config["MIPEVENTS_ORG_NAME"], "has_pdf": not pdf.pdf_unavailable(),
               "to_scheduler": to_scheduler}
    attachments = [Attachment(f"briefing-{meeting.slug}.pdf", "application/pdf", briefing.briefing_pdf(person, meeting))] \
        if context["has_pdf"] else []
    subject = f"Briefing book of {book.person_name}: {meeting.name}" if to_scheduler else f"Your briefing book: {meeting.name}"
    return BuiltMessage(subject=subject, text=render_template("email/printing/briefing_book.txt", **context),
                        attachments=attachments)
