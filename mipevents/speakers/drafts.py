"""Profile changes a speaker makes on their private page: held as a draft ("changed, review?") until
staff accept them (then public) or set them aside, so a typo in a mayor's title is never published unseen."""
import io

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mipevents.accounts import audit
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.speakers.models import ProfileDraft, Speaker
from mipevents.speakers.services import SpeakerProblem, process_photo

MIN_PHOTO_SIDE = 300      # pixels: enough for a square crop on a badge, a briefing book and the web
FIELDS = ("honorific", "name", "position", "organization", "city", "state", "bio", "photo_alt")


def draft_of(speaker: Speaker) -> ProfileDraft | None:
    return db.session.execute(select(ProfileDraft).where(ProfileDraft.speaker_id == speaker.id)).scalar_one_or_none()


def propose(speaker: Speaker, values: dict, photo: bytes | None = None, *, max_bytes: int) -> ProfileDraft | None:
    """Hold the speaker's changes for review (replacing an earlier draft); None when nothing differs
    from the public profile. A headshot needs its description (alt text), new or already given."""
    changed = {f: values[f] for f in FIELDS if f in values and values[f] != (getattr(speaker, f) or "")}
    has_photo = bool(photo) or speaker.has_photo
    if has_photo and not (values.get("photo_alt") or speaker.photo_alt):
        raise SpeakerProblem("Describe your headshot in a few words, for people who cannot see it.", "photo_alt")
    encoded = process_photo(photo, max_bytes) if photo else None
    if encoded is not None:
        width, height = Image.open(io.BytesIO(encoded[0])).size
        if min(width, height) < MIN_PHOTO_SIDE:
            raise SpeakerProblem(f"The headshot is {width}×{height} pixels: use one at least {MIN_PHOTO_SIDE} pixels "
                                 "on each side, so it can be cropped to a square.", "photo")
    draft = draft_of(speaker)
    if not changed and encoded is None:
        if draft is not None:
            db.session.delete(draft)
        return None
    if draft is None:
        draft = ProfileDraft(speaker_id=speaker.id)
        db.session.add(draft)
    draft.values, draft.submitted_at = changed, utcnow()
    if encoded is not None:
        draft.photo, draft.photo_type = encoded
    db.session.flush()
    return draft


def pending_drafts() -> list[ProfileDraft]:
    return list(db.session.execute(select(ProfileDraft).options(selectinload(ProfileDraft.speaker))
                                   .order_by(ProfileDraft.submitted_at, ProfileDraft.id)).scalars())


def accept(draft: ProfileDraft, *, actor) -> None:
    """Put the draft's changes on the profile and drop the draft (the meetings showing the profile move
    on through workflows.speakers.accept_profile_changes)."""
    speaker = draft.speaker
    before = {f: getattr(speaker, f) for f in draft.values}
    for f, value in draft.values.items():
        if f in FIELDS:
            setattr(speaker, f, value)
    if draft.photo:
        speaker.photo, speaker.photo_type = draft.photo, draft.photo_type
        speaker.photo_version += 1
    audit.record("accept_profile_changes", speaker, actor=actor,
                 summary=f"Published the changes {speaker.display_name} made to their profile",
                 before=before, after=dict(draft.values) | ({"photo_version": speaker.photo_version} if draft.photo else {}))
    db.session.delete(draft)
    db.session.flush()


def set_aside(draft: ProfileDraft, *, actor) -> None:
    audit.record("set_aside_profile_changes", draft.speaker, actor=actor,
                 summary=f"Set aside the changes {draft.speaker.display_name} proposed")
    db.session.delete(draft)
    db.session.flush()
