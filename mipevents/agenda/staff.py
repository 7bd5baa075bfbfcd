"""Staff pages of the agenda: the builder grid (a day as rooms × time, moving sessions), publishing with
the conflict list and an explicit acknowledgement, and inviting speakers (each meeting's invitations,
with their A/V and travel, and a one-click reminder). Adding, editing, cancelling and previewing a
session are in staff_sessions.py, on this same blueprint."""
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from mipevents.accounts.permissions import staff_required
from mipevents.agenda import invitations, services
from mipevents.agenda.conflicts import Conflict, conflicting_ids
from mipevents.agenda.forms import (
    InviteSpeakerForm,
    MoveSessionForm,
    PublishAgendaForm,
    RemindSpeakerForm,
)
from mipevents.agenda.models import AgendaItem, AgendaRelease, Invitation, SessionSpeaker
from mipevents.agenda.publishing import OpenConflicts, changes_since_release, count_words, items_by_day, meeting_conflicts, meeting_items, publish_agenda
from mipevents.core.timeutil import to_local
from mipevents.core.web import form_action
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.workflows import invitations as invitation_work

staff_bp = Blueprint("agenda_staff", __name__, url_prefix="/staff")

ROW = timedelta(minutes=15)      # the builder grid's rows: a 75-minute panel spans five of them


def flash_conflicts(item: AgendaItem) -> None:
    for conflict in services.conflicts_for(item):
        flash(conflict.message, "warning")


