"""The stage of every room over HTTP. Public (`bp`): a room's stage screen and the speaker's own view
on a phone, opened by private links, with their live state, and a meeting's running-late state for
its agenda. Staff (`staff_bp`, behind login under /staff/stage/): a meeting day's rooms, one room's
control page (the clock of its running order, messages to the stage, blackout and hidden timer,
display and speaker links with a QR code) and planned against actual, on screen and as CSV."""
import csv
import io
from datetime import date

import segno
from flask import Blueprint, Response, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from mipevents.accounts.permissions import staff_required
from mipevents.core import visibility
from mipevents.core.http_cache import etag_for
from mipevents.core.text import csv_cell
from mipevents.core.timeutil import utcnow
from mipevents.core.web import base_url, private_page
from mipevents.extensions import db, limiter
from mipevents.meetings.models import Meeting, Room
from mipevents.showcase import services as showcase_services
from mipevents.showcase import stage, stage_services
from mipevents.showcase.live import ACTIONS, InvalidAction
from mipevents.showcase.services import allowed_actions
from mipevents.showcase.views import ACTION_LABELS, first_paint

bp = Blueprint("stage", __name__)

PAGES = {"display": ("stage.display_state", "showcase/stage_room.html"),
         "speaker_view": ("stage.speaker_state", "showcase/stage_speaker.html")}


def _linked_room_or_404(token: str, purpose: str) -> tuple[Room, date]:
    room = stage_services.room_for_link(token, purpose)
    if room is None:
        abort(404)
    return room, stage.local_today(utcnow(), room.meeting.timezone)


def room_context(room: Room, day: date, state_url: str) -> dict:
    items, day_cues = stage_services.cues(room, day)
    state = stage_services.stage_state(room, day, items, day_cues, stage_services.run_for(room.id, day))
    clock = state["presenter"] or state
    return {"room": room, "meeting": room.meeting, "day": day, "cues": day_cues, "state": state,
            "first": first_paint(clock | {"amber_ms": state["amber_ms"], "red_ms": state["red_ms"]},
                                 showcase_services.now_ms()),
            "state_url": state_url}


def _page(token: str, purpose: str):
    room, day = _linked_room_or_404(token, purpose)
    endpoint, template = PAGES[purpose]
    context = room_context(room, day, url_for(endpoint, token=token))
    return private_page(make_response(render_template(template, **context)))


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
    return private_page(response)


@bp.route("/stage/<token>")
def display(token):
    return _page(token, "display")


@bp.route("/stage/<token>/state.json")
@limiter.exempt
def display_state(token):
    return room_state_response(*_linked_room_or_404(token, "display"))


@bp.route("/speaker/<token>")
def speaker(token):
    return _page(token, "speaker_view")


@bp.route("/speaker/<token>/state.json")
@limiter.exempt
def speaker_state(token):
    return room_state_response(*_linked_room_or_404(token, "speaker_view"))


@bp.route("/meetings/<slug>/live.json")
@limiter.exempt
def meeting_live(slug):
    """Running late for the public agenda, fetched by the browser (cached pages never hold it)."""
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if not visibility.is_public(meeting):
        abort(404)
    response = jsonify(stage_services.meeting_live(meeting))
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


# -- staff: the control of each room -------------------------------------------------------------

staff_bp = Blueprint("stage_staff", __name__, url_prefix="/staff/stage")

LABELS = ACTION_LABELS | {"next": "Next session, not started", "previous": "Previous session",
                          "restart": "Restart session"}


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _day_or_404(meeting: Meeting, day: str) -> date:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if parsed not in stage_services.meeting_days(meeting):
        abort(404)
    return parsed


def _room_or_404(meeting_id: int, day: str, room_id: int) -> tuple[Room, date]:
    meeting = _meeting_or_404(meeting_id)
    room = db.session.get(Room, room_id)
    if room is None or room.meeting_id != meeting.id:
        abort(404)
    return room, _day_or_404(meeting, day)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


def _back(room: Room, day: date):
    return redirect(url_for(".control", meeting_id=room.meeting_id, day=day.isoformat(), room_id=room.id), 303)


@staff_bp.route("/<int:meeting_id>/")
@staff_required
def index(meeting_id):
    """The meeting's days, and for the chosen one every room with its number of sessions."""
    meeting = _meeting_or_404(meeting_id)
    days = stage_services.meeting_days(meeting)
    today = stage.local_today(utcnow(), meeting.timezone)
    chosen = _day_or_404(meeting, request.args["day"]) if "day" in request.args else (today if today in days else days[0])
    return render_template("showcase/stage_index.html", meeting=meeting, days=days, day=chosen,
                           rooms=stage_services.rooms_of_day(meeting, chosen))


