"""Registration's public pages: signing up for a meeting or a webinar and the pages that answer it.
The registrant's private pages (manage link, session picks, schedulers, consent) are in manage.py, on
this same blueprint."""
import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from mipevents.agenda.models import AgendaItem
from mipevents.core.email_typos import hint_data
from mipevents.core.timeutil import utcnow
from mipevents.core.web import configured_limit, private_page
from mipevents.extensions import db, limiter
from mipevents.meetings import queries as meeting_queries
from mipevents.meetings.queries import public_meeting_or_404
from mipevents.registration import queries, services
from mipevents.registration.forms import (
    MEETING_TYPES,
    PRIVACY_NOTICE,
    RegisterForMeetingForm,
    RegisterWebinarForm,
)
from mipevents.webinars import services as webinars

bp = Blueprint("registration", __name__)

# Sessions offered as "receptions and site visits" on the form (their ids go to Registration.extras).
EXTRA_KINDS = ("reception", "tour")


def extra_items(meeting_id: int) -> list[AgendaItem]:
    return list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.status == "published",
                                 AgendaItem.kind.in_(EXTRA_KINDS))
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ).scalars())


# ------------------------------------------------------------------------------------------ signing up

def _meeting_closed(meeting, status: int):
    state = meeting_queries.registration_state(meeting, utcnow())
    return render_template("registration/meeting_closed.html", meeting=meeting, state=state), status


# What the confirmation page shows of the form just sent (the address, and the answers that "wrong
# address? fix it" puts back into the form): kept in this browser's own signed session for a short
# while, never in the database, and the same whether the address was new or already registered.
SENT_KEY = "registration_sent"
SENT_FOR = timedelta(minutes=20)
SENT_MAX_CHARS = 1500                 # the session is a cookie: long answers are not kept for the refill
LONG_ANSWERS = ("dietary_needs", "accessibility_needs", "question")


def _remember_sent(kind: str, event_id: int, values: dict) -> None:
    kept = {key: value for key, value in values.items() if key not in ("consent", "source")}
    if len(json.dumps(kept)) > SENT_MAX_CHARS:
        kept = {key: value for key, value in kept.items() if key not in LONG_ANSWERS}
        kept["long_answers_dropped"] = True
    session[SENT_KEY] = {"event": f"{kind}:{event_id}", "at": utcnow().isoformat(), "values": kept}


def _sent(kind: str, event_id: int) -> dict | None:
    """The answers this browser sent to this event's form in the last SENT_FOR, else None."""
    sent = session.get(SENT_KEY)
    if not isinstance(sent, dict) or sent.get("event") != f"{kind}:{event_id}":
        return None
    try:
        at = datetime.fromisoformat(sent["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if utcnow() - at > SENT_FOR:
        session.pop(SENT_KEY, None)
        return None
    return sent.get("values") or None


def _refill(form, kind: str, event_id: int) -> bool:
    """"Wrong address? Fix it": the form filled again with what was sent (nothing is changed by it)."""
    values = _sent(kind, event_id)
    if values is None:
        return False
    for name, value in values.items():
        if name in form and name not in ("csrf_token", "website", "email_choice"):
            form[name].data = value
    if kind == "meeting" and "role" in values:
        form.type.data = values["role"]
    form.long_answers_dropped = bool(values.get("long_answers_dropped"))
    return True


def meeting_day_links(meeting) -> dict:
    """Add the meeting's days (all-day) to Google Calendar or Outlook: no private detail in them."""
    first, after = meeting.starts_on, meeting.ends_on + timedelta(days=1)
    details = f"{current_app.config['MIPEVENTS_BASE_URL'].rstrip('/')}/meetings/{meeting.slug}/"
    location = ", ".join(p for p in (meeting.venue, meeting.location) if p)
    outlook = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": meeting.name,
                         "startdt": first.isoformat(), "enddt": after.isoformat(), "allday": "true",
                         "body": details, "location": location})
    return {"google": "https://calendar.google.com/calendar/render?" + urlencode({
                "action": "TEMPLATE", "text": meeting.name, "dates": f"{first:%Y%m%d}/{after:%Y%m%d}",
                "ctz": meeting.timezone, "details": details, "location": location}),
            "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + outlook,
            "office365": "https://outlook.office.com/calendar/0/deeplink/compose?" + outlook}


