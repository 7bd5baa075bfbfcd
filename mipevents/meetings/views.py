"""Public pages: the home page and the meeting page (cached by version, registration state shown
from the meeting's own settings, never a live count)."""
from datetime import timedelta

from flask import Blueprint, redirect, render_template, url_for

from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
from mipevents.meetings import queries
from mipevents.workflows import home as home_page
from mipevents.workflows import write_ups

bp = Blueprint("meetings", __name__)


@bp.route("/")
def home():
    now = utcnow()
    # Which webinars are still upcoming depends on the clock: the key moves on every minute.
    minute = now.strftime("%Y-%m-%dT%H:%M")
    # The cards' registration states (open, full, closed) come from the version: a state changes the key.
    version = home_page.home_version()
    return cached_response(("home", minute), version,
                           lambda: render_template("meetings/home.html", lists=home_page.home_lists(now, version),
                                                   now=now, card_states=home_page.CARD_STATES))


@bp.route("/meetings/")
def meetings_index():
    """The home page lists every public meeting: a visitor trimming a meeting's address lands there."""
    return redirect(url_for(".home"), 301)


@bp.route("/meetings/<slug>/")
def show_meeting(slug):
    head = queries.public_meeting_head_or_404(slug)
    now = utcnow()
    state = queries.registration_state(head, now)
    can_register = state == "open"
    days = [head.starts_on + timedelta(days=n) for n in range((head.ends_on - head.starts_on).days + 1)]
    # Its write-ups appear when their publish date comes, without waiting for the meeting to change.
    boundary = write_ups.publish_boundary(("meeting", head.id), queries.meeting_version(head), now)
    return cached_response(
        ("meeting", head.id, state), (queries.meeting_version(head), boundary.key), max_age=boundary.max_age(60),
        build=lambda: render_template("meetings/show_meeting.html", meeting=head.load(), registration=state,
                                can_register=can_register, days=days, is_past=queries.is_past(head, now)))
