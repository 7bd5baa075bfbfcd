"""Staff pages for one meeting's registrations (under /staff/meetings/<id>/registrations): the list
with filters and counts, approve/decline, the CSV for the venue, registration settings, the check-in
desk at the door, and the session change notices waiting to go out."""
import csv
import io
from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from mipevents.accounts import audit
from mipevents.accounts.permissions import staff_required
from mipevents.agenda.models import AgendaItem
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_time, to_local, utcnow
from mipevents.core.web import query_id
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration import notices, services, sessions
from mipevents.registration.meeting_forms import MEETING_TYPES, TYPE_LABELS, EditRegistrationSettingsForm
from mipevents.registration.models import Registration, SessionChoice

staff_bp = Blueprint("staff_meeting_registrations", __name__, url_prefix="/staff/meetings/<int:meeting_id>/registrations")

PAGE_SIZE = 200
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


# ---------------------------------------------------------------------------------------------- reading

def _filtered(meeting: Meeting, role: str, status: str):
    stmt = select(Registration).where(Registration.meeting_id == meeting.id)
    if role:
        stmt = stmt.where(Registration.role == role)
    if status:
        stmt = stmt.where(Registration.status == status)
    return stmt.order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)


def type_counts(meeting: Meeting) -> dict[str, Counter]:
    """Per registration type: how many in each status (one query)."""
    counts: dict[str, Counter] = {}
    for role, status, n in db.session.execute(
            select(Registration.role, Registration.status, func.count()).where(Registration.meeting_id == meeting.id)
            .group_by(Registration.role, Registration.status)).all():
        counts.setdefault(role, Counter())[status] = n
    return counts


@dataclass
class SessionCount:
    item: AgendaItem
    chosen: int        # confirmed registrants who picked it
    said: int          # registrants who said on the form they would join (receptions, site visits)


def session_counts(meeting: Meeting) -> list[SessionCount]:
    """Per published session a registrant picks or ticks: picks and form ticks (three queries)."""
    items = list(db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(("published", "cancelled")),
                                 AgendaItem.kind.in_((*sessions.CHOOSABLE_KINDS, "reception")))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars())
    chosen = sessions.taken(item.id for item in items)
    said: Counter = Counter()
    for extras in db.session.execute(
            select(Registration.extras).where(Registration.meeting_id == meeting.id, Registration.status == "confirmed")).scalars():
        said.update(int(i) for i in (extras or []) if str(i).isdigit())
    return [SessionCount(item, chosen.get(item.id, 0), said.get(item.id, 0)) for item in items]


@staff_bp.route("/")
@staff_required
def index(meeting_id):
    meeting = _meeting(meeting_id)
    role = request.args.get("type", "")
    status = request.args.get("status", "")
    if role not in dict(TYPE_CHOICES):
        role = ""
    if status not in vocab.REGISTRATION_STATUSES:
        status = ""
    page = request.args.get("page", 1, type=query_id)
    stmt = _filtered(meeting, role, status)
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return render_template(
        "registration/staff_meeting_registrations.html", meeting=meeting, rows=rows, total=total, page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), role=role, status=status, type_choices=TYPE_CHOICES,
        type_label=type_label, counts=type_counts(meeting), sessions=session_counts(meeting),
        seats_left=services.seats_left(meeting), confirmed=services.confirmed_count(meeting),
        pending_notices=len(notices.pending_changes(meeting.id)))


def _back(meeting: Meeting):
    """Back to the filtered list the action came from (a local path only)."""
    target = request.form.get("next", "")
    if not (target.startswith("/") and not target.startswith("//") and "\\" not in target):
        target = url_for(".index", meeting_id=meeting.id)
    return redirect(target)


@staff_bp.route("/<int:registration_id>/approve", methods=["POST"])
@staff_required
def approve(meeting_id, registration_id):
    meeting = _meeting(meeting_id)
    registration = _registration(meeting, registration_id)
    try:
        registration = services.approve(registration, actor=current_user)
    except services.NotAllowed as refused:
        db.session.rollback()
        flash(str(refused).capitalize() + ".", "error")
        return _back(meeting)
    audit.record("approve_registration", registration, actor=current_user, meeting_id=meeting.id,
                 summary=f"Approved {registration.name} ({registration.status})")
    db.session.commit()
    flash(f"{registration.name} is approved: {vocab.label(vocab.REGISTRATION_STATUSES, registration.status).lower()}.", "success")
    return _back(meeting)


@staff_bp.route("/<int:registration_id>/decline", methods=["POST"])
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

