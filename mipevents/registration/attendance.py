"""Attendance: checking a meeting's registrants in at the door, and attendance from the webinar platform's attendee report (Zoom's layout: a summary, then host,
panelist and attendee sections, each with its own header row; a rejoin is a second row; emails
in any case; rows without an email). Attendees are matched to registrations by case-folded
email, their minutes summed over rejoins into Registration.attended_minutes; the rest is reported."""
import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from mipevents.accounts import audit
from mipevents.core.text import clean_text
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.people.services import normalise_email
from mipevents.registration.models import Registration

ATTENDEE_SECTION = "attendee details"


class ReportProblem(Exception):
    """The file is not an attendee report we can read."""


@dataclass
class AttendeeRow:
    name: str
    email: str          # case-folded, "" when the platform had none (a phone dialled in, a device)
    minutes: int
    attended: bool


@dataclass
class ImportResult:
    rows: int = 0
    matched: list = field(default_factory=list)     # (registration, minutes) per matched person
    unmatched: list = field(default_factory=list)   # AttendeeRow per attendee row we could not place


# A webinar lasts hours: a larger number of minutes in a report is no attendance (and no database integer).
MAX_MINUTES = 100_000


def _minutes(value: str) -> int:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and int(value) <= MAX_MINUTES else 0


def _cell(row: list[str], index: int | None) -> str:
    """A cell as the text rule keeps it (a report is text from outside like any form's; it was
    decoded with invalid bytes replaced, so it holds no lone surrogate)."""
    return clean_text(row[index]) if index is not None and index < len(row) else ""


def _column(header: list[str], *names: str) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def parse_report(text: str) -> list[AttendeeRow]:
    """The rows of the attendee section (host and panelists are not registrants)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    start = next((i for i, row in enumerate(rows) if row and row[0].strip().lower() == ATTENDEE_SECTION), None)
    if start is None or start + 1 >= len(rows):
        raise ReportProblem("no “Attendee Details” section: export the attendee report from the webinar platform")
    header = rows[start + 1]
    email_at = _column(header, "email")
    minutes_at = _column(header, "time in session (minutes)", "duration (minutes)")
    name_at = _column(header, "user name (original name)", "name (original name)", "user name")
    attended_at = _column(header, "attended")
    if email_at is None or minutes_at is None:
        raise ReportProblem("the attendee section has no Email or Time in Session (minutes) column")
    found = []
    for row in rows[start + 2:]:
        if not any(cell.strip() for cell in row):
            break
        if len(row) == 1 and row[0].strip().lower().endswith("details"):
            break   # a further section
        found.append(AttendeeRow(name=_cell(row, name_at), email=normalise_email(_cell(row, email_at)),
                               minutes=_minutes(_cell(row, minutes_at)),
                               attended=_cell(row, attended_at).lower() != "no" if attended_at is not None else True))
    return found


def import_attendance(webinar, text: str, *, actor=None) -> ImportResult:
    """Set attended_minutes of the webinar's registrants named in the report (re-importing the same
    report gives the same numbers); registrants not in it are left as they were."""
    report = parse_report(text)
    totals: dict[str, int] = {}
    for row in report:
        if row.email:
            totals[row.email] = totals.get(row.email, 0) + (row.minutes if row.attended else 0)
    registrations = {}
    if totals:
        registrations = {email: registration for registration, email in db.session.execute(
            select(Registration, Person.email).join(Person, Registration.person_id == Person.id)
            .where(Registration.webinar_id == webinar.id, Person.email.in_(list(totals)))
        ).all()}
    result = ImportResult(rows=len(report))
    for email, minutes in totals.items():
        registration = registrations.get(email)
        if registration is not None:
            registration.attended_minutes = minutes
            result.matched.append((registration, minutes))
    result.unmatched = [row for row in report if not row.email or row.email not in registrations]
    db.session.flush()
    audit.record("webinar.attendance_import", webinar, actor=actor,
                 summary=f"Attendance imported: {len(result.matched)} matched, {len(result.unmatched)} rows unmatched")
    return result


# ---------------------------------------------------------------------------------------------- the door

def search_text(registration: Registration) -> str:
    """What the door's search looks in (the same words checkin.js filters on)."""
    return " ".join(p for p in (registration.first_name, registration.last_name, registration.organization,
                                registration.city, registration.title, registration.email) if p).casefold()


def matches(text: str, query: str) -> bool:
    """Every typed word begins some word of `text` ("ma ta" finds "Mayor Tacoma"); "@" words match emails."""
    words = text.replace("@", " @").replace(".", " ").split() + text.split()
    return all(any(w.startswith(term) for w in words) for term in query.casefold().split())


def check_in(registration: Registration, *, now=None) -> bool:
    """Mark arrival (once: a second tap keeps the first time). True if this tap checked them in."""
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = now or utcnow()
    db.session.flush()
    return True


def undo_check_in(registration: Registration) -> None:
    registration.checked_in_at = None
    db.session.flush()
