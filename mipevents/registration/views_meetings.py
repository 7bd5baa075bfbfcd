"""Public meeting registration: the form at /meetings/<slug>/register, its "check your email" page,
and a registrant's own session picks at /manage/<token>/sessions."""
from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from mipevents.agenda.models import AgendaItem
from mipevents.core.database import lock_row
from mipevents.core.timeutil import to_local, utcnow
from mipevents.extensions import db, limiter
from mipevents.meetings import queries
from mipevents.meetings.queries import public_meeting_or_404
from mipevents.people.models import Person
from mipevents.people.services import mint_token, resolve_token
from mipevents.registration import services, sessions
from mipevents.registration.meeting_forms import MEETING_TYPES, ChooseSessionsForm, RegisterForMeetingForm
from mipevents.registration.models import Registration

bp = Blueprint("meeting_registration", __name__)

# Sessions offered as "receptions and site visits" on the form (their ids go to Registration.extras).
EXTRA_KINDS = ("reception", "tour")


def registration_limit() -> str:
    return current_app.config["RATELIMIT_REGISTRATION"]


def extra_items(meeting_id: int) -> list[AgendaItem]:
    return list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.status == "published",
                                 AgendaItem.kind.in_(EXTRA_KINDS))
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ).scalars())


def _closed(meeting, status: int):
    state = queries.registration_state(meeting, utcnow())
    return render_template("registration/meeting_closed.html", meeting=meeting, state=state), status


def _private(response):
    """Pages behind a private link: never stored by a shared cache, never leaked in a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/meetings/<slug>/register", methods=["GET", "POST"])
@limiter.limit(registration_limit, methods=["POST"],
               error_message="Too many registrations from here. Wait a minute and try again.")
def register(slug):
    meeting = public_meeting_or_404(slug)
    if not services.is_open(meeting):
        return _closed(meeting, 409 if request.method == "POST" else 200)
    form = RegisterForMeetingForm()
    form.set_extras(extra_items(meeting.id))
    if request.method == "POST" and form.is_bot:
        return redirect(url_for(".registered", slug=meeting.slug), 303)   # looks accepted; nothing written
    if form.validate_on_submit():
        try:
            services.register(meeting, form.to_values(), source="web")
        except services.RegistrationClosed:
            db.session.rollback()
            return _closed(meeting, 409)
        db.session.commit()
        # New or repeat: the same answer; only the email says "you were already registered".
        return redirect(url_for(".registered", slug=meeting.slug), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("registration/meeting_register.html", meeting=meeting, form=form, is_full=services.seats_left(meeting) == 0,
                           approval_types=[label for value, label in MEETING_TYPES if value in (meeting.approval_roles or [])]), status


@bp.route("/meetings/<slug>/register/check-your-email")
def registered(slug):
    meeting = public_meeting_or_404(slug)
    return render_template("registration/meeting_registered.html", meeting=meeting)


def registration_for_token(token: str) -> Registration | None:
    """The meeting registration a manage link opens, or None (unknown, revoked, or a webinar's)."""
    found = resolve_token(token, "manage")
    if found is None or found.subject_id is None:
        return None
    registration = db.session.get(Registration, found.subject_id)
    if registration is None or registration.person_id != found.person_id or registration.meeting_id is None:
        return None
    return registration


def _by_day(items, zone):
    return [(day, list(group)) for day, group in groupby(items, key=lambda i: to_local(i.starts_at, zone).date())]


@bp.route("/manage/<token>/sessions", methods=["GET", "POST"])
@limiter.limit(registration_limit, methods=["POST"])
def manage_sessions(token):
    registration = registration_for_token(token)
    if registration is None:
        abort(404)
    form = ChooseSessionsForm()
    problems: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        form.sessions.choices = [(item.id, item.title) for item in sessions.choosable_items(registration.meeting_id)]
        if registration.status != "confirmed":
            status = 409
        elif form.validate_on_submit():
            try:
                sessions.set_choices(registration, form.sessions.data or [])
            except sessions.NotConfirmed:
                db.session.rollback()
                status = 409
            except sessions.ChoiceRefused as refused:
                db.session.rollback()
                problems = refused.problems
                status = 409 if refused.is_full else 422
            else:
                db.session.commit()
                flash("Your sessions are saved. Your personal calendar feed follows them.", "success")
                return redirect(url_for(".manage_sessions", token=token), 303)
        else:
            status = 422
    return _sessions_page(token, registration.id, form, problems, status)


def _sessions_page(token: str, registration_id: int, form: ChooseSessionsForm, problems: dict, status: int):
    """The picks page; after a refused save it shows what was asked, so it can be fixed."""
    # A page that shows the feed link mints one (stored hashed, so none is shown twice). The
    # lock makes this write begin as one (SQLite: BEGIN IMMEDIATE, never a failed upgrade).
    registration = db.session.get(Registration, registration_id)
    person = lock_row(Person, registration.person_id)
    feed_token = mint_token(person, "feed")
    feed_url = current_app.config["MIPEVENTS_BASE_URL"].rstrip("/") + url_for("feeds.personal_feed", token=feed_token)
    db.session.commit()   # before reading what the page shows: a commit expires what was loaded
    registration = db.session.get(Registration, registration_id)
    meeting = registration.meeting
    items = sessions.choosable_items(meeting.id)
    form.sessions.choices = [(item.id, item.title) for item in items]
    chosen = set(form.sessions.data or []) if problems or status == 422 else sessions.chosen_ids(registration)
    manage_url = url_for("registration.manage", token=token)
    response = current_app.make_response((render_template(
        "registration/meeting_sessions.html", meeting=meeting, registration=registration, form=form,
        days=_by_day(items, meeting.timezone), everyone=sessions.everyone_items(meeting.id), chosen=chosen,
        counts=sessions.taken(item.id for item in items if item.capacity is not None), problems=problems,
        feed_url=feed_url, manage_url=manage_url), status))
    return _private(response)
