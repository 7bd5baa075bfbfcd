"""The briefing book of one person at one meeting: every session they speak in or picked, plus the
receptions, in order, each with its room and times in the meeting's zone, their role, the co-panelists
(short bio and photo), the moderator, their showcase slot with its order and planned time; and the
staff contact, the venue's address and a map link. Plain values, built in a fixed number of queries."""
import base64
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from flask import current_app, render_template
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from mipevents.agenda.invitations import invitation_for_token
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_day, format_time, to_local
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.people.services import resolve_token
from mipevents.printing.pdf import html_to_pdf
from mipevents.registration.models import Registration, SessionChoice
from mipevents.showcase.models import ShowcaseSlot
from mipevents.showcase.services import lineup, plan
from mipevents.speakers.models import Speaker

SHORT_BIO = 280       # characters of a co-panelist's bio in the book


@dataclass
class CoSpeaker:
    name: str
    position: str
    role: str
    bio: str
    photo_uri: str = ""       # data: URI of the stored JPEG (embedded in the PDF), or ""
    photo_alt: str = ""


@dataclass
class Entry:
    title: str
    kind: str
    day: str                  # "Wednesday, January 22"
    times: str                # "10:30 AM–11:30 AM ET"
    room: str
    role: str                 # "Moderator", "Attending" …
    status: str
    moderator: str = ""
    co_speakers: list[CoSpeaker] = field(default_factory=list)
    showcase: str = ""        # "3rd of 12, planned 2:09 PM–2:12 PM ET"
    description: str = ""


@dataclass
class BriefingBook:
    person_name: str
    meeting: Meeting
    entries: list[Entry]
    staff_contact: str
    venue: str
    address: str
    map_url: str


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SHORT_BIO else text[:SHORT_BIO].rsplit(" ", 1)[0] + " …"


def _photos(speaker_ids: set[int]) -> dict[int, str]:
    if not speaker_ids:
        return {}
    rows = db.session.execute(select(Speaker.id, Speaker.photo, Speaker.photo_type)
                              .where(Speaker.id.in_(speaker_ids), Speaker.photo_type.is_not(None))).all()
    return {sid: f"data:{kind};base64,{base64.b64encode(data).decode()}" for sid, data, kind in rows if data}


