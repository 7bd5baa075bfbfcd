"""The registration emails (meetings and webinars): one builder per outbox kind, rendering
templates/email/registration/<kind>.txt and .html at delivery, with absolute private links and,
for webinars and meetings, the event's .ics file.

A meeting registration prefers templates/email/registration/meeting_<kind>.txt / .html when
they exist; otherwise the shared templates show meeting wording in `{% if registration.meeting %}`
blocks."""
from dataclasses import dataclass

from flask import current_app, render_template
from jinja2 import TemplateNotFound
from sqlalchemy import or_, select

from mipevents.core.database import insert_or_ignore
from mipevents.core.timeutil import utcnow
from mipevents.core.web import base_url
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BuiltMessage, enqueue
from mipevents.people import tokens
from mipevents.people.models import Person
from mipevents.people.services import normalise_email
from mipevents.registration.models import Registration
from mipevents.registration.queries import waitlist_position

KINDS = ("registration_received", "registration_repeat", "registration_promoted", "registration_cancelled",
         "registration_approved", "registration_declined", "registration_reminder", "registration_message")

# Messages to the registrant that show their personal feed's (one, stable) address.
WITH_FEED = ("registration_received", "registration_repeat", "registration_promoted", "registration_approved")

# Messages that open with the registration's status (confirmed, waitlisted with the place in line,
# awaiting approval) before anything else, so that it cannot be missed.
WITH_STATUS = ("registration_received", "registration_repeat", "registration_promoted", "registration_approved")

# Messages that carry the event's calendar file (with the join link once confirmed).
WITH_CALENDAR = ("registration_received", "registration_repeat", "registration_promoted",
                 "registration_approved", "registration_reminder")


def manage_url(token: str) -> str:
    return f"{base_url()}/manage/{token}"


def feed_url(token: str) -> str:
    return f"{base_url()}/calendar/{token}.ics"


def event_url(registration: Registration) -> str:
    if registration.webinar is not None:
        return f"{base_url()}/webinars/{registration.webinar.slug}/"
    return f"{base_url()}/meetings/{registration.meeting.slug}/"


@dataclass
class Links:
    manage: str = ""
    feed: str = ""
    event: str = ""
    remove_scheduler: str = ""


def links_at_delivery(msg, registration: Registration) -> Links | None:
    """The private links of one message, made now (the outbox row holds none): the registrant's own
    manage link and personal feed, or a scheduler's link to this one registration. None for a message
    to a scheduler who no longer manages it (nothing private goes to them)."""
    links = Links(event=event_url(registration))
    if msg.context.get("to_scheduler"):
        if registration.scheduler_person_id is None or registration.scheduler_person_id != msg.person_id:
            return None
        links.manage = manage_url(tokens.new_link(msg.person_id, "scheduler", registration.id))
        return links
    if msg.person_id is not None and msg.person_id != registration.person_id:
        return None
    links.manage = manage_url(tokens.new_link(registration.person_id, "manage", registration.id))
    if msg.kind in WITH_FEED and registration.is_active:
        links.feed = feed_url(tokens.feed_token(registration.person_id))
    if registration.scheduler_email:
        links.remove_scheduler = links.manage + "/scheduler/remove"
    return links


def _subject(kind: str, registration: Registration, context: dict) -> str:
    event = registration.event
    name = event.title if registration.webinar is not None else event.name
    status = context.get("status", registration.status)
    if kind == "registration_received":
        return {"confirmed": f"You're registered: {name}",
                "waitlisted": f"You're on the waitlist: {name}",
                "pending": f"We received your registration: {name}"}.get(status, f"Your registration: {name}")
    if kind == "registration_reminder":
        return f"Tomorrow: {name}" if context.get("lead") == "24h" else f"Starting in an hour: {name}"
    if kind == "registration_message":
        return context.get("subject") or f"About {name}"
    return {
        "registration_repeat": f"You were already registered: {name}",
        "registration_promoted": f"A seat opened up: you're registered for {name}",
        "registration_cancelled": f"Your registration is cancelled: {name}",
        "registration_approved": (f"You're registered: {name}" if status == "confirmed"
                                  else f"Approved and on the waitlist: {name}"),
        "registration_declined": f"About your registration for {name}",
    }[kind]