@bp.route("/meetings/<slug>/register", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"],
               error_message="Too many registrations from here. Wait a minute and try again.")
def register_for_meeting(slug):
    meeting = public_meeting_or_404(slug)
    if not services.is_open(meeting):
        return _meeting_closed(meeting, 409 if request.method == "POST" else 200)
    form = RegisterForMeetingForm()
    form.check_typos = True
    form.set_extras(extra_items(meeting.id))
    if request.method == "POST" and form.is_bot:
        return redirect(url_for(".meeting_registered", slug=meeting.slug), 303)   # looks accepted; nothing written
    refilled = request.method == "GET" and request.args.get("fix") == "1" and _refill(form, "meeting", meeting.id)
    if form.validate_on_submit():
        values = form.to_values()
        try:
            services.register(meeting, values, source="web")
        except services.RegistrationClosed:
            db.session.rollback()
            return _meeting_closed(meeting, 409)
        db.session.commit()
        _remember_sent("meeting", meeting.id, values)
        # New or repeat: the same answer; only the email says "you were already registered".
        return redirect(url_for(".meeting_registered", slug=meeting.slug), 303)
    status = 422 if request.method == "POST" else 200
    response = make_response(render_template(
        "registration/meeting_register.html", meeting=meeting, form=form, is_full=queries.seats_left(meeting) == 0,
        refilled=refilled, typo_hints=hint_data(),
        approval_types=[label for value, label in MEETING_TYPES if value in (meeting.approval_roles or [])]), status)
    # Never stored (it may hold the answers sent, filled in again), but left to search engines.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/meetings/<slug>/register/check-your-email")
def meeting_registered(slug):
    meeting = public_meeting_or_404(slug)
    sent = _sent("meeting", meeting.id) or {}
    return private_page(make_response(render_template(
        "registration/meeting_registered.html", meeting=meeting, sent=sent, day_links=meeting_day_links(meeting),
        needs_approval=sent.get("role") in (meeting.approval_roles or []),
        is_full=queries.seats_left(meeting) == 0)))


def _webinar_closed(webinar, status):
    return private_page(make_response(render_template("registration/webinar_closed.html", webinar=webinar), status))


@bp.route("/webinars/<slug>/register", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
def register_for_webinar(slug):
    webinar = webinars.public_webinar_or_404(slug)
    if not services.is_open(webinar):
        return _webinar_closed(webinar, 409 if request.method == "POST" else 200)
    form = RegisterWebinarForm()
    form.check_typos = True
    if request.method == "POST" and form.is_bot:
        # Looks like success to the bot; nothing is written and nobody is emailed.
        return redirect(url_for(".webinar_registered", slug=webinar.slug), 303)
    refilled = request.method == "GET" and request.args.get("fix") == "1" and _refill(form, "webinar", webinar.id)
    if form.validate_on_submit():
        values = form.to_values()
        try:
            services.register(webinar, values, source="web")
        except services.RegistrationClosed:
            db.session.rollback()
            return _webinar_closed(webinar, 409)
        db.session.commit()
        _remember_sent("webinar", webinar.id, values)
        # New or repeat: the same answer; only the email says "you were already registered".
        return redirect(url_for(".webinar_registered", slug=webinar.slug), 303)
    status = 422 if request.method == "POST" else 200
    return private_page(make_response(render_template(
        "registration/webinar_register.html", webinar=webinar, form=form, privacy_notice=PRIVACY_NOTICE,
        refilled=refilled, typo_hints=hint_data()), status))


@bp.route("/webinars/<slug>/register/thanks")
def webinar_registered(slug):
    webinar = webinars.public_webinar_or_404(slug)
    return private_page(make_response(render_template(
        "registration/webinar_registered.html", webinar=webinar, sent=_sent("webinar", webinar.id) or {},
        is_full=queries.seats_left(webinar) == 0)))
