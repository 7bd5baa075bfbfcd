"""Call (an open call for a cohort or a meeting's showcase), its questions, applications, answers
and reviews."""
import re
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import checked_zone, utcnow
from mipevents.extensions import db
from mipevents.people.models import Person

CALL_KINDS = {"cohort": "Cohort application", "showcase": "Innovation Showcase proposal"}
QUESTION_KINDS = {"short_text": "Short text", "long_text": "Long text", "choice": "Choice", "yes_no": "Yes or no"}
APPLICATION_STATUSES = {
    "draft": "Started, not submitted", "submitted": "Submitted", "shortlisted": "Shortlisted",
    "accepted": "Accepted", "declined": "Declined", "withdrawn": "Withdrawn",
}
POPULATION_BANDS = {
    "under_25k": "Under 25,000", "25k_100k": "25,000 – 99,999", "100k_250k": "100,000 – 249,999",
    "250k_500k": "250,000 – 499,999", "500k_plus": "500,000 or more",
}


class Call(db.Model):
    """An open call. `deadline_at` is the UTC instant of what staff typed as a local date and time
    in `timezone`; nothing is accepted at or after it."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="cohort")
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # iCalendar SEQUENCE of the deadline event in the organisation feed: +1 per change to it.
    sequence: Mapped[int] = mapped_column(default=0)
    decisions_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cohort: Mapped["Cohort | None"] = relationship()  # noqa: F821
    meeting: Mapped["Meeting | None"] = relationship()  # noqa: F821
    questions: Mapped[list["CallQuestion"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallQuestion.position")

    __table_args__ = (
        CheckConstraint("kind IN ('cohort', 'showcase')", name="kind_known"),
        CheckConstraint("status IN ('draft', 'published')", name="status_known"),
        CheckConstraint("deadline_at > opens_at", name="deadline_after_opening"),
        CheckConstraint("(kind = 'cohort' AND cohort_id IS NOT NULL) OR (kind = 'showcase' AND meeting_id IS NOT NULL)",
                        name="target_given"),
    )

    @validates("timezone")
    def _check_zone(self, key, value):
        return checked_zone(value)

    @property
    def short_title(self) -> str:
        """What the call is for, without a leading "Apply to"/"Apply for" (so that "Apply: …" and
        "your application to …" never read "Apply: Apply to …")."""
        match = re.match(r"apply (?:to|for)\s+(.+)", self.title, re.IGNORECASE)
        if match is None:
            return self.title
        rest = match.group(1)
        return rest[:1].upper() + rest[1:]

    @property
    def is_showcase(self) -> bool:
        return self.kind == "showcase"

    def is_open(self, now: datetime) -> bool:
        return self.status == "published" and self.opens_at <= now < self.deadline_at

    def __repr__(self):
        return f"<Call {self.slug}>"


class CallQuestion(db.Model):
    """A question staff configured: short text, long text (with an optional word limit), a choice
    among `choices`, or yes/no."""

    __tablename__ = "call_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20), default="short_text")
    prompt: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(default=True)
    word_limit: Mapped[int | None] = mapped_column()
    choices: Mapped[list] = mapped_column(JSON, default=list)

    call: Mapped[Call] = relationship(back_populates="questions")

    __table_args__ = (
        CheckConstraint("kind IN ('short_text', 'long_text', 'choice', 'yes_no')", name="kind_known"),
        CheckConstraint("word_limit IS NULL OR word_limit > 0", name="word_limit_positive"),
    )


class Application(db.Model):
    """One mayor's application to one call (one per email per call: a second submission updates it).

    `person` is the mayor; a scheduler may fill it in on their behalf (`scheduler_email`).
    `decision_released_at` is set once, when the decision email is queued."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))          # case-folded, as the person's
    mayor_name: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    population_band: Mapped[str] = mapped_column(String(20), default="")
    scheduler_email: Mapped[str] = mapped_column(String(254), default="")
    # Showcase proposals: what the mayor would present.
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    showcase_slot_id: Mapped[int | None] = mapped_column(ForeignKey("showcase_slots.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    call: Mapped[Call] = relationship()
    person: Mapped[Person] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="application", cascade="all, delete-orphan")
    reviews: Mapped[list["Review"]] = relationship(back_populates="application", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("call_id", "email", name="uq_applications_call_email"),
        CheckConstraint("status IN ('draft', 'submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn')",
                        name="status_known"),
        Index("ix_applications_call_status", "call_id", "status"),
    )

    @property
    def location(self) -> str:
        return ", ".join(p for p in (self.city, self.state) if p)

    def answer_for(self, question_id: int) -> "Answer | None":
        return next((a for a in self.answers if a.question_id == question_id), None)


class Answer(db.Model):
    __tablename__ = "application_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("call_questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="answers")
    question: Mapped[CallQuestion] = relationship()

    __table_args__ = (UniqueConstraint("application_id", "question_id", name="uq_application_answers_application_question"),)


class Review(db.Model):
    """One reviewer's 1–5 score and private notes on one application (never shown to the applicant)."""

    __tablename__ = "application_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column()
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id", name="uq_application_reviews_application_reviewer"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_in_range"),
    )