def template_names(kind: str, registration: Registration, extension: str) -> list[str]:
    """The meeting-specific template first when the registration is for a meeting, then the shared one."""
    names = [f"email/registration/{kind}.{extension}"]
    if registration.meeting_id is not None:
        names.insert(0, f"email/registration/meeting_{kind}.{extension}")
    return names


def _render(kind: str, registration: Registration, extension: str, values: dict) -> str:
    """The rendered part, or "" when neither template exists (an HTML part is optional)."""
    try:
        return render_template(template_names(kind, registration, extension), **values)
    except TemplateNotFound:
        if extension == "txt":
            raise
        return ""


def build_registration_message(msg, *, calendar=None) -> BuiltMessage:
    """Render one registration email from its outbox row (context: registration_id, status at
    queueing, the raw manage and feed tokens, and what the kind adds); `calendar(registration)`
    gives the event's .ics attachment for the kinds that carry it (WITH_CALENDAR)."""
    context = msg.context or {}
    registration = db.session.get(Registration, context.get("registration_id"))
    if registration is None:
        raise LookupError(f"registration {context.get('registration_id')} no longer exists")
    links = links_at_delivery(msg, registration)
    cut_off = links is None    # a scheduler removed since: the event's public page, nothing private
    links = links or Links(event=event_url(registration))
    status = context.get("status", registration.status)
    webinar = registration.webinar
    values = {
        "kind": msg.kind, "registration": registration, "event": registration.event, "webinar": webinar,
        "meeting": registration.meeting, "status": status, "links": links, "context": context,
        "to_scheduler": bool(context.get("to_scheduler")), "org_name": current_app.config["MIPEVENTS_ORG_NAME"],
        # The private join link, only to a confirmed webinar registrant.
        "join_url": webinar.join_url if webinar is not None and status == "confirmed" and not cut_off
        and registration.status == "confirmed" and not webinar.is_cancelled else "",
    }
    if msg.kind in WITH_STATUS:
        # The place in line as it is now (delivery), while the registration still waits in it.
        values["status_line"] = status_line(status, waitlist_position(registration) if status == "waitlisted" else None)
    text = _render(msg.kind, registration, "txt", values)
    html = _render(msg.kind, registration, "html", values)
    attachments = []
    if msg.kind in WITH_CALENDAR and calendar is not None and not cut_off:
        attachment = calendar(registration)
        if attachment is not None:
            attachments.append(attachment)
    return BuiltMessage(subject=_subject(msg.kind, registration, context), text=text, html=html,
                        attachments=attachments)


def status_line(status: str, position: int | None = None) -> str:
    """The status in words, as the top of the emails and of the manage page say it."""
    if status == "waitlisted":
        return f"On the waitlist, number {position} in line" if position else "On the waitlist"
    return {"confirmed": "Confirmed", "pending": "Awaiting approval by our staff", "declined": "Declined",
            "cancelled": "Cancelled"}.get(status, status)


def queue_resend(registration: Registration) -> None:
    """"Resend my confirmation": the confirmation again, with its links (made at delivery), to the
    registrant only."""
    person = registration.person
    enqueue("registration_received", registration.email or person.email,
            {"registration_id": registration.id, "status": registration.status, "resent": True}, person=person)


def queue_message(registration: Registration, subject: str, body: str, *, actor=None) -> None:
    """Staff's message to one registrant, with their own link (made at delivery)."""
    person = registration.person
    enqueue("registration_message", registration.email or person.email,
            {"registration_id": registration.id, "status": registration.status, "subject": subject,
             "body": body, "from_staff": getattr(actor, "email", "")}, person=person)


