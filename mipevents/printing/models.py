"""PrintJob: a print pack built in the background (badges for a whole meeting), with its progress for
staff and the finished PDF, kept in the database so every app host can serve it."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db


class PrintJob(db.Model):
    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="badges")
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))  # one person's
    paper: Mapped[str] = mapped_column(String(10), default="letter")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    done: Mapped[int] = mapped_column(default=0)          # badges laid out so far
    total: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # The PDF holds check-in codes (check-in only, revoked when badges are built again): deleted
    # with the meeting, and replaced by the next build.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    html: Mapped[str | None] = deferred(mapped_column(Text))   # the print view, where PDF is unavailable too
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint("paper IN ('letter', 'a4')", name="paper_known"),
    )
