"""Staff pages of the agenda: the builder grid (a day as rooms × time), adding and editing sessions
and their speakers, inviting speakers (each meeting's invitations, with their A/V and travel, and a
one-click reminder), cancelling, and publishing with the conflict list and an explicit acknowledgement."""
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from mipevents.accounts.permissions import staff_required
from mipevents.agenda import invitations, services
from mipevents.agenda.conflicts import conflicting_ids, conflicts_of
from mipevents.agenda.forms import AddSessionSpeakerForm, EditSessionForm, InviteSpeakerForm, PublishAgendaForm, RemindSpeakerForm
from mipevents.agenda.models import AgendaItem, AgendaRelease, Invitation, SessionSpeaker
from mipevents.agenda.publishing import OpenConflicts, items_by_day, meeting_conflicts, meeting_items, publish_agenda
from mipevents.core.timeutil import to_local
from mipevents.core.web import query_id, status_change
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.speakers.models import Speaker
from mipevents.workflows import invitations as invitation_work

staff_bp = Blueprint("agenda_staff", __name__, url_prefix="/staff")

SLOT = timedelta(minutes=30)


def _flash_conflicts(item: AgendaItem) -> None:
    for conflict in services.conflicts_for(item):
        flash(conflict.message, "warning")


def _grid(meeting: Meeting, items: list[AgendaItem], day: date) -> dict:
    """The day as rows of half-hour slots (local time) × rooms; each session sits in the cell of
    the slot it starts in, so overlapping sessions in one room show side by side in one cell."""
    zone = meeting.timezone
    first, last = time(8), time(18)
    for item in items:
        start, end = to_local(item.starts_at, zone), to_local(item.ends_at, zone)
        first = min(first, start.time())
        last = max(last, end.time() if end.date() == day else time(23, 59))
    cursor = datetime.combine(day, time(first.hour, 0 if first.minute < 30 else 30))
    stop = datetime.combine(day, last)
    slots = []
    while cursor < stop and cursor.date() == day:
        slots.append(cursor.time())
        cursor += SLOT
    rooms = list(meeting.rooms)
    columns = [(room.id, room.name) for room in rooms]
    if any(item.room_id is None for item in items):
        columns.append((None, "No room"))
    cells: dict = {}
    for item in items:
        start = to_local(item.starts_at, zone).time()
        slot = time(start.hour, 0 if start.minute < 30 else 30)
        cells.setdefault((slot, item.room_id), []).append(item)
    return {"slots": slots, "columns": columns, "cells": cells}