def _grid(meeting: Meeting, items: list[AgendaItem], day: date) -> dict:
    """The day as quarter-hour rows (local time) × rooms. A session spans the rows of its duration;
    sessions that overlap in one room sit side by side in lanes of that room's column, so a
    double booking looks like one."""
    zone = meeting.timezone
    first, last = time(8), time(18)
    for item in items:
        start, end = to_local(item.starts_at, zone), to_local(item.ends_at, zone)
        first = min(first, start.time())
        last = max(last, end.time() if end.date() == day else time(23, 59))
    top = datetime.combine(day, time(first.hour, first.minute // 15 * 15))
    slots = []
    cursor = top
    while cursor < datetime.combine(day, last) and cursor.date() == day:
        slots.append(cursor.time())
        cursor += ROW
    rows = len(slots)

    def row_of(instant, round_up=False) -> int:
        local = to_local(instant, zone).replace(tzinfo=None)
        if local.date() != day:
            return 0 if local.date() < day else rows
        minutes = (local - top).total_seconds() / 60
        index = int(-(-minutes // 15)) if round_up else int(minutes // 15)
        return max(0, min(index, rows))

    columns = [(room.id, room.name) for room in meeting.rooms]
    if any(item.room_id is None for item in items):
        columns.append((None, "No room"))
    starts: dict = {}        # (room id, lane, row) -> (item, rows it spans)
    covered: set = set()     # (room id, lane, row) under a session that started above
    lanes: dict = {}
    for room_id, _ in columns:
        ends: list[int] = []     # per lane, the row where its last session ends
        for item in sorted((i for i in items if i.room_id == room_id), key=lambda i: (i.starts_at, i.id)):
            first_row = min(row_of(item.starts_at), rows - 1)
            last_row = max(min(row_of(item.ends_at, round_up=True), rows), first_row + 1)
            lane = next((n for n, end in enumerate(ends) if end <= first_row), len(ends))
            if lane == len(ends):
                ends.append(last_row)
            ends[lane] = last_row
            starts[(room_id, lane, first_row)] = (item, last_row - first_row)
            covered.update((room_id, lane, r) for r in range(first_row + 1, last_row))
        lanes[room_id] = max(len(ends), 1)
    body = []
    for r, slot in enumerate(slots):
        cells = []
        for room_id, _name in columns:
            for lane in range(lanes[room_id]):
                if (room_id, lane, r) in starts:
                    item, span = starts[(room_id, lane, r)]
                    cells.append({"item": item, "rowspan": span})
                elif (room_id, lane, r) not in covered:
                    cells.append({"room_id": room_id or 0})
        body.append((slot, cells))
    return {"columns": [(room_id, name, lanes[room_id]) for room_id, name in columns], "rows": body}


def _conflict_partners(conflicts: list[Conflict], items: list[AgendaItem]) -> dict[int, list[str]]:
    """{session id: the titles of the sessions it conflicts with} (room and speaker double bookings)."""
    titles = {item.id: item.title for item in items}
    partners: dict[int, list[str]] = {}
    for c in conflicts:
        for item_id in c.item_ids:
            for other in c.item_ids:
                if other != item_id and titles.get(other) not in partners.setdefault(item_id, []):
                    partners[item_id].append(titles.get(other, f"#{other}"))
    return partners


def _builder_page(meeting: Meeting, day: date | None, move_form=None, pending=None, moving=None, status=200):
    items = meeting_items(meeting)
    conflicts = meeting_conflicts(meeting, items)
    by_day = items_by_day(items, meeting.timezone)
    days = sorted(set(by_day) | {meeting.starts_on + timedelta(days=n)
                                 for n in range((meeting.ends_on - meeting.starts_on).days + 1)})
    day = day or days[0]
    if day not in days:
        abort(404)
    day_items = by_day.get(day, [])
    if move_form is None:
        move_form = MoveSessionForm(meeting, day_items, prefix="move", formdata=None, data={"day": day})
    move_form.show_sessions(meeting, day_items)
    return render_template("staff/agenda/builder.html", meeting=meeting, days=days, day=day, items=day_items,
                           grid=_grid(meeting, day_items, day), conflicts=conflicts,
                           conflicted=conflicting_ids(conflicts), partners=_conflict_partners(conflicts, items),
                           titles={i.id: i.title for i in items},
                           drafts=sum(1 for i in items if i.status == "draft"),
                           since=changes_since_release(meeting, items), move_form=move_form, pending=pending,
                           moving=moving, clashes=clashes(pending, moving.id if moving else None),
                           resubmit=resubmit()), status


@staff_bp.route("/meetings/<int:meeting_id>/agenda")
@staff_required
def builder(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        day = date.fromisoformat(request.args["day"]) if request.args.get("day") else None
    except ValueError:
        abort(404)
    return _builder_page(meeting, day)


def resubmit() -> list[tuple[str, str]]:
    """The fields of the post being confirmed, to send again with the confirmation."""
    if request.method != "POST":
        return []
    return [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm", "accept_conflict")]


def clashes(pending: list[Conflict] | None, item_id: int | None) -> list[str]:
    """The titles of the other sessions in the conflicts a change would make public."""
    ids = [i for c in pending or [] for i in c.item_ids if i != item_id]
    titles = []
    for other in dict.fromkeys(ids):
        row = db.session.get(AgendaItem, other)
        titles.append(row.title if row else f"#{other}")
    return titles


def unconfirmed(warned: list[Conflict]) -> list[Conflict]:
    """The conflicts a change would make public that the person has not confirmed: a confirmation
    covers exactly the conflicts listed on the page they read, sent with its own button."""
    accepted = set(request.form.getlist("accept_conflict")) if request.form.get("confirm") == "yes" else set()
    return [] if {c.key for c in warned} <= accepted else warned


@staff_bp.route("/meetings/<int:meeting_id>/agenda/move", methods=["POST"])
@staff_required
def move_item(meeting_id):
    """Move a session to another room, day or time, from the builder (a form: keyboard and no JavaScript).
    Moving a public session into a double booking asks for a confirmation first."""
    meeting = db.get_or_404(Meeting, meeting_id)
    form = MoveSessionForm(meeting, meeting_items(meeting), prefix="move")
    day = arg_date("day", request.form)
    if not form.validate_on_submit():
        return _builder_page(meeting, day, move_form=form, status=422)
    item = db.session.get(AgendaItem, form.item_id.data)
    try:
        new = services.move_values(item, day=form.day.data, starts=form.starts.data, room_id=form.room_id.data or None)
    except services.SessionProblem as exc:
        getattr(form, exc.field or "room_id", form.room_id).errors.append(str(exc))
        return _builder_page(meeting, day, move_form=form, status=422)
    pending = unconfirmed(services.conflicts_if_saved(item, new)) if item.is_public else []
    if pending:
        return _builder_page(meeting, day, move_form=form, pending=pending, moving=item, status=409)
    changed = services.move_item(item, new, actor=current_user)
    db.session.commit()
    if changed:
        public = " It is public at once." if item.is_public else ""
        flash(f"Moved “{item.title}” to {to_local(item.starts_at, meeting.timezone).strftime('%I:%M %p').lstrip('0')}"
              f" on {form.day.data:%b} {form.day.data.day}, {item.room.name if item.room else 'no room'}.{public}", "success")
    else:
        flash("Nothing changed: the session is already there.", "info")
    flash_conflicts(item)
    new_day = to_local(item.starts_at, meeting.timezone).date()
    return redirect(url_for(".builder", meeting_id=meeting.id, day=new_day.isoformat()), 303)


def arg_date(name, source=None):
    try:
        return date.fromisoformat((request.args if source is None else source).get(name, ""))
    except ValueError:
        return None



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
                flash(f"Published release {release.number} of the agenda ({count_words(len(release.changes), 'change')}).",
                      "success")
            return redirect(url_for("meetings_staff.show_meeting", meeting_id=meeting.id), 303)
    elif request.method == "POST":
        status = 422
    releases = db.session.execute(db.select(AgendaRelease).where(AgendaRelease.meeting_id == meeting.id)
                                  .order_by(AgendaRelease.number.desc()).limit(10)).scalars().all()
    return render_template("staff/agenda/publish.html", meeting=meeting, form=form, conflicts=conflicts,
                           drafts=[i for i in items if i.status == "draft"], releases=releases,
                           since=changes_since_release(meeting, items)), status


@staff_bp.route("/session-speakers/<int:link_id>/invite", methods=["POST"])
@staff_required
def invite(link_id):
    link = db.get_or_404(SessionSpeaker, link_id)
    return form_action(InviteSpeakerForm(), link, lambda row, form, actor: invitations.invite(row, form.note.data or "", actor=actor),
                       refused=invitations.InvitationProblem, done="Invited {row.speaker.display_name}: the email is on its way.",
                       back=url_for(".edit_item", item_id=link.item_id), invalid="The note is too long: at most 2,000 characters.")


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
    rows = invitation_work.meeting_invitations(meeting)    # sessions' speakers and showcase presenters
    counts = {status: sum(1 for r in rows if r.invitation and r.invitation.status == status)
              for status in ("invited", "accepted", "declined")}
    return render_template("staff/agenda/meeting_invitations.html", meeting=meeting, rows=rows, counts=counts,
                           not_invited=sum(1 for r in rows if r.invitation is None), remind_form=RemindSpeakerForm())
