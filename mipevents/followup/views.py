"""Public pages after the event: write-ups at /stories/ (with an Atom feed), their photos, public
materials as downloads; and a registrant's private follow-up page (/followup/<token>): the survey,
registrants-only files, and the opt-out that List-Unsubscribe points at."""
from flask import Blueprint, Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for

from mipevents.core.http_cache import cached_response
from mipevents.core.markdown import render as render_markdown
from mipevents.core.timeutil import utcnow
from mipevents.core.web import configured_limit, per_email_asked, upload_limit
from mipevents.extensions import csrf, db, limiter
from mipevents.followup import links, queries, services
from mipevents.followup.forms import AddOwnMaterialForm
from mipevents.registration.forms import SendMyLinkForm
from mipevents.registration.models import Registration

bp = Blueprint("followup", __name__)


def _attachment(data: bytes, content_type: str, filename: str, *, private: bool) -> Response:
    """A file as a download with our own safe name, never shown inline (nosniff is on every response)."""
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=3600"
    return response


def _stories_cached(key, build, **options):
    """/stories/ and its feed, cached by the write-ups' version and the next publish date: a write-up
    dated ahead appears when its day comes."""
    now = utcnow()
    version = queries.stories_version()
    boundary = queries.publish_boundary("stories", version, now)
    return cached_response(key, (version, boundary.key), lambda: build(now), max_age=boundary.max_age(300),
                           **options)


@bp.route("/stories/")
def list_stories():
    return _stories_cached(("stories",), lambda now: render_template(
        "followup/list_stories.html", stories=queries.public_stories(now)))


@bp.route("/stories/feed.atom")
def feed():
    def build(now):
        stories = queries.public_stories(now, limit=50)
        # The template is .xml, so autoescaped: each entry's HTML goes in escaped, as type="html" wants.
        return render_template("followup/feed.xml", stories=stories,
                               updated=max((s.updated_at for s in stories), default=now),
                               html_of=lambda story: str(render_markdown(story.body)))

    return _stories_cached(("stories-feed",), build, mimetype="application/atom+xml")


@bp.route("/stories/<int:story_id>-<slug>")
def show_story(story_id, slug):
    story = queries.public_story(story_id)
    if story is None:
        abort(404)
    if slug != story.slug:
        return redirect(url_for(".show_story", story_id=story.id, slug=story.slug), 301)
    materials = queries.after_event(*_kind_and_id(story)).materials
    return render_template("followup/show_story.html", story=story, body=render_markdown(story.body),
                           materials=materials)


def _kind_and_id(row) -> tuple[str, int]:
    if row.item_id is not None:
        return "session", row.item_id
    if row.slot_id is not None:
        return "slot", row.slot_id
    return "webinar", row.webinar_id


