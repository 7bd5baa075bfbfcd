"""Staff pages for meetings (behind login, under /staff/): the dashboard, creating, editing,
duplicating, unpublishing and cancelling meetings, and their rooms."""
from datetime import timedelta

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from mipevents.accounts.permissions import reviewer_required, staff_required
from mipevents.core.timeutil import to_local, utcnow
from mipevents.core.web import status_change
from mipevents.extensions import db
from mipevents.meetings import queries, services
from mipevents.meetings.forms import DuplicateMeetingForm, EditMeetingForm, EditRoomForm
from mipevents.meetings.models import Meeting, Room
from mipevents.workflows import meetings as meeting_work
from mipevents.workflows.duplication import duplicate_meeting

staff_bp = Blueprint("meetings_staff", __name__, url_prefix="/staff")


@staff_bp.route("/")
@reviewer_required
def dashboard():
    meetings = db.session.execute(select(Meeting).order_by(Meeting.starts_on.desc())).scalars().all()
    counts, drafts = meeting_work.sessions_per_meeting()
    return render_template("staff/dashboard.html", meetings=meetings, counts=counts, drafts=drafts)


def _form_error(form, exc: services.MeetingProblem):
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    (field.errors if field is not None else form.form_errors).append(str(exc))


@staff_bp.route("/meetings/new", methods=["GET", "POST"])
@staff_required
def create_meeting():
    form = EditMeetingForm()
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(form.values(), actor=current_user)
        except services.MeetingProblem as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(f"Created “{meeting.name}” as a draft. Add rooms, then sessions.", "success")
            return redirect(url_for(".show_meeting", meeting_id=meeting.id), 303)
    return render_template("staff/meetings/edit_meeting.html", form=form, meeting=None), \
        422 if request.method == "POST" else 200


