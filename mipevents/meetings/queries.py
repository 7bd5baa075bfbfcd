"""Read-side queries for the public meeting pages: the public meeting by slug (and its head, read
without a query), and whether registration is open right now."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort, current_app
from sqlalchemy import column, event, exists, inspect, select, table
from sqlalchemy.orm import Session

from mipevents.core import visibility
from mipevents.core.cache import PER_PROCESS_CACHES, Region
from mipevents.core.timeutil import to_local, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting

PUBLIC_STATUSES = visibility.PUBLIC_STATUSES


def shown_to_public(meeting: Meeting | None) -> bool:
    """Published or cancelled, and not cohort-only (core.visibility's one rule)."""
    return visibility.is_public(meeting)


def public_meeting_or_404(slug: str) -> Meeting:
    """The meeting the public may see, else 404."""
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if not shown_to_public(meeting):
        abort(404)
    return meeting


def meeting_version(meeting) -> tuple:
    """What every page of one meeting depends on: its public version, and its own last edit.
    `meeting` is a Meeting or its MeetingHead: both give the same tuple."""
    return (meeting.agenda_version, meeting.updated_at.isoformat() if meeting.updated_at else "")


# ------------------------------------------------------------------------------------ meeting heads
#
# A warm public page or a 304 needs only what decides the response: the meeting's id, its version,
# and the few fields that filters and the registration state read. The head carries those, kept in
# the shared cache by slug, so such a request issues no query at all, and in this process's memory
# for LOCAL_HEAD_SECONDS, so it makes no round trip to the shared cache either. Every commit that
# changes a meeting drops its head (after_commit below) in this process and in the shared cache.
# Another process may so answer from the previous head for up to LOCAL_HEAD_SECONDS, well under
# the pages' own max-age (where the cache is per process, as without Redis, heads live no longer
# than that in it either). Signed-in staff share no cached body: what they see is built from the
# meeting as `load()` reads it.

HEAD_SECONDS = 5
LOCAL_HEAD_SECONDS = 1
HEADS = Region("meeting-head", local_seconds=LOCAL_HEAD_SECONDS, plain_keys=True)
_local_heads = HEADS   # the name tests use to stop its clock
_HEAD_COLUMNS = ("id", "slug", "status", "cohort_id", "timezone", "starts_on", "ends_on", "agenda_version",
                 "updated_at", "agenda_published_at", "registration_opens_at", "registration_closes_at")


@dataclass(frozen=True)
class MeetingHead:
    """The public meeting's identity and version; `load()` gives the full Meeting for rendering."""
    id: int
    slug: str
    status: str
    cohort_id: int | None
    timezone: str
    starts_on: date
    ends_on: date
    agenda_version: int
    updated_at: datetime | None
    agenda_published_at: datetime | None
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    has_public_showcase: bool = False

    def load(self) -> Meeting:
        """The meeting itself, for building a response the cache did not hold: one query, or none
        when this request read the head from the database. It carries the head's showcase flag (for
        the meeting's tabs)."""
        meeting = db.session.info.get("meetings_read", {}).get(self.id) or db.session.get(Meeting, self.id)
        if not shown_to_public(meeting):
            abort(404)
        meeting.has_public_showcase = self.has_public_showcase
        return meeting


def public_meeting_head(slug: str) -> MeetingHead | None:
    """The head of the meeting the public may see under `slug`, from this process's memory or the
    shared cache when they hold it; a slug with no public meeting is remembered too, so a stream of
    404s costs no queries."""
    head = HEADS.get(slug)
    if head is None:
        head = _read_head(slug)
        shared = current_app.config["CACHE_TYPE"] not in PER_PROCESS_CACHES
        HEADS.set(slug, head, timeout=HEAD_SECONDS if shared else LOCAL_HEAD_SECONDS)
    return head or None


# The agenda's sessions table, by name: whether a meeting has a showcase the public sees (a session
# of kind "showcase", published or cancelled, as showcase.queries.showcase_items reads it) rides on
# the head's own query. The meetings floor sits below the agenda's and does not import its model;
# any change to such a session touches the meeting (its version), which drops the head.
_SESSIONS = table("agenda_items", column("meeting_id"), column("kind"), column("status"))
_HAS_PUBLIC_SHOWCASE = exists().where(_SESSIONS.c.meeting_id == Meeting.id, _SESSIONS.c.kind == "showcase",
                                      _SESSIONS.c.status.in_(("published", "cancelled")))


def _read_head(slug: str) -> MeetingHead | bool:
    # The whole row, not just the head's columns, held by this request's session (whose identity
    # map alone would let it go): `load()` then reuses it.
    row = db.session.execute(select(Meeting, _HAS_PUBLIC_SHOWCASE.label("has_public_showcase"))
                             .where(Meeting.slug == slug)).one_or_none()
    meeting = row[0] if row else None
    if not shown_to_public(meeting):
        return False
    db.session.info.setdefault("meetings_read", {})[meeting.id] = meeting
    return MeetingHead(*(getattr(meeting, name) for name in _HEAD_COLUMNS), has_public_showcase=bool(row[1]))


def public_meeting_head_or_404(slug: str) -> MeetingHead:
    head = public_meeting_head(slug)
    if head is None:
        abort(404)
    return head


@event.listens_for(Session, "after_flush")
def _note_changed_meetings(session, flush_context):
    slugs = session.info.setdefault("changed_meeting_slugs", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Meeting):
            slugs.add(obj.slug)
            slugs.update(value for value in inspect(obj).attrs.slug.history.deleted if value)


@event.listens_for(Session, "after_commit")
def _drop_changed_heads(session):
    slugs = session.info.pop("changed_meeting_slugs", None)
    if not slugs:
        return
    HEADS.delete(*(slug for slug in slugs if slug))


@event.listens_for(Session, "after_rollback")
def _forget_changed_meetings(session):
    session.info.pop("changed_meeting_slugs", None)


def local_today(meeting: Meeting, now: datetime | None = None) -> date:
    return to_local(now or utcnow(), meeting.timezone).date()


def is_past(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.ends_on < local_today(meeting, now)


def registration_state(meeting: Meeting, now: datetime | None = None) -> str:
    """'open', 'not_yet', 'closed' or 'none' (cancelled, past, or never open), from the meeting's
    own settings and the clock: no count of registrations, so a cached page may carry it."""
    now = now or utcnow()
    if meeting.status != "published" or is_past(meeting, now):
        return "none"
    if meeting.registration_opens_at is not None and now < meeting.registration_opens_at:
        return "not_yet"
    if meeting.registration_closes_at is not None and now >= meeting.registration_closes_at:
        return "closed"
    return "open"
