"""Public pages of the speakers area: a meeting's speakers, one speaker's profile across meetings and webinars,
and their photo (bytes from the database, with an ETag). Emails are never shown."""
from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup

from mipevents.core import vocabulary as vocab
from mipevents.core.cache import Region
from mipevents.core.http_cache import cached_response
from mipevents.meetings.queries import meeting_version, public_meeting_head_or_404
from mipevents.speakers import queries
from mipevents.workflows import speakers as speaker_pages

bp = Blueprint("speakers", __name__)

PHOTO_MAX_AGE = 24 * 3600   # photo URLs carry ?v=<photo_version>, so a new photo is a new URL


@bp.route("/meetings/<slug>/speakers")
def meeting_speakers(slug):
    head = public_meeting_head_or_404(slug)
    return cached_response(
        ("meeting-speakers", head.id), meeting_version(head),
        lambda: _render_meeting_speakers(head.load()))


# Each speaker's card, rendered once per version of what it shows (their profile as shown, their
# sessions' titles, roles and status), kept in this process and the shared cache (so an instance that
# never rendered the page before a publish finds the cards another made), also when the whole-page
# cache is off.
CARDS = Region("speaker-card", size=16384, uncached_local=True)


def _cards(meeting, entries) -> dict[int, Markup]:
    slug, by_id = meeting.slug, {entry.speaker.id: entry for entry in entries}
    template = current_app.jinja_env.get_template("speakers/_speaker_card.html")
    return CARDS.kept_or_made(
        {entry.speaker.id: ("speaker-card", slug, entry.speaker,
                            tuple((a.item, a.role, a.detail) for a in entry.appearances)) for entry in entries},
        lambda speaker_id: Markup(template.render(meeting=meeting, entry=by_id[speaker_id],  # noqa: S704
                                                  speaker=by_id[speaker_id].speaker, vocab=vocab)))


def _render_meeting_speakers(meeting):
    entries = speaker_pages.meeting_speakers(meeting)
    return render_template("speakers/meeting_speakers.html", meeting=meeting, count=len(entries),
                           groups=speaker_pages.by_initial(entries), cards=_cards(meeting, entries))


@bp.route("/speakers/<int:speaker_id>")
def show_speaker(speaker_id):
    speaker, versions = speaker_pages.public_speaker_or_404(speaker_id)
    version = (versions, speaker.photo_version, speaker.updated_at.isoformat() if speaker.updated_at else "")
    return cached_response(
        ("speaker", speaker_id), version,
        lambda: render_template("speakers/show_speaker.html", speaker=speaker,
                                by_meeting=speaker_pages.by_meeting(speaker_pages.speaker_appearances(speaker_id)),
                                webinars=speaker_pages.speaker_webinars(speaker_id) if versions[1] else []))


@bp.route("/speakers/<int:speaker_id>/photo")
def photo(speaker_id):
    speaker, _ = speaker_pages.public_speaker_or_404(speaker_id)
    if not speaker.has_photo:
        abort(404)

    def build():
        data = queries.photo_bytes(speaker_id)
        if not data:
            abort(404)
        return data

    return cached_response(("speaker-photo", speaker_id), (speaker.photo_version, speaker.photo_type), build,
                           mimetype=speaker.photo_type, max_age=PHOTO_MAX_AGE)
