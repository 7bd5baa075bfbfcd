"""Staff pages for webinar registrants: the list with search and counts, CSV export, attendance
import from the platform's report, and a message to all registrants through the outbox.
(Meeting registrants have their own pages in staff_meetings.py.)"""
import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from mipevents.accounts import audit
from mipevents.accounts.permissions import staff_required
from mipevents.core import vocabulary as vocab
from mipevents.core.text import csv_cell
from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.registration import attendance, emails, services
from mipevents.registration.forms import MessageRegistrantsForm
from mipevents.registration.models import Registration
from mipevents.registration.queries import registration_counts
from mipevents.webinars.models import Webinar

staff_bp = Blueprint("staff_registration", __name__, url_prefix="/staff")

STATUS_ORDER = {"confirmed": 0, "pending": 1, "waitlisted": 2, "declined": 3, "cancelled": 4}
MAX_REPORT_BYTES = 5 * 1024 * 1024


@staff_bp.route("/registrations/")
@staff_required
def index():
    webinars = db.session.execute(select(Webinar).order_by(Webinar.starts_at.desc(), Webinar.id)).scalars().all()
    return render_template("registration/staff/index.html", webinars=webinars,
                           counts=registration_counts([w.id for w in webinars]))


def registrants(webinar: Webinar, search: str = "") -> list[Registration]:
    """The webinar's registrations: confirmed, then waiting (in queue order), then the rest."""
    query = (select(Registration).join(Person, Registration.person_id == Person.id)
             .options(joinedload(Registration.person)).where(Registration.webinar_id == webinar.id))
    if search:
        like = f"%{search.strip()}%"
        query = query.where(or_(Registration.first_name.ilike(like), Registration.last_name.ilike(like),
                                Person.email.ilike(like), Registration.organization.ilike(like),
                                Registration.city.ilike(like)))
    rows = db.session.execute(query).scalars().all()
    return sorted(rows, key=lambda r: (STATUS_ORDER.get(r.status, 9), r.queued_at, r.id))


def waitlist_positions(rows: list[Registration]) -> dict[int, int]:
    """Queue positions among the waitlisted of an unfiltered list (one pass, no query per row)."""
    waiting = sorted((r for r in rows if r.status == "waitlisted"), key=lambda r: (r.queued_at, r.id))
    return {r.id: n for n, r in enumerate(waiting, start=1)}


@staff_bp.route("/webinars/<int:webinar_id>/registrants")
@staff_required
def webinar_registrants(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    search = (request.args.get("q") or "").strip()[:100]
    every = registrants(webinar)
    rows = registrants(webinar, search) if search else every
    return render_template("registration/staff/webinar_registrants.html", webinar=webinar, rows=rows,
                           search=search, counts=registration_counts([webinar.id])[webinar.id],
                           positions=waitlist_positions(every))


CSV_COLUMNS = ("id", "status", "waitlist_position", "first_name", "last_name", "email", "role", "title",
               "organization", "city", "state", "question", "registered_at", "confirmed_at", "cancelled_at",
               "attended_minutes", "source")


@staff_bp.route("/webinars/<int:webinar_id>/registrants.csv")
@staff_required
def export_registrants(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    rows = registrants(webinar)
    positions = waitlist_positions(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
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


@staff_bp.route("/webinars/<int:webinar_id>/message", methods=["GET", "POST"])
@staff_required
def message_registrants(webinar_id):
    webinar = db.get_or_404(Webinar, webinar_id)
    form = MessageRegistrantsForm()
    if form.validate_on_submit():
        statuses = ("confirmed", "waitlisted") if form.include_waitlisted.data else ("confirmed",)
        recipients = db.session.execute(
            select(Registration).options(joinedload(Registration.person))
            .where(Registration.webinar_id == webinar.id, Registration.status.in_(statuses))
            .order_by(Registration.id)
        ).scalars().all()
        for registration in recipients:
            emails.queue_message(registration, form.subject.data, form.body.data, actor=current_user)
        audit.record("webinar.message_registrants", webinar, actor=current_user,
                     summary=f"Emailed {len(recipients)} registrants: {form.subject.data}")
        db.session.commit()
        flash(f"Your message is queued for {len(recipients)} {'person' if len(recipients) == 1 else 'people'}.",
              "success")
        return redirect(url_for(".webinar_registrants", webinar_id=webinar.id), 303)
    status = 422 if request.method == "POST" else 200
    counts = registration_counts([webinar.id])[webinar.id]
    return render_template("registration/staff/message_registrants.html", webinar=webinar, form=form,
                           counts=counts), status


@staff_bp.route("/webinars/<int:webinar_id>/registrants/<int:registration_id>/cancel", methods=["POST"])
@staff_required
def cancel_registrant(webinar_id, registration_id):
    """Staff cancel one registration (the registrant is emailed; a freed seat goes to the next in line)."""
    registration = db.get_or_404(Registration, registration_id)
    if registration.webinar_id != webinar_id:
        abort(404)
    try:
        promoted = services.cancel(registration, by_staff=current_user)
    except services.NotAllowed:
        db.session.rollback()
        flash("That registration was already cancelled.", "warning")
    else:
        registration = db.session.get(Registration, registration_id)
        audit.record("registration.cancel", registration, actor=current_user,
                     summary=f"Cancelled the registration of {registration.name}")
        db.session.commit()
        moved = f" {promoted[0].name} moved up from the waitlist." if promoted else ""
        flash(f"Cancelled the registration of {registration.name}; they were emailed.{moved}", "success")
    return redirect(url_for(".webinar_registrants", webinar_id=webinar_id), 303)
