"""The OpenAPI 3.0 document of the API: every public endpoint, the two JSON registration
endpoints exactly as DESIGN.md's contract defines them, and the schedule exports."""
from mipevents.core import vocabulary as vocab
from mipevents.registration.forms import LIMITS, MEETING_TYPES, WEBINAR_ROLES

VERSION = "1.1.0"
DEMO_MEETING = "winter-2025"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
INSTANT = {"type": "string", "format": "date-time", "description": "UTC, e.g. 2025-01-22T14:00:00Z"}
LOCAL = {"type": "string", "format": "date-time", "description": "Wall-clock time in the event's zone, with its UTC offset"}
DAY = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}


def _object(properties: dict, required: list | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, **extra}


def _links(*names: str) -> dict:
    return _object({name: URL for name in names})


ERROR = _object({
    "error": {"type": "string", "description": "A short machine-readable code (not_found, invalid, …)"},
    "message": {"type": "string", "description": "What went wrong, in words"},
    "errors": {"type": "object", "description": "Only for field problems: messages per field",
               "additionalProperties": {"type": "array", "items": {"type": "string"}}},
}, required=["error", "message"])

PAGE_META = _object({"total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 1},
                     "offset": {"type": "integer", "minimum": 0}})
PAGE_LINKS = _object({"self": URL, "first": URL, "last": URL, "prev": _nullable(URL), "next": _nullable(URL)})

SPEAKER_SUMMARY = {
    "id": {"type": "integer"}, "name": STRING, "honorific": STRING, "display_name": STRING, "position": STRING,
    "organization": STRING, "city": STRING, "state": STRING,
}
SPEAKER_ROLE = {"type": "string", "enum": list(vocab.SPEAKER_ROLES)}

# Public materials only (registrants-only files never appear in the API).
MATERIALS = {"type": "array", "description": "Public slides, documents, recordings and links, after the event",
             "items": _object({"title": STRING, "kind": {"type": "string", "enum": ["file", "link", "recording"]},
                               "url": URL})}

