"""Speakers across the agenda, the showcase and webinars: the public pages' composition (who speaks at a meeting
and in which roles, where one speaker appears across meetings, and the versions their cached pages
depend on), and a profile's edits, which show on every meeting the speaker appears on. A speaker is
public only through a published (or cancelled) session of a public meeting (or a published showcase
line-up); the email never leaves."""
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import abort
from sqlalchemy import String, bindparam, literal, select, type_coerce, union, union_all
from sqlalchemy.orm import defer, joinedload

from mipevents.agenda import queries as agenda_queries
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.core import visibility
from mipevents.core import vocabulary as vocab
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.meetings.services import touch
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers import drafts, logistics
from mipevents.speakers import services as speakers
from mipevents.speakers.models import ProfileDraft, Speaker, SpeakerLogistics
from mipevents.webinars import presenters as webinar_presenters
from mipevents.webinars import services as webinars
from mipevents.webinars.models import Webinar

PUBLIC_STATUSES = visibility.PUBLIC_STATUSES


@dataclass
class Appearance:
    """One public appearance: a session and the role in it (a showcase slot's talk title as detail)."""
    item: AgendaItem
    role: str
    detail: str = ""
    starts_at: object = None   # a SessionRef's start, for ordering only (a speaker's card does not show it)

    @property
    def role_label(self) -> str:
        return vocab.label(vocab.SPEAKER_ROLES, self.role)


@dataclass
class SpeakerEntry:
    speaker: Speaker
    appearances: list[Appearance] = field(default_factory=list)


def _public_items():
    """Conditions for a session the public may see, on a meeting the public may see."""
    return visibility.public_items(AgendaItem, Meeting)


# Many-to-one loads are joined, never selectin-loaded: selectinload splits its IN lists into
# chunks of 500, so a large meeting would cost more queries than a small one.
def _links(where) -> list[SessionSpeaker]:
    return list(db.session.execute(
        select(SessionSpeaker).join(AgendaItem, AgendaItem.id == SessionSpeaker.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(*_public_items(), *where)
        .options(joinedload(SessionSpeaker.speaker).options(defer(Speaker.bio), defer(Speaker.email)),
                 joinedload(SessionSpeaker.item).options(defer(AgendaItem.description)).joinedload(AgendaItem.meeting))
    ).scalars())


def _slots(where) -> list[ShowcaseSlot]:
    return list(db.session.execute(
        select(ShowcaseSlot).join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(*_public_items(), ShowcaseSlot.status == "published", ShowcaseSlot.speaker_id.is_not(None), *where)
        .options(joinedload(ShowcaseSlot.speaker).options(defer(Speaker.bio), defer(Speaker.email)),
                 joinedload(ShowcaseSlot.item).options(defer(AgendaItem.description)).joinedload(AgendaItem.meeting))
    ).scalars())


def _appearances(links: list[SessionSpeaker], slots: list[ShowcaseSlot]) -> dict[int, SpeakerEntry]:
    entries: dict[int, SpeakerEntry] = {}
    for link in links:
        entry = entries.setdefault(link.speaker_id, SpeakerEntry(link.speaker))
        entry.appearances.append(Appearance(link.item, link.role))
    for slot in slots:
        entry = entries.setdefault(slot.speaker_id, SpeakerEntry(slot.speaker))
        if not any(a.item.id == slot.item_id for a in entry.appearances):
            entry.appearances.append(Appearance(slot.item, "presenter", slot.title))
    for entry in entries.values():
        entry.appearances.sort(key=lambda a: (a.item.starts_at, a.item.id))
    return entries


class SpeakerCard(NamedTuple):
    """What the meeting's speakers page shows of one speaker (read as plain values, no model)."""
    id: int
    honorific: str
    name: str
    position: str
    organization: str
    city: str
    state: str
    photo_type: str | None
    photo_version: int

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    @property
    def location(self) -> str:
        return ", ".join(p for p in (self.city, self.state) if p)

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_type)


class SessionRef(NamedTuple):
    """What a speaker's card shows of a session (compared whole on every render: kept small)."""
    id: int
    title: str
    status: str

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


