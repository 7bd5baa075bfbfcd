"""Person (one human, keyed by case-folded email) and their revocable tokens."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db

# What a private link opens (subject_id names the row where it is not the person alone):
#   manage        the owner's page of one registration (subject: the registration)
#   feed          the owner's personal calendar feed
#   application   the owner's page of one application (subject: the application)
#   invitation    a speaker's invitation; checkin  a check-in code (the agenda area's)
#   display       a stage screen of one room; speaker_view  the speaker's own timer page of one room
#                 (subject: the room; both belong to the staff member who made them)
#   survey        a registrant's follow-up page after an event (subject: the registration)
#   scheduler     a scheduler's page of one registration they made (subject: the registration)
#   scheduler_app a scheduler's page of one application they made (subject: the application)
#   approval      the owner's "let this scheduler manage it for me" (subject: the SchedulerApproval)
#   member        a cohort member's private page of their cohorts' events (the person alone)
TOKEN_PURPOSES = ("manage", "feed", "application", "invitation", "checkin", "display", "speaker_view", "survey",
                  "scheduler", "scheduler_app", "approval", "member")


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
    # The raw token encrypted with MIPEVENTS_TOKEN_KEY, for a link that is shown again (the personal
    # feed's one stable address); empty for links shown once.
    secret: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(back_populates="tokens")

    __table_args__ = (
        CheckConstraint("purpose IN (" + ", ".join(f"'{p}'" for p in TOKEN_PURPOSES) + ")", name="purpose_known"),
        Index("ix_tokens_person_purpose", "person_id", "purpose", "subject_id"),
    )


class SchedulerApproval(db.Model):
    """A person's answer to "may this scheduler manage my registrations and applications?": asked when
    a scheduler names someone who already registered or applied, given only from the person's own
    inbox (an "approval" link), revocable in one click; one row per person and scheduler, untouched by
    "reset my links". `registration_id` / `application_id` name what the request was about."""

    __tablename__ = "scheduler_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    scheduler_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column()
    application_id: Mapped[int | None] = mapped_column()
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    scheduler: Mapped[Person] = relationship(foreign_keys=[scheduler_id])

    __table_args__ = (UniqueConstraint("person_id", "scheduler_id", name="uq_scheduler_approvals_person_scheduler"),)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None and self.revoked_at is None
