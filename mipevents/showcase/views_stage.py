"""The stage of any room opened by a private link (a stage screen, the speaker's own view on a phone)
and their live state, and the public running-late state of a meeting for its agenda."""
from datetime import date

from flask import Blueprint, abort, jsonify, make_response, render_template, request, url_for
from sqlalchemy import select

from mipevents.core.http_cache import etag_for
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db, limiter
from mipevents.meetings.models import Meeting, Room
from mipevents.showcase import services as showcase_services
from mipevents.showcase import stage, stage_services
from mipevents.showcase.views import first_paint

bp = Blueprint("stage", __name__)

PAGES = {"display": ("stage.display_state", "showcase/stage_room.html"),
         "speaker_view": ("stage.speaker_state", "showcase/stage_speaker.html")}


def _room_or_404(token: str, purpose: str) -> tuple[Room, date]:
    room = stage_services.room_for_link(token, purpose)
    if room is None:
        abort(404)
    return room, stage.local_today(utcnow(), room.meeting.timezone)


def private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def room_context(room: Room, day: date, state_url: str) -> dict:
    items, day_cues = stage_services.cues(room, day)
    state = stage_services.stage_state(room, day, items, day_cues, stage_services.run_for(room.id, day))
    clock = state["presenter"] or state
    return {"room": room, "meeting": room.meeting, "day": day, "cues": day_cues, "state": state,
            "first": first_paint(clock | {"amber_ms": state["amber_ms"], "red_ms": state["red_ms"]},
                                 showcase_services.now_ms()),
            "state_url": state_url}


def _page(token: str, purpose: str):
    room, day = _room_or_404(token, purpose)
    endpoint, template = PAGES[purpose]
    context = room_context(room, day, url_for(endpoint, token=token))
    return private(make_response(render_template(template, **context)))


def room_state_response(room: Room, day: date):
    """The room's state for its displays, polled every 250 ms: an unchanged state answers 304 after
    one small query; every answer carries the server's clock in X-Server-Time-Ms."""
    etag = etag_for("stage.state", stage_services.state_etag_source(room.id, day))
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        items, day_cues = stage_services.cues(room, day)
        response = jsonify(stage_services.stage_state(room, day, items, day_cues, stage_services.run_for(room.id, day)))
    response.set_etag(etag)
    response.headers["X-Server-Time-Ms"] = f"{showcase_services.now_ms():.3f}"
    return private(response)


@bp.route("/stage/<token>")
def display(token):
    return _page(token, "display")


@bp.route("/stage/<token>/state.json")
@limiter.exempt
def display_state(token):
    return room_state_response(*_room_or_404(token, "display"))


@bp.route("/speaker/<token>")
def speaker(token):
    return _page(token, "speaker_view")


@bp.route("/speaker/<token>/state.json")
@limiter.exempt
def speaker_state(token):
    return room_state_response(*_room_or_404(token, "speaker_view"))


@bp.route("/meetings/<slug>/live.json")
@limiter.exempt
def meeting_live(slug):
    """Running late for the public agenda, fetched by the browser (cached pages never hold it)."""
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None or not meeting.is_public:
        abort(404)
    response = jsonify(stage_services.meeting_live(meeting))
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)
