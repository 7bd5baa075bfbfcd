"""Erasing a person from printed documents: the badge builds of meetings they registered for hold their
name and check-in code, so those builds go (staff build them again)."""
from sqlalchemy import delete, select

from mipevents.extensions import db
from mipevents.printing.models import PrintJob
from mipevents.registration.models import Registration


def forget_badge_builds(person, report) -> None:
    meetings = select(Registration.meeting_id).where(Registration.person_id == person.id,
                                                     Registration.meeting_id.is_not(None))
    report.add("badge builds naming them", db.session.execute(
        delete(PrintJob).where(PrintJob.meeting_id.in_(meetings))).rowcount)
