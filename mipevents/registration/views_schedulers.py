"""Schedulers' pages and a person's consent to them: approve a scheduler who asked (/consent/<token>,
from the person's own inbox), remove the scheduler of a registration (from its manage page), and the
scheduler's own page listing every registration they manage (/scheduler/<token>)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from mipevents.extensions import db, limiter
from mipevents.people.services import resolve_token
from mipevents.registration import (
    scheduler_emails,  # noqa: F401  (registers the consent emails)
    schedulers,
)
from mipevents.registration.forms import ConfirmForm
from mipevents.registration.models import Registration
from mipevents.registration.views import owners_registration

bp = Blueprint("schedulers", __name__)


@bp.route("/consent/<token>", methods=["GET", "POST"])
def approve(token):
    approval = schedulers.approval_for_token(token)
    if approval is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        schedulers.approve(approval)
        db.session.commit()
        return render_template("registration/consent.html", approval=approval, form=form, done=True)
    return render_template("registration/consent.html", approval=approval, form=form, done=approval.is_approved)


@bp.route("/manage/<token>/scheduler/remove", methods=["GET", "POST"])
def remove(token):
    registration = owners_registration(token)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        schedulers.remove(registration)
        db.session.commit()
        flash("Your scheduler is removed: their link no longer opens your registration.", "success")
        return redirect(url_for("registration.manage", token=token), 303)
    if not registration.scheduler_email:
        return redirect(url_for("registration.manage", token=token), 303)
    return render_template("registration/remove_scheduler.html", registration=registration, token=token, form=form)


def _scheduler_or_404(token):
    """The scheduler a live scheduler link names (any of their links to a registration they manage)."""
    found = resolve_token(token, "scheduler")
    if found is None:
        abort(404)
    return found.person


@bp.route("/scheduler/<token>")
def overview(token):
    """Every registration this scheduler manages, with the way to register someone else."""
    scheduler = _scheduler_or_404(token)
    return render_template("registration/scheduler.html", scheduler=scheduler, token=token,
                           registrations=schedulers.scheduled_by(scheduler.id), form=ConfirmForm())


@bp.route("/scheduler/<token>/send/<int:registration_id>", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTRATION"])
def send_link(token, registration_id):
    """Email the scheduler their link to one registration they manage (links are never shown on a GET)."""
    scheduler = _scheduler_or_404(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.scheduler_person_id != scheduler.id:
        abort(404)
    schedulers.send_link(registration)
    db.session.commit()
    flash(f"We have emailed you the link to the registration of {registration.name}.", "success")
    return redirect(url_for(".overview", token=token), 303)
