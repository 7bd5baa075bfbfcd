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


def _context(msg: OutboxMessage) -> dict:
    application = db.session.get(Application, msg.context["application_id"])
    if application is None:
        raise LookupError(f"application {msg.context['application_id']} no longer exists")
    call = application.call
    token = msg.context.get("link_token")
    feed_token = msg.context.get("feed_token")
    return {
        "application": application, "call": call, "call_url": call_url(call),
        "link": application_url(token) if token else "", "home": base_url() + "/",
        "feed_url": f"{base_url()}/calendar/{feed_token}.ics" if feed_token else "",
        "deadline": local_moment(call.deadline_at, call.timezone, utcnow()),
        "to_scheduler": msg.context.get("to_scheduler", False), "org": current_app.config["MIPEVENTS_ORG_NAME"],
        **{k: v for k, v in msg.context.items() if k not in ("application_id", "link_token", "feed_token")},
    }


def _built(template: str, subject: str, context: dict) -> BuiltMessage:
    return BuiltMessage(subject=subject,
                        text=render_template(f"email/calls/{template}.txt", **context),
                        html=render_template(f"email/calls/{template}.html", **context))


def build_application(msg: OutboxMessage) -> BuiltMessage:
    ctx = _context(msg)
    event = ctx.get("event", "saved")
    what = {"saved": "Your application is saved — finish it by the deadline",
            "submitted": "We received your application", "updated": "Your application",
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
