"""What the public API reads: published (or cancelled) rows of public meetings and webinars only,
each page loaded in a fixed number of queries whatever the agenda's size."""
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.agenda.queries import ROW_COLUMNS, ROW_ORDER, ROW_SOURCE, AgendaFilters, rows_from
from mipevents.core import visibility
from mipevents.core.timeutil import local_day_bounds
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar, WebinarPresenter

PUBLIC = visibility.PUBLIC_STATUSES


@dataclass
class Page:
    rows: list
    total: int
    limit: int
    offset: int


def _page(stmt, count_stmt, limit: int, offset: int) -> Page:
    total = db.session.execute(count_stmt).scalar_one()
    rows = list(db.session.execute(stmt.limit(limit).offset(offset)).scalars().unique())
    return Page(rows=rows, total=total, limit=limit, offset=offset)


# ------------------------------------------------------------------------------------------ meetings

def _public_meetings():
    return select(Meeting).where(*visibility.public_events(Meeting))


def meetings_version() -> tuple:
    """Changes whenever any meeting's public face may have: count, latest edit, agenda versions."""
    count, latest, versions = db.session.execute(
        select(func.count(), func.max(Meeting.updated_at), func.sum(Meeting.agenda_version))).one()
    return count, str(latest), versions


def meetings_page(limit: int, offset: int) -> Page:
    stmt = _public_meetings().order_by(Meeting.starts_on, Meeting.id)
    count = select(func.count()).select_from(Meeting).where(*visibility.public_events(Meeting))
    return _page(stmt, count, limit, offset)


# ------------------------------------------------------------------------------------------ sessions

def _public_items(meeting: Meeting):
    return select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(PUBLIC))


def _with_room_and_speakers(stmt):
    """Room joined, speaker roles in one more query with their speakers joined (a page holds at
    most 200 sessions, under selectinload's 500-id batches, so the count stays fixed)."""
    return stmt.options(joinedload(AgendaItem.room),
                        selectinload(AgendaItem.speaker_links).joinedload(SessionSpeaker.speaker))


class SpeakerCard(NamedTuple):
    """What the API shows of a speaker on a session (an agenda row's speaker, with their city)."""
    id: int
    honorific: str
    name: str
    position: str
    organization: str
    city: str
    state: str

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class SpeakerRole(NamedTuple):
    speaker_id: int
    role: str
    speaker: SpeakerCard


def _page_links():
    link, speaker = SessionSpeaker.__table__, Speaker.__table__
    ln, sp = link.c, speaker.c
    return (select(ln.item_id, ln.role, sp.id, sp.honorific, sp.name, sp.position, sp.organization, sp.city, sp.state)
            .select_from(link).join(speaker, sp.id == ln.speaker_id)
            .where(ln.item_id.in_(bindparam("ids", expanding=True))).order_by(ln.item_id, ln.position))


_PAGE_LINKS = _page_links()


def session_rows_page(meeting: Meeting, filters: AgendaFilters, limit: int, offset: int) -> Page:
    """The meeting's public sessions in start order, filtered as the public agenda filters them
    (`day` a local day in the meeting's zone, `track` as the agenda spells it, `kind` a session
    kind), as the agenda's plain rows (no model loaded): the count, the page's rows, and their
    speakers (with their cities) in one more query."""
    item = AgendaItem.__table__.c
    where = [item.meeting_id == meeting.id, item.status.in_(PUBLIC)]
    if filters.day is not None:
        start, end = local_day_bounds(filters.day, meeting.timezone)
        where += [item.starts_at >= start, item.starts_at < end]
    if filters.track:
        where.append(item.track == filters.track)
    if filters.kind:
        where.append(item.kind == filters.kind)
    connection = db.session.connection()
    total = connection.execute(select(func.count()).select_from(AgendaItem.__table__).where(*where)).scalar_one()
    results = connection.execute(select(*ROW_COLUMNS).select_from(ROW_SOURCE).where(*where).order_by(*ROW_ORDER)
                                 .limit(limit).offset(offset)).all()
    links: dict[int, list[SpeakerRole]] = {}
    if results:
        for item_id, role, *speaker in connection.execute(_PAGE_LINKS, {"ids": [row[0] for row in results]}):
            links.setdefault(item_id, []).append(SpeakerRole(speaker[0], role, SpeakerCard(*speaker)))
    return Page(rows=rows_from(results, links), total=total, limit=limit, offset=offset)


