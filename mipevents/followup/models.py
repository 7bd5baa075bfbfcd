"""After the event: materials (files and links) and write-ups on sessions, showcase slots and webinars,
surveys and their answers, and who asked not to get follow-up email."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from mipevents.accounts.models import User
from mipevents.agenda.models import AgendaItem
from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar

# Exactly one of item_id (a session), slot_id (a showcase slot) or webinar_id.
ONE_TARGET = ("(CASE WHEN item_id IS NULL THEN 0 ELSE 1 END + CASE WHEN slot_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN webinar_id IS NULL THEN 0 ELSE 1 END) = 1")


class _OnTarget:
    """What a material or write-up is attached to: a session, a showcase slot or a webinar."""

    @property
    def target(self):
        return self.item or self.slot or self.webinar

    @property
    def meeting(self):
        if self.item is not None:
            return self.item.meeting
        return self.slot.item.meeting if self.slot is not None else None


class Material(_OnTarget, db.Model):
    """Slides, a document (the file lives here, so every app host serves it) or a link (a recording,
    an article, data), public or for registrants only."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("showcase_slots.id", ondelete="CASCADE"), index=True)
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))          # file, link, recording
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500), default="")
    filename: Mapped[str] = mapped_column(String(120), default="")
    content_type: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(default=0)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # Where the file's bytes are: empty when on this row (`data`), else a key of core.storage.
    storage_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    is_public: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who added it: a staff member, or the speaker through their private link (staff see which).
    added_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_by_speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)

    item: Mapped[AgendaItem | None] = relationship()
    slot: Mapped[ShowcaseSlot | None] = relationship()
    webinar: Mapped[Webinar | None] = relationship()
    added_by_user: Mapped[User | None] = relationship()
    added_by_speaker: Mapped[Speaker | None] = relationship()

    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
        CheckConstraint("kind IN ('file', 'link', 'recording')", name="kind_known"),
        CheckConstraint("(kind = 'file') = (url = '')", name="file_or_url"),
    )


class Story(_OnTarget, db.Model):
    """A write-up ("Read the full feature") of one session, showcase slot or webinar; Markdown body,
    a draft until published."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("showcase_slots.id", ondelete="CASCADE"), unique=True)
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(80))
    author: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[AgendaItem | None] = relationship()
    slot: Mapped[ShowcaseSlot | None] = relationship()
    webinar: Mapped[Webinar | None] = relationship()
    photos: Mapped[list["StoryPhoto"]] = relationship(back_populates="story", cascade="all, delete-orphan",
                                                      order_by="StoryPhoto.id")

    __table_args__ = (
        CheckConstraint(ONE_TARGET, name="one_target"),
        CheckConstraint("status IN ('draft', 'published')", name="status_known"),
        CheckConstraint("status = 'draft' OR published_at IS NOT NULL", name="published_dated"),
    )


class StoryPhoto(db.Model):
    """A photo in a write-up: re-encoded on upload, with its alt text (required) and credit."""

    __tablename__ = "story_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    alt: Mapped[str] = mapped_column(String(300))
    credit: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    story: Mapped[Story] = relationship(back_populates="photos")

    __table_args__ = (CheckConstraint("alt <> ''", name="alt_given"),)


class Survey(db.Model):
    """A short survey after a session or webinar: staff questions (`questions`: [{"key", "kind":
    rating|choice|text, "text", "options"}]) plus the fixed "Will you try something from this in
    your city?"; answers are editable until `closes_at`."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"), unique=True)
    questions: Mapped[list] = mapped_column(JSON, default=list)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[AgendaItem | None] = relationship()
    webinar: Mapped[Webinar | None] = relationship()

    __table_args__ = (CheckConstraint("(item_id IS NULL) <> (webinar_id IS NULL)", name="one_target"),)

    @property
    def target(self):
        return self.item or self.webinar


class SurveyAnswer(db.Model):
    """One registrant's answers to one survey (private to staff); one row per survey and registration."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration] = relationship()

    __table_args__ = (UniqueConstraint("survey_id", "registration_id", name="uq_survey_answers_survey_registration"),)


class FollowupOptOut(db.Model):
    """A person who asked for no more follow-up email (thanks, recordings, surveys)."""

    __tablename__ = "followup_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
