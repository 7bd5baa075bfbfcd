"""Staff pages for registrations (under /staff/; the hub and the per-person actions are staff_hub's):
a meeting's registrants (the list with filters, search and counts, decline, the CSV for the venue, registration settings, the check-in desk at the
door, the session change notices waiting to go out) and a webinar's (the list with search and
counts, CSV export, attendance from the platform's report; the message to them is staff_hub's)."""
import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from mipevents.accounts import audit
from mipevents.accounts.permissions import staff_required
from mipevents.agenda.models import AgendaItem
from mipevents.core import vocabulary as vocab
from mipevents.core.text import csv_cell
from mipevents.core.timeutil import format_time, to_local
from mipevents.core.web import query_id
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration import attendance, checkin_codes, queries, services, sessions
from mipevents.registration.forms import MEETING_TYPES, TYPE_LABELS, EditRegistrationSettingsForm
from mipevents.registration.models import Registration, SessionChoice
from mipevents.webinars.models import Webinar
from mipevents.workflows import change_notices as notices

staff_bp = Blueprint("registration_staff", __name__, url_prefix="/staff")


MAX_REPORT_BYTES = 5 * 1024 * 1024


@staff_bp.route("/webinars/<int:webinar_id>/registrants")
@staff_required
def webinar_registrants(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    search = (request.args.get("q") or "").strip()[:100]
    # Paged by the database: a webinar of thousands answers as fast as one of ten.
    page = queries.page_of(queries.webinar_list(webinar, search), request.args.get("page", 1, type=query_id),
                           PAGE_SIZE, one_scan=bool(search))
    return render_template("registration/staff/webinar_registrants.html", webinar=webinar, rows=page.rows, page=page,
                           search=search, counts=queries.registration_counts([webinar.id])[webinar.id],
                           positions=queries.waitlist_places(webinar, [r.id for r in page.rows if r.status == "waitlisted"]))


WEBINAR_CSV_COLUMNS = ("id", "status", "waitlist_position", "first_name", "last_name", "email", "role", "title",
               "organization", "city", "state", "question", "registered_at", "confirmed_at", "cancelled_at",
               "attended_minutes", "source")


@staff_bp.route("/webinars/<int:webinar_id>/registrants.csv")
@staff_required
def export_registrants(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    rows = queries.registrants(webinar)
    positions = queries.waitlist_positions(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(WEBINAR_CSV_COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(v) for v in (
            r.id, vocab.label(vocab.REGISTRATION_STATUSES, r.status), positions.get(r.id), r.first_name, r.last_name,
            r.person.email, vocab.label(vocab.REGISTRATION_ROLES, r.role), r.title, r.organization, r.city, r.state,
            r.question, r.created_at, r.confirmed_at, r.cancelled_at, r.attended_minutes, r.source)])
    audit.record("webinar.export_registrants", webinar, actor=current_user, summary=f"Exported {len(rows)} registrants")
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{webinar.slug}-registrants.csv"',
        "Cache-Control": "no-store"})


