"""The home page's composition: public meetings, upcoming webinars and open calls, and the one
small query that says when any of them changed."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from mipevents.calls.deadlines import deadline_wording
from mipevents.calls.models import Call
from mipevents.calls.queries import public_calls
from mipevents.core import visibility
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.meetings.queries import is_past
from mipevents.webinars.models import Webinar
from mipevents.workflows.listings import CARD_STATES, Fullness, card_states, full_meetings_and_webinars

__all__ = ["CARD_STATES", "HomeLists", "home_lists", "home_version"]   # CARD_STATES: the cards' words


@dataclass(frozen=True)
class HomeLists:
    upcoming: list[Meeting]
    webinars: list[Webinar]
    past: list[Meeting]
    calls: list = field(default_factory=list)      # [(call, 'closes Friday … — 6 days left')]
    states: dict = field(default_factory=dict)     # {("meeting", id): "open", ("webinar", id): "full"}


def home_version() -> tuple:
    """One small query: changes whenever a meeting, webinar or call is added, edited or removed, or
    an event fills up or frees a seat (its last two items: the full meetings' and webinars' ids)."""
    full_meetings, full_webinars = full_meetings_and_webinars()
    row = db.session.execute(select(
        select(func.count(Meeting.id)).scalar_subquery(),
        select(func.max(Meeting.updated_at)).scalar_subquery(),
        select(func.count(Webinar.id)).scalar_subquery(),
        select(func.max(Webinar.updated_at)).scalar_subquery(),
        select(func.count(Call.id)).scalar_subquery(),
        select(func.max(Call.updated_at)).scalar_subquery(),
        full_meetings, full_webinars,
    )).one()
    return tuple(str(value) if value is not None else "" for value in row)


def home_lists(now: datetime | None = None, version: tuple | None = None) -> HomeLists:
    """Public meetings (upcoming first, soonest first; then past, latest first), upcoming public
    webinars, and open or upcoming calls; cohort-only events stay out. The cards' registration
    states come from `version` (home_version's), so the page matches the key it is stored under."""
    now = now or utcnow()
    meetings = db.session.execute(
        select(Meeting).where(*visibility.public_events(Meeting))
        .order_by(Meeting.starts_on, Meeting.id)
    ).scalars().all()
    webinars = db.session.execute(
        select(Webinar).where(*visibility.public_events(Webinar), Webinar.ends_at >= now)
        .order_by(Webinar.starts_at, Webinar.id)
    ).scalars().all()
    upcoming = [m for m in meetings if not is_past(m, now)]
    past = [m for m in reversed(meetings) if is_past(m, now)]
    version = version or home_version()
    full = Fullness(meetings=Fullness.ids(version[-2]), webinars=Fullness.ids(version[-1]))
    return HomeLists(upcoming=upcoming, webinars=list(webinars), past=past,
                     states=card_states(upcoming, webinars, now, full),
                     calls=[(c, deadline_wording(c.deadline_at, c.timezone, now, c.opens_at)) for c in public_calls(now)])
