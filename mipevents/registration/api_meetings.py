"""POST /api/v1/meetings/<slug>/registrations: meeting registration as JSON (cookieless, so no CSRF
token; JSON only), answering 201 {"id", "status", "position"} for a new registration and a repeat alike."""
from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from mipevents.core.web import json_error
from mipevents.extensions import csrf, db, limiter
from mipevents.meetings.models import Meeting
from mipevents.registration import services
from mipevents.registration.meeting_forms import api_errors, form_from_json

api_bp = Blueprint("api_meeting_registration", __name__, url_prefix="/api/v1")


def _limit() -> str:
    return current_app.config["RATELIMIT_REGISTRATION"]


def _error(status: int, code: str, message: str, errors: dict | None = None):
    return json_error(status, code, message, errors)


@api_bp.route("/meetings/<slug>/registrations", methods=["POST"])
@csrf.exempt
@limiter.limit(_limit, error_message="Too many registrations from this address. Wait a minute and try again.")
def register(slug):
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None or meeting.status == "draft" or meeting.cohort_id is not None:
        return _error(404, "not_found", "There is no public meeting with this slug.")
    if request.mimetype != "application/json":
        return _error(415, "unsupported_media_type", "Send the registration as application/json.")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _error(400, "bad_request", "The body must be one JSON object.")
    if not services.is_open(meeting):
        return _error(409, "closed", "Registration for this meeting is closed.")
    form, errors = form_from_json(payload)
    valid = form.validate()
    errors = {**api_errors(form), **errors}
    if errors or not valid:
        return _error(422, "invalid", "Some fields are missing or invalid.", errors)
    values = form.to_values()
    values["question"] = (payload.get("question") or "").strip()
    try:
        outcome = services.register(meeting, values, source="api")
    except services.RegistrationClosed:
        db.session.rollback()
        return _error(409, "closed", "Registration for this meeting is closed.")
    db.session.commit()
    registration = outcome.registration
    body = {"id": registration.id, "status": registration.status, "position": services.waitlist_position(registration)}
    return jsonify(body), 201
