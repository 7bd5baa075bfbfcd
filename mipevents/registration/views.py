"""A registrant's private page, reached only through their manage token: see their registration and
waitlist place, update details, cancel (with a confirmation step), resend the confirmation, get
their personal calendar link, reset their links. Works for meeting and webinar registrations."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for

from mipevents.extensions import db, limiter
from mipevents.people.services import mint_token, reset_token, resolve_token
from mipevents.registration import emails, services
from mipevents.registration.forms import ConfirmForm, UpdateDetailsForm
from mipevents.registration.models import Registration

bp = Blueprint("registration", __name__)


def registration_for_token(raw: str) -> Registration:
    """The registration a live manage token opens, else 404 (unknown, revoked, or not theirs)."""
    token = resolve_token(raw, "manage")
    if token is None or token.subject_id is None:
        abort(404)
    registration = db.session.get(Registration, token.subject_id)
    if registration is None or registration.person_id != token.person_id:
        abort(404)
    return registration


def _private(response):
    """The page carries a secret link: no caching anywhere, no referrer, no indexing."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _manage_page(token, registration, form=None, status=200):
    feed_url = None
    if registration.is_active:
        # A page that shows the feed link mints one (tokens are stored hashed: none is shown twice).
        feed_url = emails.feed_url(mint_token(registration.person, "feed"))
    db.session.commit()
    return _private(make_response(render_template(
        "registration/manage.html", token=token, registration=registration, event=registration.event,
        position=services.waitlist_position(registration), feed_url=feed_url,
        manage_url=emails.manage_url(token),
        form=form or UpdateDetailsForm(obj=registration), confirm=ConfirmForm(),
        can_change=registration.is_active), status))


@bp.route("/manage/<token>")
def manage(token):
    registration = registration_for_token(token)
    return _manage_page(token, registration)


@bp.route("/manage/<token>/details", methods=["POST"])
def update_details(token):
    registration = registration_for_token(token)
    if not registration.is_active:
        abort(409, "This registration is cancelled: register again from the event's page.")
    form = UpdateDetailsForm()
    if not form.validate_on_submit():
        return _manage_page(token, registration, form=form, status=422)
    services.update_details(registration, form.to_values())
    db.session.commit()
    flash("Your details are saved.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.route("/manage/<token>/cancel", methods=["GET", "POST"])
def cancel(token):
    registration = registration_for_token(token)
    if not registration.is_active:
        flash("This registration is already cancelled.", "warning")
        return redirect(url_for(".manage", token=token), 303)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.cancel(registration)
        except services.NotAllowed:
            db.session.rollback()
            flash("This registration is already cancelled.", "warning")
            return redirect(url_for(".manage", token=token), 303)
        db.session.commit()
        flash("Your registration is cancelled. We have sent you an email to confirm it.", "success")
        return redirect(url_for(".manage", token=token), 303)
    return _private(make_response(render_template(
        "registration/cancel.html", token=token, registration=registration, event=registration.event,
        form=form), 422 if request.method == "POST" else 200))


def resend_limit() -> str:
    return current_app.config["RATELIMIT_REGISTRATION"]


@bp.route("/manage/<token>/resend", methods=["POST"])
@limiter.limit(resend_limit)
def resend(token):
    registration = registration_for_token(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    emails.queue_resend(registration)
    db.session.commit()
    flash(f"We have sent your confirmation again to {registration.email or registration.person.email}.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.route("/manage/<token>/reset", methods=["POST"])
def reset_links(token):
    """Revoke every manage link of this registration and every personal feed link of the person;
    the new manage link is this page's new address, and it is emailed too."""
    registration = registration_for_token(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    new_token = reset_token(registration.person, "manage", registration.id)
    reset_token(registration.person, "feed")
    emails.queue_resend(registration)
    db.session.commit()
    flash("Your old links no longer work. This page has a new address: bookmark it, or use the link in the "
          "email we just sent you.", "success")
    return redirect(url_for(".manage", token=new_token), 303)
