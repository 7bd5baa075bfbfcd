"""Staff changes after the event: materials, write-ups and their photos, surveys; a registrant's
survey answer; opting out of follow-up email. Plain functions taking `actor=`; they add and flush,
the view commits. A change to what a meeting's pages show moves its agenda_version (caches)."""
import re
from datetime import datetime

from sqlalchemy import select, update

from mipevents.accounts import audit
from mipevents.agenda.models import AgendaItem
from mipevents.core import storage
from mipevents.core.text import slugify
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import uploads
from mipevents.followup.models import FollowupOptOut, Material, Story, StoryPhoto, Survey, SurveyAnswer
from mipevents.followup.queries import LINK_PURPOSE, TRY_CHOICES, event_registration_ids, ideas_asked, speaker_targets
from mipevents.meetings.services import touch
from mipevents.people.models import Person, Token
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.webinars.models import Webinar

QUESTION_KINDS = ("rating", "choice", "text")


class FollowupProblem(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def target_columns(target) -> dict:
    """The foreign key naming `target` (a session, showcase slot or webinar) on a material or write-up."""
    if isinstance(target, AgendaItem):
        return {"item_id": target.id}
    if isinstance(target, ShowcaseSlot):
        return {"slot_id": target.id}
    if isinstance(target, Webinar):
        return {"webinar_id": target.id}
    raise TypeError(f"not a session, slot or webinar: {target!r}")


def _touch(target) -> None:
    if isinstance(target, Webinar):
        target.version += 1   # the webinar's public representations (the API) are cached by it
    meeting = target.item.meeting if isinstance(target, ShowcaseSlot) else getattr(target, "meeting", None)
    if meeting is not None:
        touch(meeting)


# -- materials -----------------------------------------------------------------------------------

def _who(actor, speaker) -> dict:
    """The columns saying who added a material: the staff member, or the speaker (their own link)."""
    if speaker is not None:
        return {"added_by_speaker_id": speaker.id}
    return {"added_by_user_id": actor.id} if getattr(actor, "id", None) is not None else {}


def _by(speaker) -> str:
    return f" ({speaker.display_name}, through their speaker link)" if speaker is not None else ""


def add_link(target, *, kind: str, title: str, url: str, is_public: bool, actor, speaker=None) -> Material:
    """A link (a recording, an article, data) on `target`; http and https only. `speaker`: added by
    that speaker through their private link (`actor` is then None)."""
    if kind not in ("link", "recording"):
        raise FollowupProblem("Choose a recording or a link.", "kind")
    if not re.match(r"^https?://[^\s/]+", url or ""):
        raise FollowupProblem("Enter a web address starting with https:// or http://.", "url")
    material = Material(**target_columns(target), kind=kind, title=title, url=url, is_public=is_public,
                        **_who(actor, speaker))
    db.session.add(material)
    _touch(target)
    db.session.flush()
    audit.record("material.add", material, actor=actor, summary=f"Added {kind} “{title}”{_by(speaker)}")
    return material


def add_file(target, *, title: str, data: bytes, max_bytes: int, is_public: bool, actor, speaker=None) -> Material:
    """Slides or a document on `target`, checked by its bytes and kept where core.storage says (the
    database unless a file store is configured)."""
    try:
        upload = uploads.document(data, max_bytes)
    except uploads.UploadProblem as problem:
        raise FollowupProblem(str(problem), "file") from None
    key = storage.put(upload.data, db.session())
    material = Material(**target_columns(target), kind="file", title=title, content_type=upload.content_type,
                        filename=uploads.safe_filename(title, upload.extension), size=len(upload.data),
                        data=upload.data if key == storage.IN_THE_ROW else None, storage_key=key,
                        is_public=is_public, **_who(actor, speaker))
    db.session.add(material)
    _touch(target)
    db.session.flush()
    audit.record("material.add", material, actor=actor,
                 summary=f"Added file “{title}” ({upload.extension}){_by(speaker)}")
    return material


def remove_material(material: Material, *, actor, speaker=None) -> None:
    _touch(material.target)
    audit.record("material.remove", material, actor=actor, summary=f"Removed “{material.title}”{_by(speaker)}")
    storage.delete_when_committed(material.storage_key, db.session())
    db.session.delete(material)
    db.session.flush()


def add_speaker_material(speaker, target_ref: str, values: dict, *, max_bytes: int) -> Material:
    """A speaker's own slides, document or link, from their private page, on one of their sessions or
    showcase slots (`target_ref` "session:<id>" or "slot:<id>", as speaker_targets offers them)."""
    target = next((t.target for t in speaker_targets(speaker) if t.ref == target_ref), None)
    if target is None:
        raise FollowupProblem("Choose one of your sessions.", "target")
    is_public = not values.get("registrants_only")
    if values.get("kind") == "file":
        return add_file(target, title=values["title"], data=values.get("data") or b"", max_bytes=max_bytes,
                        is_public=is_public, actor=None, speaker=speaker)
    return add_link(target, kind=values.get("kind", ""), title=values["title"], url=values.get("url") or "",
                    is_public=is_public, actor=None, speaker=speaker)


def remove_speaker_material(speaker, material_id: int) -> None:
    """A speaker takes back something they added themselves (nothing staff or others added)."""
    material = db.session.get(Material, material_id)
    if material is None or material.added_by_speaker_id != speaker.id:
        raise LookupError(material_id)
    remove_material(material, actor=None, speaker=speaker)


# -- write-ups -----------------------------------------------------------------------------------

def story_for(target) -> Story | None:
    column, value = next(iter(target_columns(target).items()))
    return db.session.execute(select(Story).where(getattr(Story, column) == value)).scalar_one_or_none()


def save_story(target, values: dict, *, actor) -> Story:
    """Create or edit the write-up of `target`: title, author, summary, body (Markdown); publishing
    sets the publish date (given, or now) and a draft hides it again."""
    story = story_for(target)
    if story is None:
        story = Story(**target_columns(target))
        db.session.add(story)
    story.title = values["title"]
    story.slug = slugify(values["title"], 80) or "story"
    story.author = values.get("author", "")
    story.summary = values.get("summary", "")
    story.body = values.get("body", "")
    if values.get("publish"):
        story.status = "published"
        story.published_at = values.get("published_at") or story.published_at or utcnow()
    else:
        story.status = "draft"
        story.published_at = values.get("published_at")
    _touch(target)
    db.session.flush()
    audit.record("story.save", story, actor=actor, summary=f"Saved write-up “{story.title}” ({story.status})")
    return story


def add_photo(story: Story, *, data: bytes, alt: str, credit: str, max_bytes: int, actor) -> StoryPhoto:
    """A photo in the write-up: alt text is required (a photo nobody can describe is refused)."""
    if not (alt or "").strip():
        raise FollowupProblem("Describe the photo for people who cannot see it (alt text).", "alt")
    try:
        upload = uploads.photo(data, max_bytes)
    except uploads.UploadProblem as problem:
        raise FollowupProblem(str(problem), "photo") from None
    photo = StoryPhoto(story=story, alt=alt.strip(), credit=(credit or "").strip(), content_type=upload.content_type,
                       data=upload.data)
    db.session.add(photo)
    _touch(story.target)
    db.session.flush()
    audit.record("story.photo", story, actor=actor, summary=f"Added a photo to “{story.title}”")
    return photo


def remove_photo(photo: StoryPhoto, *, actor) -> None:
    _touch(photo.story.target)
    audit.record("story.photo_remove", photo.story, actor=actor, summary=f"Removed a photo from “{photo.story.title}”")
    db.session.delete(photo)
    db.session.flush()


# -- surveys -------------------------------------------------------------------------------------

def parse_questions(text: str) -> list[dict]:
    """Staff's questions, one a line: "rating: How useful was it?", "text: What would you change?",
    "choice: Which part helped most? | The data | The financing | The panel"."""
    questions = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        kind, _, rest = line.partition(":")
        kind = kind.strip().lower()
        if kind not in QUESTION_KINDS or not rest.strip():
            raise FollowupProblem(f"Line {number}: start with rating:, choice: or text:, then the question.", "questions")
        text_part, *options = [part.strip() for part in rest.split("|")]
        options = [o for o in options if o]
        if kind == "choice" and len(options) < 2:
            raise FollowupProblem(f"Line {number}: a choice needs at least two options after “|”.", "questions")
        questions.append({"key": f"q{len(questions) + 1}", "kind": kind, "text": text_part[:300],
                          "options": [o[:120] for o in options] if kind == "choice" else []})
    return questions


def questions_text(survey: Survey | None) -> str:
    if survey is None:
        return ""
    return "\n".join(f"{q['kind']}: {q['text']}" + "".join(f" | {o}" for o in q["options"]) for q in survey.questions)


def survey_for(target) -> Survey | None:
    column = "item_id" if isinstance(target, AgendaItem) else "webinar_id"
    return db.session.execute(select(Survey).where(getattr(Survey, column) == target.id)).scalar_one_or_none()


def save_survey(target, *, questions: str, closes_at: datetime, actor) -> Survey:
    survey = survey_for(target)
    if survey is None:
        survey = Survey(**({"item_id": target.id} if isinstance(target, AgendaItem) else {"webinar_id": target.id}))
        db.session.add(survey)
    survey.questions = parse_questions(questions)
    survey.closes_at = closes_at
    db.session.flush()
    audit.record("survey.save", survey, actor=actor, summary=f"Saved the survey of “{target.title}”")
    return survey


def answer(survey: Survey, registration: Registration, values: dict, now: datetime | None = None) -> SurveyAnswer:
    """Record (or replace) this registrant's answers while the survey is open. `values` maps question
    keys to the text given; unanswered questions are left out, unknown keys ignored."""
    now = now or utcnow()
    if now >= survey.closes_at:
        raise FollowupProblem("This survey has closed.")
    answers = {}
    for question in survey.questions:
        given = (values.get(question["key"]) or "").strip()
        if not given:
            continue
        if question["kind"] == "rating" and given not in {"1", "2", "3", "4", "5"}:
            raise FollowupProblem("Choose from 1 to 5.", question["key"])
        if question["kind"] == "choice" and given not in question["options"]:
            raise FollowupProblem("Choose one of the options.", question["key"])
        answers[question["key"]] = int(given) if question["kind"] == "rating" else given[:2000]
    keys = ["try"] + [f"try:{slot.id}" for slot in ideas_asked(survey)]
    for key in keys:
        given = (values.get(key) or "").strip()
        if given and given not in dict(TRY_CHOICES):
            raise FollowupProblem("Choose yes, maybe or no.", key)
        if given:
            answers[key] = given
    if values.get("try_what", "").strip():
        answers["try_what"] = values["try_what"].strip()[:2000]
    row = db.session.execute(select(SurveyAnswer).where(
        SurveyAnswer.survey_id == survey.id, SurveyAnswer.registration_id == registration.id)).scalar_one_or_none()
    if row is None:
        row = SurveyAnswer(survey_id=survey.id, registration_id=registration.id)
        db.session.add(row)
    row.answers = answers
    db.session.flush()
    return row


def revoke_followup_links(event, *, actor, now: datetime | None = None) -> int:
    """Staff stop every follow-up link (survey, registrants-only files) sent for a meeting or webinar;
    each answers "withdrawn" (410) from now on. Returns how many were live."""
    revoked = db.session.execute(update(Token).where(
        Token.purpose == LINK_PURPOSE, Token.revoked_at.is_(None), Token.subject_id.in_(event_registration_ids(event)))
        .values(revoked_at=now or utcnow())).rowcount
    audit.record("followup.revoke_links", event, actor=actor, summary=f"Revoked {revoked} follow-up links")
    return revoked


# -- opting out ----------------------------------------------------------------------------------

def opt_out(person: Person) -> None:
    """No more follow-up email for this person (asking twice changes nothing)."""
    if db.session.execute(select(FollowupOptOut.id).where(FollowupOptOut.person_id == person.id)).first() is None:
        db.session.add(FollowupOptOut(person_id=person.id))
        db.session.flush()
