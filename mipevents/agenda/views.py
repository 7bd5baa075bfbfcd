"""Public pages of the agenda: the agenda with its filters, one session, and the changelog, each served
through the HTTP cache keyed by the meeting's version (and the filters); and an invited speaker's own
private page (from their invitation link): their answer, profile changes for review, A/V and travel."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from markupsafe import Markup

from mipevents.agenda import invitations, queries
from mipevents.agenda.forms import EditOwnProfileForm, RespondToInvitationForm, SpeakerLogisticsForm
from mipevents.agenda.publishing import live_changes
from mipevents.core import vocabulary as vocab
from mipevents.core.cache import Region
from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
from mipevents.core.web import private_page
from mipevents.extensions import db
from mipevents.meetings.queries import is_past, meeting_version, public_meeting_head_or_404
from mipevents.workflows import invitations as invitation_work
from mipevents.workflows import speakers as speaker_work
from mipevents.workflows import write_ups

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


# Each session's row of the agenda page, rendered once per version of what it shows (its own edit,
# room and speakers, and the meeting's address and zone), kept in this process and the shared cache
# (so an instance that never rendered the page before a publish finds the rows another made): a
# page, whatever its filters, puts kept rows together. Kept when the whole-page cache is off too.
ROWS = Region("agenda-row", size=16384, uncached_local=True)


def _session_rows(meeting, items) -> dict[int, Markup]:
    where, by_id = (meeting.slug, meeting.timezone), {item.id: item for item in items}
    template = current_app.jinja_env.get_template("agenda/_session_row.html")
    return ROWS.kept_or_made(
        {item.id: ("agenda-row", where, item.version) for item in items},
        lambda item_id: Markup(template.render(meeting=meeting, item=by_id[item_id], vocab=vocab)))  # noqa: S704 (Jinja escaped it)


def _render_agenda(meeting, filters, problem=None, nothing=False):
    items = queries.public_rows(meeting.id)
    known_tracks = queries.tracks(items)
    if problem is None and not nothing:
        filters = queries.check_track(filters, known_tracks)   # NoMatch: answered uncached above
    shown = [] if problem or nothing else queries.apply_filters(items, filters, meeting.timezone)
    kinds = [k for k in vocab.SESSION_KINDS if any(i.kind == k for i in items)]
    return render_template("agenda/show_agenda.html", meeting=meeting, filters=filters, problem=problem,
                           days=queries.by_day_and_block(shown, meeting.timezone), shown_count=len(shown),
                           total_count=len(items), tracks=known_tracks, kinds=kinds,
                           meeting_days=queries.meeting_days(meeting), rows=_session_rows(meeting, shown))


@bp.route("/meetings/<slug>/sessions/<int:item_id>")
def show_session(slug, item_id):
    head = public_meeting_head_or_404(slug)
    is_over = is_past(head, utcnow())   # no add-to-calendar once the meeting is over: part of the key

    def build():
        meeting = head.load()
        item = queries.public_item_or_404(meeting, item_id)
        return render_template("agenda/show_session.html", meeting=meeting, item=item, is_over=is_over)

    # A dated write-up of the session appears when its day comes, without waiting for the meeting to change.
    boundary = write_ups.publish_boundary(("meeting", head.id), meeting_version(head))
    return cached_response(("session", head.id, item_id, is_over), (meeting_version(head), boundary.key), build,
                           max_age=boundary.max_age(60))


@bp.route("/meetings/<slug>/agenda/changes")
def changes(slug):
    head = public_meeting_head_or_404(slug)

    def build():
        meeting = head.load()
        releases = queries.releases(meeting)
        items = queries.public_rows(meeting.id) if releases else []
        # Edits of published sessions are public at once: listed until the next release records them.
        return render_template("agenda/changes.html", meeting=meeting, releases=releases,
                               public_ids={item.id for item in items},
                               live=live_changes(meeting, items, releases[0]) if releases else [])

    return cached_response(("agenda-changes", head.id), meeting_version(head), build)


# ---------------------------------------------------------------------------------------------- invited speakers

def _invitation_or_404(token):
    invitation = invitations.invitation_for_token(token)
    if invitation is None or invitation_work.describe(invitation) is None:
        abort(404)
    return invitation


def _own_page(token, invitation, answer_form=None, profile_form=None, logistics_form=None, status=200):
    speaker = invitation.speaker
    what = invitation_work.describe(invitation)
    meeting = what.meeting                  # None for a webinar: no travel, no briefing book
    if logistics_form is None and meeting is not None:
        logistics_form = SpeakerLogisticsForm(obj=speaker_work.speaker_travel(speaker, meeting))
    draft = speaker_work.profile_draft(speaker)
    if profile_form is None:
        shown = {f: getattr(speaker, f) for f in EditOwnProfileForm.FIELDS} | (draft.values if draft else {})
        profile_form = EditOwnProfileForm(data=shown)
    if answer_form is None:
        answer_form = RespondToInvitationForm(data={"decision": invitation.status if invitation.status != "invited" else None,
                                                    "reason": invitation.reason})
    return private_page(make_response(render_template(
        "agenda/invitation.html", token=token, invitation=invitation, speaker=speaker, what=what, item=what.item,
        meeting=meeting, others=_in_time_order(invitations.speaker_invitations(speaker)), draft=draft,
        answer_form=answer_form, profile_form=profile_form, logistics_form=logistics_form), status))


def _in_time_order(found):
    """The speaker's invitations with what each is to, by when it happens (those to nothing left out)."""
    described = [(invitation, invitation_work.describe(invitation)) for invitation in found]
    return sorted(((i, what) for i, what in described if what is not None), key=lambda pair: (pair[1].starts_at, pair[0].id))


