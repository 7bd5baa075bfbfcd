"""OutboxMessage: an email to send, written in the same transaction as the change that causes it."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db


class OutboxMessage(db.Model):
    """What a message needs, not the message: `kind` names the builder that renders it at delivery
    from `context` (ids and, until sent, the raw private link tokens)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    to_email: Mapped[str] = mapped_column(String(254))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    # Set for messages that must exist once only ("reminder-24h:registration:17").
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set while a sender holds the row; `sending` without it: accepted by the mail server, refused
    # by the database as sent and as failed, and never offered again (notify.delivery).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status_known"),
        Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),
    )