@bp.route("/stories/photos/<int:photo_id>.jpg")
def photo(photo_id):
    found = queries.public_photo(photo_id)
    if found is None:
        abort(404)
    response = Response(queries.photo_bytes(photo_id), mimetype=found.content_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/materials/<int:material_id>/<filename>")
def download(material_id, filename):
    material = queries.public_material(material_id)
    if material is None or material.kind != "file":
        abort(404)
    if filename != material.filename:
        return redirect(url_for(".download", material_id=material.id, filename=material.filename), 301)
    return _attachment(queries.file_bytes(material), material.content_type, material.filename, private=False)


# -- a registrant's private follow-up page -------------------------------------------------------

def _private(response) -> Response:
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _registration_or_404(token: str, *, expired_is_fine: bool = False) -> Registration:
    """The registration a live follow-up link opens. A link staff withdrew, or one whose surveys have
    all closed, answers 410 with a page saying so (an unknown one, 404); opting out still works
    with an expired link, as the emails' List-Unsubscribe promises."""
    link = queries.followup_link(token)
    if link.state == "unknown":
        abort(404)
    if link.state == "revoked" or (link.state == "expired" and not expired_is_fine):
        event = link.registration.event
        # A withdrawn link whose survey is still open offers a fresh one (to the address on record).
        form = SendMyLinkForm() if link.state == "revoked" and links.is_still_open(link.registration, utcnow()) else None
        abort(_private((render_template("followup/link_gone.html", state=link.state, closed_at=link.closed_at,
                                        event=event, is_webinar=link.registration.webinar_id is not None,
                                        form=form), 410)))
    return link.registration


@bp.route("/followup/lost-link", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_LINK_REQUEST"), methods=["POST"], key_func=per_email_asked("followup-link-request"),
               error_message="We have already sent this address its follow-up link several times in the last hour. "
                             "Look for it in the inbox (and the spam folder), or try again later.")
def lost_link():
    """"Email me my link" for the follow-up page: whoever asks, a fresh link goes only to the address
    on record, only while its survey is open, and the answer is the same whether or not it is known."""
    form = SendMyLinkForm()
    if form.validate_on_submit():
        links.queue_fresh_links(form.email.data, utcnow())
        db.session.commit()
        return _private(render_template("followup/lost_link.html", form=form, sent_to=form.email.data.strip()))
    return _private((render_template("followup/lost_link.html", form=form, sent_to=None),
                     422 if request.method == "POST" else 200))


def _page(token: str, registration: Registration, errors: dict | None = None, status: int = 200, given=None):
    surveys = queries.surveys_for(registration)
    now = utcnow()
    forms = [{"survey": s, "answer": queries.answer_of(s, registration), "ideas": queries.ideas_asked(s),
              "is_open": now < s.closes_at} for s in surveys]
    return _private((render_template(
        "followup/followup_page.html", token=token, registration=registration, event=registration.event,
        materials=queries.registrant_materials(registration), surveys=forms, errors=errors or {}, given=given,
        try_choices=queries.TRY_CHOICES), status))


@bp.route("/followup/<token>")
def followup_page(token):
    registration = _registration_or_404(token)
    return _page(token, registration)


@bp.route("/followup/<token>/surveys/<int:survey_id>", methods=["POST"])
def answer_survey(token, survey_id):
    registration = _registration_or_404(token)
    surveys = queries.surveys_for(registration)
    survey = next((s for s in surveys if s.id == survey_id), None)
    if survey is None:
        abort(404)
    try:
        services.answer(survey, registration, request.form.to_dict())
    except services.FollowupProblem as problem:
        db.session.rollback()
        return _page(token, registration, {survey.id: (problem.field, str(problem))}, 422 if problem.field else 409,
                     given=request.form.to_dict())
    db.session.commit()
    flash("Thank you: your answers are saved. You can change them until the survey closes.", "success")
    return _private(redirect(url_for(".followup_page", token=token, _anchor=f"survey-{survey.id}"), 303))


@bp.route("/followup/<token>/files/<int:material_id>")
def private_file(token, material_id):
    registration = _registration_or_404(token)
    material = next((m for m in queries.registrant_materials(registration) if m.id == material_id), None)
    if material is None or material.kind != "file":
        abort(404)
    return _attachment(queries.file_bytes(material), material.content_type, material.filename, private=True)


@bp.route("/followup/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt   # RFC 8058 one-click: the mail provider POSTs "List-Unsubscribe=One-Click" without our form
def unsubscribe(token):
    registration = _registration_or_404(token, expired_is_fine=True)
    if request.method == "POST":
        services.opt_out(registration.person)
        db.session.commit()
        return _private(render_template("followup/unsubscribed.html"))
    return _private(render_template("followup/unsubscribe.html", token=token))


# -- a speaker's own slides and links (from their invitation link) ------------------------------

def _speaker_or_404(token: str):
    speaker = queries.speaker_of_invitation(token)
    if speaker is None:
        abort(404)
    return speaker


def _speaker_page(token, speaker, form=None, status=200):
    targets = queries.speaker_targets(speaker)
    if form is None:
        form = AddOwnMaterialForm(formdata=None, targets=targets)
    return _private((render_template(
        "followup/speaker_materials.html", token=token, speaker=speaker, form=form, has_targets=bool(targets),
        materials=queries.speaker_added_materials(speaker)), status))


@bp.route("/speakers/invitation/<token>/materials", methods=["GET", "POST"])
@upload_limit("SPEAKER_MATERIAL_MAX_BYTES")
def speaker_materials(token):
    speaker = _speaker_or_404(token)
    if request.method == "GET":
        return _speaker_page(token, speaker)
    form = AddOwnMaterialForm(targets=queries.speaker_targets(speaker))
    if not form.validate_on_submit():
        return _speaker_page(token, speaker, form, 422)
    limit = current_app.config["SPEAKER_MATERIAL_MAX_BYTES"]
    upload = form.file.data
    values = {"kind": form.kind.data, "title": form.title.data, "url": form.url.data,
              "registrants_only": form.registrants_only.data,
              "data": upload.read(limit + 1) if upload and getattr(upload, "filename", "") else b""}
    try:
        services.add_speaker_material(speaker, form.target.data, values, max_bytes=limit)
    except services.FollowupProblem as problem:
        db.session.rollback()
        getattr(form, problem.field, form.title).errors = [str(problem)]
        return _speaker_page(token, speaker, form, 422)
    db.session.commit()
    flash(f"Thank you: “{form.title.data}” is attached. Our staff see that you added it.", "success")
    return _private(redirect(url_for(".speaker_materials", token=token), 303))


@bp.route("/speakers/invitation/<token>/materials/<int:material_id>/remove", methods=["POST"])
def remove_speaker_material(token, material_id):
    speaker = _speaker_or_404(token)
    try:
        services.remove_speaker_material(speaker, material_id)
    except LookupError:
        abort(404)
    db.session.commit()
    flash("Removed.", "success")
    return _private(redirect(url_for(".speaker_materials", token=token), 303))


# What other areas' public pages show of a session, slot, webinar or meeting after it (their templates
# call these; create_app installs them as template globals).
TEMPLATE_GLOBALS = {
    "after_event": queries.after_event,
    "meeting_stories": queries.meeting_stories,
    "slot_stories": queries.slot_story_ids,
    "session_materials": queries.public_materials_of_items,
}
