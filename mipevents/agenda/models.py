"""AgendaItem (a session on screens), SessionSpeaker (a speaker's role on it) and its Invitation,
AgendaRelease (a numbered publish) and ChangeNotice (a public session's change to tell)."""
from datetime import datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.core.vocabulary import SHOWCASE_CHANGEOVER_SECONDS, SHOWCASE_SLOT_SECONDS
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.speakers.models import Speaker


def place_in_words(location_name: str, location_address: str, room_name: str) -> str:
    """Where a session is, in words: its own place when off-site, else its room's name ("" for neither)."""
    if location_name or location_address:
        return ", ".join(part for part in (location_name, location_address) if part)
    return room_name


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="panel")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    track: Mapped[str] = mapped_column(String(120), default="")
    # Off-site items (a site visit, a reception at another venue) carry their own place; WGS 84
    # degrees, both or neither (checked by agenda.services), become the calendar's GEO.
    location_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    location_address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="draft")
    press_status: Mapped[str] = mapped_column(String(20), default="open")
    # iCalendar SEQUENCE: +1 per saved published change to time, place, title or status.
    sequence: Mapped[int] = mapped_column(default=0)
    # Showcase sessions only: each slot's default length and the changeover between presenters.
    slot_seconds: Mapped[int] = mapped_column(default=SHOWCASE_SLOT_SECONDS)
    changeover_seconds: Mapped[int] = mapped_column(default=SHOWCASE_CHANGEOVER_SECONDS)
    external_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()
    room: Mapped[Room | None] = relationship()
    speaker_links: Mapped[list["SessionSpeaker"]] = relationship(  # the class just below
        back_populates="item", cascade="all, delete-orphan", order_by="SessionSpeaker.position")

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="status_known"),
        CheckConstraint("kind IN ('plenary', 'panel', 'workshop', 'briefing', 'showcase', 'meal', "
                        "'reception', 'break', 'tour')", name="kind_known"),
        CheckConstraint("press_status IN ('open', 'chatham_house', 'closed')", name="press_status_known"),
        CheckConstraint("slot_seconds > 0 AND changeover_seconds >= 0", name="showcase_timing_positive"),
        UniqueConstraint("meeting_id", "external_id", name="uq_agenda_items_meeting_external"),
        Index("ix_agenda_items_meeting_starts", "meeting_id", "starts_at"),
    )

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_public(self):
        return self.status in ("published", "cancelled")

    @property
    def is_cancelled(self):
        return self.status == "cancelled"

    @property
    def is_offsite(self) -> bool:
        return bool(self.location_name or self.location_address)

    @property
    def place(self) -> str:
        return place_in_words(self.location_name, self.location_address, self.room.name if self.room_id and self.room else "")

    def __repr__(self):
        return f"<AgendaItem {self.id} {self.title!r}>"


class SessionSpeaker(db.Model):
    """A speaker's role on one session, in order."""

    __tablename__ = "session_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="speaker")
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[AgendaItem] = relationship(back_populates="speaker_links")
    speaker: Mapped[Speaker] = relationship()
    invitation: Mapped["Invitation | None"] = relationship(back_populates="link", cascade="all, delete-orphan",
                                                          uselist=False)

    __table_args__ = (
        UniqueConstraint("item_id", "speaker_id", name="uq_session_speakers_item_speaker"),
        CheckConstraint("role IN ('keynote', 'moderator', 'panelist', 'presenter', 'speaker')", name="role_known"),
    )


class Invitation(db.Model):
    """Staff asked this speaker to take a role: on a session (`link`), or presenting a showcase slot or a
    webinar (those rows point at their invitation: showcase.ShowcaseSlot.invitation_id,
    webinars.WebinarPresenter.invitation_id). The speaker answers through an "invitation" private link
    (people.Token, subject: this row). Personal data: erased with the person."""

    __tablename__ = "speaker_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("session_speakers.id", ondelete="CASCADE"), unique=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="speaker", server_default="speaker")
    status: Mapped[str] = mapped_column(String(20), default="invited")
    note: Mapped[str] = mapped_column(Text, default="")          # staff's personal note in the email
    reason: Mapped[str] = mapped_column(Text, default="")        # the speaker's reason for declining
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    link: Mapped[SessionSpeaker | None] = relationship(back_populates="invitation")
    speaker: Mapped[Speaker] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('invited', 'accepted', 'declined', 'withdrawn')", name="status_known"),
    )


class AgendaRelease(db.Model):
    """One publish of a meeting's agenda: its number, what changed since the last, and a snapshot
    of the published agenda to diff the next release against."""

    __tablename__ = "agenda_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list] = mapped_column(JSON, default=list)    # [{"type", "item_id", "text", ...}]
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)   # {item_id: {title, starts_at, ...}}
    conflicts_accepted: Mapped[list] = mapped_column(JSON, default=list)

    meeting: Mapped[Meeting] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_agenda_releases_meeting_number"),)


class ChangeNotice(db.Model):
    """One saved change to a published session's time, room or status, waiting to be told to the
    people it affects. A burst of edits leaves several rows; they go out as one email per person
    (the first row's `before` against the session as it is when the batch is queued)."""

    __tablename__ = "change_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    before: Mapped[dict] = mapped_column(JSON, default=dict)   # session_state() before the edit
    after: Mapped[dict] = mapped_column(JSON, default=dict)    # session_state() right after it
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # pending -> queued (its batch is in the outbox) or void (the burst ended where it began).
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipients: Mapped[int | None] = mapped_column()   # people emailed by its batch

    item: Mapped[AgendaItem] = relationship()
    meeting: Mapped[Meeting] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'queued', 'void')", name="status_known"),
        Index("ix_change_notices_status_created", "status", "created_at"),
    )
