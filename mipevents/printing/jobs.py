"""Building badges for a whole meeting in the background: a PrintJob row claimed once, its progress
written as it goes (so staff on any app host see "120 of 300"), the print view and the PDF stored on it."""
import logging
import threading

from flask import current_app, render_template
from sqlalchemy import update

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.printing import badges, pdf
from mipevents.printing.models import PrintJob

log = logging.getLogger("mipevents.printing")


def create_badge_job(meeting: Meeting, paper: str, registration_id: int | None = None) -> PrintJob:
    if paper not in badges.SHEETS:
        raise ValueError(f"unknown paper {paper!r}")
    job = PrintJob(meeting_id=meeting.id, kind="badges", paper=paper, registration_id=registration_id)
    db.session.add(job)
    db.session.flush()
    return job


def _progress(job_id: int):
    def tell(done: int, total: int) -> None:
        db.session.execute(update(PrintJob).where(PrintJob.id == job_id).values(done=done, total=total))
        db.session.commit()
    return tell


def render_badges(meeting: Meeting, sheet: badges.Sheet, made: list[badges.Badge], css_href: str) -> str:
    return render_template("printing/badges_pdf.html", meeting=meeting, sheet=sheet, pages=badges.pages(made, sheet),
                           css_href=css_href)


def run_job(job_id: int) -> bool:
    """Build one pending job (False when another worker claimed it first). Commits as it goes."""
    claimed = db.session.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.status == "pending")
                                 .values(status="running")).rowcount
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get(PrintJob, job_id)
    try:
        meeting = db.session.get(Meeting, job.meeting_id)
        registrations = badges.badge_registrations(meeting, job.registration_id)
        _progress(job_id)(0, len(registrations))
        made = badges.build_badges(meeting, registrations, progress=_progress(job_id))
        sheet = badges.SHEETS[job.paper]
        job.html = render_badges(meeting, sheet, made, css_href=current_app.static_url_path + "/css/print.css")
        if not pdf.pdf_unavailable():
            job.pdf = pdf.html_to_pdf(render_badges(meeting, sheet, made, css_href="css/print.css"))
        job.status, job.finished_at = "done", utcnow()
        db.session.commit()
    except Exception as exc:   # a failed build says why on the staff page instead of staying "running"
        db.session.rollback()
        log.exception("print job %s failed", job_id)
        db.session.execute(update(PrintJob).where(PrintJob.id == job_id)
                           .values(status="failed", error=f"{type(exc).__name__}: {exc}"[:500], finished_at=utcnow()))
        db.session.commit()
    return True


def start(app, job_id: int) -> threading.Thread:
    """Run the job in a thread of this process (the request that asked returns at once)."""
    def work():
        with app.app_context():
            try:
                run_job(job_id)
            finally:
                db.session.remove()
    thread = threading.Thread(target=work, name=f"print-job-{job_id}", daemon=True)
    thread.start()
    return thread