@bp.route("/speakers/invitation/<token>")
def invitation(token):
    return _own_page(token, _invitation_or_404(token))


@bp.route("/speakers/invitation/<token>/answer", methods=["POST"])
def answer(token):
    invitation = _invitation_or_404(token)
    form = RespondToInvitationForm()
    if not form.validate_on_submit():
        return _own_page(token, invitation, answer_form=form, status=422)
    invitations.respond(invitation, form.decision.data, form.reason.data or "")
    db.session.commit()
    flash("Thank you: you accepted. Please check your profile below." if invitation.status == "accepted"
          else "Thank you for letting us know.", "success")
    return private_page(redirect(url_for(".invitation", token=token), 303))


@bp.route("/speakers/invitation/<token>/profile", methods=["POST"])
def propose_profile(token):
    invitation = _invitation_or_404(token)
    form = EditOwnProfileForm()
    if form.validate_on_submit():
        limit = current_app.config["SPEAKER_PHOTO_MAX_BYTES"]
        upload = form.photo.data
        photo = upload.read(limit + 1) if upload and getattr(upload, "filename", "") else None
        try:
            draft = speaker_work.propose_profile_changes(invitation.speaker, form.values(), photo, max_bytes=limit)
        except speaker_work.ProfileProblem as exc:
            db.session.rollback()
            getattr(form, exc.field or "photo", form.photo).errors.append(str(exc))
        else:
            db.session.commit()
            flash("Thank you: our staff will review your changes before they are public." if draft
                  else "Nothing changed.", "success" if draft else "info")
            return private_page(redirect(url_for(".invitation", token=token) + "#profile", 303))
    return _own_page(token, invitation, profile_form=form, status=422 if request.method == "POST" else 200)


@bp.route("/speakers/invitation/<token>/travel", methods=["POST"])
def save_travel(token):
    invitation = _invitation_or_404(token)
    meeting = invitation_work.describe(invitation).meeting
    if meeting is None:
        abort(404)              # a webinar: no travel to tell
    form = SpeakerLogisticsForm()
    if not form.validate_on_submit():
        return _own_page(token, invitation, logistics_form=form, status=422)
    speaker_work.save_speaker_travel(invitation.speaker, meeting, form.values())
    db.session.commit()
    flash("Saved your travel and A/V details.", "success")
    return private_page(redirect(url_for(".invitation", token=token) + "#travel-details", 303))
