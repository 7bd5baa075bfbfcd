"""The agenda's emails to speakers (built at delivery from the outbox row): the invitation to a role on
a session, and its reminders (staff's one click, and the one after a week without a reply), each with
its copy to the speaker's approved schedulers."""
from flask import current_app, render_template

from mipevents.agenda.invitations import PURPOSE, invitation_url, is_approved_scheduler
from mipevents.agenda.models import Invitation
from mipevents.core.timeutil import format_day, format_time, to_local
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BuiltMessage
from mipevents.people import tokens


def build_invitation(msg: OutboxMessage) -> BuiltMessage:
    invitation = db.session.get(Invitation, msg.context["invitation_id"])
    if invitation is None:
        raise LookupError(f"invitation {msg.context['invitation_id']} no longer exists")
    item = invitation.link.item
    meeting = item.meeting
    event = msg.context.get("event", "invited")
    speaker = invitation.link.speaker
    to_scheduler = bool(msg.context.get("to_scheduler"))
    if not to_scheduler:
        link = invitation_url(tokens.new_link(speaker.person_id, PURPOSE, invitation.id))
    elif is_approved_scheduler(speaker.person_id, msg.person_id):
        link = invitation_url(tokens.new_link(msg.person_id, PURPOSE, invitation.id))
    else:
        link = ""       # the speaker removed this scheduler meanwhile: nothing private goes to them
    context = {
        "invitation": invitation, "speaker": speaker, "item": item, "meeting": meeting, "to_scheduler": to_scheduler,
        "role": invitation.link.role, "event": event, "link": link,
        "when": f"{format_day(to_local(item.starts_at, meeting.timezone).date())}, "
                f"{format_time(item.starts_at, meeting.timezone, with_zone=False)}–{format_time(item.ends_at, meeting.timezone)}",
        "room": item.room.name if item.room else "", "org": current_app.config["MIPEVENTS_ORG_NAME"],
    }
    prefix = "Invitation to speak" if event == "invited" else "Reminder: will you speak"
    if to_scheduler:
        prefix = f"For {speaker.display_name}: " + ("invitation to speak" if event == "invited" else "will they speak")
    subject = f"{prefix}: {item.title}, {meeting.name}" + ("" if event == "invited" else "?")
    return BuiltMessage(subject=subject, text=render_template("email/agenda/invitation.txt", **context),
                        html=render_template("email/agenda/invitation.html", **context))