def queue_message_once(registrations: list[Registration], subject: str, body: str, *, key: str, actor=None,
                       to_schedulers: bool = False) -> int:
    """Staff's message to many registrants (and, with `to_schedulers`, a copy to each one's scheduler,
    with the scheduler's own link), queued at most once per `key` and recipient whatever happens to the
    request (a double click, a resubmitted form, two tabs): each row's dedupe key is the key, the
    registration and who it is for, and a row that exists is left alone. Returns how many were queued
    now (0 when this message already went)."""
    now = utcnow()

    def row(r: Registration, to_email: str, person_id: int | None, suffix: str, extra: dict) -> dict:
        return {"kind": "registration_message", "to_email": to_email, "person_id": person_id,
                "context": {"registration_id": r.id, "status": r.status, "subject": subject, "body": body,
                            "from_staff": getattr(actor, "email", ""), **extra},
                "dedupe_key": f"message:{key}:{r.id}{suffix}", "status": "pending", "attempts": 0,
                "next_attempt_at": now, "claimed_at": None, "last_error": "", "message_id": "", "subject": "",
                "created_at": now, "sent_at": None}
    rows = [row(r, r.email or r.person.email, r.person_id, "", {}) for r in registrations]
    if to_schedulers:
        rows += [row(r, r.scheduler_email, r.scheduler_person_id, ":scheduler", {"to_scheduler": True})
                 for r in registrations if r.scheduler_email and r.scheduler_person_id is not None]
    if not rows:
        return 0
    table = OutboxMessage.__table__
    statement = insert_or_ignore(table, ["dedupe_key"]).returning(table.c.id)
    return len(db.session.execute(statement, rows).all())


def preview_message(registration: Registration, subject: str, body: str) -> tuple[str, str]:
    """(subject, text) of staff's message as `registration` would get it, with placeholders where the
    private links go (a preview makes no link)."""
    values = {"kind": "registration_message", "registration": registration, "event": registration.event,
              "webinar": registration.webinar, "meeting": registration.meeting, "status": registration.status,
              "links": Links(manage="[their own private link]", event=event_url(registration)),
              "context": {"subject": subject, "body": body}, "to_scheduler": False,
              "org_name": current_app.config["MIPEVENTS_ORG_NAME"], "join_url": ""}
    return (_subject("registration_message", registration, {"subject": subject}),
            _render("registration_message", registration, "txt", values))


# "Email me my link" lists at most this many registrations, newest first.
LINKS_AT_MOST = 20


def _registrations_reached_by(person_id: int) -> list[Registration]:
    """The person's own registrations and those they manage as a scheduler, newest first."""
    return list(db.session.execute(
        select(Registration).where(or_(Registration.person_id == person_id, Registration.scheduler_person_id == person_id))
        .order_by(Registration.created_at.desc(), Registration.id.desc()).limit(LINKS_AT_MOST)).scalars())


def queue_links(email: str) -> bool:
    """"Email me my link": when the address belongs to someone with registrations (their own, or ones
    they manage), queue an email to that address on record with a fresh link to each (made at
    delivery). Nothing for an unknown address; the caller answers the same either way."""
    person = db.session.execute(select(Person).where(Person.email == normalise_email(email))).scalar_one_or_none()
    if person is None or not _registrations_reached_by(person.id):
        return False
    enqueue("registration_links", person.email, {"person_id": person.id}, person=person)
    return True


def build_links(msg) -> BuiltMessage:
    """The links asked for, made now: the person's own manage links and their scheduler links."""
    person = db.session.get(Person, msg.person_id) if msg.person_id is not None else None
    if person is None:
        raise LookupError("the person no longer exists")
    rows = []
    for registration in _registrations_reached_by(person.id):
        own = registration.person_id == person.id
        purpose = "manage" if own else "scheduler"
        rows.append({"registration": registration, "own": own, "event_name": (
            registration.webinar.title if registration.webinar is not None else registration.meeting.name),
            "url": manage_url(tokens.new_link(person.id, purpose, registration.id))})
    values = {"rows": rows, "org_name": current_app.config["MIPEVENTS_ORG_NAME"],
              "contact_email": current_app.config["MIPEVENTS_CONTACT_EMAIL"]}
    return BuiltMessage(subject="Your registration links", text=render_template("email/registration/links.txt", **values),
                        html=render_template("email/registration/links.html", **values))
