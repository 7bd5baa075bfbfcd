"""Staff pages after the event: one page per session, showcase slot or webinar for its materials,
write-up (with photos) and survey; survey results and their CSV; the follow-up, previewed then sent."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from mipevents.accounts.permissions import staff_required
from mipevents.agenda.models import AgendaItem
from mipevents.core.web import upload_limit
from mipevents.extensions import db
from mipevents.followup import queries, services
from mipevents.followup import results as survey_results
from mipevents.followup.forms import AddMaterialForm, AddPhotoForm, EditStoryForm, EditSurveyForm
from mipevents.followup.models import Material, StoryPhoto, Survey
from mipevents.meetings.models import Meeting
from mipevents.showcase.models import ShowcaseSlot
from mipevents.webinars.models import Webinar
from mipevents.workflows import followups

staff_bp = Blueprint("followup_staff", __name__, url_prefix="/staff/after")

TARGETS = {"session": AgendaItem, "slot": ShowcaseSlot, "webinar": Webinar}
EVENTS = {"meeting": Meeting, "webinar": Webinar}


def _target_or_404(kind: str, target_id: int):
    model = TARGETS.get(kind)
    target = db.session.get(model, target_id) if model is not None else None
    if target is None:
        abort(404)
    return target


def _zone(target) -> str:
    if isinstance(target, Webinar):
        return target.timezone
    return (target.item if isinstance(target, ShowcaseSlot) else target).meeting.timezone


def _page(kind, target, *, material_form=None, story_form=None, photo_form=None, survey_form=None, status=200):
    story = services.story_for(target)
    survey = services.survey_for(target) if kind != "slot" else None
    if story_form is None:
        story_form = EditStoryForm(obj=story, formdata=None, prefix="story")
        if story is not None:
            story_form.publish.data = story.status == "published"
            story_form.published_on.data = story.published_at.date() if story.published_at else None
    if survey_form is None:
        survey_form = EditSurveyForm(formdata=None, questions=services.questions_text(survey),
                                     closes_on=survey.closes_at.date() if survey else None)
    materials = queries.materials_of(target)
    return render_template("followup/staff_target.html", kind=kind, target=target, story=story, survey=survey,
                           materials=materials, material_form=material_form or AddMaterialForm(formdata=None),
                           story_form=story_form, photo_form=photo_form or AddPhotoForm(formdata=None),
                           survey_form=survey_form, zone=_zone(target)), status


def _back(kind, target_id):
    return redirect(url_for(".edit", kind=kind, target_id=target_id), 303)


@staff_bp.route("/<kind>/<int:target_id>")
@staff_required
def edit(kind, target_id):
    return _page(kind, _target_or_404(kind, target_id))


@staff_bp.route("/<kind>/<int:target_id>/materials", methods=["POST"])
@upload_limit("MATERIAL_MAX_BYTES")
@staff_required
def add_material(kind, target_id):
    limit = current_app.config["MATERIAL_MAX_BYTES"]
    target = _target_or_404(kind, target_id)
    form = AddMaterialForm()
    if form.validate_on_submit():
        try:
            if form.kind.data == "file":
                upload = form.file.data
                data = upload.read(limit + 1) if upload and getattr(upload, "filename", "") else b""
                services.add_file(target, title=form.title.data, data=data, max_bytes=limit,
                                  is_public=not form.registrants_only.data, actor=current_user)
            else:
                services.add_link(target, kind=form.kind.data, title=form.title.data, url=form.url.data,
                                  is_public=not form.registrants_only.data, actor=current_user)
        except services.FollowupProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors = [str(problem)]
            return _page(kind, target, material_form=form, status=422)
        db.session.commit()
        flash(f"Added “{form.title.data}”.", "success")
        return _back(kind, target_id)
    return _page(kind, target, material_form=form, status=422)


@staff_bp.route("/materials/<int:material_id>/remove", methods=["POST"])
@staff_required
def remove_material(material_id):
    material = db.get_or_404(Material, material_id)
    kind, target_id = ("session", material.item_id) if material.item_id else (
        ("slot", material.slot_id) if material.slot_id else ("webinar", material.webinar_id))
    services.remove_material(material, actor=current_user)
    db.session.commit()
    flash("Removed.", "success")
    return _back(kind, target_id)


@staff_bp.route("/<kind>/<int:target_id>/story", methods=["POST"])
@staff_required
def save_story(kind, target_id):
    target = _target_or_404(kind, target_id)
    form = EditStoryForm(prefix="story")
    if not form.validate_on_submit():
        return _page(kind, target, story_form=form, status=422)
    story = services.save_story(target, form.to_values(_zone(target)), actor=current_user)
    db.session.commit()
    flash("Write-up published." if story.status == "published" else "Write-up saved as a draft.", "success")
    return _back(kind, target_id)


@staff_bp.route("/<kind>/<int:target_id>/story/photos", methods=["POST"])
@upload_limit("STORY_PHOTO_MAX_BYTES")
@staff_required
def add_photo(kind, target_id):
    limit = current_app.config["STORY_PHOTO_MAX_BYTES"]
    target = _target_or_404(kind, target_id)
    story = services.story_for(target)
    if story is None:
        abort(404)
    form = AddPhotoForm()
    if form.validate_on_submit():
        upload = form.photo.data
        data = upload.read(limit + 1) if upload and getattr(upload, "filename", "") else b""
        try:
            services.add_photo(story, data=data, alt=form.alt.data, credit=form.credit.data, max_bytes=limit,
                               actor=current_user)
        except services.FollowupProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors = [str(problem)]
            return _page(kind, target, photo_form=form, status=422)
        db.session.commit()
        flash("Photo added.", "success")
        return _back(kind, target_id)
    return _page(kind, target, photo_form=form, status=422)


@staff_bp.route("/photos/<int:photo_id>/remove", methods=["POST"])
@staff_required
def remove_photo(photo_id):
    photo = db.get_or_404(StoryPhoto, photo_id)
    story = photo.story
    kind, target_id = ("session", story.item_id) if story.item_id else (
        ("slot", story.slot_id) if story.slot_id else ("webinar", story.webinar_id))
    services.remove_photo(photo, actor=current_user)
    db.session.commit()
    return _back(kind, target_id)


@staff_bp.route("/<kind>/<int:target_id>/survey", methods=["POST"])
@staff_required
def save_survey(kind, target_id):
    if kind == "slot":
        abort(404)
    target = _target_or_404(kind, target_id)
    form = EditSurveyForm()
    if form.validate_on_submit():
        try:
            services.save_survey(target, questions=form.questions.data, closes_at=form.closes_at(_zone(target)),
                                 actor=current_user)
        except services.FollowupProblem as problem:
            db.session.rollback()
            form.questions.errors = [str(problem)]
            return _page(kind, target, survey_form=form, status=422)
        db.session.commit()
        flash("Survey saved.", "success")
        return _back(kind, target_id)
    return _page(kind, target, survey_form=form, status=422)


@staff_bp.route("/surveys/<int:survey_id>/results")
@staff_required
def results(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    return render_template("followup/staff_results.html", survey=survey, results=survey_results.results(survey))


@staff_bp.route("/surveys/<int:survey_id>/results.csv")
@staff_required
def results_csv(survey_id):
    survey = db.get_or_404(Survey, survey_id)
    return Response(survey_results.results_csv(survey), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="survey-{survey.id}.csv"', "Cache-Control": "no-store"})


def _event_or_404(kind: str, event_id: int):
    model = EVENTS.get(kind)
    event = db.session.get(model, event_id) if model is not None else None
    if event is None:
        abort(404)
    return event


def _followup_page(kind, event, status=200):
    return render_template("followup/staff_followup.html", kind=kind, event=event, plan=followups.plan(event),
                           live_links=queries.live_link_count(event)), status


@staff_bp.route("/followup/<kind>/<int:event_id>", methods=["GET", "POST"])
@staff_required
def followup(kind, event_id):
    event = _event_or_404(kind, event_id)
    if request.method == "POST":
        try:
            sent = followups.send(event, actor=current_user)
        except followups.NothingToFollowUp as problem:
            db.session.rollback()
            flash(str(problem), "error")
            return _followup_page(kind, event, 409)
        db.session.commit()
        flash(f"Queued {len(sent.thanks)} “thanks for joining” and {len(sent.missed)} “sorry we missed you”.", "success")
        return redirect(url_for(".followup", kind=kind, event_id=event_id), 303)
    return _followup_page(kind, event)


@staff_bp.route("/followup/<kind>/<int:event_id>/revoke-links", methods=["POST"])
@staff_required
def revoke_links(kind, event_id):
    event = _event_or_404(kind, event_id)
    revoked = services.revoke_followup_links(event, actor=current_user)
    db.session.commit()
    flash(f"Withdrew {revoked} follow-up link{'s' if revoked != 1 else ''}: they now answer “this link no longer "
          "works”.", "success")
    return redirect(url_for(".followup", kind=kind, event_id=event_id), 303)


@staff_bp.route("/photos/<int:photo_id>.jpg")
@staff_required
def photo(photo_id):
    """A write-up's photo for staff, drafts included."""
    found = db.get_or_404(StoryPhoto, photo_id)
    return Response(queries.photo_bytes(photo_id), mimetype=found.content_type, headers={"Cache-Control": "private, no-store"})
