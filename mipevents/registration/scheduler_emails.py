"""The emails of scheduler consent, built at delivery with their links made then: to the person, "X
asked to manage your registration" (with the approval link) and "X now manages it" (with the one click
that removes them); to the scheduler, "we asked the person" (no link: the registration is theirs)."""
from flask import current_app

from mipevents.core.web import base_url
from mipevents.extensions import db
from mipevents.notify.outbox import BuiltMessage
from mipevents.people import tokens
from mipevents.people.models import SchedulerApproval
from mipevents.registration.emails import event_url, manage_url
from mipevents.registration.models import Registration


def _loaded(msg) -> tuple[Registration, str]:
    registration = db.session.get(Registration, msg.context.get("registration_id"))
    if registration is None:
        raise LookupError(f"registration {msg.context.get('registration_id')} no longer exists")
    event = registration.event
    return registration, event.title if registration.webinar_id else event.name


def _footer() -> str:
    return f"\n-- \n{current_app.config['MIPEVENTS_ORG_NAME']}\nThis link is private: please do not forward this email.\n"


def build_request(msg) -> BuiltMessage:
    """To the person: someone named themselves as their scheduler for a registration they have."""
    registration, name = _loaded(msg)
    approval = db.session.get(SchedulerApproval, msg.context.get("approval_id"))
    if approval is None:
        raise LookupError("the approval request no longer exists")
    link = f"{base_url()}/consent/{tokens.new_link(registration.person_id, 'approval', approval.id)}"
    greeting = f"Dear {registration.first_name or registration.name or 'registrant'},\n\n"
    if msg.context.get("existing"):
        # Their scheduler from before: they keep their link to this one registration, nothing more.
        text = (f"{greeting}{approval.scheduler.email} registered you for {name} and keeps a link to that one "
                "registration. They cannot see your personal calendar feed or your other registrations.\n\n"
                f"If you want {approval.scheduler.email} to manage your registrations and applications for you, "
                f"approve it with one click here:\n{link}\n\n"
                "If you do not know them, ignore this email, and remove them with the link in the email we sent "
                f"you about your registration.\n{_footer()}")
        return BuiltMessage(subject=f"Do you approve your scheduler? {name}", text=text)
    text = (f"{greeting}{approval.scheduler.email} registered your address for {name} and asked to manage your "
            "registration for you (as a scheduler or assistant would). You were already registered, so "
            "nothing has changed and they have not been given your registration.\n\n"
            f"If you want {approval.scheduler.email} to manage your registrations for you, approve it with one "
            f"click here:\n{link}\n\nIf you do not know them, ignore this email: they get nothing.\n{_footer()}")
    return BuiltMessage(subject=f"Someone asked to manage your registration: {name}", text=text)


def build_request_sent(msg) -> BuiltMessage:
    """To the scheduler: the request went to the person; nothing private."""
    registration, name = _loaded(msg)
    text = (f"Hello,\n\nYou asked to register someone for {name}:\n"
            f"{event_url(registration)}\n\nThis address was already registered, so we have asked its owner, at "
            "their own address, whether you may manage their registration. If they approve, we will email "
            f"you a link to it.\n\n-- \n{current_app.config['MIPEVENTS_ORG_NAME']}\n")
    return BuiltMessage(subject=f"We asked the person to approve you: {name}", text=text)


def build_added(msg) -> BuiltMessage:
    """To the person: a scheduler they approved now manages this registration; one click removes them."""
    registration, name = _loaded(msg)
    if not registration.scheduler_email:
        raise LookupError("the registration has no scheduler any more")
    manage = manage_url(tokens.new_link(registration.person_id, "manage", registration.id))
    text = (f"Dear {registration.first_name or registration.name or 'registrant'},\n\n"
            f"{registration.scheduler_email} now manages your registration for {name}, as you approved.\n\n"
            f"Remove this scheduler (one click):\n{manage}/scheduler/remove\n\n"
            f"Your registration:\n{manage}\n{_footer()}")
    return BuiltMessage(subject=f"Your scheduler for {name}", text=text)
