"""Erasing a person from the agenda: their invitations (to sessions, showcase slots and webinars; staff's
note, their reason) go; their roles on sessions stay with the emptied profile."""
from sqlalchemy import delete, select

from mipevents.agenda.models import Invitation
from mipevents.extensions import db
from mipevents.speakers.models import Speaker


def forget_invitations(person, report) -> None:
    speakers = select(Speaker.id).where(Speaker.person_id == person.id)
    report.add("speaker invitations", db.session.execute(
        delete(Invitation).where(Invitation.speaker_id.in_(speakers))).rowcount)
