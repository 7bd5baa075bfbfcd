"""Read-side queries for the public meeting pages: the public meeting by slug, the home page's
lists and their cache version, and whether registration is open right now."""
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import abort
from sqlalchemy import func, select

from mipevents.calls.deadlines import deadline_wording
from mipevents.calls.models import Call
from mipevents.calls.services import public_calls
from mipevents.core.timeutil import to_local, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.webinars.models import Webinar

PUBLIC_STATUSES = ("published", "cancelled")


def public_meeting_or_404(slug: str) -> Meeting:
    """The meeting the public may see (published or cancelled, not cohort-only), else 404."""
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None or not meeting.is_public or meeting.cohort_id is not None:
        abort(404)
    return meeting


def meeting_version(meeting: Meeting) -> tuple:
    """What every page of one meeting depends on: its public version, and its own last edit."""
    return (meeting.agenda_version, meeting.updated_at.isoformat() if meeting.updated_at else "")


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


@dataclass(frozen=True)
class HomeLists:
    upcoming: list[Meeting]
    webinars: list[Webinar]
    past: list[Meeting]
    calls: list = field(default_factory=list)      # [(call, 'closes Friday … — 6 days left')]


def home_version() -> tuple:
    """One small query: changes whenever a meeting, webinar or call is added, edited or removed."""
    row = db.session.execute(select(
        select(func.count(Meeting.id)).scalar_subquery(),
        select(func.max(Meeting.updated_at)).scalar_subquery(),
        select(func.count(Webinar.id)).scalar_subquery(),
        select(func.max(Webinar.updated_at)).scalar_subquery(),
        select(func.count(Call.id)).scalar_subquery(),
        select(func.max(Call.updated_at)).scalar_subquery(),
    )).one()
    return tuple(str(value) for value in row)


def home_lists(now: datetime | None = None) -> HomeLists:
    """Public meetings (upcoming first, soonest first; then past, latest first), upcoming public
    webinars, and open or upcoming calls; cohort-only events stay out."""
    now = now or utcnow()
    meetings = db.session.execute(
        select(Meeting).where(Meeting.status.in_(PUBLIC_STATUSES), Meeting.cohort_id.is_(None))
        .order_by(Meeting.starts_on, Meeting.id)
    ).scalars().all()
    webinars = db.session.execute(
        select(Webinar).where(Webinar.status.in_(PUBLIC_STATUSES), Webinar.cohort_id.is_(None), Webinar.ends_at >= now)
        .order_by(Webinar.starts_at, Webinar.id)
    ).scalars().all()
    upcoming = [m for m in meetings if not is_past(m, now)]
    past = [m for m in reversed(meetings) if is_past(m, now)]
    return HomeLists(upcoming=upcoming, webinars=list(webinars), past=past,
                     calls=[(c, deadline_wording(c.deadline_at, c.timezone, now, c.opens_at)) for c in public_calls(now)])
