"""The public read API under /api/v1, its OpenAPI document and page, and the schedule exports."""
import json
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from mipevents.api import cors, openapi, queries, schedule
from mipevents.api import representations as rep
from mipevents.api.params import BadParameters, pagination, session_query
from mipevents.core.http_cache import cached_response
from mipevents.core.web import json_error
from mipevents.followup import queries as followup
from mipevents.followup.public_materials import public_materials_of_slots, public_materials_of_webinars
from mipevents.meetings.queries import meeting_version, public_meeting_head
from mipevents.workflows import import_schema

bp = Blueprint("api", __name__)
cors.install(bp)

XML_TYPE = "application/vnd.c3voc.schedule+xml"
# Ids are 32-bit integers in the database; a longer number in a URL names nothing (and SQLite
# refuses integers past 64 bits outright).
MAX_ID = 2**31 - 1


@bp.errorhandler(BadParameters)
def _bad_parameters(error: BadParameters):
    return json_error(400, "bad_request", "Some query parameters cannot be used.", error.errors)


def _base() -> str:
    return current_app.config["MIPEVENTS_BASE_URL"].rstrip("/")


def _listing(page: queries.Page, rows: list, path: str, params: dict) -> dict:
    """A page of `rows` with its counts and links (filters kept, absolute from the base URL)."""
    base = _base()

    def link(offset: int) -> str:
        return f"{base}{path}?{urlencode({**params, 'limit': page.limit, 'offset': offset})}"

    last = max((page.total - 1) // page.limit * page.limit, 0)
    return {
        "data": rows,
        "meta": {"total": page.total, "limit": page.limit, "offset": page.offset},
        "links": {
            "self": link(page.offset), "first": link(0), "last": link(last),
            "prev": link(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
            "next": link(page.offset + page.limit) if page.offset + page.limit < page.total else None,
        },
    }


def _meeting_or_404(slug: str):
    """The public meeting's head (no query when cached); build functions `load()` the meeting."""
    head = public_meeting_head(slug)
    if head is None:
        abort(404, description="There is no public meeting with that slug.")
    return head


# ------------------------------------------------------------------------------------------ pages

@bp.route("/api/")
def index():
    doc = openapi.document(_base())
    operations = [(method.upper(), path, op) for path, item in doc["paths"].items() for method, op in item.items()]
    return cached_response(("api.index", _base()), openapi.VERSION,
                           lambda: render_template("api/index.html", doc=doc, operations=operations,
                                                   demo_meeting=openapi.DEMO_MEETING))


@bp.route("/api/openapi.json", endpoint="openapi")
def openapi_document():
    return cached_response(("api.openapi", _base()), openapi.VERSION,
                           lambda: jsonify(openapi.document(_base())))


@bp.route("/api/import-schema.json", endpoint="import_schema")
def import_schema_document():
    """The JSON Schema of the import file (`flask --app wsgi meetings import`)."""
    return cached_response(("api.import_schema",), openapi.VERSION, lambda: jsonify(import_schema.schema()))


# ------------------------------------------------------------------------------------------ meetings

@bp.route("/api/v1/meetings")
def list_meetings():
    limit, offset = pagination(request.args)

    def build():
        page = queries.meetings_page(limit, offset)
        return jsonify(_listing(page, [rep.meeting_json(m, _base()) for m in page.rows], "/api/v1/meetings", {}))

    return cached_response(("api.meetings", limit, offset), queries.meetings_version(), build)


@bp.route("/api/v1/meetings/<slug>")
def show_meeting(slug):
    head = _meeting_or_404(slug)
    return cached_response(("api.meeting", head.id), meeting_version(head),
                           lambda: jsonify(rep.meeting_json(head.load(), _base())))


@bp.route("/api/v1/meetings/<slug>/sessions")
def list_sessions(slug):
    head = _meeting_or_404(slug)
    filters, limit, offset, can_match = session_query(request.args, head, lambda: queries.track_names(head))
    params = filters.args()

    def build():
        meeting = head.load()
        page = queries.session_rows_page(meeting, filters, limit, offset)
        materials = followup.public_materials_by_item(meeting)
        rows = [rep.session_json(item, meeting, _base(), materials.get(item.id, ())) for item in page.rows]
        return jsonify(_listing(page, rows, f"/api/v1/meetings/{meeting.slug}/sessions", params))

    if not can_match:   # an empty list, built afresh without a query: any day or track may come, none is kept
        return jsonify(_listing(queries.Page([], 0, limit, offset), [], f"/api/v1/meetings/{head.slug}/sessions", params))
    key = ("api.sessions", head.id, filters.key(), limit, offset)
    return cached_response(key, meeting_version(head), build)


@bp.route("/api/v1/meetings/<slug>/sessions/<int:session_id>")
def show_session(slug, session_id):
    head = _meeting_or_404(slug)
    if session_id > MAX_ID:
        abort(404, description="There is no public session with that id in this meeting.")

    def build():
        meeting = head.load()
        item = queries.public_session(meeting, session_id)
        if item is None:
            return json_error(404, "not_found", "There is no public session with that id in this meeting.")
        return jsonify(rep.session_json(item, meeting, _base(), followup.public_materials_by_item(meeting).get(item.id, ())))

    return cached_response(("api.session", head.id, session_id), meeting_version(head), build)


@bp.route("/api/v1/meetings/<slug>/speakers")
def list_meeting_speakers(slug):
    head = _meeting_or_404(slug)
    limit, offset = pagination(request.args)

    def build():
        meeting = head.load()
        page, roles = queries.meeting_speakers_page(meeting, limit, offset)
        rows = [{**rep.speaker_json(s, _base()), "roles": [rep.speaker_role_json(link, _base()) for link in roles[s.id]]}
                for s in page.rows]
        return jsonify(_listing(page, rows, f"/api/v1/meetings/{meeting.slug}/speakers", {}))

    return cached_response(("api.meeting_speakers", head.id, limit, offset), meeting_version(head), build)


@bp.route("/api/v1/meetings/<slug>/showcase")
def showcase_lineup(slug):
    head = _meeting_or_404(slug)

    def build():
        meeting = head.load()
        slots = queries.showcase_lineup(meeting)
        materials = public_materials_of_slots([slot.id for slot in slots])
        return jsonify({"meeting": meeting.slug, "data": rep.lineup_json(slots, meeting, _base(), materials)})

    return cached_response(("api.showcase", head.id), meeting_version(head), build)


# ------------------------------------------------------------------------------------------ speakers

@bp.route("/api/v1/speakers/<int:speaker_id>")
def show_speaker(speaker_id):
    version = queries.speaker_version(speaker_id) if speaker_id <= MAX_ID else None
    if version is None:
        abort(404, description="There is no public speaker with that id.")

    def build():
        links = queries.public_speaker_links(speaker_id)
        webinars = queries.public_speaker_webinars(speaker_id)
        if not links and not webinars:
            return json_error(404, "not_found", "There is no public speaker with that id.")
        speaker = links[0].speaker if links else queries.speaker(speaker_id)
        return jsonify({**rep.speaker_json(speaker, _base()), "roles": [rep.speaker_role_json(link, _base()) for link in links],
                        "webinars": [rep.speaker_webinar_json(w, _base()) for w in webinars]})

    return cached_response(("api.speaker", speaker_id), version, build)


# ------------------------------------------------------------------------------------------ webinars

@bp.route("/api/v1/webinars")
def list_webinars():
    limit, offset = pagination(request.args)

    def build():
        page = queries.webinars_page(limit, offset)
        materials = public_materials_of_webinars([w.id for w in page.rows])
        rows = [rep.webinar_json(w, _base(), materials.get(w.id, ())) for w in page.rows]
        return jsonify(_listing(page, rows, "/api/v1/webinars", {}))

    return cached_response(("api.webinars", limit, offset), queries.webinars_version(), build)


@bp.route("/api/v1/webinars/<slug>")
def show_webinar(slug):
    webinar = queries.public_webinar(slug)
    if webinar is None:
        abort(404, description="There is no public webinar with that slug.")
    return cached_response(("api.webinar", webinar.id), (webinar.version, str(webinar.updated_at)),
                           lambda: jsonify(rep.webinar_json(
                               webinar, _base(), public_materials_of_webinars([webinar.id]).get(webinar.id, ()))))


# ------------------------------------------------------------------------------------------ schedule

def _schedule_meeting(slug):
    head = public_meeting_head(slug)
    if head is None:
        abort(404)
    return head


@bp.route("/meetings/<slug>/schedule.xml")
def schedule_xml(slug):
    head = _schedule_meeting(slug)

    def build():
        meeting = head.load()
        return schedule.schedule_xml(meeting, queries.schedule_items(meeting), _base(),
                                     followup.public_materials_by_item(meeting))

    return cached_response(("api.schedule_xml", head.id), meeting_version(head), build,
                           mimetype=XML_TYPE, last_modified=head.updated_at)


@bp.route("/meetings/<slug>/schedule.json")
def schedule_json(slug):
    head = _schedule_meeting(slug)

    def build():
        meeting = head.load()
        document = schedule.schedule_json(meeting, queries.schedule_items(meeting), _base(),
                                          followup.public_materials_by_item(meeting))
        return current_app.response_class(json.dumps(document, ensure_ascii=False), mimetype="application/json")

    return cached_response(("api.schedule_json", head.id), meeting_version(head), build,
                           last_modified=head.updated_at)
