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
from mipevents.people.models import SchedulerApproval
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
        # An accepted cohort member's private page of the cohort's events (a cohort-only event is
        # reached through it alone).
        "member_url": f"{base_url()}/cohort/{tokens.new_link(application.person_id, 'member')}"
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
            "approved": "You may now follow the application",
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


def _footer() -> str:
    return f"\n-- \n{current_app.config['MIPEVENTS_ORG_NAME']}\nThis link is private: please do not forward this email.\n"


def build_scheduler_request(msg: OutboxMessage) -> BuiltMessage:
    """To the mayor, on its own: someone asked to act for her on her application; one click approves
    (the approval link, made now)."""
    application = db.session.get(Application, msg.context.get("application_id"))
    approval = db.session.get(SchedulerApproval, msg.context.get("approval_id"))
    if application is None or approval is None or approval.person_id != application.person_id:
        raise LookupError("the application or the approval request no longer exists")
    link = f"{base_url()}/consent/{tokens.new_link(application.person_id, 'approval', approval.id)}"
    call = application.call
    if msg.context.get("existing"):
        # Their scheduler from before: they keep their link to this one application, nothing more.
        text = (f"Dear {application.mayor_name or 'applicant'},\n\n"
                f"{approval.scheduler.email} applied for you to \"{call.title}\" and keeps a link to that one "
                "application. They cannot see your other applications or registrations.\n\n"
                f"If you want {approval.scheduler.email} to act for you on your applications and registrations, "
                f"approve it with one click here:\n{link}\n\n"
                "If you do not know them, remove them from your application's page (the link we sent you).\n"
                f"{_footer()}")
        return BuiltMessage(subject=f"Do you approve your scheduler? {call.short_title}", text=text)
    text = (f"Dear {application.mayor_name or 'applicant'},\n\n"
            f"{approval.scheduler.email} sent the form of \"{call.title}\" for your address and asked to act for "
            "you on your application (as a scheduler or assistant would). You already have an application, so "
            "nothing has changed and they have been given nothing of it.\n\n"
            f"If you want {approval.scheduler.email} to follow and change your application for you, approve it "
            f"with one click here:\n{link}\n\n"
            "If you do not know them, ignore this email: they get nothing, and you can still remove anyone "
            f"later from your application's page.\n{_footer()}")
    return BuiltMessage(subject=f"Someone asked to act for you: {call.short_title}", text=text)


def build_scheduler_added(msg: OutboxMessage) -> BuiltMessage:
    """To the mayor: the scheduler she approved now follows her application; one click removes them."""
    application = db.session.get(Application, msg.context.get("application_id"))
    if application is None or not application.scheduler_email:
        raise LookupError("the application has no scheduler any more")
    if msg.person_id is not None and msg.person_id != application.person_id:
        raise LookupError("this application belongs to someone else")
    own = application_url(tokens.new_link(application.person_id, "application", application.id))
    text = (f"Dear {application.mayor_name or 'applicant'},\n\n"
            f"{application.scheduler_email} now follows and may change your application to "
            f"\"{application.call.title}\", as you approved.\n\n"
            f"Remove this scheduler (one click):\n{own}/scheduler/remove\n\n"
            f"Your application:\n{own}\n{_footer()}")
    return BuiltMessage(subject=f"Your scheduler for {application.call.short_title}", text=text)