def _speakers_statements():
    """The two statements of `meeting_speakers`, built once on the tables' own columns (plain rows:
    no ORM result processing), in the order the page shows appearances."""
    tables = Speaker.__table__, AgendaItem.__table__, SessionSpeaker.__table__, ShowcaseSlot.__table__
    speaker, item, link, slot = (table.c for table in tables)
    card = (speaker.id, speaker.honorific, speaker.name, speaker.position, speaker.organization, speaker.city,
            speaker.state, speaker.photo_type, speaker.photo_version)
    # The start only orders a speaker's appearances (a card does not show it): read as the database
    # holds it, comparable within one database as ORDER BY compares it, without the UTC type's work.
    session = (item.id, item.title, item.status, type_coerce(item.starts_at, String()))
    public = (item.meeting_id == bindparam("meeting_id"), item.status.in_(PUBLIC_STATUSES))
    roles = (select(*card, *session, link.role).select_from(tables[0]).join(tables[2], link.speaker_id == speaker.id)
             .join(tables[1], item.id == link.item_id).where(*public).order_by(item.starts_at, item.id, link.id))
    talks = (select(*card, *session, slot.title).select_from(tables[0]).join(tables[3], slot.speaker_id == speaker.id)
             .join(tables[1], item.id == slot.item_id).where(*public, slot.status == "published")
             .order_by(item.starts_at, item.id, slot.id))
    return roles, talks


_ROLES, _TALKS = _speakers_statements()


def meeting_speakers(meeting: Meeting) -> list[SpeakerEntry]:
    """Everyone on the meeting's public sessions (and its published showcase line-up), by last name,
    as plain values in two queries: entries of SpeakerCard, appearances of SessionRef."""
    if not visibility.is_public(meeting):
        return []
    connection, params = db.session.connection(), {"meeting_id": meeting.id}
    entries: dict[int, SpeakerEntry] = {}
    for row in connection.execute(_ROLES, params):
        entry = entries.get(row[0])
        if entry is None:
            entry = entries[row[0]] = SpeakerEntry(SpeakerCard(*row[:9]))
        entry.appearances.append(Appearance(SessionRef(*row[9:12]), row[13], "", row[12]))
    talks = False
    for row in connection.execute(_TALKS, params):
        entry = entries.setdefault(row[0], SpeakerEntry(SpeakerCard(*row[:9])))
        if not any(a.item.id == row[9] for a in entry.appearances):
            entry.appearances.append(Appearance(SessionRef(*row[9:12]), "presenter", row[13], row[12]))
            talks = True
    if talks:   # each statement is in time order; showcase talks are merged into it
        for entry in entries.values():
            entry.appearances.sort(key=lambda a: (a.starts_at, a.item.id))
    return sorted(entries.values(), key=lambda e: (_last_name(e.speaker.name), e.speaker.name.casefold(), e.speaker.id))


def by_initial(entries: list[SpeakerEntry]) -> list[tuple[str, list[SpeakerEntry]]]:
    """Entries (already in last-name order) grouped under the initial of the last name, for an A–Z index."""
    groups: list[tuple[str, list[SpeakerEntry]]] = []
    for entry in entries:
        initial = (_last_name(entry.speaker.name)[:1] or "#").upper()
        initial = initial if initial.isalpha() else "#"
        if not groups or groups[-1][0] != initial:
            groups.append((initial, []))
        groups[-1][1].append(entry)
    return groups


def _last_name(name: str) -> str:
    words = name.split()
    return words[-1].casefold() if words else ""


def speaker_appearances(speaker_id: int) -> list[Appearance]:
    """A speaker's public sessions across meetings, in time order."""
    entries = _appearances(_links([SessionSpeaker.speaker_id == speaker_id]), _slots([ShowcaseSlot.speaker_id == speaker_id]))
    entry = entries.get(speaker_id)
    return entry.appearances if entry else []


def by_meeting(appearances: list[Appearance]) -> list[tuple[Meeting, list[Appearance]]]:
    """Appearances grouped by meeting, the latest meeting first, sessions in time order within."""
    groups: dict[int, tuple[Meeting, list[Appearance]]] = {}
    for a in appearances:
        groups.setdefault(a.item.meeting_id, (a.item.meeting, []))[1].append(a)
    return sorted(groups.values(), key=lambda g: (g[0].starts_on, g[0].id), reverse=True)


