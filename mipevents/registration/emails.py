"""The registration emails (meetings and webinars): one builder per outbox kind, rendering
templates/email/registration/<kind>.txt and .html at delivery, with absolute private links and,
for webinars and meetings, the event's .ics file.

A meeting registration prefers templates/email/registration/meeting_<kind>.txt / .html when
they exist; otherwise the shared templates show meeting wording in `{% if registration.meeting %}`
blocks."""
from dataclasses import dataclass

from flask import current_app, render_template
from jinja2 import TemplateNotFound

from mipevents.core.web import base_url
from mipevents.extensions import db
from mipevents.notify.outbox import BuiltMessage, enqueue
from mipevents.people.services import mint_token
from mipevents.registration.models import Registration

KINDS = ("registration_received", "registration_repeat", "registration_promoted", "registration_cancelled",
         "registration_approved", "registration_declined", "registration_reminder", "registration_message")

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
    links = Links(manage=manage_url(context["manage_token"]) if context.get("manage_token") else "",
                  feed=feed_url(context["feed_token"]) if context.get("feed_token") else "",
                  event=event_url(registration))
    status = context.get("status", registration.status)
    webinar = registration.webinar
    values = {
        "kind": msg.kind, "registration": registration, "event": registration.event, "webinar": webinar,
        "meeting": registration.meeting, "status": status, "links": links, "context": context,
        "to_scheduler": bool(context.get("to_scheduler")), "org_name": current_app.config["MIPEVENTS_ORG_NAME"],
        # The private join link, only to a confirmed webinar registrant.
        "join_url": webinar.join_url if webinar is not None and status == "confirmed"
        and registration.status == "confirmed" and not webinar.is_cancelled else "",
    }
    text = _render(msg.kind, registration, "txt", values)
    html = _render(msg.kind, registration, "html", values)
    attachments = []
    if msg.kind in WITH_CALENDAR and calendar is not None:
        attachment = calendar(registration)
        if attachment is not None:
            attachments.append(attachment)
    return BuiltMessage(subject=_subject(msg.kind, registration, context), text=text, html=html,
                        attachments=attachments)


def queue_resend(registration: Registration) -> None:
    """"Resend my confirmation": the confirmation again, with fresh links, to the registrant only."""
    person = registration.person
    enqueue("registration_received", registration.email or person.email,
            {"registration_id": registration.id, "status": registration.status, "resent": True,
             "manage_token": mint_token(person, "manage", registration.id),
             "feed_token": mint_token(person, "feed")}, person=person)


def queue_message(registration: Registration, subject: str, body: str, *, actor=None) -> None:
    """Staff's message to one registrant, with their own links."""
    person = registration.person
    enqueue("registration_message", registration.email or person.email,
            {"registration_id": registration.id, "status": registration.status, "subject": subject,
             "body": body, "from_staff": getattr(actor, "email", ""),
             "manage_token": mint_token(person, "manage", registration.id)}, person=person)
