"""Person (one human, keyed by case-folded email) and their revocable tokens."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db

# display: a stage screen of one room (subject: the room); speaker_view: the speaker's own timer
# page of one room (subject: the room). Both belong to the staff member who made them.
# survey: a registrant's follow-up page after an event (its survey, registrants-only files and the
# opt-out; subject: the registration).
TOKEN_PURPOSES = ("manage", "feed", "application", "invitation", "checkin", "display", "speaker_view", "survey")


class Person(db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Case-folded, so Mayor@X.gov and mayor@x.gov are one person.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tokens: Mapped[list["Token"]] = relationship(back_populates="person", cascade="all, delete-orphan")

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_casefolded"),)

    def __repr__(self):
        return f"<Person {self.id} {self.email}>"


class Token(db.Model):
    """A private link: only the SHA-256 of the random token is stored; revoked tokens answer 404.

    `purpose` says what it opens; `subject_id` names the row it opens where that is not the
    person alone (a registration for "manage", an application for "application")."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="tokens")

    __table_args__ = (
        CheckConstraint("purpose IN (" + ", ".join(f"'{p}'" for p in TOKEN_PURPOSES) + ")", name="purpose_known"),
        Index("ix_tokens_person_purpose", "person_id", "purpose", "subject_id"),
    )