def _render_control(room: Room, day: date, links: dict | None = None, status: int = 200):
    context = room_context(room, day, url_for(".state", meeting_id=room.meeting_id, day=day.isoformat(), room_id=room.id))
    response = private_page(Response(render_template(
        "showcase/stage_control.html", labels=LABELS, allowed_actions=allowed_actions(context["state"]),
        presets=stage.MESSAGE_PRESETS, limit=stage.MESSAGE_LIMIT, links=links or {}, **context), status=status))
    return response


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>")
@staff_required
def control(meeting_id, day, room_id):
    return _render_control(*_room_or_404(meeting_id, day, room_id))


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>/state.json")
@staff_required
def state(meeting_id, day, room_id):
    return room_state_response(*_room_or_404(meeting_id, day, room_id))


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>/<action>", methods=["POST"])
@staff_required
def act(meeting_id, day, room_id, action):
    """One clock action; fetches get the new state as JSON, forms come back to the control page."""
    if action not in ACTIONS:
        abort(404)
    room, parsed = _room_or_404(meeting_id, day, room_id)
    expected = request.form.get("version", type=int)
    if expected is None:
        expected = request.headers.get("X-Run-Version", type=int)
    try:
        stage_services.act(room.id, parsed, action, expected_version=expected)
    except InvalidAction as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify({"error": "conflict", "message": str(exc)}), 409
        return render_template("errors/error.html", code=409, title="That action does not apply now",
                               message=f"The run could not do that: {exc}."), 409
    db.session.commit()
    if _wants_json():
        return room_state_response(room, parsed)
    return _back(room, parsed)


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>/message", methods=["POST"])
@staff_required
def message(meeting_id, day, room_id):
    """Show a message on the stage (a preset's button or the typed text), or clear it."""
    room, parsed = _room_or_404(meeting_id, day, room_id)
    text = "" if "clear" in request.form else (request.form.get("preset") or request.form.get("text") or "")
    if "clear" not in request.form and not text.strip():
        flash("Write a message, or pick one.", "error")
        return _render_control(room, parsed, status=422)
    try:
        stage_services.set_message(room.id, parsed, text, actor=current_user)
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _render_control(room, parsed, status=422)
    db.session.commit()
    return _back(room, parsed)


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>/toggle/<what>", methods=["POST"])
@staff_required
def toggle(meeting_id, day, room_id, what):
    if what not in stage_services.TOGGLES:
        abort(404)
    room, parsed = _room_or_404(meeting_id, day, room_id)
    stage_services.toggle(room.id, parsed, what, request.form.get("on") == "1", actor=current_user)
    db.session.commit()
    return _back(room, parsed)


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>/links", methods=["POST"])
@staff_required
def mint_links(meeting_id, day, room_id):
    """A new stage-screen link and speaker link for the room, shown once here (with QR codes)."""
    room, parsed = _room_or_404(meeting_id, day, room_id)
    display = stage_services.mint_link(room, "display", actor=current_user)
    speaker = stage_services.mint_link(room, "speaker_view", actor=current_user)
    db.session.commit()
    base = base_url()
    links = {"display": base + url_for("stage.display", token=display),
             "speaker": base + url_for("stage.speaker", token=speaker)}
    links["speaker_qr"] = segno.make(links["speaker"], error="m").svg_inline(scale=4, dark="#000000", light="#ffffff")
    return _render_control(room, parsed, links=links)


@staff_bp.route("/<int:meeting_id>/<day>/<int:room_id>/links/revoke", methods=["POST"])
@staff_required
def revoke_links(meeting_id, day, room_id):
    room, parsed = _room_or_404(meeting_id, day, room_id)
    count = stage_services.revoke_links(room, actor=current_user)
    db.session.commit()
    flash(f"Revoked {count} link{'s' if count != 1 else ''}: those screens and phones show nothing now.", "success")
    return _back(room, parsed)


def _report_rows(meeting: Meeting, day: date):
    return [(room, stage_services.report(room, day)) for room, count in stage_services.rooms_of_day(meeting, day) if count]


@staff_bp.route("/<int:meeting_id>/<day>/report")
@staff_required
def report(meeting_id, day):
    """Planned against actual for every timed session of the day, room by room."""
    meeting = _meeting_or_404(meeting_id)
    parsed = _day_or_404(meeting, day)
    return render_template("showcase/stage_report.html", meeting=meeting, day=parsed, rooms=_report_rows(meeting, parsed))


@staff_bp.route("/<int:meeting_id>/<day>/report.csv")
@staff_required
def report_csv(meeting_id, day):
    meeting = _meeting_or_404(meeting_id)
    parsed = _day_or_404(meeting, day)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["room", "session", "kind", "planned_start", "planned_seconds", "actual_start", "actual_end",
                     "actual_seconds", "start_delay_seconds", "over_seconds"])
    for room, rows in _report_rows(meeting, parsed):
        for row in rows:
            writer.writerow([csv_cell(v) for v in (
                room.name, row.cue.title, row.cue.kind, row.planned_starts_at.isoformat(), row.planned_seconds,
                row.actual_starts_at.isoformat() if row.actual_starts_at else None,
                row.actual_ends_at.isoformat() if row.actual_ends_at else None,
                None if row.actual_seconds is None else round(row.actual_seconds),
                None if row.start_delay_seconds is None else round(row.start_delay_seconds),
                None if row.over_seconds is None else round(row.over_seconds))])
    filename = f"{meeting.slug}-{parsed.isoformat()}-timing.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
