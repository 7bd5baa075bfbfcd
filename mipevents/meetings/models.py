"""Meeting (a convening, shown in its own IANA zone) and its rooms."""
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import checked_zone, utcnow
from mipevents.extensions import db


class Meeting(db.Model):
    __tablename__ = "meetings"
    # Whether the public sees a showcase line-up: set on the meeting a public page loads from its head
    # (meetings.queries); not a column.
    has_public_showcase = False

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="workshop")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    panel_topics: Mapped[list] = mapped_column(JSON, default=list)

    # Registration settings.
    capacity: Mapped[int | None] = mapped_column()
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Registration roles that wait for staff approval (e.g. ["partner"]); others confirm at once.
    approval_roles: Mapped[list] = mapped_column(JSON, default=list)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))

    # Publishing: agenda_version rises with every publicly visible change (caches, ETags);
    # agenda_release counts the numbered releases of the changelog.
    agenda_version: Mapped[int] = mapped_column(default=1)
    agenda_release: Mapped[int] = mapped_column(default=0)
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(default=0)   # iCalendar SEQUENCE of the meeting itself

    external_id: Mapped[str | None] = mapped_column(String(80), unique=True)  # import key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    rooms: Mapped[list["Room"]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                               order_by="Room.position")

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="status_known"),
        CheckConstraint("kind IN ('winter', 'summer', 'academy', 'workshop', 'virtual')", name="kind_known"),
    )

    @validates("timezone")
    def _check_zone(self, key, value):
        return checked_zone(value)

    @property
    def is_public(self):
        return self.status in ("published", "cancelled")

    @property
    def is_cancelled(self):
        return self.status == "cancelled"

    @cached_property
    def location(self):
        return ", ".join(p for p in (self.city, self.state) if p)

    def __repr__(self):
        return f"<Meeting {self.slug}>"


class Room(db.Model):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    external_id: Mapped[str | None] = mapped_column(String(80))

    meeting: Mapped[Meeting] = relationship(back_populates="rooms")

    __table_args__ = (
        UniqueConstraint("meeting_id", "name", name="uq_rooms_meeting_name"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )
