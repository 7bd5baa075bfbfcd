"""Webinar: an online session shown in its own zone, with a capacity and a private join link."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import checked_zone, utcnow
from mipevents.extensions import db


class Webinar(db.Model):
    __tablename__ = "webinars"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
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

    @validates("timezone")
    def _check_zone(self, key, value):
        return checked_zone(value)

    @property
    def is_public(self):
        return self.status in ("published", "cancelled") and self.cohort_id is None

    @property
    def is_cancelled(self):
        return self.status == "cancelled"

    @property
    def closes_at(self) -> datetime:
        """Registration closes at the deadline, or at the start when there is none."""
        return min(self.registration_closes_at or self.starts_at, self.starts_at)
