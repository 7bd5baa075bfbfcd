"""Public pages: the home page and the meeting page."""
from flask import Blueprint, abort, render_template
from sqlalchemy import select

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.webinars.models import Webinar

bp = Blueprint("meetings", __name__)


@bp.route("/")
def home():
    today = utcnow().date()
    meetings = db.session.execute(
        select(Meeting).where(Meeting.status.in_(("published", "cancelled"))).order_by(Meeting.starts_on)
    ).scalars().all()
    webinars = db.session.execute(
        select(Webinar).where(Webinar.status.in_(("published", "cancelled")), Webinar.cohort_id.is_(None),
                              Webinar.ends_at >= utcnow()).order_by(Webinar.starts_at)
    ).scalars().all()
    upcoming = [m for m in meetings if m.ends_on >= today]
    past = [m for m in reversed(meetings) if m.ends_on < today]
    return render_template("meetings/home.html", upcoming=upcoming, past=past, webinars=webinars)


def public_meeting_or_404(slug: str) -> Meeting:
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None or not meeting.is_public:
        abort(404)
    return meeting


@bp.route("/meetings/<slug>/")
def show_meeting(slug):
    meeting = public_meeting_or_404(slug)
    return render_template("meetings/show_meeting.html", meeting=meeting)