CSV_COLUMNS = ("id", "status", "type", "first_name", "last_name", "title", "organization", "city", "state", "email",
               "phone", "scheduler_email", "dietary_needs", "accessibility_needs", "receptions_and_site_visits",
               "sessions", "listed", "registered_at", "checked_in_at", "source")


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_bp.route("/export.csv")
@staff_required
def export_csv(meeting_id):
    meeting = _meeting(meeting_id)
    role = request.args.get("type", "")
    status = request.args.get("status", "")
    rows = db.session.execute(_filtered(meeting, role if role in dict(TYPE_CHOICES) else "",
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
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        extras = "; ".join(titles.get(int(i), "") for i in (r.extras or []) if str(i).isdigit())
        writer.writerow([_cell(v) for v in (
            r.id, vocab.label(vocab.REGISTRATION_STATUSES, r.status), type_label(r.role), r.first_name, r.last_name, r.title,
            r.organization, r.city, r.state, r.email, r.phone, r.scheduler_email, r.dietary_needs, r.accessibility_needs,
            extras, "; ".join(picks.get(r.id, [])), "yes" if r.is_listed else "no", local(r.created_at),
            local(r.checked_in_at), r.source)])
    filename = f"{meeting.slug}-registrations.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


# ---------------------------------------------------------------------------------------------- settings

@staff_bp.route("/settings", methods=["GET", "POST"])
@staff_required
def settings(meeting_id):
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
        return redirect(url_for(".index", meeting_id=meeting.id))
    status = 422 if request.method == "POST" else 200
    return render_template("registration/staff_meeting_settings.html", meeting=meeting, form=form), status


# ---------------------------------------------------------------------------------------------- check-in

def search_text(registration: Registration) -> str:
    """What the door's search looks in (the same words checkin.js filters on)."""
    return " ".join(p for p in (registration.first_name, registration.last_name, registration.organization,
                                registration.city, registration.title, registration.email) if p).casefold()


def matches(text: str, query: str) -> bool:
    """Every typed word begins some word of `text` ("ma ta" finds "Mayor Tacoma"); "@" words match emails."""
    words = text.replace("@", " @").replace(".", " ").split() + text.split()
    return all(any(w.startswith(term) for w in words) for term in query.casefold().split())


def check_in(registration: Registration, *, now=None) -> bool:
    """Mark arrival (once: a second tap keeps the first time). True if this tap checked them in."""
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = now or utcnow()
    db.session.flush()
    return True


def undo_check_in(registration: Registration) -> None:
    registration.checked_in_at = None
    db.session.flush()


@staff_bp.route("/check-in")
@staff_required
def checkin(meeting_id):
    meeting = _meeting(meeting_id)
    query = request.args.get("q", "").strip()[:100]
    rows = db.session.execute(
        select(Registration).where(Registration.meeting_id == meeting.id,
                                   Registration.status.in_(vocab.ACTIVE_REGISTRATION_STATUSES))
        .order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)).scalars().all()
    confirmed = [r for r in rows if r.status == "confirmed"]
    arrived = sum(1 for r in confirmed if r.checked_in_at)
    shown = [r for r in rows if matches(search_text(r), query)] if query else rows
    only_expected = request.args.get("expected") == "1"
    if only_expected:
        shown = [r for r in shown if r.status == "confirmed" and r.checked_in_at is None]
    done = db.session.get(Registration, request.args.get("done", type=query_id) or 0)
    if done is not None and done.meeting_id != meeting.id:
        done = None
    return render_template("registration/staff_meeting_checkin.html", meeting=meeting, rows=shown, query=query,
                           expected=len(confirmed) - arrived, arrived=arrived, confirmed=len(confirmed),
                           only_expected=only_expected, done=done, search_text=search_text, type_label=type_label,
                           format_time=format_time)


@staff_bp.route("/<int:registration_id>/check-in", methods=["POST"])
@staff_required
def check_in_one(meeting_id, registration_id):
    meeting = _meeting(meeting_id)
    registration = _registration(meeting, registration_id)
    if not registration.is_active:
        flash(f"{registration.name}'s registration is {registration.status}: not checked in.", "error")
        return redirect(url_for(".checkin", meeting_id=meeting.id))
    check_in(registration)
    db.session.commit()
    # The search is cleared for the next person; the page confirms who came in, with an undo.
    return redirect(url_for(".checkin", meeting_id=meeting.id, done=registration.id))


@staff_bp.route("/<int:registration_id>/undo-check-in", methods=["POST"])
@staff_required
def undo_check_in_one(meeting_id, registration_id):
    meeting = _meeting(meeting_id)
    registration = _registration(meeting, registration_id)
    undo_check_in(registration)
    db.session.commit()
    flash(f"{registration.name} is no longer checked in.", "info")
    return redirect(url_for(".checkin", meeting_id=meeting.id))


# ---------------------------------------------------------------------------------------------- notices

@staff_bp.route("/notices")
@staff_required
def pending_notices(meeting_id):
    meeting = _meeting(meeting_id)
    changes = notices.pending_changes(meeting.id)
    lines = {c.item.id: notices.describe(c.before, c.after, meeting.timezone) for c in changes}
    people = len({email for c in changes if c.changed for email in c.recipients})
    return render_template("registration/staff_meeting_notices.html", meeting=meeting, changes=changes, lines=lines,
                           people=people, quiet_minutes=int(notices.QUIET.total_seconds() // 60),
                           longest_minutes=int(notices.LONGEST_WAIT.total_seconds() // 60))


@staff_bp.route("/notices/send", methods=["POST"])
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
