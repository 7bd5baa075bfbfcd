"""The print pack for the door: name badges (honorific and name large, city and state, a role
ribbon, a QR code holding a check-in-only code) laid out on 4"×3" label sheets for US Letter and A4,
and table tents for the speakers of each session."""
from dataclasses import dataclass

import segno
from sqlalchemy import func, select

from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration.checkin_codes import issue_codes
from mipevents.registration.models import Registration
from mipevents.speakers.models import Speaker


@dataclass(frozen=True)
class Sheet:
    """A label sheet: page size, label size, labels across and down, and the top-left margins (CSS lengths)."""
    name: str
    page: tuple[str, str]
    label: tuple[str, str]
    across: int
    down: int
    top: str
    left: str

    @property
    def per_page(self) -> int:
        return self.across * self.down


# 4"×3" name badge labels, six to a sheet (Avery 5392 on US Letter; the 74459 style on A4).
SHEETS = {
    "letter": Sheet("US Letter", ("8.5in", "11in"), ("4in", "3in"), 2, 3, "1in", "0.25in"),
    "a4": Sheet("A4", ("210mm", "297mm"), ("101.6mm", "76.2mm"), 2, 3, "34.2mm", "3.4mm"),
}


@dataclass
class Badge:
    registration_id: int
    honorific: str
    name: str
    place: str
    organization: str
    ribbon: str
    qr_uri: str = ""          # data: URI of the QR code's PNG
    code: str = ""


# The ribbon across a badge: a word or two that fits it at a size read across a room.
RIBBONS = {"mayor": "Mayor", "city_staff": "City staff", "partner": "Partner", "speaker": "Speaker",
           "guest": "Guest", "other": "Guest"}


def ribbon_for(role: str, is_speaker: bool) -> str:
    return "Speaker" if is_speaker else RIBBONS.get(role, "Guest")


def badge_registrations(meeting: Meeting, registration_id: int | None = None) -> list[Registration]:
    stmt = select(Registration).where(Registration.meeting_id == meeting.id, Registration.status == "confirmed")
    if registration_id is not None:
        stmt = stmt.where(Registration.id == registration_id)
    return list(db.session.execute(stmt.order_by(func.lower(Registration.last_name), func.lower(Registration.first_name),
                                                 Registration.id)).scalars())


def _speakers_by_person(meeting: Meeting) -> dict[int, Speaker]:
    rows = db.session.execute(select(Speaker).join(SessionSpeaker).join(AgendaItem)
                              .where(AgendaItem.meeting_id == meeting.id, Speaker.person_id.is_not(None))).scalars()
    return {s.person_id: s for s in rows}


def qr_data_uri(code: str) -> str:
    """The QR code as a PNG (a raster draws far faster in the PDF than an SVG path per module)."""
    return segno.make(code, error="m").png_data_uri(scale=4, border=2)


def build_badges(meeting: Meeting, registrations: list[Registration], progress=None) -> list[Badge]:
    """Badges with fresh check-in codes (flushed; the caller commits). `progress(done, total)` is told
    along the way, so a background build can show staff how far it is."""
    speakers = _speakers_by_person(meeting)
    codes = issue_codes(registrations)
    badges = []
    for n, r in enumerate(registrations, 1):
        speaker = speakers.get(r.person_id)
        code = codes[r.id]
        badges.append(Badge(
            registration_id=r.id, honorific=speaker.honorific if speaker else ("Mayor" if r.role == "mayor" else ""),
            name=f"{r.first_name} {r.last_name}".strip(), place=", ".join(p for p in (r.city, r.state) if p),
            organization=r.organization, ribbon=ribbon_for(r.role, speaker is not None), qr_uri=qr_data_uri(code),
            code=code))
        if progress is not None and (n % 25 == 0 or n == len(registrations)):
            progress(n, len(registrations))
    return badges


def pages(badges: list[Badge], sheet: Sheet) -> list[list[tuple[int, int, Badge]]]:
    """Badges per page as (column, row, badge)."""
    out = []
    for start in range(0, len(badges), sheet.per_page):
        chunk = badges[start:start + sheet.per_page]
        out.append([(i % sheet.across, i // sheet.across, b) for i, b in enumerate(chunk)])
    return out


@dataclass
class Tent:
    name: str
    position: str
    session: str


def table_tents(meeting: Meeting) -> list[Tent]:
    """One tent per speaker per session that has speakers (cancelled sessions left out), in agenda order."""
    rows = db.session.execute(
        select(SessionSpeaker, AgendaItem, Speaker).join(AgendaItem, SessionSpeaker.item_id == AgendaItem.id)
        .join(Speaker, SessionSpeaker.speaker_id == Speaker.id)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.status != "cancelled")
        .order_by(AgendaItem.starts_at, AgendaItem.id, SessionSpeaker.position)).all()
    return [Tent(speaker.display_name, speaker.position or speaker.location, item.title) for _, item, speaker in rows]
