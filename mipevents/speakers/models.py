"""Speaker: a global public profile (their roles on sessions are the agenda's SessionSpeaker rows); the
profile changes a speaker proposes for staff to review; their A/V, travel and hotel details for a meeting."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Person


class Speaker(db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), unique=True)
    honorific: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")   # "Mayor of Tacoma, WA"
    organization: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))            # private, never shown publicly
    # The photo lives in the database (resized), so every app host serves it.
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_type: Mapped[str | None] = mapped_column(String(40))
    photo_version: Mapped[int] = mapped_column(default=0)
    photo_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person | None] = relationship()

    @property
    def display_name(self):
        return f"{self.honorific} {self.name}".strip()

    @property
    def location(self):
        return ", ".join(p for p in (self.city, self.state) if p)

    @property
    def has_photo(self):
        return bool(self.photo_type)

    def __repr__(self):
        return f"<Speaker {self.id} {self.name!r}>"


class ProfileDraft(db.Model):
    """Changes a speaker made to their public profile from their private page, waiting for staff
    ("changed, review?"): public only once staff accept them. One per speaker; a new edit replaces it."""

    __tablename__ = "speaker_profile_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), unique=True)
    values: Mapped[dict] = mapped_column(JSON, default=dict)     # field -> proposed text
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_type: Mapped[str | None] = mapped_column(String(40))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    speaker: Mapped[Speaker] = relationship()


class SpeakerLogistics(db.Model):
    """What a speaker tells staff for one meeting from their private page: A/V needs, travel and hotel.
    Personal data: erased with the person; never shown publicly."""

    __tablename__ = "speaker_logistics"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    av_needs: Mapped[str] = mapped_column(Text, default="")
    arrives_on: Mapped[date | None] = mapped_column(Date)
    departs_on: Mapped[date | None] = mapped_column(Date)
    travel: Mapped[str] = mapped_column(Text, default="")          # flights, trains, who drives
    hotel: Mapped[str] = mapped_column(String(300), default="")
    needs_room: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("speaker_id", "meeting_id", name="uq_speaker_logistics_speaker_meeting"),)
