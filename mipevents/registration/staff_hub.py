"""Staff's one registrations hub (under /staff/): every meeting and webinar with its counts, a search
across all their registrants with filters by status, type and kind of event (paged by the database),
the per-person actions for both kinds of event (edit, cancel, reinstate, resend the confirmation, approve, seat
from the waitlist or raise the capacity explicitly for them), and an email to a meeting's registrants
by status and type, or to a webinar's, through the outbox, previewed first and sent once."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from mipevents.accounts import audit
from mipevents.accounts.permissions import staff_required
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import to_local
from mipevents.core.web import query_id
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration import emails, queries, services
from mipevents.registration.forms import MEETING_TYPES
from mipevents.registration.models import Registration
from mipevents.registration.staff_forms import EditRegistrationForm, MessagePreviewForm, SendOnce, WebinarMessagePreviewForm
from mipevents.webinars.models import Webinar

hub_bp = Blueprint("registration_hub", __name__, url_prefix="/staff")

PAGE_SIZE = 50


HUB_TYPES = [*MEETING_TYPES, ("other", "Other")]
KINDS = {"meeting": "Meetings", "webinar": "Webinars"}


@hub_bp.route("/registrations/")
@staff_required
def index():
    search = (request.args.get("q") or "").strip()[:100]
    status = request.args.get("status", "")
    role = request.args.get("type", "")
    kind = request.args.get("kind", "")
    status = status if status in vocab.REGISTRATION_STATUSES else ""
    role = role if role in dict(HUB_TYPES) else ""
    kind = kind if kind in KINDS else ""
    meetings = db.session.execute(select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id)).scalars().all()
    webinars = db.session.execute(select(Webinar).order_by(Webinar.starts_at.desc(), Webinar.id)).scalars().all()
    # Meetings and webinars in one list, latest first.
    events = sorted([*meetings, *webinars], reverse=True,
                    key=lambda e: (e.starts_on if isinstance(e, Meeting) else to_local(e.starts_at, e.timezone).date()))
    filtered = bool(search or status or role or kind)
    page = None
    if filtered:
        page = queries.page_of(queries.hub_registrations(search, status, role, kind),
                               request.args.get("page", 1, type=query_id), PAGE_SIZE, one_scan=bool(search))
    return render_template(
        "registration/hub/index.html", events=events, search=search, status=status, role=role, kind=kind,
        filtered=filtered, page=page, rows=page.rows if page else [], hub_types=HUB_TYPES, kinds=KINDS,
        meeting_counts=queries.meeting_counts([m.id for m in meetings]),
        webinar_counts=queries.registration_counts([w.id for w in webinars]))


def local_path(target: str) -> str:
    """`target` when it is a path of this site (no other host, no control character), else ""."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and target.isprintable():
        return target
    return ""


def back():
    """Back to the page the action came from (a local path only), else the hub."""
    return redirect(local_path(request.values.get("next", "")) or url_for(".index"), 303)


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