@staff_bp.route("/meetings/<int:meeting_id>/agenda")
@staff_required
def builder(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    items = meeting_items(meeting)
    conflicts = meeting_conflicts(meeting, items)
    by_day = items_by_day(items, meeting.timezone)
    days = sorted(set(by_day) | {meeting.starts_on + timedelta(days=n)
                                 for n in range((meeting.ends_on - meeting.starts_on).days + 1)})
    try:
        day = date.fromisoformat(request.args["day"]) if request.args.get("day") else days[0]
    except ValueError:
        abort(404)
    if day not in days:
        abort(404)
    day_items = by_day.get(day, [])
    return render_template("staff/agenda/builder.html", meeting=meeting, days=days, day=day, items=day_items,
                           grid=_grid(meeting, day_items, day), conflicts=conflicts,
                           conflicted=conflicting_ids(conflicts), drafts=sum(1 for i in items if i.status == "draft"))


@staff_bp.route("/meetings/<int:meeting_id>/sessions/new", methods=["GET", "POST"])
@staff_required
def add_item(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = EditSessionForm(meeting)
    if request.method == "GET":
        form.day.data = _arg_date("day") or meeting.starts_on
        form.room_id.data = request.args.get("room", 0, type=query_id)
    if form.validate_on_submit():
        try:
            item = services.add_item(meeting, form.values(), actor=current_user)
        except services.SessionProblem as exc:
            db.session.rollback()
            getattr(form, exc.field or "title").errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Added “{item.title}” as a draft: it becomes public when you publish the agenda.", "success")
            _flash_conflicts(item)
            return redirect(url_for(".edit_item", item_id=item.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("staff/agenda/edit_item.html", meeting=meeting, form=form, item=None), status


def _arg_date(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _item_page(item: AgendaItem, form, speaker_form=None, status=200):
    conflicts = conflicts_of(meeting_conflicts(item.meeting), item.id)
    speaker_form = speaker_form or AddSessionSpeakerForm(services.speakers_for_choice(), prefix="speaker")
    return render_template("staff/agenda/edit_item.html", meeting=item.meeting, form=form, item=item,
                           conflicts=conflicts, speaker_form=speaker_form), status


@staff_bp.route("/sessions/<int:item_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_item(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    form = EditSessionForm(item.meeting) if request.method == "POST" else EditSessionForm.for_item(item)
    if form.validate_on_submit():
        try:
            changed = services.update_item(item, form.values(), actor=current_user)
        except services.SessionProblem as exc:
            db.session.rollback()
            getattr(form, exc.field or "title").errors.append(str(exc))
        else:
            db.session.commit()
            if changed:
                public = " It is public at once." if item.is_public else ""
                flash(f"Saved “{item.title}”.{public}", "success")
            else:
                flash("Nothing changed.", "info")
            _flash_conflicts(item)
            return redirect(url_for(".edit_item", item_id=item.id), 303)
    return _item_page(item, form, status=422 if request.method == "POST" else 200)


@staff_bp.route("/sessions/<int:item_id>/speakers", methods=["POST"])
@staff_required
def add_speaker(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    speaker_form = AddSessionSpeakerForm(services.speakers_for_choice(), prefix="speaker")
    if not speaker_form.validate_on_submit():
        return _item_page(item, EditSessionForm.for_item(item), speaker_form, status=422)
    speaker = db.session.get(Speaker, speaker_form.speaker_id.data)
    services.add_speaker(item, speaker, role=speaker_form.role.data, position=speaker_form.position.data,
                         actor=current_user)
    db.session.commit()
    flash(f"{speaker.display_name} is on “{item.title}”.", "success")
    _flash_conflicts(item)
    return redirect(url_for(".edit_item", item_id=item.id), 303)


@staff_bp.route("/sessions/<int:item_id>/speakers/<int:link_id>/remove", methods=["POST"])
@staff_required
def remove_speaker(item_id, link_id):
    item = db.get_or_404(AgendaItem, item_id)
    link = db.get_or_404(SessionSpeaker, link_id)
    if link.item_id != item.id:
        abort(404)
    services.remove_speaker(item, link, actor=current_user)
    db.session.commit()
    flash("Removed the speaker.", "success")
    return redirect(url_for(".edit_item", item_id=item.id), 303)


def _status_change(item_id, change, done: str):
    item = db.get_or_404(AgendaItem, item_id)
    return status_change(item, change, refused=services.SessionProblem, done=done,
                         back=url_for(".edit_item", item_id=item.id))


@staff_bp.route("/sessions/<int:item_id>/cancel", methods=["POST"])
@staff_required
def cancel_item(item_id):
    return _status_change(item_id, services.cancel_item, "Cancelled “{row.title}”: it stays on the agenda, marked cancelled.")


@staff_bp.route("/sessions/<int:item_id>/restore", methods=["POST"])
@staff_required
def restore_item(item_id):
    return _status_change(item_id, services.restore_item, "Reinstated “{row.title}”.")


@staff_bp.route("/sessions/<int:item_id>/delete", methods=["POST"])
@staff_required
def delete_item(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, title = item.meeting_id, item.title
    try:
        services.delete_item(item, actor=current_user)
    except services.SessionProblem as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".edit_item", item_id=item.id), 303)
    db.session.commit()
    flash(f"Deleted the draft “{title}”.", "success")
    return redirect(url_for(".builder", meeting_id=meeting_id), 303)


@staff_bp.route("/meetings/<int:meeting_id>/publish", methods=["GET", "POST"])
@staff_required
def publish(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    items = meeting_items(meeting)
    conflicts = meeting_conflicts(meeting, items)
    form = PublishAgendaForm()
    status = 200
    if form.validate_on_submit():
        # The acknowledgement covers exactly the conflicts listed on the page the person read.
        seen = request.form.getlist("conflict_key") if form.accept_conflicts.data else []
        try:
            release = publish_agenda(meeting, actor=current_user, accept_conflicts=seen, note=form.note.data or "")
        except OpenConflicts:
            db.session.rollback()
            form.accept_conflicts.errors.append(
                "Tick the box to publish with these conflicts, or resolve them first." if not seen else
                "The conflicts changed since you loaded this page; read the list again.")
            items = meeting_items(meeting)
            conflicts = meeting_conflicts(meeting, items)
            status = 409 if seen else 422
        else:
            db.session.commit()
            if release is None:
                flash("Nothing changed since the last release; the agenda is published as it was.", "info")
            else:
                count = len(release.changes)
                flash(f"Published release {release.number} of the agenda ({count} change{'' if count == 1 else 's'}).",
                      "success")
            return redirect(url_for("meetings_staff.show_meeting", meeting_id=meeting.id), 303)
    elif request.method == "POST":
        status = 422
    releases = db.session.execute(db.select(AgendaRelease).where(AgendaRelease.meeting_id == meeting.id)
                                  .order_by(AgendaRelease.number.desc()).limit(10)).scalars().all()
    return render_template("staff/agenda/publish.html", meeting=meeting, form=form, conflicts=conflicts,
                           drafts=[i for i in items if i.status == "draft"], releases=releases), status


@staff_bp.route("/session-speakers/<int:link_id>/invite", methods=["POST"])
@staff_required
def invite(link_id):
    link = db.get_or_404(SessionSpeaker, link_id)
    form = InviteSpeakerForm()
    if not form.validate_on_submit():
        flash("The note is too long: at most 2,000 characters.", "error")
        return redirect(url_for(".edit_item", item_id=link.item_id), 303)
    try:
        invitations.invite(link, form.note.data or "", actor=current_user)
    except invitations.InvitationProblem as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Invited {link.speaker.display_name}: the email is on its way.", "success")
    return redirect(url_for(".edit_item", item_id=link.item_id), 303)


@staff_bp.route("/invitations/<int:invitation_id>/remind", methods=["POST"])
@staff_required
def remind(invitation_id):
    invitation = db.get_or_404(Invitation, invitation_id)
    if RemindSpeakerForm().validate_on_submit():
        try:
            invitations.remind(invitation, actor=current_user)
        except invitations.InvitationProblem as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"Reminded {invitation.speaker.display_name}.", "success")
    what = invitation_work.describe(invitation)
    if what is not None and what.meeting is not None:
        return redirect(url_for(".meeting_invitations", meeting_id=what.meeting.id), 303)
    webinar_id = invitation_work.webinar_id_of(invitation)
    return redirect(url_for("webinars_staff.edit_webinar", webinar_id=webinar_id) if webinar_id
                    else url_for("webinars_staff.list_webinars"), 303)


@staff_bp.route("/meetings/<int:meeting_id>/invitations")
@staff_required
def meeting_invitations(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    rows = invitations.meeting_invitations(meeting)
    counts = {status: sum(1 for r in rows if r.invitation and r.invitation.status == status)
              for status in ("invited", "accepted", "declined")}
    return render_template("staff/agenda/meeting_invitations.html", meeting=meeting, rows=rows, counts=counts,
                           not_invited=sum(1 for r in rows if r.invitation is None), remind_form=RemindSpeakerForm())