@staff_bp.route("/meetings/<int:meeting_id>")
@reviewer_required
def show_meeting(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    return render_template("staff/meetings/show_meeting.html", meeting=meeting, room_form=EditRoomForm(prefix="room"),
                           **meeting_work.agenda_overview(meeting))


@staff_bp.route("/meetings/<int:meeting_id>/preview")
@staff_required
def preview_meeting(meeting_id):
    """The public meeting page as it will read once published (a draft included): staff only,
    marked as a preview, never cached and never indexed."""
    meeting = db.get_or_404(Meeting, meeting_id)
    now = utcnow()
    state = queries.registration_state(meeting, now)
    days = [meeting.starts_on + timedelta(days=n) for n in range((meeting.ends_on - meeting.starts_on).days + 1)]
    response = make_response(render_template("staff/preview/meeting.html", meeting=meeting, registration=state,
                                             can_register=state == "open", days=days,
                                             is_past=queries.is_past(meeting, now)))
    response.headers["Cache-Control"] = "no-store"     # as every /staff/ page (core.private_pages)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _meeting_form(meeting: Meeting) -> EditMeetingForm:
    return EditMeetingForm() if request.method == "POST" else EditMeetingForm(obj=meeting)


@staff_bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_meeting(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = _meeting_form(meeting)
    if request.method == "GET":
        # obj= wins over keyword data in WTForms; set the converted values explicitly.
        form.panel_topics.data = "\n".join(meeting.panel_topics or [])
        for name in ("registration_opens_at", "registration_closes_at"):
            value = getattr(meeting, name)
            getattr(form, name).data = to_local(value, meeting.timezone).replace(tzinfo=None) if value else None
    if form.validate_on_submit():
        placed = (meeting.starts_on, meeting.timezone)
        try:
            changed = meeting_work.update_meeting(meeting, form.values(), actor=current_user)
        except services.MeetingProblem as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            if changed and placed != (meeting.starts_on, meeting.timezone):
                flash("Saved. The sessions moved with the meeting: each keeps its day of the meeting and its "
                      "local time.", "success")
            else:
                flash("Saved." if changed else "Nothing changed.", "success" if changed else "info")
            return redirect(url_for(".show_meeting", meeting_id=meeting.id), 303)
    return render_template("staff/meetings/edit_meeting.html", form=form, meeting=meeting), \
        422 if request.method == "POST" else 200


@staff_bp.route("/meetings/<int:meeting_id>/duplicate", methods=["GET", "POST"])
@staff_required
def duplicate(meeting_id):
    source = db.get_or_404(Meeting, meeting_id)
    form = DuplicateMeetingForm()
    if request.method == "GET":
        form.timezone.data = source.timezone
        form.kind.data = source.kind
    if form.validate_on_submit():
        slug = (form.slug.data or "").strip() or services.slug_from_name(form.name.data.strip())
        if services.slug_taken(slug):
            form.slug.errors.append("Another meeting already uses this web address.")
        else:
            meeting = duplicate_meeting(source, name=form.name.data.strip(), slug=slug,
                                        starts_on=form.starts_on.data, timezone=form.timezone.data,
                                        kind=form.kind.data, with_speakers=form.with_speakers.data == "yes",
                                        actor=current_user)
            db.session.commit()
            flash(f"Started “{meeting.name}” from “{source.name}”: every session is a draft at the same local times.", "success")
            return redirect(url_for(".show_meeting", meeting_id=meeting.id), 303)
    return render_template("staff/meetings/duplicate.html", form=form, source=source), \
        422 if request.method == "POST" else 200


def _status_action(meeting_id, action, done):
    meeting = db.get_or_404(Meeting, meeting_id)
    return status_change(meeting, action, refused=services.MeetingProblem, done=done,
                         back=url_for(".show_meeting", meeting_id=meeting.id))


@staff_bp.route("/meetings/<int:meeting_id>/unpublish", methods=["POST"])
@staff_required
def unpublish(meeting_id):
    return _status_action(meeting_id, services.unpublish_meeting, "“{row.name}” is a draft again: the public no longer sees it.")


@staff_bp.route("/meetings/<int:meeting_id>/cancel", methods=["POST"])
@staff_required
def cancel(meeting_id):
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm the cancellation.", "error")
        return redirect(url_for(".show_meeting", meeting_id=meeting_id), 303)
    return _status_action(meeting_id, meeting_work.cancel_meeting,
                          "Cancelled “{row.name}” and {n} published sessions; calendars will show them cancelled.")


# ---------------------------------------------------------------------------------------------- rooms

@staff_bp.route("/meetings/<int:meeting_id>/rooms", methods=["POST"])
@staff_required
def add_room(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = EditRoomForm(prefix="room")
    if form.validate_on_submit():
        try:
            room = services.add_room(meeting, name=form.name.data, capacity=form.capacity.data,
                                     position=form.position.data, actor=current_user)
        except services.MeetingProblem as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(f"Added the room “{room.name}”.", "success")
            return redirect(url_for(".show_meeting", meeting_id=meeting.id) + "#rooms", 303)
    return render_template("staff/meetings/show_meeting.html", meeting=meeting, room_form=form,
                           **meeting_work.agenda_overview(meeting)), 422


@staff_bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_room(room_id):
    room = db.get_or_404(Room, room_id)
    form = EditRoomForm(obj=room)
    if form.validate_on_submit():
        try:
            meeting_work.update_room(room, name=form.name.data, capacity=form.capacity.data,
                                 position=form.position.data, actor=current_user)
        except services.MeetingProblem as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(f"Saved the room “{room.name}”.", "success")
            return redirect(url_for(".show_meeting", meeting_id=room.meeting_id) + "#rooms", 303)
    return render_template("staff/meetings/edit_room.html", form=form, room=room, meeting=room.meeting), \
        422 if request.method == "POST" else 200


@staff_bp.route("/rooms/<int:room_id>/delete", methods=["POST"])
@staff_required
def delete_room(room_id):
    room = db.get_or_404(Room, room_id)
    meeting_id, name = room.meeting_id, room.name
    moved = meeting_work.delete_room(room, actor=current_user)
    db.session.commit()
    flash(f"Removed the room “{name}”" + (f"; {moved} sessions now have no room." if moved else "."), "success")
    return redirect(url_for(".show_meeting", meeting_id=meeting_id) + "#rooms", 303)