def track_names(meeting: Meeting) -> list[str]:
    """The tracks of the meeting's public sessions (what a `track` filter may name)."""
    stmt = (select(AgendaItem.track).distinct()
            .where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(PUBLIC), AgendaItem.track != ""))
    return sorted(db.session.execute(stmt).scalars(), key=str.casefold)


def public_session(meeting: Meeting, item_id: int) -> AgendaItem | None:
    stmt = _with_room_and_speakers(_public_items(meeting)).where(AgendaItem.id == item_id)
    return db.session.execute(stmt).scalar_one_or_none()


def schedule_items(meeting: Meeting) -> list[AgendaItem]:
    """Every public session with room and speakers, for the schedule exports: two queries however
    long the agenda (the speaker roles by meeting, not by a list of session ids)."""
    items = list(db.session.execute(_public_items(meeting).options(joinedload(AgendaItem.room))
                                    .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars())
    links = db.session.execute(
        select(SessionSpeaker).join(AgendaItem, AgendaItem.id == SessionSpeaker.item_id)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(PUBLIC))
        .options(joinedload(SessionSpeaker.speaker))
        .order_by(SessionSpeaker.item_id, SessionSpeaker.position, SessionSpeaker.id)).scalars()
    by_item: dict[int, list[SessionSpeaker]] = {item.id: [] for item in items}
    for link in links:
        by_item[link.item_id].append(link)
    for item in items:
        set_committed_value(item, "speaker_links", by_item[item.id])
    return items


# ------------------------------------------------------------------------------------------ speakers

def _speaks_at(meeting: Meeting):
    """Ids of speakers with a role on a public session of the meeting."""
    return (select(SessionSpeaker.speaker_id).join(AgendaItem, AgendaItem.id == SessionSpeaker.item_id)
            .where(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(PUBLIC)))


