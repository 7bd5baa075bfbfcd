"""What a meeting's or webinar's card says of registration in the public listings (the home page, the
webinars page): "Open", "Full — waitlist open", "Registration closed", or when it opens.

The listings are cached pages, so a card may show only a state that is part of the page's cache key
(DESIGN "Publishing"): whether an event is full is read in the same query as the page's version, and
the cards are built from that value, never from a later read, so a stored body always matches its
key. Numbers ("12 seats left") appear only on the event's own no-store page."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.meetings.queries import registration_state
from mipevents.registration.queries import full_event_ids
from mipevents.registration.services import is_open
from mipevents.webinars.models import Webinar

CARD_STATES = {"open": "Open", "full": "Full — waitlist open", "not_yet": "Registration not open yet",
               "closed": "Registration closed"}


@dataclass(frozen=True)
class Fullness:
    """Which published events have no free seat left, by id."""
    meetings: frozenset[int] = frozenset()
    webinars: frozenset[int] = frozenset()

    @staticmethod
    def ids(text: str | None) -> frozenset[int]:
        return frozenset(int(part) for part in (text or "").split(",") if part.strip().isdigit())


def meeting_card_state(meeting: Meeting, now: datetime, full: Fullness) -> str | None:
    """'open', 'full', 'not_yet' or 'closed'; None for a past, cancelled or never-open meeting."""
    state = registration_state(meeting, now)
    if state == "none":
        return None
    return "full" if state == "open" and meeting.id in full.meetings else state


def webinar_card_state(webinar: Webinar, now: datetime, full: Fullness) -> str | None:
    """'open', 'full' or 'closed' (past its deadline but not yet over); None once over or cancelled."""
    if webinar.status != "published" or webinar.ends_at <= now:
        return None
    if not is_open(webinar, now):
        return "closed"
    return "full" if webinar.id in full.webinars else "open"


def card_states(meetings, webinars, now: datetime, full: Fullness) -> dict[tuple[str, int], str | None]:
    """{("meeting", id) or ("webinar", id): state} for the cards of one page."""
    states = {("meeting", m.id): meeting_card_state(m, now, full) for m in meetings}
    states.update({("webinar", w.id): webinar_card_state(w, now, full) for w in webinars})
    return states


def full_meetings_and_webinars():
    """The two scalar subqueries a version query adds: full meetings' ids, full webinars' ids."""
    return full_event_ids(Meeting), full_event_ids(Webinar)


def webinar_list_version() -> tuple:
    """The webinars page's version, in one query: changes whenever a webinar is added, edited or
    removed, or fills up or frees a seat; its last item is the full webinars' ids."""
    row = db.session.execute(select(func.count(Webinar.id), func.max(Webinar.updated_at),
                                    full_event_ids(Webinar))).one()
    return tuple(str(value) if value is not None else "" for value in row)


def webinar_fullness(version: tuple) -> Fullness:
    return Fullness(webinars=Fullness.ids(version[-1]))