SCHEMAS = {
    "Error": ERROR,
    "Meeting": _object({
        "id": {"type": "integer"}, "slug": STRING, "name": STRING,
        "kind": {"type": "string", "enum": list(vocab.MEETING_KINDS)}, "kind_label": STRING,
        "status": {"type": "string", "enum": ["published", "cancelled"]},
        "starts_on": DAY, "ends_on": DAY, "timezone": {"type": "string", "example": "America/New_York"},
        "zone_abbrev": {"type": "string", "example": "ET"},
        "city": STRING, "state": STRING, "venue": STRING, "address": STRING, "description": STRING,
        "panel_topics": {"type": "array", "items": STRING},
        "agenda_release": {"type": "integer", "description": "Number of the latest published release of the agenda"},
        "agenda_published_at": _nullable(INSTANT), "registration_opens_at": _nullable(INSTANT),
        "registration_closes_at": _nullable(INSTANT),
        "links": _links("self", "html", "sessions", "speakers", "showcase", "registrations", "agenda_ics",
                        "schedule_xml", "schedule_json"),
    }),
    "SessionSpeaker": _object({**SPEAKER_SUMMARY, "role": SPEAKER_ROLE, "role_label": STRING,
                               "links": _links("self", "html")}),
    "Session": _object({
        "id": {"type": "integer"}, "meeting": {"type": "string", "description": "The meeting's slug"},
        "title": STRING, "description": STRING,
        "kind": {"type": "string", "enum": list(vocab.SESSION_KINDS)}, "kind_label": STRING, "track": STRING,
        "status": {"type": "string", "enum": ["published", "cancelled"]}, "is_cancelled": {"type": "boolean"},
        "press_status": {"type": "string", "enum": list(vocab.PRESS_STATUSES)},
        "starts_at": INSTANT, "ends_at": INSTANT, "starts_at_local": LOCAL, "ends_at_local": LOCAL,
        "day": {**DAY, "description": "The local day the session starts on"},
        "timezone": STRING, "zone_abbrev": STRING, "duration_minutes": {"type": "integer", "minimum": 0},
        "room": _nullable(_object({"id": {"type": "integer"}, "name": STRING})),
        "location": {**_nullable(_object({"name": STRING, "address": STRING,
                                          "latitude": _nullable({"type": "number", "minimum": -90, "maximum": 90}),
                                          "longitude": _nullable({"type": "number", "minimum": -180, "maximum": 180})})),
                     "description": "An off-site session's own place (a site visit, a reception at another venue); null at the venue"},
        "speakers": {"type": "array", "items": _ref("SessionSpeaker")},
        "sequence": {"type": "integer", "description": "Rises with every published change to time, place, title or status"},
        "materials": MATERIALS,
        "links": _links("self", "html", "ics"),
    }),
    "Speaker": _object({**SPEAKER_SUMMARY, "bio": STRING, "photo_url": _nullable(URL), "links": _links("self", "html")}),
    "SpeakerRole": _object({
        "role": SPEAKER_ROLE, "role_label": STRING,
        "session": _object({"id": {"type": "integer"}, "title": STRING,
                            "kind": {"type": "string", "enum": list(vocab.SESSION_KINDS)},
                            "status": {"type": "string", "enum": ["published", "cancelled"]},
                            "starts_at": INSTANT, "ends_at": INSTANT, "starts_at_local": LOCAL, "timezone": STRING,
                            "links": _links("self", "html")}),
        "meeting": _object({"slug": STRING, "name": STRING, "links": _links("self")}),
    }),
    "MeetingSpeaker": {"allOf": [_ref("Speaker"), _object({"roles": {"type": "array", "items": _ref("SpeakerRole")}})]},
    "SpeakerWebinar": _object({
        "id": {"type": "integer"}, "slug": STRING, "title": STRING,
        "status": {"type": "string", "enum": ["published", "cancelled"]}, "role": {"type": "string", "enum": ["presenter"]},
        "starts_at": INSTANT, "ends_at": INSTANT, "starts_at_local": LOCAL, "timezone": STRING,
        "links": _links("self", "html"),
    }),
    "SpeakerProfile": {"allOf": [_ref("Speaker"), _object({"roles": {"type": "array", "items": _ref("SpeakerRole")},
                                                           "webinars": {"type": "array", "items": _ref("SpeakerWebinar")}})]},
    "ShowcaseSlot": _object({
        "id": {"type": "integer"}, "order": {"type": "integer", "minimum": 1}, "title": STRING, "summary": STRING,
        "topic": STRING, "link_url": _nullable(STRING),
        "presenter": _object({"name": STRING, "city": STRING, "state": STRING,
                              "speaker_id": _nullable({"type": "integer"}),
                              "links": _nullable(_links("self", "html"))}),
        "duration_seconds": {"type": "integer", "minimum": 1},
        "materials": MATERIALS,
        "planned_starts_at": INSTANT, "planned_ends_at": INSTANT, "planned_starts_at_local": LOCAL, "timezone": STRING,
        "session": _object({"id": {"type": "integer"}, "title": STRING,
                            "status": {"type": "string", "enum": ["published", "cancelled"]}, "links": _links("self")}),
    }),
    "Webinar": _object({
        "id": {"type": "integer"}, "slug": STRING, "title": STRING, "description": STRING,
        "presenters": {**STRING, "description": "The presenters as one text, a line each"},
        "speakers": {"type": "array", "description": "The presenters' speaker profiles, in order",
                     "items": _object({**SPEAKER_SUMMARY, "role": {"type": "string", "enum": ["presenter"]},
                                       "links": _links("self", "html")})},
        "status": {"type": "string", "enum": ["published", "cancelled"]},
        "starts_at": INSTANT, "ends_at": INSTANT, "starts_at_local": LOCAL, "ends_at_local": LOCAL,
        "timezone": STRING, "zone_abbrev": STRING,
        "registration_closes_at": {**INSTANT, "description": "Registration closes then (at the start at the latest)"},
        "materials": MATERIALS,
        "links": _links("self", "html", "ics", "registrations"),
    }),
    "Received": _object({
        "status": {"type": "string", "enum": ["received"]},
        "message": STRING,
    }),
}


