"""Webinar: an online session shown in its own zone, with a capacity and a private join link; its
presenters are speaker profiles (WebinarPresenter), so a speaker's page lists their webinars too."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mipevents.agenda.models import Invitation
from mipevents.core import visibility
from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import checked_zone, utcnow
from mipevents.extensions import db
from mipevents.speakers.models import Speaker


class Webinar(db.Model):
    __tablename__ = "webinars"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # The presenters' public line (feeds, the API's text), kept by webinars.presenters from the linked
    # profiles; text alone only where an import gave no profiles.
    presenters: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    capacity: Mapped[int | None] = mapped_column()
    join_url: Mapped[str] = mapped_column(String(500), default="")   # private: registrants only
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    sequence: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)   # rises with every public change (caches)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="status_known"),
    )

    presenter_links: Mapped[list["WebinarPresenter"]] = relationship(
        back_populates="webinar", cascade="all, delete-orphan", order_by="WebinarPresenter.position")

    @validates("timezone")
    def _check_zone(self, key, value):
        return checked_zone(value)

    @property
    def is_public(self):
        return visibility.is_public(self)

    @property
    def is_cancelled(self):
        return self.status == "cancelled"

    @property
    def closes_at(self) -> datetime:
        """Registration closes at the deadline, or at the start when there is none."""
        return min(self.registration_closes_at or self.starts_at, self.starts_at)


class WebinarPresenter(db.Model):
    """A speaker profile presenting a webinar, in the order the webinar lists them."""

    __tablename__ = "webinar_presenters"

    id: Mapped[int] = mapped_column(primary_key=True)
    webinar_id: Mapped[int] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="presenter")
    position: Mapped[int] = mapped_column(default=0)
    # The presenter's invitation (agenda.Invitation), once staff sent one.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("speaker_invitations.id", ondelete="SET NULL"), unique=True)

    webinar: Mapped[Webinar] = relationship(back_populates="presenter_links")
    invitation: Mapped[Invitation | None] = relationship()
    speaker: Mapped[Speaker] = relationship(lazy="joined")   # a webinar's presenters come with their profiles

    __table_args__ = (UniqueConstraint("webinar_id", "speaker_id"),)
