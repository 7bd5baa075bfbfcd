"""The cohorts area's email (built at delivery from the outbox row): a new member's welcome, with the
private link to their page of the cohort's events and their personal calendar feed, both made now."""
from flask import current_app

from mipevents.cohorts.models import CohortMember
from mipevents.core.web import base_url
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BuiltMessage
from mipevents.people import tokens


def member_url(raw: str) -> str:
    return f"{base_url()}/cohort/{raw}"


def build_member_link(msg: OutboxMessage) -> BuiltMessage:
    """To a member (added by staff, or asking again after "reset my link"): their private page and feed."""
    member = db.session.get(CohortMember, msg.context.get("member_id"))
    if member is None or member.person_id != msg.person_id:
        raise LookupError("the membership no longer exists")
    cohort = member.cohort
    page = member_url(tokens.new_link(member.person_id, "member"))
    feed = f"{base_url()}/calendar/{tokens.feed_token(member.person_id)}.ics"
    opening = ("Here is a new private link to your cohort's events; the links sent before no longer work."
               if msg.context.get("reset") else
               f"You are a member of {cohort.name} ({cohort.programme.name}).")
    text = (f"Dear {member.name or 'member'},\n\n{opening}\n\n"
            f"Your cohort's meetings and webinars, with each agenda and your registrations, are on your private page:\n"
            f"{page}\n\nThey also appear in your personal calendar feed (subscribe to it in Outlook, Google or Apple "
            f"Calendar):\n{feed}\n\nKeep these links private: they are yours alone.\n\n-- \n"
            f"{current_app.config['MIPEVENTS_ORG_NAME']}\n")
    return BuiltMessage(subject=f"Your cohort: {cohort.name}", text=text)