@hub_bp.route("/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel(registration_id):
    """A confirmation page first (what happens, and a button that says it); only its post, which
    carries `confirm`, cancels. A post without it (a stray click, an old form) shows the page."""
    registration = _registration(registration_id)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        if not registration.is_active:
            flash(f"The registration of {registration.name} is already {registration.status}.", "info")
            return back()
        return render_template("registration/hub/confirm_cancel.html", registration=registration,
                               next=local_path(request.values.get("next", "")) or url_for(".index"))
    try:
        promoted = services.cancel(registration, by_staff=current_user)
    except services.NotAllowed as refused:
        return _refused(refused)
    registration = db.session.get(Registration, registration_id)
    moved = f" {promoted[0].name} moved up from the waitlist." if promoted else ""
    return _done(registration, "registration.cancel", f"Cancelled the registration of {registration.name}",
                 f"Cancelled the registration of {registration.name}; they were emailed.{moved}")


@hub_bp.route("/registrations/<int:registration_id>/reinstate", methods=["POST"])
@staff_required
def reinstate(registration_id):
    """Undo a cancellation or a decline: the registration rejoins the queue as a new one would (a free
    seat, else the waitlist; awaiting approval where the role needs it), and the registrant is emailed."""
    try:
        services.register_again(_registration(registration_id), by_staff=True)
    except services.NotAllowed as refused:
        return _refused(refused)
    registration = db.session.get(Registration, registration_id)
    status = vocab.label(vocab.REGISTRATION_STATUSES, registration.status).lower()
    return _done(registration, "registration.reinstate", f"Reinstated the registration of {registration.name} ({status})",
                 f"{registration.name} is registered again: {status}. They were emailed.")


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
    capacity = request.form.get("capacity", type=int)
    try:
        registration, raised_from = services.seat_from_waitlist(
            _registration(registration_id), capacity=capacity if capacity is not None and 0 < capacity <= 100_000 else None)
    except services.NoFreeSeat as full:
        db.session.rollback()
        # No seat is taken past the capacity silently: staff see why, and may raise it explicitly.
        registration = _registration(registration_id)
        return render_template("registration/hub/no_free_seat.html", registration=registration, full=full,
                               next=local_path(request.form.get("next", "")) or url_for(".index")), 409
    except services.NotAllowed as refused:
        return _refused(refused)
    event = registration.event
    if raised_from is not None:
        audit.record("registration.capacity", event, actor=current_user, meeting_id=registration.meeting_id,
                     summary=f"Capacity raised from {raised_from} to {event.capacity} to seat {registration.name}",
                     before={"capacity": raised_from}, after={"capacity": event.capacity})
    raised = f" The capacity is now {event.capacity}." if raised_from is not None else ""
    return _done(registration, "registration.promote",
                 f"Seated {registration.name} from the waitlist" + (f"; capacity raised to {event.capacity}" if raised else ""),
                 f"{registration.name} is confirmed and was emailed.{raised}")


@hub_bp.route("/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(registration_id):
    registration = _registration(registration_id)
    form = EditRegistrationForm().for_registration(registration)
    if request.method == "GET":
        form.fill_from(registration)
    if form.validate_on_submit():
        values = form.to_values()
        before = {name: getattr(registration, name) for name in values}
        services.update_details(registration, values)
        changed = {name: value for name, value in values.items() if before[name] != value}
        if changed:
            audit.record("registration.edit", registration, actor=current_user, meeting_id=registration.meeting_id,
                         summary=f"Edited the registration of {registration.name}: {', '.join(changed)}",
                         before={name: before[name] for name in changed}, after=changed)
        db.session.commit()
        flash(f"Saved the registration of {registration.name}." if changed else "Nothing changed.", "success")
        return back()
    return render_template("registration/hub/edit.html", registration=registration, form=form,
                           next=local_path(request.values.get("next", "")) or url_for(".index")), \
        422 if request.method == "POST" else 200


def _recipients(event: Meeting | Webinar, form: SendOnce) -> list[Registration]:
    column = Registration.meeting_id if isinstance(event, Meeting) else Registration.webinar_id
    stmt = (select(Registration).options(joinedload(Registration.person))
            .where(column == event.id, Registration.status.in_(form.chosen_statuses())))
    if isinstance(form, MessagePreviewForm) and form.types.data:
        stmt = stmt.where(Registration.role.in_(form.types.data))
    return list(db.session.execute(stmt.order_by(Registration.id)).scalars())


def _message(event: Meeting | Webinar, form: SendOnce, *, action: str, sent_to: str, render):
    """One flow for the message to a meeting's and to a webinar's registrants: write, preview (who gets
    it, and the email as the first of them reads it), then send. The send button carries the key of
    what was previewed, and a key is sent once (a double submit, a resubmitted form or a second tab
    queue nothing more)."""
    preview = None
    valid = form.validate_on_submit()
    # Edited after its preview: previewed again rather than sent.
    changed = not valid and request.method == "POST" and set(form.errors) == {"send_key"}
    if valid or changed:
        recipients = _recipients(event, form)
        if valid and form.send_key.data and request.form.get("action") == "send":
            queued = emails.queue_message_once(recipients, form.subject.data, form.body.data, key=form.nonce,
                                               actor=current_user, to_schedulers=form.copies_to_schedulers)
            if queued:
                audit.record(action, event, actor=current_user, meeting_id=event.id if isinstance(event, Meeting) else None,
                             summary=f"Emailed {queued} registrants: {form.subject.data}")
                flash(f"Your message is queued for {queued} {'person' if queued == 1 else 'people'}.", "success")
            else:
                flash("This message was already sent: it was not sent again.", "info")
            db.session.commit()
            return redirect(sent_to, 303)
        subject, text = emails.preview_message(recipients[0], form.subject.data, form.body.data) if recipients else ("", "")
        form.send_key.data = form.new_send_key()
        schedulers = sum(1 for r in recipients if r.scheduler_email and r.scheduler_person_id is not None) \
            if form.copies_to_schedulers else 0
        preview = {"recipients": recipients[:PREVIEW_NAMES], "count": len(recipients), "subject": subject, "text": text,
                   "changed": changed, "schedulers": schedulers}
    return render(form, preview), 200 if request.method == "GET" or preview is not None else 422


@hub_bp.route("/meetings/<int:meeting_id>/registrations/message", methods=["GET", "POST"])
@staff_required
def message_meeting(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    return _message(
        meeting, MessagePreviewForm(), action="meeting.message_registrants",
        sent_to=url_for("registration_staff.meeting_registrations", meeting_id=meeting.id),
        render=lambda form, preview: render_template(
            "registration/hub/message_meeting.html", meeting=meeting, form=form, preview=preview,
            counts=queries.meeting_counts([meeting.id])[meeting.id]))


@hub_bp.route("/webinars/<int:webinar_id>/message", methods=["GET", "POST"])
@staff_required
def message_webinar(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    return _message(
        webinar, WebinarMessagePreviewForm(), action="webinar.message_registrants",
        sent_to=url_for("registration_staff.webinar_registrants", webinar_id=webinar.id),
        render=lambda form, preview: render_template(
            "registration/hub/message_webinar.html", webinar=webinar, form=form, preview=preview,
            counts=queries.registration_counts([webinar.id])[webinar.id]))


# How many recipients the preview names.
PREVIEW_NAMES = 20
