"""Staff pages for meetings (behind login, under /staff/)."""
from flask import Blueprint, render_template
from sqlalchemy import select

from mipevents.accounts.permissions import reviewer_required
from mipevents.extensions import db
from mipevents.meetings.models import Meeting

staff_bp = Blueprint("staff_meetings", __name__, url_prefix="/staff")


@staff_bp.route("/")
@reviewer_required
def dashboard():
    meetings = db.session.execute(select(Meeting).order_by(Meeting.starts_on.desc())).scalars().all()
    return render_template("staff/dashboard.html", meetings=meetings)
