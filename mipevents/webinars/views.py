"""Public webinar pages: the list, one webinar (with its live seat count, so never from a shared
cache), and the registration form."""
from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for

from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db, limiter
from mipevents.registration import services as registration
from mipevents.registration.forms import PRIVACY_NOTICE, RegisterWebinarForm
from mipevents.webinars import services

bp = Blueprint("webinars", __name__)


def registration_limit() -> str:
    return current_app.config["RATELIMIT_REGISTRATION"]


@bp.route("/webinars/")
def list_webinars():
    now = utcnow()
    minute = now.strftime("%Y-%m-%dT%H:%M")   # "upcoming" depends on the clock
    return cached_response(("webinars", minute), services.list_version(),
                           lambda: render_template("webinars/list_webinars.html",
                                                   lists=services.public_webinars(now), now=now))


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/webinars/<slug>/")
def show_webinar(slug):
    webinar = services.public_webinar_or_404(slug)
    now = utcnow()
    is_open = registration.is_open(webinar, now)
    seats = registration.seats_left(webinar) if is_open else None
    return _no_store(make_response(render_template(
        "webinars/show_webinar.html", webinar=webinar, is_open=is_open, seats_left=seats,
        is_past=webinar.ends_at < now)))


def _closed(webinar, status):
    return _no_store(make_response(render_template("webinars/closed.html", webinar=webinar), status))


@bp.route("/webinars/<slug>/register", methods=["GET", "POST"])
@limiter.limit(registration_limit, methods=["POST"])
def register(slug):
    webinar = services.public_webinar_or_404(slug)
    if not registration.is_open(webinar):
        return _closed(webinar, 409 if request.method == "POST" else 200)
    form = RegisterWebinarForm()
    if request.method == "POST" and form.is_bot:
        # Looks like success to the bot; nothing is written and nobody is emailed.
        return redirect(url_for(".registered", slug=webinar.slug), 303)
    if form.validate_on_submit():
        try:
            registration.register(webinar, form.to_values(), source="web")
        except registration.RegistrationClosed:
            db.session.rollback()
            return _closed(webinar, 409)
        db.session.commit()
        # New or repeat: the same answer; only the email says "you were already registered".
        return redirect(url_for(".registered", slug=webinar.slug), 303)
    status = 422 if request.method == "POST" else 200
    return _no_store(make_response(render_template(
        "webinars/register.html", webinar=webinar, form=form, privacy_notice=PRIVACY_NOTICE), status))


@bp.route("/webinars/<slug>/register/thanks")
def registered(slug):
    webinar = services.public_webinar_or_404(slug)
    return render_template("webinars/registered.html", webinar=webinar)
