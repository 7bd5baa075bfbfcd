"""Staff's one registrations hub (under /staff/): every meeting and webinar with its counts, a search
across all their registrants, and the per-person actions for both kinds of event (cancel, resend
the confirmation, approve, seat from the waitlist or raise the capacity for them), and an email to a
meeting's registrants by status and type through the outbox."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from mipevents.accounts import audit
from mipevents.accounts.permissions import staff_required
from mipevents.core import vocabulary as vocab
from mipevents.core.web import query_id
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration import emails, queries, services
from mipevents.registration.forms import MessageMeetingRegistrantsForm
from mipevents.registration.models import Registration
from mipevents.webinars.models import Webinar

hub_bp = Blueprint("registration_hub", __name__, url_prefix="/staff")

PAGE_SIZE = 50


@hub_bp.route("/registrations/")
@staff_required
def index():
    search = (request.args.get("q") or "").strip()[:100]
    page = request.args.get("page", 1, type=query_id)
    meetings = db.session.execute(select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id)).scalars().all()
    webinars = db.session.execute(select(Webinar).order_by(Webinar.starts_at.desc(), Webinar.id)).scalars().all()
    rows, total = [], 0
    if search:
        stmt = queries.search_registrations(search)
        total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
        rows = db.session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return render_template(
        "registration/hub/index.html", meetings=meetings, webinars=webinars, search=search, rows=rows, total=total,
        page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        meeting_counts=queries.meeting_counts([m.id for m in meetings]),
        webinar_counts=queries.registration_counts([w.id for w in webinars]))


def back():
    """Back to the page the action came from (a local path only), else the hub."""
    target = request.form.get("next", "")
    if not (target.startswith("/") and not target.startswith("//") and "\\" not in target):
        target = url_for(".index")
    return redirect(target, 303)


def _registration(registration_id: int) -> Registration:
    return db.get_or_404(Registration, registration_id)


def _done(registration: Registration, action: str, summary: str, message: str):
    audit.record(action, registration, actor=current_user, meeting_id=registration.meeting_id, summary=summary)
    db.session.commit()
    flash(message, "success")
    return back()


def _refused(refused: services.NotAllowed):
    db.session.rollback()
    flash(str(refused)[:1].upper() + str(refused)[1:] + ".", "error")
    return back()


@hub_bp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@staff_required
def cancel(registration_id):
    try:
        promoted = services.cancel(_registration(registration_id), by_staff=current_user)
    except services.NotAllowed as refused:
        return _refused(refused)
    registration = db.session.get(Registration, registration_id)
    moved = f" {promoted[0].name} moved up from the waitlist." if promoted else ""
    return _done(registration, "registration.cancel", f"Cancelled the registration of {registration.name}",
                 f"Cancelled the registration of {registration.name}; they were emailed.{moved}")


@hub_bp.route("/registrations/<int:registration_id>/resend", methods=["POST"])
@staff_required
def resend(registration_id):
    registration = _registration(registration_id)
    if not registration.is_active:
        flash("A cancelled or declined registration has no confirmation to resend.", "error")
        return back()
    emails.queue_resend(registration)
    return _done(registration, "registration.resend", f"Resent the confirmation to {registration.name}",
                 f"The confirmation is on its way to {registration.email} again.")


@hub_bp.route("/registrations/<int:registration_id>/approve", methods=["POST"])
@staff_required
def approve(registration_id):
    try:
        registration = services.approve(_registration(registration_id), actor=current_user)
    except services.NotAllowed as refused:
        return _refused(refused)
    status = vocab.label(vocab.REGISTRATION_STATUSES, registration.status).lower()
    return _done(registration, "approve_registration", f"Approved {registration.name} ({registration.status})",
                 f"{registration.name} is approved: {status}.")


@hub_bp.route("/registrations/<int:registration_id>/promote", methods=["POST"])
@staff_required
def promote(registration_id):
    raise_capacity = request.form.get("raise_capacity") == "1"
    try:
        registration = services.promote(_registration(registration_id), raise_capacity=raise_capacity)
    except services.NotAllowed as refused:
        return _refused(refused)
    event = registration.event
    raised = f" The capacity is now {event.capacity}." if raise_capacity and event.capacity is not None else ""
    return _done(registration, "registration.promote",
                 f"Seated {registration.name} from the waitlist" + (f"; capacity raised to {event.capacity}" if raised else ""),
                 f"{registration.name} is confirmed and was emailed.{raised}")


@hub_bp.route("/meetings/<int:meeting_id>/registrations/message", methods=["GET", "POST"])
@staff_required
def message_meeting(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = MessageMeetingRegistrantsForm()
    if form.validate_on_submit():
        stmt = select(Registration).where(Registration.meeting_id == meeting.id,
                                          Registration.status.in_(form.statuses.data))
        if form.types.data:
            stmt = stmt.where(Registration.role.in_(form.types.data))
        recipients = db.session.execute(stmt.order_by(Registration.id)).scalars().all()
        for registration in recipients:
            emails.queue_message(registration, form.subject.data, form.body.data, actor=current_user)
        audit.record("meeting.message_registrants", meeting, actor=current_user, meeting_id=meeting.id,
                     summary=f"Emailed {len(recipients)} registrants: {form.subject.data}")
        db.session.commit()
        flash(f"Your message is queued for {len(recipients)} {'person' if len(recipients) == 1 else 'people'}.",
              "success")
        return redirect(url_for("registration_staff.meeting_registrations", meeting_id=meeting.id), 303)
    return render_template("registration/hub/message_meeting.html", meeting=meeting, form=form,
                           counts=queries.meeting_counts([meeting.id])[meeting.id]), 422 if request.method == "POST" else 200
