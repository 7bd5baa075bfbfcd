"""Public showcase pages (line-up and recap, ideas by topic, stage display, practice timer, the live
state for displays) and the staff control page with its actions (staff_required)."""
from flask import Blueprint, abort, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from mipevents.accounts.permissions import staff_required
from mipevents.agenda.models import AgendaItem
from mipevents.core import visibility
from mipevents.core.http_cache import cached_response, etag_for
from mipevents.core.timeutil import utcnow
from mipevents.core.web import query_id
from mipevents.extensions import db, limiter
from mipevents.meetings.models import Meeting
from mipevents.showcase import queries, services, stage_services
from mipevents.showcase.live import ACTIONS, InvalidAction
from mipevents.showcase.timing import mmss
from mipevents.workflows import write_ups

bp = Blueprint("showcase", __name__)

ACTION_LABELS = {"start": "Start", "pause": "Pause", "resume": "Resume", "next": "Next presenter, not started",
                 "previous": "Previous presenter", "restart": "Restart slot", "add30": "Add 30 s"}


@bp.app_template_filter("mmss")
def _mmss(seconds):
    return mmss(seconds)


def _public_meeting(slug: str) -> Meeting:
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if not visibility.is_public(meeting):
        abort(404)
    return meeting


def _item_arg() -> int | None:
    """The session asked for (None: the first); one that no row can be is a 404."""
    raw = request.args.get("session")
    if not raw:
        return None
    try:
        return query_id(raw)
    except ValueError:
        abort(404)


def _public_item(meeting: Meeting):
    items = queries.showcase_items(meeting, public_only=True)
    item = queries.pick_item(items, _item_arg())
    if item is None:
        abort(404)
    return item, items


@bp.route("/meetings/<slug>/showcase")
def lineup(slug):
    meeting = _public_meeting(slug)
    is_over = queries.is_over(meeting)

    def build():
        items = queries.showcase_items(meeting, public_only=True)
        if not items:
            abort(404)
        slots = queries.lineups(items, public_only=True)
        plans = {i.id: queries.plan(i, slots[i.id]) for i in items}
        return render_template("showcase/lineup.html", meeting=meeting, items=items, plans=plans, is_over=is_over)

    # The recap replaces the line-up when the meeting ends: the key says which one this is.
    # Each idea's dated write-up appears when its day comes, without waiting for the meeting to change.
    boundary = write_ups.publish_boundary(("meeting", meeting.id), meeting.agenda_version)
    return cached_response(("showcase.lineup", meeting.id, is_over), (meeting.agenda_version, boundary.key), build,
                           max_age=boundary.max_age(60))


@bp.route("/ideas/")
def ideas():
    topic = request.args.get("topic") or None
    now = utcnow()

    def build():
        found, topics = queries.ideas(topic, now)
        if topic is not None and topic not in dict(topics):
            abort(404)
        return render_template("showcase/ideas.html", ideas=found, topics=topics, topic=topic)

    # Which meetings are over depends on the day: the key moves on with the date.
    version = queries.ideas_version()
    boundary = write_ups.publish_boundary("ideas", version, now)   # each idea's dated write-up, on its day
    return cached_response(("showcase.ideas", topic, now.date().isoformat()), (version, boundary.key), build,
                           max_age=boundary.max_age(60))


PHASE_WORDS = {"calm": "", "amber": "One minute left", "red": "30 seconds left", "time": "Time", "over": "Overtime"}
STATUS_WORDS = {"ready": "Ready", "paused": "Paused", "idle": "Starting soon", "finished": "The showcase is over"}