def briefing_book(person: Person, meeting: Meeting, *, with_photos: bool = True) -> BriefingBook:
    zone = meeting.timezone
    speaker = db.session.execute(select(Speaker).where(Speaker.person_id == person.id)).scalar_one_or_none()
    registration = db.session.execute(select(Registration).where(
        Registration.person_id == person.id, Registration.meeting_id == meeting.id,
        Registration.status == "confirmed")).scalar_one_or_none()
    picked = set(db.session.execute(select(SessionChoice.item_id).where(
        SessionChoice.registration_id == registration.id)).scalars()) if registration else set()
    speaking = set(db.session.execute(select(SessionSpeaker.item_id).join(AgendaItem).where(
        SessionSpeaker.speaker_id == speaker.id, AgendaItem.meeting_id == meeting.id)).scalars()) if speaker else set()
    slots = db.session.execute(select(ShowcaseSlot).join(AgendaItem).where(
        ShowcaseSlot.speaker_id == speaker.id, AgendaItem.meeting_id == meeting.id)).scalars().all() if speaker else []
    presenting = {slot.item_id: slot for slot in slots}

    wanted = speaking | picked | set(presenting)
    items = db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, or_(
            AgendaItem.id.in_(wanted or {0}),
            (AgendaItem.kind == "reception") & AgendaItem.status.in_(("published", "cancelled"))))
        .options(selectinload(AgendaItem.room),
                 selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars().all()
    others = {link.speaker_id for item in items for link in item.speaker_links
              if speaker is None or link.speaker_id != speaker.id}
    photos = _photos(others) if with_photos else {}

    entries = []
    for item in items:
        links = sorted(item.speaker_links, key=lambda link: link.position)
        mine = next((link for link in links if speaker is not None and link.speaker_id == speaker.id), None)
        role = vocab.SPEAKER_ROLES.get(mine.role, "Speaker") if mine else (
            "Showcase presenter" if item.id in presenting else "Attending")
        moderator = next((link.speaker.display_name for link in links if link.role == "moderator"), "")
        co = [CoSpeaker(link.speaker.display_name, link.speaker.position, vocab.SPEAKER_ROLES.get(link.role, "Speaker"),
                        _short(link.speaker.bio), photos.get(link.speaker_id, ""),
                        link.speaker.photo_alt or f"Photo of {link.speaker.display_name}")
              for link in links if mine is None or link.speaker_id != mine.speaker_id]
        showcase = ""
        if item.id in presenting:
            ordered = lineup(item)
            for slot, planned in plan(item, ordered):
                if slot.id == presenting[item.id].id:
                    showcase = (f"{_ordinal(planned.index + 1)} of {len(ordered)}, planned "
                                f"{format_time(planned.starts_at, zone, with_zone=False)}–{format_time(planned.ends_at, zone)}")
        entries.append(Entry(
            title=item.title, kind=vocab.SESSION_KINDS.get(item.kind, item.kind),
            day=format_day(to_local(item.starts_at, zone).date()),
            times=f"{format_time(item.starts_at, zone, with_zone=False)}–{format_time(item.ends_at, zone)}",
            room=item.room.name if item.room else "", role=role, status=item.status, moderator=moderator,
            co_speakers=co, showcase=showcase, description=item.description or ""))

    address = ", ".join(p for p in (meeting.address, meeting.city, meeting.state) if p)
    name = speaker.display_name if speaker else (registration.name if registration else person.name)
    return BriefingBook(person_name=name, meeting=meeting, entries=entries,
                        staff_contact=current_app.config["MAIL_DEFAULT_SENDER"], venue=meeting.venue, address=address,
                        map_url="https://www.openstreetmap.org/search?query=" + quote_plus(address) if address else "")


def briefing_pdf(person: Person, meeting: Meeting, paper: str = "letter") -> bytes:
    return html_to_pdf(render_template("printing/briefing_book_pdf.html", book=briefing_book(person, meeting),
                                       paper=paper))


def meeting_speaker_people(meeting: Meeting) -> list[tuple[Person, Speaker]]:
    """The people who speak at this meeting (a profile with an email), by name: a briefing book each."""
    rows = db.session.execute(
        select(Person, Speaker).join(Speaker, Speaker.person_id == Person.id).join(SessionSpeaker)
        .join(AgendaItem).where(AgendaItem.meeting_id == meeting.id).distinct()).all()
    return sorted(((p, s) for p, s in rows), key=lambda ps: (ps[1].name.casefold(), ps[1].id))


def for_invitation_link(raw: str) -> tuple[Person, Meeting] | None:
    """Whose book, and of which meeting, a speaker's live invitation link opens (None: no such link)."""
    invitation = invitation_for_token(raw)
    if invitation is None or invitation.speaker.person is None:
        return None
    if invitation.link is not None:
        return invitation.speaker.person, invitation.link.item.meeting
    slot = db.session.execute(select(ShowcaseSlot).where(ShowcaseSlot.invitation_id == invitation.id)).scalar_one_or_none()
    return (invitation.speaker.person, slot.item.meeting) if slot is not None else None   # a webinar has no book


def for_manage_link(raw: str) -> tuple[Person, Meeting] | None:
    """Whose book, and of which meeting, a registrant's live manage link opens (None: none, or a webinar's)."""
    token = resolve_token(raw, "manage")
    registration = db.session.get(Registration, token.subject_id) if token and token.subject_id else None
    if registration is None or registration.person_id != token.person_id or registration.meeting_id is None:
        return None
    return registration.person, registration.meeting
