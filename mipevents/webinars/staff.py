"""Staff pages for webinars under /staff/webinars/: the list with registration counts, create and
edit (local date and times in the webinar's zone), publish and cancel, invite its presenters."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from mipevents.accounts.permissions import staff_required
from mipevents.agenda.forms import InviteSpeakerForm
from mipevents.core.web import form_action, status_change
from mipevents.extensions import db
from mipevents.webinars import services
from mipevents.webinars.forms import EditWebinarForm
from mipevents.webinars.models import Webinar, WebinarPresenter
from mipevents.workflows import invitations as invitation_work
from mipevents.workflows import webinars as webinar_work

staff_bp = Blueprint("webinars_staff", __name__, url_prefix="/staff")


@staff_bp.route("/webinars/")
@staff_required
def list_webinars():
    webinars = db.session.execute(select(Webinar).order_by(Webinar.starts_at.desc(), Webinar.id)).scalars().all()
    counts = webinar_work.registration_counts([w.id for w in webinars])
    return render_template("webinars/staff/list_webinars.html", webinars=webinars, counts=counts)


def _save_problem(form, exc):
    db.session.rollback()
    message = str(exc)
    target = getattr(form, exc.field)
    target.errors = list(target.errors) + [message[0].upper() + message[1:] + "."]


@staff_bp.route("/webinars/new", methods=["GET", "POST"])
@staff_required
def create_webinar():
    form = EditWebinarForm()
    if form.validate_on_submit():
        try:
            webinar = services.create_webinar(form.to_values(), actor=current_user)
        except services.WebinarProblem as exc:
            _save_problem(form, exc)
        else:
            db.session.commit()
            flash(f"Created “{webinar.title}” as a draft: the public sees it once you publish it.", "success")
            return redirect(url_for(".edit_webinar", webinar_id=webinar.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("webinars/staff/edit_webinar.html", form=form, webinar=None), status


@staff_bp.route("/webinars/<int:webinar_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_webinar(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    form = EditWebinarForm() if request.method == "POST" else EditWebinarForm.for_webinar(webinar)
    if form.validate_on_submit():
        seats_before = webinar.capacity
        try:
            changed = services.update_webinar(webinar, form.to_values(), actor=current_user)
        except services.WebinarProblem as exc:
            _save_problem(form, exc)
        else:
            db.session.commit()
            flash("Saved." if changed else "Nothing changed.", "success")
            if seats_before is not None and (webinar.capacity is None or webinar.capacity > seats_before):
                # More seats: the first in line move up (under the capacity lock, so after the edit's commit).
                promoted = webinar_work.fill_added_seats(webinar)
                db.session.commit()
                if promoted:
                    flash(f"{len(promoted)} {'person' if len(promoted) == 1 else 'people'} moved up from the "
                          "waitlist and were emailed.", "success")
            return redirect(url_for(".edit_webinar", webinar_id=webinar.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("webinars/staff/edit_webinar.html", form=form, webinar=webinar), status


def _status_change(webinar_id, change, done):
    webinar = db.get_or_404(Webinar, webinar_id)
    return status_change(webinar, change, refused=services.WebinarProblem, done=done,
                         back=url_for(".edit_webinar", webinar_id=webinar_id))


@staff_bp.route("/webinars/<int:webinar_id>/publish", methods=["POST"])
@staff_required
def publish_webinar(webinar_id):
    return _status_change(webinar_id, services.publish_webinar, "Published “{row.title}”: its page and registration are open.")


@staff_bp.route("/webinars/<int:webinar_id>/cancel", methods=["POST"])
@staff_required
def cancel_webinar(webinar_id):
    return _status_change(webinar_id, services.cancel_webinar,
                          "Cancelled “{row.title}”. It stays listed, marked cancelled; email the registrants to tell them.")


@staff_bp.route("/webinar-presenters/<int:presenter_id>/invite", methods=["POST"])
@staff_required
def invite_presenter(presenter_id):
    """Invite a presenter the way a session's speakers are (their answer and profile, from their link)."""
    presenter = db.get_or_404(WebinarPresenter, presenter_id)
    return form_action(InviteSpeakerForm(), presenter,
                       lambda row, form, actor: invitation_work.invite_presenter(row, form.note.data or "", actor=actor),
                       refused=invitation_work.InvitationProblem, done="Invited {row.speaker.display_name}: the email is on its way.",
                       back=url_for(".edit_webinar", webinar_id=presenter.webinar_id), invalid="The note is too long: at most 2,000 characters.")
