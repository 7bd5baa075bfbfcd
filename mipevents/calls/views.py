"""Public pages of the calls area: open calls, one call, its application form, and the applicant's
private page."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mipevents.calls import queries, services, states
from mipevents.calls.deadlines import deadline_wording
from mipevents.calls.forms import form_for_call
from mipevents.calls.models import APPLICATION_STATUSES, POPULATION_BANDS
from mipevents.core.forms import Form
from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
from mipevents.core.web import asked_then_done, configured_limit
from mipevents.extensions import db, limiter

bp = Blueprint("calls", __name__)


def _call_or_404(slug):
    call = queries.public_call(slug)
    if call is None:
        abort(404)
    return call


@bp.route("/calls/")
def list_calls():
    now = utcnow()
    # "6 days left" moves with the clock: the cached page is keyed by the minute.
    key = ("calls.list_calls", now.strftime("%Y-%m-%dT%H:%M"))

    def build():
        calls = queries.public_calls(now)
        return render_template("calls/list_calls.html", calls=calls, now=now, wording=deadline_wording)
    return cached_response(key, queries.calls_version(), build)


@bp.route("/calls/<slug>/")
def show_call(slug):
    now = utcnow()
    key = ("calls.show_call", slug, now.strftime("%Y-%m-%dT%H:%M"))

    def build():
        call = _call_or_404(slug)
        return render_template("calls/show_call.html", call=call, now=now, wording=deadline_wording,
                               is_open=call.is_open(now))
    return cached_response(key, queries.calls_version(), build)


@bp.route("/calls/<slug>/apply", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
def apply(slug):
    call = _call_or_404(slug)
    now = utcnow()
    try:
        services.check_open(call, now)
    except services.CallClosed as closed:
        return render_template("calls/closed.html", call=call, message=str(closed)), 409 if request.method == "POST" else 200
    form = form_for_call(call)
    form.submitting = request.form.get("action") == "submit"
    status = 200
    if request.method == "POST":
        if form.website.data:
            # A bot filled the honeypot: answer as for a person, write nothing.
            return redirect(url_for(".applied", slug=call.slug))
        if form.validate():
            try:
                services.apply(call, form.to_values(), submit=form.submitting, now=now)
            except services.CallClosed as closed:
                db.session.rollback()
                return render_template("calls/closed.html", call=call, message=str(closed)), 409
            except states.InvalidTransition:
                db.session.rollback()
                # Decided applications cannot change; to a stranger this looks the same as a save.
                return redirect(url_for(".applied", slug=call.slug))
            db.session.commit()
            return redirect(url_for(".applied", slug=call.slug))
        status = 422
    return render_template("calls/apply.html", call=call, form=form, bands=POPULATION_BANDS, now=now,
                           wording=deadline_wording), status


@bp.route("/calls/<slug>/applied")
def applied(slug):
    call = _call_or_404(slug)
    return render_template("calls/applied.html", call=call)


def _application_or_404(token):
    application = services.application_for_token(token)
    if application is None or application.call.status != "published":
        abort(404)
    return application


def _is_owners_link(token) -> bool:
    opened = services.application_link(token)
    return opened is not None and opened[1]


@bp.route("/calls/application/<token>", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
def application(token):
    application = _application_or_404(token)
    call = application.call
    now = utcnow()
    editable = call.is_open(now) and application.status in ("draft", "submitted", "shortlisted", "withdrawn") \
        and application.decision_released_at is None
    form = form_for_call(call, application=application)
    form.submitting = request.form.get("action") == "submit" or application.status in ("submitted", "shortlisted")
    status = 200
    if request.method == "POST":
        if not editable:
            return render_template("calls/closed.html", call=call,
                                   message=_closed_message(call, application, now)), 409
        form.email.data = application.email      # the email is the application's identity
        if not _is_owners_link(token):           # only the mayor's own link changes who their scheduler is
            form.scheduler_email.data = application.scheduler_email
        if form.validate():
            try:
                _, event = services.apply(call, form.to_values(), submit=form.submitting, now=now,
                                          application=application)
            except (services.CallClosed, states.InvalidTransition) as problem:
                db.session.rollback()
                return render_template("calls/closed.html", call=call, message=str(problem)), 409
            db.session.commit()
            flash({"saved": "Your draft is saved. Submit it before the deadline.",
                   "submitted": "Your application is submitted. We emailed a confirmation.",
                   "updated": "Your changes are saved."}[event], "success")
            return redirect(url_for(".application", token=token))
        status = 422
    return render_template("calls/application.html", call=call, application=application, form=form, token=token,
                           editable=editable, now=now, wording=deadline_wording, statuses=APPLICATION_STATUSES,
                           closed_message=None if editable else _closed_message(call, application, now)), status


def _closed_message(call, application, now):
    if application.decision_released_at is not None:
        return "A decision on this application has been sent, so it can no longer be changed."
    if application.status in states.DECIDED:
        return "This application is being decided and can no longer be changed."
    try:
        services.check_open(call, now)
    except services.CallClosed as closed:
        return str(closed)
    return "This application can no longer be changed."


@bp.route("/calls/application/<token>/withdraw", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def withdraw(token):
    application = _application_or_404(token)
    try:
        services.withdraw(application)
    except states.InvalidTransition as problem:
        db.session.rollback()
        return render_template("calls/closed.html", call=application.call, message=str(problem).capitalize() + "."), 409
    db.session.commit()
    flash("Your application is withdrawn. You can submit it again until the deadline.", "success")
    return redirect(url_for(".application", token=token))


@bp.route("/calls/application/<token>/reset-link", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def reset_link(token):
    """Cut off every link to this application (one was forwarded?) and email the mayor a new one."""
    application = _application_or_404(token)
    if not _is_owners_link(token):
        abort(404)
    services.reset_link(application)
    db.session.commit()
    return render_template("calls/link_reset.html", call=application.call)


@bp.route("/calls/application/<token>/scheduler/remove", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
def remove_scheduler(token):
    """The mayor's one click (from the email that told her) that removes her application's scheduler: a
    GET asks, the POST removes (so a mail scanner opening the link changes nothing)."""
    application = _application_or_404(token)
    if not _is_owners_link(token):
        abort(404)
    form = Form()
    return asked_then_done(
        form, lambda: services.remove_scheduler(application),
        done="The scheduler is removed: their link no longer opens your application.",
        back=url_for(".application", token=token), needed=bool(application.scheduler_email),
        ask=lambda: render_template("calls/remove_scheduler.html", application=application, token=token, form=form))