def speaker_meeting_versions(speaker_id: int):
    """(kind "meeting", meeting id, agenda_version) of every public meeting the speaker appears on, as
    a statement. A change to any of their sessions (or their removal from one) changes it."""
    linked = (select(AgendaItem.meeting_id).join(SessionSpeaker, SessionSpeaker.item_id == AgendaItem.id)
              .where(SessionSpeaker.speaker_id == speaker_id, AgendaItem.status.in_(PUBLIC_STATUSES)))
    presenting = (select(AgendaItem.meeting_id).join(ShowcaseSlot, ShowcaseSlot.item_id == AgendaItem.id)
                  .where(ShowcaseSlot.speaker_id == speaker_id, ShowcaseSlot.status == "published",
                         AgendaItem.status.in_(PUBLIC_STATUSES)))
    ids = union(linked, presenting).subquery()
    return (select(literal("meeting").label("kind"), Meeting.id, Meeting.agenda_version.label("version"))
            .where(Meeting.id.in_(select(ids.c.meeting_id)), *visibility.public_events(Meeting)))


def _public_versions(speaker_id: int) -> tuple[tuple, tuple]:
    """One query: ((meeting id, agenda_version) of every public meeting the speaker appears on, (webinar
    id, version) of every public webinar they present). A change to any of them changes it."""
    rows = db.session.execute(union_all(speaker_meeting_versions(speaker_id),
                                        webinar_presenters.public_webinar_versions(speaker_id))).all()
    rows = sorted(rows, key=lambda row: (row.kind, row.id))
    return (tuple((row.id, row.version) for row in rows if row.kind == "meeting"),
            tuple((row.id, row.version) for row in rows if row.kind == "webinar"))


def public_speaker_or_404(speaker_id: int) -> tuple[Speaker, tuple]:
    """The speaker and the versions their public pages depend on, (meetings, webinars); 404 unless they appear on at
    least one public session or present a public webinar (a speaker on drafts only stays private)."""
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None:
        abort(404)
    versions, presenting = _public_versions(speaker_id)
    if not versions and not presenting:
        abort(404)
    return speaker, (versions, presenting)


def speaker_webinars(speaker_id: int) -> list[Webinar]:
    """The public webinars a speaker presents, the latest first."""
    return webinar_presenters.public_webinars_of(speaker_id)


# ---------------------------------------------------------------------------------------------- staff edits

def _shown_anew(speaker: Speaker) -> None:
    """The profile changed: every meeting whose public pages show the speaker moves its version on."""
    for meeting in agenda_queries.meetings_showing_speaker(speaker.id):
        touch(meeting)
    webinars.presenter_changed(speaker.id)


def update_speaker(speaker: Speaker, values: dict, *, actor) -> bool:
    changed = speakers.update_speaker(speaker, values, actor=actor)
    if changed:
        _shown_anew(speaker)
    return changed


def set_photo(speaker: Speaker, data: bytes, *, max_bytes: int, actor) -> None:
    speakers.set_photo(speaker, data, max_bytes=max_bytes, actor=actor)
    _shown_anew(speaker)


def remove_photo(speaker: Speaker, *, actor) -> None:
    if speakers.remove_photo(speaker, actor=actor):
        _shown_anew(speaker)


def sessions_per_speaker(speaker_ids: list[int]) -> dict[int, int]:
    """For the staff list of speakers: how many sessions each is on."""
    return agenda_queries.sessions_per_speaker(speaker_ids)


def speaker_links(speaker_id: int) -> list[SessionSpeaker]:
    """For a speaker's staff page: their roles on sessions."""
    return agenda_queries.speaker_links(speaker_id)


def accept_profile_changes(draft: ProfileDraft, *, actor) -> None:
    """Staff publish the changes a speaker proposed: on the profile, and on every meeting showing it."""
    speaker = draft.speaker
    drafts.accept(draft, actor=actor)
    _shown_anew(speaker)


# ---------------------------------------------------------------------------------------------- an invited speaker's page

ProfileProblem = speakers.SpeakerProblem


def profile_draft(speaker: Speaker) -> ProfileDraft | None:
    """The changes the speaker proposed and staff have not reviewed yet, if any."""
    return drafts.draft_of(speaker)


def propose_profile_changes(speaker: Speaker, values: dict, photo: bytes | None, *, max_bytes: int) -> ProfileDraft | None:
    """Hold the speaker's own changes for staff review (raises ProfileProblem for a refused headshot)."""
    return drafts.propose(speaker, values, photo, max_bytes=max_bytes)


def speaker_travel(speaker: Speaker, meeting: Meeting) -> SpeakerLogistics | None:
    return logistics.logistics_for(speaker, meeting)


def save_speaker_travel(speaker: Speaker, meeting: Meeting, values: dict) -> SpeakerLogistics:
    return logistics.save_logistics(speaker, meeting, values)