@staff_bp.route("/webinars/<int:webinar_id>/attendance", methods=["GET", "POST"])
@staff_required
def import_attendance(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    result, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("report")
        data = upload.read(MAX_REPORT_BYTES + 1) if upload else b""
        if not data:
            error, status = "Choose the attendee report (a .csv file) to import.", 422
        elif len(data) > MAX_REPORT_BYTES:
            error, status = "That file is larger than 5 MB: is it the attendee report?", 422
        else:
            try:
                result = attendance.import_attendance(webinar, data.decode("utf-8-sig", errors="replace"),
                                                      actor=current_user)
            except attendance.ReportProblem as exc:
                db.session.rollback()
                error, status = f"We could not read this file: {exc}.", 422
            else:
                db.session.commit()
    return render_template("registration/staff/import_attendance.html", webinar=webinar, result=result,
                           error=error), status


# ---------------------------------------------------------------------------------------------- meetings

# People on one page of a staff list: 100 rows with their actions stay well under 200 KB.
PAGE_SIZE = 100
TYPE_CHOICES = [*MEETING_TYPES, ("other", "Other")]


def _meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def _registration(meeting: Meeting, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        abort(404)
    return registration


def type_label(role: str) -> str:
    return TYPE_LABELS.get(role) or vocab.label(vocab.REGISTRATION_ROLES, role)


@staff_bp.route("/meetings/<int:meeting_id>/registrations/")
@staff_required
def meeting_registrations(meeting_id):
    meeting = _meeting(meeting_id)
    role = request.args.get("type", "")
    status = request.args.get("status", "")
    if role not in dict(TYPE_CHOICES):
        role = ""
    if status not in vocab.REGISTRATION_STATUSES:
        status = ""
    search = (request.args.get("q") or "").strip()[:100]
    page = request.args.get("page", 1, type=query_id)
    found = queries.page_of(queries.meeting_registrations(meeting, role, status, search), page, PAGE_SIZE,
                            one_scan=bool(search))
    return render_template(
        "registration/staff_meeting_registrations.html", meeting=meeting, rows=found.rows, total=found.total,
        page=found.number, pages=found.pages, role=role, status=status, search=search, type_choices=TYPE_CHOICES,
        type_label=type_label, counts=queries.type_counts(meeting), sessions=queries.session_counts(meeting),
        seats_left=queries.seats_left(meeting), confirmed=queries.confirmed_count(meeting),
        pending_notices=len(notices.pending_changes(meeting.id)))


def _back(meeting: Meeting):
    """Back to the filtered list the action came from (a local path only)."""
    target = request.form.get("next", "")
    if not (target.startswith("/") and not target.startswith("//") and "\\" not in target):
        target = url_for(".meeting_registrations", meeting_id=meeting.id)
    return redirect(target)


@staff_bp.route("/meetings/<int:meeting_id>/registrations/<int:registration_id>/decline", methods=["POST"])
@staff_required
def decline(meeting_id, registration_id):
    meeting = _meeting(meeting_id)
    registration = _registration(meeting, registration_id)
    try:
        services.decline(registration, actor=current_user)
    except services.NotAllowed as refused:
        db.session.rollback()
        flash(str(refused).capitalize() + ".", "error")
        return _back(meeting)
    sessions.drop_choices(registration)
    audit.record("decline_registration", registration, actor=current_user, meeting_id=meeting.id,
                 summary=f"Declined {registration.name}")
    db.session.commit()
    flash(f"{registration.name} is declined; they get an email saying so.", "success")
    return _back(meeting)


# ---------------------------------------------------------------------------------------------- export

MEETING_CSV_COLUMNS = ("id", "status", "type", "first_name", "last_name", "title", "organization", "city", "state", "email",
               "phone", "scheduler_email", "dietary_needs", "accessibility_needs", "receptions_and_site_visits",
               "sessions", "listed", "registered_at", "checked_in_at", "source")


@staff_bp.route("/meetings/<int:meeting_id>/registrations/export.csv")
@staff_required
def export_meeting_csv(meeting_id):
    meeting = _meeting(meeting_id)
    role = request.args.get("type", "")
    status = request.args.get("status", "")
    rows = db.session.execute(queries.meeting_registrations(meeting, role if role in dict(TYPE_CHOICES) else "",
                                        status if status in vocab.REGISTRATION_STATUSES else "")).scalars().all()
    titles = dict(db.session.execute(select(AgendaItem.id, AgendaItem.title).where(AgendaItem.meeting_id == meeting.id)).all())
    picks: dict[int, list[str]] = {}
    for registration_id, item_id in db.session.execute(
            select(SessionChoice.registration_id, SessionChoice.item_id).join(AgendaItem, AgendaItem.id == SessionChoice.item_id)
            .where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.starts_at)).all():
        picks.setdefault(registration_id, []).append(titles.get(item_id, ""))

    def local(instant):
        return to_local(instant, meeting.timezone).strftime("%Y-%m-%d %H:%M") if instant else ""

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEETING_CSV_COLUMNS)
    for r in rows:
        extras = "; ".join(titles.get(int(i), "") for i in (r.extras or []) if str(i).isdigit())
        writer.writerow([csv_cell(v) for v in (
            r.id, vocab.label(vocab.REGISTRATION_STATUSES, r.status), type_label(r.role), r.first_name, r.last_name, r.title,
            r.organization, r.city, r.state, r.email, r.phone, r.scheduler_email, r.dietary_needs, r.accessibility_needs,
            extras, "; ".join(picks.get(r.id, [])), "yes" if r.is_listed else "no", local(r.created_at),
            local(r.checked_in_at), r.source)])
    filename = f"{meeting.slug}-registrations.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# ---------------------------------------------------------------------------------------------- settings

@staff_bp.route("/meetings/<int:meeting_id>/registrations/settings", methods=["GET", "POST"])
@staff_required
def meeting_settings(meeting_id):
    meeting = _meeting(meeting_id)
    form = EditRegistrationSettingsForm()
    if request.method == "GET":
        form.fill_from(meeting)
    if form.validate_on_submit():
        values = form.to_values(meeting)
        before = {"capacity": meeting.capacity, "approval_roles": list(meeting.approval_roles or []),
                  "registration_opens_at": str(meeting.registration_opens_at or ""),
                  "registration_closes_at": str(meeting.registration_closes_at or "")}
        for key, value in values.items():
            setattr(meeting, key, value)
        audit.record("registration_settings", meeting, actor=current_user, meeting_id=meeting.id,
                     summary=f"Registration settings of {meeting.name}", before=before,
                     after={**values, "registration_opens_at": str(values["registration_opens_at"] or ""),
                            "registration_closes_at": str(values["registration_closes_at"] or "")})
        db.session.commit()
        # More seats: the waitlist moves up, in a transaction of its own (it takes the capacity lock).
        promoted = services.promote_waitlist(meeting)
        db.session.commit()
        flash("Registration settings saved." + (f" {len(promoted)} moved up from the waitlist." if promoted else ""), "success")
        return redirect(url_for(".meeting_registrations", meeting_id=meeting.id))
    status = 422 if request.method == "POST" else 200
    return render_template("registration/staff_meeting_settings.html", meeting=meeting, form=form), status


