"""A fresh follow-up link on request ("email me my link" for the follow-up page): sent only to the
address on record, for each registration that was sent a follow-up link whose survey is still open
(an expired link stays expired); the same answer whether or not the address is known."""
from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import select

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup.queries import LINK_PURPOSE, link_expires_at
from mipevents.notify.outbox import BuiltMessage, enqueue
from mipevents.people.models import Person, Token
from mipevents.people.services import mint_token, normalise_email
from mipevents.registration.models import Registration

KIND = "followup_link"


def is_still_open(registration: Registration, now: datetime) -> bool:
    """Whether a follow-up link of this registration would open now (no survey, or one still open)."""
    closes = link_expires_at(registration)
    return closes is None or now < closes


def reachable(person_id: int, now: datetime) -> list[Registration]:
    """The person's own registrations that were sent a follow-up link (live or withdrawn) and whose
    surveys are still open."""
    registrations = db.session.execute(
        select(Registration).where(Registration.person_id == person_id, Registration.id.in_(
            select(Token.subject_id).where(Token.person_id == person_id, Token.purpose == LINK_PURPOSE)))
        .order_by(Registration.id)).scalars().all()
    return [r for r in registrations if is_still_open(r, now)]


def queue_fresh_links(email: str, now: datetime) -> bool:
    """Queue the email with fresh links (made at delivery) to the address on record when it has any
    to get; nothing otherwise. The caller answers the same either way."""
    person = db.session.execute(select(Person).where(Person.email == normalise_email(email))).scalar_one_or_none()
    if person is None or not reachable(person.id, now):
        return False
    enqueue(KIND, person.email, {"person_id": person.id}, person=person)
    return True


def build_fresh_links(msg) -> BuiltMessage:
    """The links asked for, made now (a survey that closed meanwhile gets none)."""
    person = db.session.get(Person, msg.person_id) if msg.person_id is not None else None
    if person is None:
        raise LookupError("the person no longer exists")
    base = current_app.config["MIPEVENTS_BASE_URL"].rstrip("/")
    rows = [{"event_name": r.webinar.title if r.webinar is not None else r.meeting.name,
             "url": f"{base}/followup/{mint_token(person, LINK_PURPOSE, r.id)}"} for r in reachable(person.id, utcnow())]
    values = {"rows": rows, "org_name": current_app.config["MIPEVENTS_ORG_NAME"],
              "contact_email": current_app.config["MIPEVENTS_CONTACT_EMAIL"]}
    return BuiltMessage(subject="Your follow-up link", text=render_template("email/followup/fresh_links.txt", **values),
                        html=render_template("email/followup/fresh_links.html", **values))
