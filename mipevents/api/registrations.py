"""POST /api/v1/meetings/<slug>/registrations and /api/v1/webinars/<slug>/registrations: registration
as JSON for the organisation's own website (cookieless, so no CSRF token; JSON only), with the page
forms' rules. Both take the same steps in the same order (DESIGN's contract), answer with the one
error envelope, and 202 {"status": "received"} for a new registration and a repeat alike (the
registrant's status reaches them by email, never whoever posted)."""
from collections.abc import Callable

from flask import Blueprint, jsonify, request
from sqlalchemy import bindparam, select
from werkzeug.datastructures import MultiDict

from mipevents.core import visibility
from mipevents.core.text import TextProblem, clean_text
from mipevents.core.web import configured_limit, json_error
from mipevents.extensions import csrf, db, limiter
from mipevents.meetings.models import Meeting
from mipevents.registration import services
from mipevents.registration.forms import WebinarRegistrationFields, api_errors, form_from_json
from mipevents.webinars.models import Webinar

bp = Blueprint("api_registrations", __name__, url_prefix="/api/v1")

# Built once: the statement objects are reused by every request (no construction, no cache key work).
MEETING_BY_SLUG = select(Meeting).where(Meeting.slug == bindparam("slug"))
WEBINAR_BY_SLUG = select(Webinar).where(Webinar.slug == bindparam("slug"))
TOO_MANY = "Too many registrations from this address. Wait a minute and try again."
RECEIVED = {"status": "received",
            "message": "Thank you: check your email. We have sent the registrant's status and private link to them."}


# A registration is a few hundred bytes; a body over this is refused with a 413 before it is read.
MAX_BODY_BYTES = 64 * 1024


def register_from_json(event, noun: str, parse: Callable, field_errors: Callable):
    """Register from the request's JSON body for `event` (None when the slug is unknown).

    `parse(payload)` returns (form, type errors); `field_errors(form)` names the form's errors as
    the JSON fields are named."""
    if not visibility.is_public(event):
        return json_error(404, "not_found", f"There is no public {noun} with this slug.")
    if request.mimetype != "application/json":
        return json_error(415, "unsupported_media_type", "Send the registration as application/json.")
    request.max_content_length = MAX_BODY_BYTES
    payload = request.get_json(silent=True)   # None when not JSON or too deep; a body too large is a 413
    if not isinstance(payload, dict):
        return json_error(400, "bad_request", "The body must be one JSON object.")
    if not services.is_open(event):
        return json_error(409, "closed", f"Registration for this {noun} is closed.")
    form, errors = parse(payload)
    valid = form.validate()
    errors = {**field_errors(form), **errors}
    question = None
    if "question" not in form and "question" not in errors:
        try:
            question = clean_text(payload.get("question") or "", multiline=True, max_length=2000)
        except TextProblem as problem:
            errors["question"] = [str(problem)]
    if errors or not valid:
        return json_error(422, "invalid", "Some fields are missing or invalid.", errors)
    values = form.to_values()
    if question is not None:
        values["question"] = question
    try:
        services.register(event, values, source="api")
    except services.RegistrationClosed:
        db.session.rollback()
        return json_error(409, "closed", f"Registration for this {noun} is closed.")
    db.session.commit()
    return jsonify(RECEIVED), 202


TEXT_FIELDS = ("first_name", "last_name", "email", "role", "title", "organization", "city", "state", "question",
               "scheduler_email")


def webinar_form_from_json(payload: dict) -> tuple[WebinarRegistrationFields, dict]:
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


@bp.route("/meetings/<slug>/registrations", methods=["POST"])
@csrf.exempt
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), error_message=TOO_MANY)
def register_for_meeting(slug):
    meeting = db.session.execute(MEETING_BY_SLUG, {"slug": slug}).scalar_one_or_none()
    return register_from_json(meeting, "meeting", form_from_json, api_errors)


@bp.route("/webinars/<slug>/registrations", methods=["POST"])
@csrf.exempt
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), error_message=TOO_MANY)
def register_for_webinar(slug):
    webinar = db.session.execute(WEBINAR_BY_SLUG, {"slug": slug}).scalar_one_or_none()
    return register_from_json(webinar, "webinar", webinar_form_from_json,
                              lambda form: {name: list(messages) for name, messages in form.errors.items()})