def first_paint(state: dict, now_ms: float) -> dict:
    """What the display shows before its script runs (and without JavaScript): the same
    countdown text, phase and words as static/js/showcase-timer.js computes."""
    if state["status"] == "running":
        ms = state["deadline_ms"] - now_ms
    elif state["status"] in ("ready", "paused"):
        ms = state["remaining_ms"]
    elif state["status"] == "idle" and state["next"]:
        ms = state["next"]["seconds"] * 1000
    else:
        return {"ms": None, "text": "", "phase": "none", "words": STATUS_WORDS.get(state["status"], "")}
    if ms > 0:
        text = mmss(-(-ms // 1000))
        phase = "red" if ms <= state["red_ms"] else "amber" if ms <= state["amber_ms"] else "calm"
    else:
        phase = "time" if -ms < 3000 else "over"
        text = "Time" if phase == "time" else "+" + mmss(-ms // 1000)
    words = PHASE_WORDS[phase] if state["status"] == "running" else STATUS_WORDS.get(state["status"], "")
    return {"ms": round(ms), "text": text, "phase": phase, "words": words}


def _stage_context(meeting, item, items):
    slots = queries.lineup(item, public_only=True)
    run = services.run_for(item)
    state = services.display_state(item, run, slots) | {"room_run": stage_services.public_room_run(item)}
    return {"meeting": meeting, "item": item, "items": items, "slots": slots, "state": state,
            "first": first_paint(state, services.now_ms()),
            "state_url": url_for(".state", slug=meeting.slug, session=item.id)}


@bp.route("/meetings/<slug>/showcase/stage")
def stage(slug):
    meeting = _public_meeting(slug)
    item, items = _public_item(meeting)
    response = make_response(render_template("showcase/stage.html", **_stage_context(meeting, item, items)))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/meetings/<slug>/showcase/state.json")
@limiter.exempt
def state(slug):
    """The run's state for displays, polled every 250 ms: an unchanged state answers 304 after one
    small query. Every answer (304 included) carries the server's clock in X-Server-Time-Ms."""
    # Staff rehearsing a draft showcase on the control page see its state too.
    is_staff = current_user.is_authenticated and current_user.role in ("admin", "staff")
    source = services.state_etag_source(slug, _item_arg(), public_only=not is_staff)
    if source is None:
        abort(404)
    etag = etag_for("showcase.state", source)
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        item = db.session.get(AgendaItem, source[0])
        slots = queries.lineup(item, public_only=True)
        response = jsonify(services.display_state(item, services.run_for(item), slots)
                           | {"room_run": stage_services.public_room_run(item)})
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache" if is_staff else "no-cache"
    response.headers["X-Server-Time-Ms"] = f"{services.now_ms():.3f}"
    return response


@bp.route("/meetings/<slug>/showcase/practice")
def practice(slug):
    meeting = _public_meeting(slug)
    item, items = _public_item(meeting)
    slots = queries.lineup(item, public_only=True)
    slot_id = request.args.get("slot", type=query_id)
    slot = next((s for s in slots if s.id == slot_id), None) if slot_id is not None else None
    if slot_id is not None and slot is None:
        abort(404)
    seconds = slot.seconds if slot is not None else item.slot_seconds
    return render_template("showcase/practice.html", meeting=meeting, item=item, slot=slot, slots=slots,
                           seconds=seconds, amber_ms=services.AMBER_MS, red_ms=services.RED_MS)


@bp.route("/meetings/<slug>/showcase/control")
@staff_required
def control(slug):
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None:
        abort(404)
    items = queries.showcase_items(meeting)
    item = queries.pick_item(items, _item_arg())
    if item is None:
        abort(404)
    context = _stage_context(meeting, item, items)
    response = make_response(render_template("showcase/control.html", labels=ACTION_LABELS,
                                              allowed_actions=services.allowed_actions(context["state"]), **context))
    response.headers["Cache-Control"] = "no-store"
    return response


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


@bp.route("/meetings/<slug>/showcase/control/<action>", methods=["POST"])
@staff_required
def control_action(slug, action):
    """One control action. The control page's fetches send the CSRF token in X-CSRFToken and get
    the new state as JSON; without JavaScript the same buttons are forms that come back here."""
    if action not in ACTIONS:
        abort(404)
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None:
        abort(404)
    item = queries.pick_item(queries.showcase_items(meeting), request.args.get("session", type=int)
                              or request.form.get("session", type=int))
    if item is None:
        abort(404)
    item_id = item.id
    try:
        expected = request.form.get("version", type=int)
        if expected is None:
            expected = request.headers.get("X-Run-Version", type=int)
        run, slots = services.act(item_id, action, actor=current_user, expected_version=expected)
    except InvalidAction as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify({"error": "conflict", "message": str(exc)}), 409
        return render_template("errors/error.html", code=409, title="That action does not apply now",
                               message=f"The run could not do that: {exc}."), 409
    db.session.commit()
    if _wants_json():
        body = services.display_state(run.item, run, slots)
        response = jsonify(body)
        response.headers["X-Server-Time-Ms"] = f"{services.now_ms():.3f}"
        return response
    return redirect(url_for(".control", slug=slug, session=item_id), 303)
