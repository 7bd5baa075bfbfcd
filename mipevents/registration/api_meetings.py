"""POST /api/v1/meetings/<slug>/registrations: meeting registration as JSON (cookieless, so no CSRF
token; JSON only), answering 202 {"status": "received"} for a new registration and a repeat alike."""
from flask import Blueprint
from sqlalchemy import bindparam, select

from mipevents.extensions import csrf, db, limiter
from mipevents.meetings.models import Meeting
from mipevents.registration.json_requests import rate_limit, register_from_json
from mipevents.registration.meeting_forms import api_errors, form_from_json

# Built once: the statement object is reused by every request (no construction, no cache key work).
BY_SLUG = select(Meeting).where(Meeting.slug == bindparam("slug"))

api_bp = Blueprint("api_meeting_registration", __name__, url_prefix="/api/v1")


@api_bp.route("/meetings/<slug>/registrations", methods=["POST"])
@csrf.exempt
@limiter.limit(rate_limit, error_message="Too many registrations from this address. Wait a minute and try again.")
def register(slug):
    meeting = db.session.execute(BY_SLUG, {"slug": slug}).scalar_one_or_none()
    return register_from_json(meeting, "meeting", form_from_json, api_errors)