def _list_of(item: str) -> dict:
    return _object({"data": {"type": "array", "items": _ref(item)}, "meta": PAGE_META, "links": PAGE_LINKS})


SCHEMAS.update({
    "MeetingList": _list_of("Meeting"), "SessionList": _list_of("Session"),
    "MeetingSpeakerList": _list_of("MeetingSpeaker"), "WebinarList": _list_of("Webinar"),
    "ShowcaseLineup": _object({"meeting": STRING, "data": {"type": "array", "items": _ref("ShowcaseSlot")}}),
})

def _text(limit: int, **extra) -> dict:
    return {"type": "string", "maxLength": limit, **extra}


# What the text rule (core.text) keeps of a required field must not be empty: it holds a letter,
# digit or sign, not only spaces or control characters (which are dropped).
VISIBLE = {"minLength": 1, "pattern": "[^\\s\\x00-\\x1f\\x7f-\\x9f\\ufffe\\uffff]"}
CONSENT = {"type": "boolean", "enum": [True], "description": "Must be true: the registrant agrees to the privacy notice"}


# The field rules are the registration area's own (its forms validate page and JSON alike).
_WEBINAR_FIELDS = {
    "first_name": _text(LIMITS["first_name"], **VISIBLE), "last_name": _text(LIMITS["last_name"], **VISIBLE),
    "email": _text(LIMITS["email"], format="email"),
    "role": {"type": "string", "enum": list(WEBINAR_ROLES)},
    "title": _text(LIMITS["title"]), "organization": _text(LIMITS["organization"]),
    "city": _text(LIMITS["city"]), "state": _text(LIMITS["state"]),
    "consent": CONSENT,
    "question": _text(LIMITS["question"], description="Optional: a question for the presenters"),
    "scheduler_email": _text(LIMITS["scheduler_email"], format="email",
                             description="Optional: the email of whoever registers someone else (a scheduler)"),
}
SCHEMAS["WebinarRegistrationRequest"] = _object(_WEBINAR_FIELDS, required=["first_name", "last_name", "email", "role", "consent"])
_MEETING_TYPES = [value for value, _label in MEETING_TYPES]
SCHEMAS["MeetingRegistrationRequest"] = _object({
    "type": {"type": "string", "enum": _MEETING_TYPES, "description": "The registration type"},
    "role": {"type": "string", "enum": _MEETING_TYPES, "description": "Accepted in place of `type`"},
    "first_name": _text(100, **VISIBLE), "last_name": _text(100, **VISIBLE), "email": _text(254, format="email"),
    "title": _text(200), "organization": _text(200), "city": _text(120, **VISIBLE), "state": _text(40, **VISIBLE),
    "phone": _text(40, pattern="^[0-9+().\\-\\s]*(?:(?:ext|x)\\.?\\s*[0-9]+)?$"), "dietary_needs": _text(1000), "accessibility_needs": _text(1000),
    "scheduler_email": _text(254, format="email",
                             description="Optional: the email of whoever registers someone else (a scheduler); "
                                         "ignored when it is the attendee's own"),
    "consent": CONSENT,
    "question": _text(2000, description="Optional"),
}, required=["type", "first_name", "last_name", "email", "city", "state", "consent"])


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: str, headers: bool = True) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}
    if headers:
        response["headers"] = {"ETag": {"description": "Send it back in If-None-Match for a 304", "schema": STRING}}
    return response