# People on one page of the check-in desk: a search usually finds one or two.
DOOR_PAGE_SIZE = 50


@staff_bp.route("/meetings/<int:meeting_id>/registrations/check-in")
@staff_required
def checkin(meeting_id):
    meeting = _meeting(meeting_id)
    query = request.args.get("q", "").strip()[:100]
    if checkin_codes.is_code(query):
        # A badge's QR code, typed by a scanner (or read by the camera): check that person in at once.
        found = checkin_codes.registration_for_code(query, meeting.id)
        if found is None or not found.is_active:
            flash("This badge's code does not check anyone in at this meeting (it was replaced, or the "
                  "registration is cancelled). Search by name instead.", "error")
            return redirect(url_for(".checkin", meeting_id=meeting.id))
        attendance.check_in(found)
        db.session.commit()
        return redirect(url_for(".checkin", meeting_id=meeting.id, done=found.id))
    only_expected = request.args.get("expected") == "1"
    # The search and the pages are the database's: a meeting of thousands answers as fast as one of ten.
    page = queries.page_of(queries.door_list(meeting, query, only_expected),
                           request.args.get("page", 1, type=query_id), DOOR_PAGE_SIZE, one_scan=bool(query))
    confirmed, arrived = queries.door_counts(meeting)
    done = db.session.get(Registration, request.args.get("done", type=query_id) or 0)
    if done is not None and done.meeting_id != meeting.id:
        done = None
    return render_template("registration/staff_meeting_checkin.html", meeting=meeting, page=page, rows=page.rows,
                           query=query, expected=confirmed - arrived, arrived=arrived, confirmed=confirmed,
                           only_expected=only_expected, done=done, search_text=attendance.search_text,
                           type_label=type_label, format_time=format_time)


@staff_bp.route("/meetings/<int:meeting_id>/registrations/<int:registration_id>/check-in", methods=["POST"])
@staff_required
def check_in_one(meeting_id, registration_id):
    meeting = _meeting(meeting_id)
    registration = _registration(meeting, registration_id)
    if not registration.is_active:
        flash(f"{registration.name}'s registration is {registration.status}: not checked in.", "error")
        return redirect(url_for(".checkin", meeting_id=meeting.id))
    attendance.check_in(registration)
    db.session.commit()
    # The search is cleared for the next person; the page confirms who came in, with an undo.
    return redirect(url_for(".checkin", meeting_id=meeting.id, done=registration.id))


@staff_bp.route("/meetings/<int:meeting_id>/registrations/<int:registration_id>/undo-check-in", methods=["POST"])
@staff_required
def undo_check_in_one(meeting_id, registration_id):
    meeting = _meeting(meeting_id)
    registration = _registration(meeting, registration_id)
    attendance.undo_check_in(registration)
    db.session.commit()
    flash(f"{registration.name} is no longer checked in.", "info")
    return redirect(url_for(".checkin", meeting_id=meeting.id))


# ---------------------------------------------------------------------------------------------- notices

@staff_bp.route("/meetings/<int:meeting_id>/registrations/notices")
@staff_required
def pending_notices(meeting_id):
    meeting = _meeting(meeting_id)
    changes = notices.pending_changes(meeting.id)
    lines = {c.item.id: notices.change_lines(c.before, c.after, meeting.timezone) for c in changes}
    people = len({email for c in changes if c.changed for email in c.recipients})
    return render_template("registration/staff_meeting_notices.html", meeting=meeting, changes=changes, lines=lines,
                           people=people, quiet_minutes=int(notices.QUIET.total_seconds() // 60),
                           longest_minutes=int(notices.LONGEST_WAIT.total_seconds() // 60))


@staff_bp.route("/meetings/<int:meeting_id>/registrations/notices/send", methods=["POST"])
@staff_required
def send_notices(meeting_id):
    meeting = _meeting(meeting_id)
    try:
        queued = notices.queue_change_notices(meeting_id=meeting.id, force=True)
    except notices.AlreadyQueued:
        db.session.rollback()
        flash("These notices were just sent by another run.", "info")
        return redirect(url_for(".pending_notices", meeting_id=meeting.id))
    audit.record("send_change_notices", meeting, actor=current_user, meeting_id=meeting.id,
                 summary=f"Sent session change notices now ({queued} emails)")
    db.session.commit()
    flash(f"{queued} emails about session changes are on their way.", "success")
    return redirect(url_for(".pending_notices", meeting_id=meeting.id))
