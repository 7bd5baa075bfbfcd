"""POST /api/v1/webinars/<slug>/registrations: webinar registration as JSON for the organisation's
own website (cookieless, so no CSRF token; JSON only), with the page form's rules and validation.
Answers 202 {"status": "received"} for a new registration and a repeat alike."""
from flask import Blueprint
from sqlalchemy import bindparam, select
from werkzeug.datastructures import MultiDict

from mipevents.extensions import csrf, db, limiter
from mipevents.registration.forms import WebinarRegistrationFields
from mipevents.registration.json_requests import rate_limit, register_from_json
from mipevents.webinars.models import Webinar

api_bp = Blueprint("api_webinar_registration", __name__, url_prefix="/api/v1")

# Built once: the statement object is reused by every request (no construction, no cache key work).
BY_SLUG = select(Webinar).where(Webinar.slug == bindparam("slug"))

TEXT_FIELDS = ("first_name", "last_name", "email", "role", "title", "organization", "city", "state", "question",
               "scheduler_email")


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
@limiter.limit(rate_limit, error_message="Too many registrations from this address. Wait a minute and try again.")
def register(slug):
    webinar = db.session.execute(BY_SLUG, {"slug": slug}).scalar_one_or_none()
    return register_from_json(webinar, "webinar", form_from_json,
                              lambda form: {name: list(messages) for name, messages in form.errors.items()})