NOT_MODIFIED = {"description": "Not modified since the ETag sent in If-None-Match"}
NOT_FOUND = _error("No such public resource (drafts and cohort-only events are not public)")
BAD_QUERY = _error("A query parameter cannot be used: `errors` names it")


def _parameter(name: str, where: str, schema: dict, description: str, example=None, required: bool = False) -> dict:
    parameter = {"name": name, "in": where, "schema": schema, "description": description,
                 "required": required or where == "path"}
    if where == "query":
        parameter["allowEmptyValue"] = True   # an empty value means the default, as the agenda's filters do
    if example is not None:
        parameter["example"] = example
    return parameter


SLUG = {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[a-z0-9][a-z0-9-]*$"}
MEETING_SLUG = _parameter("slug", "path", SLUG, "The meeting's slug", DEMO_MEETING)
WEBINAR_SLUG = _parameter("slug", "path", SLUG, "The webinar's slug")
PAGINATION = [
    _parameter("limit", "query", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Items per page"),
    _parameter("offset", "query", {"type": "integer", "minimum": 0, "maximum": 1_000_000, "default": 0},
               "Items to skip"),
]
FILTERS = [
    _parameter("day", "query", {"type": "string", "format": "date"},
               "Only sessions starting on this day (YYYY-MM-DD, in the meeting's zone; another day than the "
               "meeting's matches nothing)"),
    _parameter("track", "query", {"type": "string", "maxLength": 120, "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"},
               "Only sessions of this track (in any case; a track the agenda does not have matches nothing)"),
    _parameter("kind", "query", {"type": "string", "enum": list(vocab.SESSION_KINDS)}, "Only sessions of this kind"),
]


def _get(summary: str, tag: str, ok: dict, parameters=(), bad_query: bool = False, description: str = "") -> dict:
    responses = {"200": ok, "304": NOT_MODIFIED, "404": NOT_FOUND}
    if bad_query:
        responses["400"] = BAD_QUERY
    operation = {"summary": summary, "tags": [tag], "parameters": list(parameters), "responses": responses}
    if description:
        operation["description"] = description
    return {"get": operation}


def _registration(kind: str, request_schema: str) -> dict:
    return {"post": {
        "summary": f"Register for a {kind}",
        "tags": ["Registration"],
        "description": (
            f"Registers a person for the {kind}. A repeat registration (same email) answers exactly like a "
            "new one, and changes nothing: the registrant's status (confirmed, waitlisted with a place, "
            "pending) and private link reach them by email, never whoever posted. A `scheduler_email` gets "
            "a link to a new registration only; for an existing one the person is asked to approve. Accepts only "
            "application/json; cookieless, so no CSRF token. Cross-origin only from the configured origins "
            "(MIPEVENTS_CORS_ORIGINS). Rate-limited."),
        "parameters": [_parameter("slug", "path", SLUG, f"The {kind}'s slug")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(request_schema)}}},
        "responses": {
            "202": {"description": "Received (new or repeat alike): the registrant is told by email",
                    "content": {"application/json": {"schema": _ref("Received")}}},
            "400": _error("The body is not a JSON object"),
            "404": _error(f"No such public {kind} (or, where this server does not take registrations, no such endpoint)"),
            "409": _error("Registration is closed"),
            "415": _error("The body is not application/json"),
            "422": _error("Invalid fields: `errors` names each one"),
            "429": _error("Too many requests: try again later"),
        },
    }}


