"""The steps both JSON registration endpoints share (DESIGN's contract): the same checks in the
same order, the one error envelope, and 201 {"id", "status", "position"} for a new registration
and a repeat alike."""
from collections.abc import Callable

from flask import current_app, jsonify, request

from mipevents.core.text import TextProblem, clean_text
from mipevents.core.web import json_error
from mipevents.extensions import db
from mipevents.registration import services

# A registration is a few hundred bytes; a body over this is refused with a 413 before it is read.
MAX_BODY_BYTES = 64 * 1024


def rate_limit() -> str:
    return current_app.config["RATELIMIT_REGISTRATION"]


def register_from_json(event, noun: str, parse: Callable, field_errors: Callable):
    """Register from the request's JSON body for `event` (None when the slug is unknown).

    `parse(payload)` returns (form, type errors); `field_errors(form)` names the form's errors as
    the JSON fields are named."""
    if event is None or event.status == "draft" or event.cohort_id is not None:
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
        outcome = services.register(event, values, source="api")
    except services.RegistrationClosed:
        db.session.rollback()
        return json_error(409, "closed", f"Registration for this {noun} is closed.")
    db.session.commit()
    return jsonify({"id": outcome.registration_id, "status": outcome.status, "position": outcome.position}), 201
