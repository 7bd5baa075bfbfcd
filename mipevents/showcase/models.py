"""ShowcaseSlot (one presenter's lightning talk in a showcase session), ShowcaseRun (the live
run's state, as absolute UTC instants so every display and process agrees), and the stage of any
room: StageRun (one room's running order on one day) and SessionTiming (a session's actual times)."""
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mipevents.agenda.models import AgendaItem, Invitation
from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.speakers.models import Speaker


class ShowcaseSlot(db.Model):
    __tablename__ = "showcase_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    presenter_name: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(120), default="")
    link_url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    # None: the showcase session's slot_seconds.
    duration_seconds: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="published")
    actual_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    external_id: Mapped[str | None] = mapped_column(String(80))
    # The presenting speaker's invitation to this slot (agenda.Invitation), once staff sent one.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("speaker_invitations.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[AgendaItem] = relationship()
    speaker: Mapped[Speaker | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()

    __table_args__ = (
        CheckConstraint("duration_seconds IS NULL OR duration_seconds > 0", name="duration_positive"),
        CheckConstraint("status IN ('draft', 'published')", name="status_known"),
        UniqueConstraint("item_id", "external_id", name="uq_showcase_slots_item_external"),
    )

    @property
    def seconds(self) -> int:
        return self.duration_seconds or self.item.slot_seconds

    @property
    def location(self):
        return ", ".join(p for p in (self.city, self.state) if p)


class ShowcaseRun(db.Model):
    """The live run of one showcase session (see showcase/live.py for the state machine).

    Remaining time is derived, never stored as a ticking number: while running it is
    `deadline_at - now` (negative in overtime); while ready or paused it is `remaining_us`. Kept in
    microseconds so that pausing and resuming conserve the remaining time exactly."""

    __tablename__ = "showcase_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    current_slot_id: Mapped[int | None] = mapped_column(ForeignKey("showcase_slots.id", ondelete="SET NULL"))
    # idle (not begun), ready (a slot chosen, clock not started), running, paused, finished
    state: Mapped[str] = mapped_column(String(20), default="idle")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remaining_us: Mapped[int | None] = mapped_column(BigInteger)
    added_seconds: Mapped[int] = mapped_column(default=0)
    # Rises with every action: displays' ETags follow it.
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[AgendaItem] = relationship()
    current_slot: Mapped[ShowcaseSlot | None] = relationship()

    __table_args__ = (
        CheckConstraint("state IN ('idle', 'ready', 'running', 'paused', 'finished')", name="state_known"),
    )


class StageRun(db.Model):
    """The live run of one room's sessions on one day (see showcase/stage.py for its rules and
    showcase/live.py for the clock), with what staff show on the stage: a message to the speaker,
    a blacked-out screen, a hidden timer. Instants are absolute UTC, as ShowcaseRun's."""

    __tablename__ = "stage_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column()
    current_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="idle")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remaining_us: Mapped[int | None] = mapped_column(BigInteger)
    added_seconds: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_blackout: Mapped[bool] = mapped_column(default=False)
    is_timer_hidden: Mapped[bool] = mapped_column(default=False)
    # Rises with every change: displays' ETags follow it.
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("state IN ('idle', 'ready', 'running', 'paused', 'finished')", name="state_known"),
        UniqueConstraint("room_id", "day", name="uq_stage_runs_room_day"),
    )


class SessionTiming(db.Model):
    """When a session actually started and ended on its room's run (for planned against actual)."""

    __tablename__ = "session_timings"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    actual_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
