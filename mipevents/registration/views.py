"""A registrant's private page, reached only through their manage token: see their registration and
waitlist place, update details, cancel (with a confirmation step), resend the confirmation, get
their personal calendar link, reset their links. Works for meeting and webinar registrations."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for

from mipevents.extensions import db, limiter
from mipevents.people import tokens
from mipevents.people.services import reset_token
from mipevents.registration import access, emails, services
from mipevents.registration.forms import ConfirmForm, UpdateDetailsForm
from mipevents.registration.models import Registration

bp = Blueprint("registration", __name__)


def opened_or_404(raw: str) -> access.Opened:
    """The registration a live manage or scheduler link opens, else 404."""
    opened = access.opened_by(raw)
    if opened is None:
        abort(404)
    return opened


def registration_for_token(raw: str) -> Registration:
    """The registration a live manage link (or its scheduler's link) opens, else 404."""
    return opened_or_404(raw).registration


def owners_registration(raw: str) -> Registration:
    """The registration of the registrant's own manage link, else 404: resending, resetting links and
    changing the scheduler are the registrant's alone."""
    opened = opened_or_404(raw)
    if not opened.is_owner:
        abort(404)
    return opened.registration


def _private(response):
    """The page carries a secret link: no caching anywhere, no referrer, no indexing."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _manage_page(token, registration, form=None, status=200, is_owner=True):
    feed_url = None
    if is_owner and registration.is_active:
        # The one stable address, shown again; a GET never creates it (the button below does).
        raw = tokens.stable_feed_token(registration.person_id)
        feed_url = emails.feed_url(raw) if raw else None
    return _private(make_response(render_template(
        "registration/manage.html", token=token, registration=registration, event=registration.event,
        position=services.waitlist_position(registration), feed_url=feed_url, is_owner=is_owner,
        manage_url=emails.manage_url(token),
        form=form or UpdateDetailsForm(obj=registration), confirm=ConfirmForm(),
        can_change=registration.is_active), status))


@bp.route("/manage/<token>")
def manage(token):
    opened = opened_or_404(token)
    return _manage_page(token, opened.registration, is_owner=opened.is_owner)


@bp.route("/manage/<token>/calendar.ics")
def registration_calendar(token):
    """This one registration's event as a calendar (the scheduler's feed, scoped to what they made;
    the webinar's join link once confirmed)."""
    registration = registration_for_token(token)
    attachment = emails.calendar_attachment(registration)
    if attachment is None:
        abort(404)
    response = make_response(attachment.data)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    return _private(response)


@bp.route("/manage/<token>/feed", methods=["POST"])
def show_feed(token):
    """Make the registrant's personal feed address (once; afterwards it is shown again)."""
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    tokens.feed_token(registration.person_id)
    db.session.commit()
    return redirect(url_for(".manage", token=token) + "#feed-heading", 303)


@bp.route("/manage/<token>/register-again", methods=["POST"])
def register_again(token):
    """The registrant's own way back after cancelling (a public form never revives a registration)."""
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.register_again(registration)
    except (services.NotAllowed, services.RegistrationClosed):
        db.session.rollback()
        flash("Registration for this event is closed, or you are already registered.", "warning")
        return redirect(url_for(".manage", token=token), 303)
    db.session.commit()
    flash("You are registered again. We have sent you an email to confirm it.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.route("/manage/<token>/details", methods=["POST"])
def update_details(token):
    opened = opened_or_404(token)
    registration = opened.registration
    if not registration.is_active:
        abort(409, "This registration is cancelled: register again from the event's page.")
    form = UpdateDetailsForm()
    if not form.validate_on_submit():
        return _manage_page(token, registration, form=form, status=422, is_owner=opened.is_owner)
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
    registration = owners_registration(token)
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
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    new_token = reset_token(registration.person, "manage", registration.id)
    tokens.reset_feed(registration.person_id)   # a scheduler's approval is not a link: it stays
    emails.queue_resend(registration)
    db.session.commit()
    flash("Your old links no longer work. This page has a new address: bookmark it, or use the link in the "
          "email we just sent you.", "success")
    return redirect(url_for(".manage", token=new_token), 303)
