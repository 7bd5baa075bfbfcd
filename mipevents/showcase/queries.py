"""Reading the showcase: a meeting's showcase sessions and their line-ups with the planned times, the
speakers to pick from, the overtime report, and the ideas across meetings."""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.core import visibility
from mipevents.core.timeutil import local_day_bounds, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.showcase import timing
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker

# -- finding things ---------------------------------------------------------------------------

def showcase_items(meeting: Meeting, *, public_only: bool = False) -> list[AgendaItem]:
    """The meeting's showcase sessions in start order."""
    stmt = (select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.kind == "showcase")
            .options(selectinload(AgendaItem.room)).order_by(AgendaItem.starts_at, AgendaItem.id))
    if public_only:
        stmt = stmt.where(AgendaItem.status.in_(("published", "cancelled")))
    return list(db.session.execute(stmt).scalars())


def pick_item(items: list[AgendaItem], item_id: int | None) -> AgendaItem | None:
    """The session asked for by id, else the first one."""
    if item_id is not None:
        return next((i for i in items if i.id == item_id), None)
    return items[0] if items else None


def lineup(item: AgendaItem, *, public_only: bool = False) -> list[ShowcaseSlot]:
    """A session's slots in order (published ones only for the public and the live run)."""
    stmt = (select(ShowcaseSlot).where(ShowcaseSlot.item_id == item.id)
            .options(selectinload(ShowcaseSlot.speaker))
            .order_by(ShowcaseSlot.position, ShowcaseSlot.id))
    if public_only:
        stmt = stmt.where(ShowcaseSlot.status == "published")
    slots = list(db.session.execute(stmt).scalars())
    for slot in slots:          # the session is loaded already: spare a lazy load per slot
        set_committed_value(slot, "item", item)
    return slots


def lineups(items: list[AgendaItem], *, public_only: bool = False) -> dict[int, list[ShowcaseSlot]]:
    """Slots of several sessions in one query: {item_id: [slots in order]}."""
    found: dict[int, list[ShowcaseSlot]] = {i.id: [] for i in items}
    if not items:
        return found
    by_id = {i.id: i for i in items}
    stmt = (select(ShowcaseSlot).where(ShowcaseSlot.item_id.in_(list(by_id)))
            .options(selectinload(ShowcaseSlot.speaker))
            .order_by(ShowcaseSlot.item_id, ShowcaseSlot.position, ShowcaseSlot.id))
    if public_only:
        stmt = stmt.where(ShowcaseSlot.status == "published")
    for slot in db.session.execute(stmt).scalars():
        set_committed_value(slot, "item", by_id[slot.item_id])
        found[slot.item_id].append(slot)
    return found


def plan(item: AgendaItem, slots: list[ShowcaseSlot]) -> list[tuple[ShowcaseSlot, timing.Planned]]:
    """Each slot with its planned start and end (aware UTC) from the session's start."""
    planned = timing.planned_starts(item.starts_at, [s.seconds for s in slots], item.changeover_seconds)
    return list(zip(slots, planned, strict=True))


def fit(item: AgendaItem, slots: list[ShowcaseSlot]) -> timing.Fit:
    return timing.fit(item.starts_at, item.ends_at, [s.seconds for s in slots], item.changeover_seconds)


def speakers_to_pick(meeting: Meeting, limit: int | None = None) -> list[Speaker]:
    """Speakers on any session of the meeting or presenting in its showcase, by name (at most
    `limit`): the presenters staff pick from before they search."""
    on_sessions = (select(SessionSpeaker.speaker_id).join(AgendaItem, AgendaItem.id == SessionSpeaker.item_id)
                   .where(AgendaItem.meeting_id == meeting.id))
    presenting = (select(ShowcaseSlot.speaker_id).join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
                  .where(AgendaItem.meeting_id == meeting.id, ShowcaseSlot.speaker_id.is_not(None)))
    stmt = (select(Speaker).where(Speaker.id.in_(on_sessions.union(presenting)))
            .order_by(Speaker.name, Speaker.id).limit(limit))
    return list(db.session.execute(stmt).scalars())


def is_over(meeting: Meeting, now: datetime | None = None) -> bool:
    """The meeting's last day has ended in its own zone: its showcase page becomes the recap."""
    return (now or utcnow()) >= local_day_bounds(meeting.ends_on, meeting.timezone)[1]


# -- editing the line-up ------------------------------------------------------------------------

# -- records --------------------------------------------------------------------------------------

def overtime(item: AgendaItem, slots: list[ShowcaseSlot]) -> timing.Report:
    """Planned against actual for the run's presenters (the published line-up)."""
    return timing.overtime_report(item.starts_at, [s.seconds for s in slots], item.changeover_seconds,
                                  [(s.actual_started_at, s.actual_ended_at) for s in slots])


# -- ideas across meetings ----------------------------------------------------------------------

@dataclass(frozen=True)
class Idea:
    slot: ShowcaseSlot
    meeting: Meeting


def ideas(topic: str | None = None, now: datetime | None = None) -> tuple[list[Idea], list[tuple[str, int]]]:
    """Published ideas from public meetings that are over, newest meeting first, and every topic
    with its number of ideas. `topic` narrows the ideas (not the topic list)."""
    now = now or utcnow()
    stmt = (select(ShowcaseSlot, Meeting)
            .join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(ShowcaseSlot.status == "published", AgendaItem.kind == "showcase",
                   AgendaItem.status == "published", Meeting.status == "published", *visibility.public_events(Meeting),
                   Meeting.ends_on <= now.date())
            .order_by(Meeting.starts_on.desc(), AgendaItem.starts_at, ShowcaseSlot.position, ShowcaseSlot.id))
    rows = [Idea(slot, meeting) for slot, meeting in db.session.execute(stmt).all() if is_over(meeting, now)]
    topics = Counter(i.slot.topic or "Other" for i in rows)
    chosen = [i for i in rows if topic is None or (i.slot.topic or "Other") == topic]
    return chosen, sorted(topics.items(), key=lambda kv: kv[0].casefold())


def ideas_version() -> tuple:
    """Moves whenever any meeting's public content changes (versions only rise, so their sum does)."""
    row = db.session.execute(select(func.count(Meeting.id), func.coalesce(func.sum(Meeting.agenda_version), 0))).one()
    return tuple(row)
