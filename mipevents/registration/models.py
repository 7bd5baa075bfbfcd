"""Registration (one person at one meeting or webinar), SessionChoice (a session they picked) and
SeatCount (confirmed registrations per event, kept by the database itself)."""
from datetime import datetime

from sqlalchemy import DDL, JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mipevents.agenda.models import AgendaItem
from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.webinars.models import Webinar


class Registration(db.Model):
    """One row per person and event, ever: registering again after cancelling revives it, so the
    database itself guarantees one active registration per person and event."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    role: Mapped[str] = mapped_column(String(20), default="other")
    # The registrant's own copy of what they gave with this registration.
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(Text, default="")
    extras: Mapped[list] = mapped_column(JSON, default=list)   # receptions / site visits joined
    # Whether the registrant was asked about receptions, tours and site visits: never asked (older
    # rows, imports, the JSON API) joins them all; asked joins exactly `extras` (sessions.joins).
    extras_asked: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    is_listed: Mapped[bool] = mapped_column(default=False)    # opted in to the attendee list
    scheduler_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    scheduler_email: Mapped[str] = mapped_column(String(254), default="")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Waitlist order: the time the registration (re)joined the queue.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_minutes: Mapped[int | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(20), default="web")   # web, api, staff, import
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    scheduler: Mapped[Person | None] = relationship(foreign_keys=[scheduler_person_id])
    meeting: Mapped[Meeting | None] = relationship()
    webinar: Mapped[Webinar | None] = relationship()
    choices: Mapped[list["SessionChoice"]] = relationship(back_populates="registration",
                                                          cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint("(meeting_id IS NULL) <> (webinar_id IS NULL)", name="one_event"),
        CheckConstraint("status IN ('pending', 'confirmed', 'waitlisted', 'declined', 'cancelled')",
                        name="status_known"),
        CheckConstraint("role IN ('mayor', 'city_staff', 'partner', 'speaker', 'guest', 'other')",
                        name="role_known"),
        UniqueConstraint("person_id", "meeting_id", name="uq_registrations_person_meeting"),
        UniqueConstraint("person_id", "webinar_id", name="uq_registrations_person_webinar"),
        Index("ix_registrations_webinar_status", "webinar_id", "status"),
        Index("ix_registrations_meeting_status", "meeting_id", "status"),
    )

    @property
    def event(self):
        return self.meeting or self.webinar

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self):
        return self.status in ("pending", "confirmed", "waitlisted")


class SessionChoice(db.Model):
    __tablename__ = "session_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="choices")
    item: Mapped[AgendaItem] = relationship()

    __table_args__ = (UniqueConstraint("registration_id", "item_id", name="uq_session_choices_reg_item"),)


class SeatCount(db.Model):
    """How many registrations of one event are confirmed: the seat decision reads one row instead of
    counting registrations (which grows with the event, under the event's lock).

    Database triggers on `registrations` keep it (SEAT_COUNT_TRIGGERS below, and migration 0002), so
    every writer keeps it true without knowing of it: the registration core, imports, staff tools,
    cascades. A missing row means no confirmed registration. Read it only while holding the event's
    capacity lock (registration.services), as the count it replaces was."""

    __tablename__ = "seat_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    webinar_id: Mapped[int | None] = mapped_column(ForeignKey("webinars.id", ondelete="CASCADE"), unique=True)
    confirmed: Mapped[int] = mapped_column(default=0)

    __table_args__ = (CheckConstraint("(meeting_id IS NULL) <> (webinar_id IS NULL)", name="one_event"),)


# The triggers that keep seat_counts, per dialect (the same SQL as migration 0002). A registration
# counts while its status is 'confirmed'; an update that neither changes the status nor moves it to
# another event leaves the count alone.
SEAT_COUNT_TRIGGERS = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION registrations_seat_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
        IF OLD.meeting_id IS NOT NULL THEN
            UPDATE seat_counts SET confirmed = confirmed - 1 WHERE meeting_id = OLD.meeting_id;
        ELSE
            UPDATE seat_counts SET confirmed = confirmed - 1 WHERE webinar_id = OLD.webinar_id;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'confirmed' THEN
        IF NEW.meeting_id IS NOT NULL THEN
            INSERT INTO seat_counts (meeting_id, confirmed) VALUES (NEW.meeting_id, 1)
            ON CONFLICT (meeting_id) DO UPDATE SET confirmed = seat_counts.confirmed + 1;
        ELSE
            INSERT INTO seat_counts (webinar_id, confirmed) VALUES (NEW.webinar_id, 1)
            ON CONFLICT (webinar_id) DO UPDATE SET confirmed = seat_counts.confirmed + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS registrations_seat_count_insert_delete ON registrations",
        """CREATE TRIGGER registrations_seat_count_insert_delete AFTER INSERT OR DELETE ON registrations
FOR EACH ROW EXECUTE FUNCTION registrations_seat_count()""",
        "DROP TRIGGER IF EXISTS registrations_seat_count_update ON registrations",
        """CREATE TRIGGER registrations_seat_count_update AFTER UPDATE OF status, meeting_id, webinar_id ON registrations
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.meeting_id IS DISTINCT FROM NEW.meeting_id
                   OR OLD.webinar_id IS DISTINCT FROM NEW.webinar_id)
EXECUTE FUNCTION registrations_seat_count()""",
    ],
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS registrations_seat_count_insert AFTER INSERT ON registrations
WHEN NEW.status = 'confirmed'
BEGIN
    INSERT OR IGNORE INTO seat_counts (meeting_id, webinar_id, confirmed) VALUES (NEW.meeting_id, NEW.webinar_id, 0);
    UPDATE seat_counts SET confirmed = confirmed + 1
    WHERE meeting_id IS NEW.meeting_id AND webinar_id IS NEW.webinar_id;
END""",
        """CREATE TRIGGER IF NOT EXISTS registrations_seat_count_delete AFTER DELETE ON registrations
WHEN OLD.status = 'confirmed'
BEGIN
    UPDATE seat_counts SET confirmed = confirmed - 1
    WHERE meeting_id IS OLD.meeting_id AND webinar_id IS OLD.webinar_id;
END""",
        """CREATE TRIGGER IF NOT EXISTS registrations_seat_count_update AFTER UPDATE OF status, meeting_id, webinar_id
ON registrations
WHEN OLD.status IS NOT NEW.status OR OLD.meeting_id IS NOT NEW.meeting_id OR OLD.webinar_id IS NOT NEW.webinar_id
BEGIN
    UPDATE seat_counts SET confirmed = confirmed - 1
    WHERE OLD.status = 'confirmed' AND meeting_id IS OLD.meeting_id AND webinar_id IS OLD.webinar_id;
    INSERT OR IGNORE INTO seat_counts (meeting_id, webinar_id, confirmed)
    SELECT NEW.meeting_id, NEW.webinar_id, 0 WHERE NEW.status = 'confirmed';
    UPDATE seat_counts SET confirmed = confirmed + 1
    WHERE NEW.status = 'confirmed' AND meeting_id IS NEW.meeting_id AND webinar_id IS NEW.webinar_id;
END""",
    ],
}

# A schema built from the models (tests, `db.create_all()`) gets the triggers too.
for _dialect, _statements in SEAT_COUNT_TRIGGERS.items():
    for _statement in _statements:
        event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect=_dialect))