def meeting_speakers_page(meeting: Meeting, limit: int, offset: int) -> tuple[Page, dict[int, list[SessionSpeaker]]]:
    """The meeting's speakers by name, and per speaker on the page their roles on its public
    sessions (with the session loaded), in start order."""
    ids = _speaks_at(meeting)
    stmt = select(Speaker).where(Speaker.id.in_(ids)).order_by(Speaker.name, Speaker.id)
    count = select(func.count()).select_from(Speaker).where(Speaker.id.in_(ids))
    page = _page(stmt, count, limit, offset)
    roles: dict[int, list[SessionSpeaker]] = {s.id: [] for s in page.rows}
    if roles:
        links = db.session.execute(
            select(SessionSpeaker).join(AgendaItem, AgendaItem.id == SessionSpeaker.item_id)
            .where(SessionSpeaker.speaker_id.in_(list(roles)), AgendaItem.meeting_id == meeting.id,
                   AgendaItem.status.in_(PUBLIC))
            .options(joinedload(SessionSpeaker.item))
            .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars()
        for link in links:
            roles[link.speaker_id].append(link)
    return page, roles


def public_speaker_links(speaker_id: int) -> list[SessionSpeaker]:
    """A speaker's roles on public sessions of public meetings, across meetings, in start order
    (session and meeting loaded). Empty: the speaker has nothing public."""
    stmt = (select(SessionSpeaker).join(AgendaItem, AgendaItem.id == SessionSpeaker.item_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(SessionSpeaker.speaker_id == speaker_id, AgendaItem.status.in_(PUBLIC),
                   *visibility.public_events(Meeting))
            .options(joinedload(SessionSpeaker.speaker), joinedload(SessionSpeaker.item).joinedload(AgendaItem.meeting))
            .order_by(AgendaItem.starts_at, AgendaItem.id))
    return list(db.session.execute(stmt).scalars())


def speaker_version(speaker_id: int) -> tuple | None:
    """What a speaker's public profile depends on: their edits, the agenda versions of the public
    meetings they speak at and the versions of the public webinars they present (one query); None
    when there is no such speaker or nothing public."""
    row = db.session.execute(select(Speaker.updated_at, Speaker.photo_version).where(Speaker.id == speaker_id)).one_or_none()
    if row is None:
        return None
    meetings = (select(literal("meeting").label("kind"), Meeting.id, Meeting.agenda_version.label("version")).distinct()
                .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
                .join(SessionSpeaker, SessionSpeaker.item_id == AgendaItem.id)
                .where(SessionSpeaker.speaker_id == speaker_id, *visibility.public_events(Meeting)))
    webinars = (select(literal("webinar").label("kind"), Webinar.id, Webinar.version.label("version"))
                .join(WebinarPresenter, WebinarPresenter.webinar_id == Webinar.id)
                .where(WebinarPresenter.speaker_id == speaker_id, *visibility.public_events(Webinar)))
    rows = sorted(db.session.execute(union_all(meetings, webinars)).all(), key=lambda r: (r.kind, r.id))
    if not rows:
        return None
    meetings = [(r.id, r.version) for r in rows if r.kind == "meeting"]
    webinars = [(r.id, r.version) for r in rows if r.kind == "webinar"]
    return str(row.updated_at), row.photo_version, tuple(tuple(m) for m in meetings), tuple(tuple(w) for w in webinars)


def speaker(speaker_id: int) -> Speaker | None:
    return db.session.get(Speaker, speaker_id)


def public_speaker_webinars(speaker_id: int) -> list[Webinar]:
    """The public webinars a speaker presents, in start order."""
    return list(db.session.execute(
        _public_webinars().join(WebinarPresenter, WebinarPresenter.webinar_id == Webinar.id)
        .where(WebinarPresenter.speaker_id == speaker_id).order_by(Webinar.starts_at, Webinar.id)).scalars())


# ------------------------------------------------------------------------------------------ showcase

def showcase_lineup(meeting: Meeting) -> list[ShowcaseSlot]:
    """Published slots of the meeting's public showcase sessions, by session start then slot order."""
    stmt = (select(ShowcaseSlot).join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
            .where(AgendaItem.meeting_id == meeting.id, AgendaItem.kind == "showcase",
                   AgendaItem.status.in_(PUBLIC), ShowcaseSlot.status == "published")
            .options(joinedload(ShowcaseSlot.item), joinedload(ShowcaseSlot.speaker))
            .order_by(AgendaItem.starts_at, AgendaItem.id, ShowcaseSlot.position, ShowcaseSlot.id))
    return list(db.session.execute(stmt).scalars())


# ------------------------------------------------------------------------------------------ webinars

def _public_webinars():
    return select(Webinar).where(*visibility.public_events(Webinar))


def _with_presenters(stmt):
    """Their presenters' profiles in one more query, however many webinars."""
    return stmt.options(selectinload(Webinar.presenter_links).joinedload(WebinarPresenter.speaker))


def webinars_version() -> tuple:
    count, latest, versions = db.session.execute(
        select(func.count(), func.max(Webinar.updated_at), func.sum(Webinar.version))).one()
    return count, str(latest), versions


def webinars_page(limit: int, offset: int) -> Page:
    """Public webinars in start order (past ones too: the list is keyed by versions, not the clock)."""
    count = select(func.count()).select_from(Webinar).where(*visibility.public_events(Webinar))
    return _page(_with_presenters(_public_webinars()).order_by(Webinar.starts_at, Webinar.id), count, limit, offset)


def public_webinar(slug: str) -> Webinar | None:
    stmt = _public_webinars().where(Webinar.slug == slug).options(
        joinedload(Webinar.presenter_links).joinedload(WebinarPresenter.speaker))
    return db.session.execute(stmt).unique().scalar_one_or_none()
