"""The follow-up emails after a webinar or meeting: "thanks for joining" to those who came, "sorry we
missed you" to those who did not. Built at delivery: the recording, materials and write-ups as they
are then, and a fresh private link (purpose "survey") to the registrant's follow-up page, where the
survey, the registrants-only files and the opt-out are; List-Unsubscribe points at that opt-out."""
from flask import current_app, render_template

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import queries
from mipevents.notify.outbox import BuiltMessage
from mipevents.people.services import mint_token
from mipevents.registration.models import Registration

KINDS = ("followup_thanks", "followup_missed")
TOKEN_PURPOSE = queries.LINK_PURPOSE


def base_url() -> str:
    return current_app.config["MIPEVENTS_BASE_URL"].rstrip("/")


def _subject(kind: str, registration: Registration) -> str:
    event = registration.event
    name = event.title if registration.webinar is not None else event.name
    kinds = {m.kind for m in queries.registrant_materials(registration)} if registration.webinar is not None else set()
    has_recording = "recording" in kinds
    if kind == "followup_thanks":
        return f"Thanks for joining {name}" + ((": the recording and slides" if "file" in kinds else ": the recording")
                                               if has_recording else "")
    return f"Sorry we missed you at {name}" + (": here is the recording" if has_recording else "")


def build_followup(msg) -> BuiltMessage:
    """One follow-up from its outbox row (context: registration_id)."""
    registration = db.session.get(Registration, (msg.context or {}).get("registration_id"))
    if registration is None:
        raise LookupError(f"registration {(msg.context or {}).get('registration_id')} no longer exists")
    page = f"{base_url()}/followup/{mint_token(registration.person, TOKEN_PURPOSE, registration.id)}"
    materials = queries.registrant_materials(registration)
    surveys = queries.surveys_for(registration)
    now = utcnow()
    stories = (queries.meeting_stories(registration.meeting) if registration.meeting is not None
               else [s for s in [queries.after_event("webinar", registration.webinar_id).story] if s is not None])
    values = {
        "kind": msg.kind, "registration": registration, "event": registration.event,
        "is_webinar": registration.webinar is not None, "page": page, "base": base_url(),
        "recordings": [m for m in materials if m.kind == "recording"],
        "materials": [m for m in materials if m.kind != "recording"], "stories": stories,
        # A survey already closed asks nothing; once every one has, the link itself has closed (queries.followup_link).
        "has_survey": any(now < s.closes_at for s in surveys),
        "page_open": not surveys or any(now < s.closes_at for s in surveys),
        "org_name": current_app.config["MIPEVENTS_ORG_NAME"],
    }
    return BuiltMessage(
        subject=_subject(msg.kind, registration),
        text=render_template("email/followup/followup.txt", **values),
        html=render_template("email/followup/followup.html", **values),
        headers={"List-Unsubscribe": f"<{page}/unsubscribe>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
