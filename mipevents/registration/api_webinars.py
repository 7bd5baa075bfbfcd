"""POST /api/v1/webinars/<slug>/registrations: webinar registration as JSON for the organisation's
own website (cookieless, so no CSRF token; JSON only), with the page form's rules and validation.
Answers 201 {"id", "status", "position"} for a new registration and a repeat alike."""
from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from mipevents.core.web import json_error
from mipevents.extensions import csrf, db, limiter
from mipevents.registration import services
from mipevents.registration.forms import WebinarRegistrationFields
from mipevents.webinars.models import Webinar

api_bp = Blueprint("api_webinar_registration", __name__, url_prefix="/api/v1")

TEXT_FIELDS = ("first_name", "last_name", "email", "role", "title", "organization", "city", "state", "question")


def _limit() -> str:
    return current_app.config["RATELIMIT_REGISTRATION"]


def form_from_json(payload: dict) -> tuple[WebinarRegistrationFields, dict]:
    """The shared form filled from a JSON object, and the type errors found on the way."""
    errors: dict[str, list[str]] = {}
    data = MultiDict()
    for name in TEXT_FIELDS:
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[name] = ["Must be a string."]
            continue
        data[name] = value
    consent = payload.get("consent")
    if consent is not None and not isinstance(consent, bool):
        errors["consent"] = ["Must be true or false."]
    elif consent:
        data["consent"] = "y"
    return WebinarRegistrationFields(formdata=data, meta={"csrf": False}), errors


@api_bp.route("/webinars/<slug>/registrations", methods=["POST"])
@csrf.exempt
@limiter.limit(_limit, error_message="Too many registrations from this address. Wait a minute and try again.")
def register(slug):
    webinar = db.session.execute(select(Webinar).where(Webinar.slug == slug)).scalar_one_or_none()
    if webinar is None or webinar.status == "draft" or webinar.cohort_id is not None:
        return json_error(404, "not_found", "There is no public webinar with this slug.")
    if request.mimetype != "application/json":
        return json_error(415, "unsupported_media_type", "Send the registration as application/json.")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error(400, "bad_request", "The body must be one JSON object.")
    if not services.is_open(webinar):
        return json_error(409, "closed", "Registration for this webinar is closed.")
    form, type_errors = form_from_json(payload)
    form.validate()
    errors = {name: list(messages) for name, messages in form.errors.items()}
    errors.update(type_errors)
    if errors:
        return json_error(422, "invalid", "Some fields are missing or invalid.", errors)
    try:
        outcome = services.register(webinar, form.to_values(), source="api")
    except services.RegistrationClosed:
        db.session.rollback()
        return json_error(409, "closed", "Registration for this webinar is closed.")
    db.session.commit()
    registration = outcome.registration
    return jsonify({"id": registration.id, "status": registration.status,
                    "position": services.waitlist_position(registration)}), 201