def document(base_url: str) -> dict:
    """The OpenAPI 3.0 document, with the server at `base_url`."""
    tags = ["Meetings", "Sessions", "Speakers", "Showcase", "Webinars", "Registration", "Schedule"]
    paths = {
        "/api/v1/meetings": _get("Public meetings (published or cancelled), in date order", "Meetings", _json("A page of meetings", "MeetingList"),
                                 PAGINATION, bad_query=True),
        "/api/v1/meetings/{slug}": _get("One meeting", "Meetings", _json("The meeting", "Meeting"), [MEETING_SLUG]),
        "/api/v1/meetings/{slug}/sessions": _get(
            "A meeting's published sessions, in start order", "Sessions", _json("A page of sessions", "SessionList"),
            [MEETING_SLUG, *FILTERS, *PAGINATION], bad_query=True,
            description="The filters are the public agenda's (`/meetings/{slug}/agenda?day=&track=&kind=`), with "
                        "its rules: a day outside the meeting or a track it does not have is a 400 naming the "
                        "parameter. Cancelled sessions stay listed with status `cancelled`."),
        "/api/v1/meetings/{slug}/sessions/{session_id}": _get(
            "One session", "Sessions", _json("The session", "Session"),
            [MEETING_SLUG, _parameter("session_id", "path", {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
                                      "The session's id", 1)]),
        "/api/v1/meetings/{slug}/speakers": _get(
            "A meeting's speakers, by name, with their roles there", "Speakers",
            _json("A page of speakers", "MeetingSpeakerList"), [MEETING_SLUG, *PAGINATION], bad_query=True),
        "/api/v1/meetings/{slug}/showcase": _get(
            "The Innovation Showcase line-up, in order, with planned times", "Showcase",
            _json("The line-up", "ShowcaseLineup"), [MEETING_SLUG]),
        "/api/v1/speakers/{speaker_id}": _get(
            "One speaker, with their sessions across meetings", "Speakers", _json("The speaker", "SpeakerProfile"),
            [_parameter("speaker_id", "path", {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
                        "The speaker's id", 1)]),
        "/api/v1/webinars": _get("Public webinars, in start order", "Webinars", _json("A page of webinars", "WebinarList"),
                                 PAGINATION, bad_query=True),
        "/api/v1/webinars/{slug}": _get("One webinar (never its join link)", "Webinars", _json("The webinar", "Webinar"),
                                        [WEBINAR_SLUG]),
        "/api/v1/webinars/{slug}/registrations": _registration("webinar", "WebinarRegistrationRequest"),
        "/api/v1/meetings/{slug}/registrations": _registration("meeting", "MeetingRegistrationRequest"),
        "/meetings/{slug}/schedule.xml": {"get": {
            "summary": "The agenda as frab schedule XML (for Giggity, EventFahrplan, ConfClerk…)", "tags": ["Schedule"],
            "parameters": [MEETING_SLUG],
            "responses": {
                "200": {"description": "Valid against the c3voc schedule.xml XSD",
                        "content": {"application/vnd.c3voc.schedule+xml": {"schema": STRING}}},
                "304": NOT_MODIFIED,
                "404": {"description": "No such public meeting", "content": {"text/html": {"schema": STRING}}},
            }}},
        "/meetings/{slug}/schedule.json": {"get": {
            "summary": "The agenda as schedule JSON (the \"schedule v1\" JSON pretalx writes)", "tags": ["Schedule"],
            "parameters": [MEETING_SLUG],
            "responses": {
                "200": {"description": "Valid against the c3voc schedule JSON schema (https://c3voc.de/schedule/schema.json)",
                        "content": {"application/json": {"schema": _object({"schedule": {"type": "object"}},
                                                                           required=["schedule"])}}},
                "304": NOT_MODIFIED,
                "404": {"description": "No such public meeting", "content": {"text/html": {"schema": STRING}}},
            }}},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "mipevents open data API", "version": VERSION,
            "description": (
                "Read-only JSON for the public agendas, speakers, Innovation Showcase line-ups and webinars, "
                "plus the two registration endpoints. Only published data; never an email, a join link or a "
                "registration. Every 4xx under /api/ is `{\"error\", \"message\", \"errors\"?}`. Responses carry "
                "an ETag: send it back in If-None-Match for a 304. Read endpoints allow any origin (CORS)."),
        },
        "servers": [{"url": base_url.rstrip("/") or "/"}],
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
