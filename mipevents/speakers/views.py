"""Public pages of the speakers area: a meeting's speakers, one speaker's profile across meetings,
and their photo (bytes from the database, with an ETag). Emails are never shown. Also the speaker's
own private page, opened by their invitation link: answer the invitation, propose profile changes."""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for

from mipevents.core.http_cache import cached_response
from mipevents.extensions import db
from mipevents.meetings.listing import meeting_version, public_meeting_head_or_404

# emails and privacy register the invitation's email builder and the area's erasure step.
from mipevents.speakers import drafts, emails, invitations, listing, logistics, privacy  # noqa: F401
from mipevents.speakers.forms import EditOwnProfileForm, RespondToInvitationForm, SpeakerLogisticsForm
from mipevents.speakers.services import SpeakerProblem

bp = Blueprint("speakers", __name__)

PHOTO_MAX_AGE = 24 * 3600   # photo URLs carry ?v=<photo_version>, so a new photo is a new URL


@bp.route("/meetings/<slug>/speakers")
def meeting_speakers(slug):
    head = public_meeting_head_or_404(slug)
    return cached_response(
        ("meeting-speakers", head.id), meeting_version(head),
        lambda: _render_meeting_speakers(head.load()))


def _render_meeting_speakers(meeting):
    entries = listing.meeting_speakers(meeting)
    return render_template("speakers/meeting_speakers.html", meeting=meeting, count=len(entries),
                           groups=listing.by_initial(entries))


@bp.route("/speakers/<int:speaker_id>")
def show_speaker(speaker_id):
    speaker, versions = listing.public_speaker_or_404(speaker_id)
    version = (versions, speaker.photo_version, speaker.updated_at.isoformat() if speaker.updated_at else "")
    return cached_response(
        ("speaker", speaker_id), version,
        lambda: render_template("speakers/show_speaker.html", speaker=speaker,
                                by_meeting=listing.by_meeting(listing.speaker_appearances(speaker_id))))


@bp.route("/speakers/<int:speaker_id>/photo")
def photo(speaker_id):
    speaker, _ = listing.public_speaker_or_404(speaker_id)
    if not speaker.has_photo:
        abort(404)

    def build():
        data = listing.photo_bytes(speaker_id)
        if not data:
            abort(404)
        return data

    return cached_response(("speaker-photo", speaker_id), (speaker.photo_version, speaker.photo_type), build,
                           mimetype=speaker.photo_type, max_age=PHOTO_MAX_AGE)


def _invitation_or_404(token):
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        abort(404)
    return invitation


def _private(response):
    """The page carries a secret link: no caching anywhere, no referrer, no indexing."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _own_page(token, invitation, answer_form=None, profile_form=None, logistics_form=None, status=200):
    speaker = invitation.link.speaker
    meeting = invitation.link.item.meeting
    if logistics_form is None:
        logistics_form = SpeakerLogisticsForm(obj=logistics.logistics_for(speaker, meeting))
    draft = drafts.draft_of(speaker)
    if profile_form is None:
        shown = {f: getattr(speaker, f) for f in EditOwnProfileForm.FIELDS} | (draft.values if draft else {})
        profile_form = EditOwnProfileForm(data=shown)
    if answer_form is None:
        answer_form = RespondToInvitationForm(data={"decision": invitation.status if invitation.status != "invited" else None,
                                                    "reason": invitation.reason})
    return _private(make_response(render_template(
        "speakers/invitation.html", token=token, invitation=invitation, speaker=speaker, item=invitation.link.item,
        meeting=meeting, others=invitations.speaker_invitations(speaker), draft=draft,
        answer_form=answer_form, profile_form=profile_form, logistics_form=logistics_form), status))


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
    return _private(redirect(url_for(".invitation", token=token), 303))


@bp.route("/speakers/invitation/<token>/profile", methods=["POST"])
def propose_profile(token):
    invitation = _invitation_or_404(token)
    form = EditOwnProfileForm()
    if form.validate_on_submit():
        limit = current_app.config["SPEAKER_PHOTO_MAX_BYTES"]
        upload = form.photo.data
        photo = upload.read(limit + 1) if upload and getattr(upload, "filename", "") else None
        try:
            draft = drafts.propose(invitation.link.speaker, form.values(), photo, max_bytes=limit)
        except SpeakerProblem as exc:
            db.session.rollback()
            getattr(form, exc.field or "photo", form.photo).errors.append(str(exc))
        else:
            db.session.commit()
            flash("Thank you: our staff will review your changes before they are public." if draft
                  else "Nothing changed.", "success" if draft else "info")
            return _private(redirect(url_for(".invitation", token=token) + "#profile", 303))
    return _own_page(token, invitation, profile_form=form, status=422 if request.method == "POST" else 200)


@bp.route("/speakers/invitation/<token>/travel", methods=["POST"])
def save_travel(token):
    invitation = _invitation_or_404(token)
    form = SpeakerLogisticsForm()
    if not form.validate_on_submit():
        return _own_page(token, invitation, logistics_form=form, status=422)
    logistics.save_logistics(invitation.link.speaker, invitation.link.item.meeting, form.values())
    db.session.commit()
    flash("Saved your travel and A/V details.", "success")
    return _private(redirect(url_for(".invitation", token=token) + "#travel", 303))
