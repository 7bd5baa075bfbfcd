"""Staff pages of the speakers area (behind login, under /staff/): the list, adding and editing
profiles, uploading a photo, reviewing the profile changes speakers proposed."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from sqlalchemy.orm import undefer

from mipevents.accounts.permissions import staff_required
from mipevents.core.web import query_id
from mipevents.extensions import db
from mipevents.speakers import drafts, services
from mipevents.speakers.forms import EditSpeakerForm
from mipevents.speakers.models import ProfileDraft, Speaker
from mipevents.workflows import speakers as speaker_work

staff_bp = Blueprint("speakers_staff", __name__, url_prefix="/staff")

PAGE_SIZE = 100


@staff_bp.route("/speakers/")
@staff_required
def list_speakers():
    q = (request.args.get("q") or "").strip()[:100]
    page = request.args.get("page", 1, type=query_id)
    stmt = select(Speaker)
    if q:
        like = f"%{q.casefold()}%"
        stmt = stmt.where(or_(func.lower(Speaker.name).like(like), func.lower(Speaker.position).like(like),
                              func.lower(Speaker.organization).like(like), func.lower(Speaker.city).like(like)))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    speakers = db.session.execute(stmt.order_by(func.lower(Speaker.name), Speaker.id)
                                  .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    sessions = speaker_work.sessions_per_speaker([s.id for s in speakers])
    return render_template("staff/speakers/list_speakers.html", speakers=speakers, q=q, total=total, page=page,
                           has_next=page * PAGE_SIZE < total, sessions=sessions)


def _save_photo(form, speaker) -> bool:
    """Apply the photo part of the form; False (with the error on the field) when the upload is refused."""
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        limit = current_app.config["SPEAKER_PHOTO_MAX_BYTES"]
        data = upload.read(limit + 1)
        try:
            speaker_work.set_photo(speaker, data, max_bytes=limit, actor=current_user)
        except services.SpeakerProblem as exc:
            form.photo.errors = [*form.photo.errors, str(exc)]
            return False
    elif form.remove_photo.data:
        speaker_work.remove_photo(speaker, actor=current_user)
    return True


def _problem(form, exc: services.SpeakerProblem):
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


@staff_bp.route("/speakers/new", methods=["GET", "POST"])
@staff_required
def create_speaker():
    form = EditSpeakerForm()
    if form.validate_on_submit():
        try:
            speaker = services.create_speaker(form.values(), actor=current_user)
        except services.SpeakerProblem as exc:
            db.session.rollback()
            _problem(form, exc)
        else:
            if _save_photo(form, speaker):
                db.session.commit()
                flash(f"Added {speaker.display_name}.", "success")
                return redirect(url_for(".edit_speaker", speaker_id=speaker.id), 303)
            db.session.rollback()   # no half-written profile without the photo that was refused
    return render_template("staff/speakers/edit_speaker.html", form=form, speaker=None), \
        422 if request.method == "POST" else 200


@staff_bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_speaker(speaker_id):
    speaker = db.get_or_404(Speaker, speaker_id)
    form = EditSpeakerForm(obj=speaker) if request.method == "GET" else EditSpeakerForm()
    if form.validate_on_submit():
        try:
            changed = speaker_work.update_speaker(speaker, form.values(), actor=current_user)
        except services.SpeakerProblem as exc:
            db.session.rollback()
            _problem(form, exc)
        else:
            version = speaker.photo_version
            if _save_photo(form, speaker):
                db.session.commit()
                flash("Saved." if changed or speaker.photo_version != version else "Nothing changed.",
                      "success" if changed or speaker.photo_version != version else "info")
                return redirect(url_for(".edit_speaker", speaker_id=speaker.id), 303)
            db.session.rollback()
            speaker = db.session.get(Speaker, speaker_id)
    links = speaker_work.speaker_links(speaker.id)
    return render_template("staff/speakers/edit_speaker.html", form=form, speaker=speaker, links=links), \
        422 if request.method == "POST" else 200


@staff_bp.route("/speakers/<int:speaker_id>/photo")
@staff_required
def photo(speaker_id):
    """The stored photo for staff screens (the public one is speakers.photo)."""
    speaker = db.session.execute(select(Speaker).options(undefer(Speaker.photo))
                                 .where(Speaker.id == speaker_id)).scalar_one_or_none()
    if speaker is None or not speaker.photo:
        abort(404)
    response = Response(speaker.photo, mimetype=speaker.photo_type or "image/jpeg")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@staff_bp.route("/speakers/changes")
@staff_required
def profile_changes():
    return render_template("staff/speakers/profile_changes.html", drafts=drafts.pending_drafts(),
                           form=FlaskForm())


@staff_bp.route("/speakers/changes/<int:draft_id>/draft-photo")
@staff_required
def draft_photo(draft_id):
    draft = db.session.execute(select(ProfileDraft).options(undefer(ProfileDraft.photo))
                               .where(ProfileDraft.id == draft_id)).scalar_one_or_none()
    if draft is None or not draft.photo:
        abort(404)
    response = Response(draft.photo, mimetype=draft.photo_type or "image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@staff_bp.route("/speakers/changes/<int:draft_id>", methods=["POST"])
@staff_required
def review_changes(draft_id):
    draft = db.get_or_404(ProfileDraft, draft_id)
    if FlaskForm().validate_on_submit():
        name = draft.speaker.display_name
        if request.form.get("action") == "accept":
            speaker_work.accept_profile_changes(draft, actor=current_user)
            flash(f"Published the changes to {name}'s profile.", "success")
        else:
            drafts.set_aside(draft, actor=current_user)
            flash(f"Set aside the changes {name} proposed.", "info")
        db.session.commit()
    return redirect(url_for(".profile_changes"), 303)
