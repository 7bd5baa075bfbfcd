"""Staff changes to speaker profiles and their photos. A photo is checked for type and size, then
re-encoded (metadata dropped), resized and stored in the database so every app host serves it.
A change to a profile shows on every meeting the speaker appears on (their agenda_version moves)."""
import io
import warnings

from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from mipevents.accounts import audit
from mipevents.core.images import as_stored_jpeg
from mipevents.extensions import db
from mipevents.people.services import normalise_email, person_for_email
from mipevents.speakers.models import Speaker

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000           # refuse decompression bombs long before they fill memory
PHOTO_BOX = (800, 800)            # stored photos fit this box (pixels), aspect kept
PROFILE_FIELDS = ("honorific", "name", "position", "organization", "city", "state", "bio", "email")


class SpeakerProblem(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def process_photo(data: bytes, max_bytes: int) -> tuple[bytes, str]:
    """An uploaded image -> (JPEG bytes, "image/jpeg"): at most `max_bytes` in, one of the accepted
    formats, turned upright, flattened on white, shrunk to fit PHOTO_BOX, without its metadata."""
    if not data:
        raise SpeakerProblem("The file is empty.", "photo")
    if len(data) > max_bytes:
        raise SpeakerProblem(f"The photo is too large: at most {_size(max_bytes)}.", "photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise SpeakerProblem("Upload a JPEG, PNG, WebP or GIF image.", "photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise SpeakerProblem("The photo has too many pixels; use one under 40 megapixels.", "photo")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except SpeakerProblem:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError):
        raise SpeakerProblem("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.", "photo") from None
    return as_stored_jpeg(image, PHOTO_BOX), "image/jpeg"


def _link_person(speaker: Speaker, email: str) -> None:
    """Point the profile at the Person with this email (one profile per person)."""
    if not email:
        speaker.email, speaker.person_id = None, None
        return
    email = normalise_email(email)
    person = person_for_email(email, speaker.name)
    taken = db.session.execute(select(func.count()).select_from(Speaker).where(
        Speaker.person_id == person.id, Speaker.id != (speaker.id or 0))).scalar_one()
    if taken:
        raise SpeakerProblem("Another speaker profile already has this email.", "email")
    speaker.email, speaker.person_id = email, person.id


def _state(speaker: Speaker) -> dict:
    return {f: getattr(speaker, f) for f in PROFILE_FIELDS} | {"photo_version": speaker.photo_version}


def create_speaker(values: dict, *, actor) -> Speaker:
    speaker = Speaker(**{f: values.get(f, "") for f in PROFILE_FIELDS if f != "email"})
    db.session.add(speaker)
    db.session.flush()
    _link_person(speaker, values.get("email", ""))
    db.session.flush()
    audit.record("create_speaker", speaker, actor=actor, summary=f"Added the speaker {speaker.display_name}",
                 after=_state(speaker))
    return speaker


def update_speaker(speaker: Speaker, values: dict, *, actor) -> bool:
    before = _state(speaker)
    for f in PROFILE_FIELDS:
        if f != "email":
            setattr(speaker, f, values.get(f, ""))
    if normalise_email(values.get("email", "")) != (speaker.email or ""):
        _link_person(speaker, values.get("email", ""))
    after = _state(speaker)
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return False
    audit.record("update_speaker", speaker, actor=actor, summary=f"Edited the speaker {speaker.display_name}",
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return True


def set_photo(speaker: Speaker, data: bytes, *, max_bytes: int, actor) -> None:
    """Store a new photo (validated and re-encoded); photo_version rises so its URL changes."""
    photo, content_type = process_photo(data, max_bytes)
    speaker.photo, speaker.photo_type = photo, content_type
    speaker.photo_version += 1
    audit.record("speaker_photo", speaker, actor=actor, summary=f"New photo for {speaker.display_name}",
                 after={"photo_version": speaker.photo_version, "bytes": len(photo)})


def remove_photo(speaker: Speaker, *, actor) -> bool:
    """Remove the photo; False when there was none."""
    if not speaker.has_photo:
        return False
    speaker.photo, speaker.photo_type = None, None
    speaker.photo_version += 1
    audit.record("speaker_photo", speaker, actor=actor, summary=f"Removed the photo of {speaker.display_name}",
                 after={"photo_version": speaker.photo_version})
    return True
