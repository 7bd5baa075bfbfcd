"""Public pages of the agenda: the agenda with its filters, one session, and the changelog.
Each is served through the HTTP cache keyed by the meeting's version (and the filters)."""
from flask import Blueprint, render_template, request

from mipevents.agenda import queries
from mipevents.core import vocabulary as vocab
from mipevents.core.http_cache import cached_response
from mipevents.meetings.queries import meeting_version, public_meeting_head_or_404

bp = Blueprint("agenda", __name__)


@bp.route("/meetings/<slug>/agenda")
def show_agenda(slug):
    head = public_meeting_head_or_404(slug)
    try:
        filters = queries.parse_filters(request.args, head)
    except queries.BadFilter as problem:
        return _render_agenda(head.load(), queries.AgendaFilters(), problem=problem), 400
    if queries.outside_meeting(filters, head):
        return _render_agenda(head.load(), filters, nothing=True)
    try:
        return cached_response(("agenda", head.id, filters.key()), meeting_version(head),
                               lambda: _render_agenda(head.load(), filters))
    except queries.NoMatch:   # an unknown track: no session, and nothing kept for it
        return _render_agenda(head.load(), filters, nothing=True)


def _render_agenda(meeting, filters, problem=None, nothing=False):
    items = queries.public_items(meeting)
    known_tracks = queries.tracks(items)
    if problem is None and not nothing:
        filters = queries.check_track(filters, known_tracks)   # NoMatch: answered uncached above
    shown = [] if problem or nothing else queries.apply_filters(items, filters, meeting.timezone)
    kinds = [k for k in vocab.SESSION_KINDS if any(i.kind == k for i in items)]
    return render_template("agenda/show_agenda.html", meeting=meeting, filters=filters, problem=problem,
                           days=queries.by_day_and_block(shown, meeting.timezone), shown_count=len(shown),
                           total_count=len(items), tracks=known_tracks, kinds=kinds,
                           meeting_days=queries.meeting_days(meeting))


@bp.route("/meetings/<slug>/sessions/<int:item_id>")
def show_session(slug, item_id):
    head = public_meeting_head_or_404(slug)

    def build():
        meeting = head.load()
        item = queries.public_item_or_404(meeting, item_id)
        return render_template("agenda/show_session.html", meeting=meeting, item=item)

    return cached_response(("session", head.id, item_id), meeting_version(head), build)


@bp.route("/meetings/<slug>/agenda/changes")
def changes(slug):
    head = public_meeting_head_or_404(slug)

    def build():
        meeting = head.load()
        return render_template("agenda/changes.html", meeting=meeting, releases=queries.releases(meeting),
                               public_ids=queries.public_item_ids(meeting))

    return cached_response(("agenda-changes", head.id), meeting_version(head), build)
