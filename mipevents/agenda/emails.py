"""The agenda's emails to speakers (built at delivery from the outbox row): the invitation to a role on
a session, a showcase slot or a webinar, and its reminders (staff's one click, and the one after a week without a reply), each with
its copy to the speaker's approved schedulers."""
from flask import current_app, render_template

from mipevents.agenda.invitations import PURPOSE, Invited, invitation_url, is_approved_scheduler
from mipevents.agenda.models import Invitation
from mipevents.core.timeutil import format_day, format_time, to_local
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BuiltMessage
from mipevents.people import tokens


def build_invitation(msg: OutboxMessage, invitation: Invitation, what: Invited) -> BuiltMessage:
    """The invitation's email (workflows.invitations.build_email finds `what` it is to)."""
    event = msg.context.get("event", "invited")
    speaker = invitation.speaker
    to_scheduler = bool(msg.context.get("to_scheduler"))
    if not to_scheduler:
        link = invitation_url(tokens.new_link(speaker.person_id, PURPOSE, invitation.id))
    elif is_approved_scheduler(speaker.person_id, msg.person_id):
        link = invitation_url(tokens.new_link(msg.person_id, PURPOSE, invitation.id))
    else:
        link = ""       # the speaker removed this scheduler meanwhile: nothing private goes to them
    zone = what.zone
    context = {
        "invitation": invitation, "speaker": speaker, "what": what, "to_scheduler": to_scheduler,
        "role": what.role, "event": event, "link": link,
        "when": f"{format_day(to_local(what.starts_at, zone).date())}, "
                f"{format_time(what.starts_at, zone, with_zone=False)}–{format_time(what.ends_at, zone)}",
        "org": current_app.config["MIPEVENTS_ORG_NAME"],
    }
    prefix = "Invitation to speak" if event == "invited" else "Reminder: will you speak"
    if to_scheduler:
        prefix = f"For {speaker.display_name}: " + ("invitation to speak" if event == "invited" else "will they speak")
    where = what.event_name if what.meeting is not None else "webinar"
    subject = f"{prefix}: {what.title}, {where}" + ("" if event == "invited" else "?")
    return BuiltMessage(subject=subject, text=render_template("email/agenda/invitation.txt", **context),
                        html=render_template("email/agenda/invitation.html", **context))
