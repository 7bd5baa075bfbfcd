"""Staff's print pack for a meeting (behind login): badges built in the background with their
progress, for the whole meeting or one person, on US Letter or A4 label sheets; table tents; and each
speaker's briefing book (page, PDF, or emailed)."""
from flask import Blueprint, Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import undefer

from mipevents.accounts import audit
from mipevents.accounts.permissions import staff_required
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.printing import badges, briefing, emails, jobs, pdf
from mipevents.printing.models import PrintJob

staff_bp = Blueprint("printing_staff", __name__, url_prefix="/staff")

# Landscape pages for table tents, folded across the middle.
TENT_PAGES = {"letter": badges.Sheet("US Letter", ("11in", "8.5in"), ("11in", "8.5in"), 1, 1, "0", "0"),
              "a4": badges.Sheet("A4", ("297mm", "210mm"), ("297mm", "210mm"), 1, 1, "0", "0")}


def _paper() -> str:
    paper = request.values.get("paper", "letter")
    if paper not in badges.SHEETS:
        abort(400, "paper is letter or a4")
    return paper


def _pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@staff_bp.route("/meetings/<int:meeting_id>/print")
@staff_required
def print_pack(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    recent = db.session.execute(select(PrintJob).where(PrintJob.meeting_id == meeting.id)
                                .order_by(PrintJob.id.desc()).limit(5)).scalars().all()
    people = briefing.meeting_speaker_people(meeting)
    return render_template("printing/print_pack.html", meeting=meeting, jobs=recent, people=people,
                           sheets=badges.SHEETS, pdf_problem=pdf.pdf_unavailable(), form=FlaskForm(),
                           running=any(j.status in ("pending", "running") for j in recent))


@staff_bp.route("/meetings/<int:meeting_id>/badges", methods=["POST"])
@staff_required
def build_badges(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    registration_id = request.form.get("registration_id", type=int)
    job = jobs.create_badge_job(meeting, _paper(), registration_id)
    db.session.commit()
    if current_app.config["MIPEVENTS_PRINT_BACKGROUND"]:
        jobs.start(current_app._get_current_object(), job.id)
        flash("Building the badges: this page shows how far it is.", "info")
    else:
        jobs.run_job(job.id)
    return redirect(url_for(".print_pack", meeting_id=meeting.id), 303)


@staff_bp.route("/meetings/<int:meeting_id>/registrations/<int:registration_id>/badge", methods=["POST"])
@staff_required
def one_badge(meeting_id, registration_id):
    """One confirmed person's badge at once, for the check-in desk (a lost or misspelt badge): the PDF
    shown in the browser to print, or the print view where PDFs cannot be built. Its fresh check-in
    code replaces the one printed before."""
    meeting = db.get_or_404(Meeting, meeting_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    registrations = badges.badge_registrations(meeting, registration_id)
    if not registrations:
        abort(404, "Only a confirmed registrant of this meeting gets a badge.")
    paper = _paper()
    made = badges.build_badges(meeting, registrations)
    audit.record("registration.badge", registrations[0], actor=current_user, meeting_id=meeting.id,
                 summary=f"Printed a new badge for {registrations[0].name}; the old one no longer checks in")
    db.session.commit()
    if pdf.pdf_unavailable():
        response = make_response(jobs.render_badges(meeting, badges.SHEETS[paper], made,
                                                    css_href=url_for("static", filename="css/print.css")))
    else:
        response = _pdf_response(pdf.html_to_pdf(jobs.render_badges(meeting, badges.SHEETS[paper], made,
                                                                    css_href="css/print.css")),
                                 f"badge-{meeting.slug}-{registration_id}.pdf")
        response.headers["Content-Disposition"] = f'inline; filename="badge-{meeting.slug}-{registration_id}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _job(job_id) -> PrintJob:
    job = db.session.execute(select(PrintJob).options(undefer(PrintJob.pdf), undefer(PrintJob.html))
                             .where(PrintJob.id == job_id)).scalar_one_or_none()
    if job is None or job.status != "done":
        abort(404)
    return job


@staff_bp.route("/print-jobs/<int:job_id>.pdf")
@staff_required
def job_pdf(job_id):
    job = _job(job_id)
    if not job.pdf:
        abort(404)
    return _pdf_response(job.pdf, f"badges-{job.meeting_id}-{job.paper}.pdf")


@staff_bp.route("/print-jobs/<int:job_id>/print")
@staff_required
def job_print_view(job_id):
    response = make_response(_job(job_id).html or "")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@staff_bp.route("/meetings/<int:meeting_id>/tents")
@staff_required
def tents(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    return render_template("printing/tents_pdf.html", meeting=meeting, tents=badges.table_tents(meeting),
                           sheet=TENT_PAGES[_paper()], css_href=url_for("static", filename="css/print.css"))


@staff_bp.route("/meetings/<int:meeting_id>/tents.pdf")
@staff_required
def tents_pdf(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    if pdf.pdf_unavailable():
        abort(503, pdf.pdf_unavailable())
    paper = _paper()
    html = render_template("printing/tents_pdf.html", meeting=meeting, tents=badges.table_tents(meeting),
                           sheet=TENT_PAGES[paper], css_href="css/print.css")
    return _pdf_response(pdf.html_to_pdf(html), f"table-tents-{meeting.slug}-{paper}.pdf")


@staff_bp.route("/meetings/<int:meeting_id>/briefing/<int:person_id>")
@staff_required
def briefing_book(meeting_id, person_id):
    meeting, person = db.get_or_404(Meeting, meeting_id), db.get_or_404(Person, person_id)
    return render_template("printing/briefing_book.html", book=briefing.briefing_book(person, meeting),
                           pdf_url=url_for(".briefing_book_pdf", meeting_id=meeting.id, person_id=person.id),
                           pdf_problem=pdf.pdf_unavailable(), back_url=url_for(".print_pack", meeting_id=meeting.id))


@staff_bp.route("/meetings/<int:meeting_id>/briefing/<int:person_id>.pdf")
@staff_required
def briefing_book_pdf(meeting_id, person_id):
    meeting, person = db.get_or_404(Meeting, meeting_id), db.get_or_404(Person, person_id)
    if pdf.pdf_unavailable():
        abort(503, pdf.pdf_unavailable())
    return _pdf_response(briefing.briefing_pdf(person, meeting), f"briefing-{meeting.slug}-{person.id}.pdf")


@staff_bp.route("/meetings/<int:meeting_id>/briefing/<int:person_id>/send", methods=["POST"])
@staff_required
def send_briefing_book(meeting_id, person_id):
    meeting, person = db.get_or_404(Meeting, meeting_id), db.get_or_404(Person, person_id)
    if FlaskForm().validate_on_submit():
        emails.queue_briefing_book(person, meeting)
        db.session.commit()
        flash(f"Emailed the briefing book to {person.email}.", "success")
    return redirect(url_for(".print_pack", meeting_id=meeting.id), 303)
