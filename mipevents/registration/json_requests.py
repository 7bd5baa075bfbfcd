"""The steps both JSON registration endpoints share (DESIGN's contract): the same checks in the
same order, the one error envelope, and 202 {"status": "received"} for a new registration and a
repeat alike (the registrant's status reaches them by email, never whoever posted)."""
from collections.abc import Callable

from flask import current_app, jsonify, request

from mipevents.core.web import json_error
from mipevents.extensions import db
from mipevents.registration import services

RECEIVED = {"status": "received",
            "message": "Thank you: check your email. We have sent the registrant's status and private link to them."}


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
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error(400, "bad_request", "The body must be one JSON object.")
    if not services.is_open(event):
        return json_error(409, "closed", f"Registration for this {noun} is closed.")
    form, errors = parse(payload)
    valid = form.validate()
    errors = {**field_errors(form), **errors}
    if errors or not valid:
        return json_error(422, "invalid", "Some fields are missing or invalid.", errors)
    values = form.to_values()
    if "question" not in values:
        values["question"] = (payload.get("question") or "").strip()
    try:
        services.register(event, values, source="api")
    except services.RegistrationClosed:
        db.session.rollback()
        return json_error(409, "closed", f"Registration for this {noun} is closed.")
    db.session.commit()
    return jsonify(RECEIVED), 202
