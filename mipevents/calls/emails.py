"""The calls area's emails (built at delivery from the outbox row): the private link after saving or
submitting, reminders to finish a draft, and the decision."""
from flask import current_app, render_template

from mipevents.calls.deadlines import local_moment
from mipevents.calls.models import Application
from mipevents.calls.queries import application_url, call_url
from mipevents.core.timeutil import utcnow
from mipevents.core.web import base_url
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BuiltMessage
from mipevents.people import tokens
from mipevents.people.services import normalise_email


def _context(msg: OutboxMessage) -> dict:
    application = db.session.get(Application, msg.context["application_id"])
    if application is None:
        raise LookupError(f"application {msg.context['application_id']} no longer exists")
    call = application.call
    to_scheduler = bool(msg.context.get("to_scheduler"))
    return {
        "application": application, "call": call, "call_url": call_url(call),
        "link": _link(msg, application, to_scheduler), "home": base_url() + "/",
        "feed_url": f"{base_url()}/calendar/{tokens.feed_token(application.person_id)}.ics"
        if msg.context.get("with_feed") and not to_scheduler else "",
        "deadline": local_moment(call.deadline_at, call.timezone, utcnow()),
        "to_scheduler": to_scheduler, "org": current_app.config["MIPEVENTS_ORG_NAME"],
        **{k: v for k, v in msg.context.items() if k not in ("application_id", "with_link", "with_feed")},
    }


def _link(msg: OutboxMessage, application: Application, to_scheduler: bool) -> str:
    """The message's private link, made now (the outbox row holds none): the mayor's own, or the link
    of the scheduler who made the application (to it alone, while they are still its scheduler)."""
    if not msg.context.get("with_link"):
        return ""
    if not to_scheduler:
        return application_url(tokens.new_link(application.person_id, "application", application.id))
    if msg.person_id is None or normalise_email(application.scheduler_email) != normalise_email(msg.to_email):
        return ""
    return application_url(tokens.new_link(msg.person_id, "scheduler_app", application.id))


def _built(template: str, subject: str, context: dict) -> BuiltMessage:
    return BuiltMessage(subject=subject,
                        text=render_template(f"email/calls/{template}.txt", **context),
                        html=render_template(f"email/calls/{template}.html", **context))


def build_application(msg: OutboxMessage) -> BuiltMessage:
    ctx = _context(msg)
    event = ctx.get("event", "saved")
    what = {"saved": "Your application is saved — finish it by the deadline",
            "submitted": "We received your application", "updated": "Your application",
            "again": "Your application", "asked": "We asked the mayor",
            "link": "Your new private link"}[event]
    return _built("application", f"{what}: {ctx['call'].short_title}", ctx)


def build_reminder(msg: OutboxMessage) -> BuiltMessage:
    ctx = _context(msg)
    when = "one week" if ctx.get("which") == "week" else "one day"
    return _built("reminder", f"{when.capitalize()} left to submit: {ctx['call'].short_title}", ctx)


def build_decision(msg: OutboxMessage) -> BuiltMessage:
    ctx = _context(msg)
    prefix = "Accepted" if ctx["decision"] == "accepted" else "Your application"
    subject = f"{prefix}: {ctx['call'].short_title}"
    return _built("decision", subject, ctx)
