"""Reading speaker profiles for the public pages (what they show across sessions is workflows.speakers)."""
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.speakers.models import Speaker


def photo_bytes(speaker_id: int) -> bytes | None:
    return db.session.execute(select(Speaker.photo).where(Speaker.id == speaker_id)).scalar_one_or_none()
