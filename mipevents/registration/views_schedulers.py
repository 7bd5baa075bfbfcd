"""A person's consent to a scheduler, from their own inbox: approve a scheduler who asked
(/consent/<token>), and remove the scheduler of a registration from its manage page."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mipevents.extensions import db
from mipevents.registration import (
    scheduler_emails,  # noqa: F401  (registers the consent emails)
    schedulers,
)
from mipevents.registration.forms import ConfirmForm
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
