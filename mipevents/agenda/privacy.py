"""Erasing a person from the agenda: their invitations (staff's note, their reason) go; their roles on
sessions stay with the emptied profile."""
from sqlalchemy import delete, select

from mipevents.agenda.models import Invitation, SessionSpeaker
from mipevents.extensions import db
from mipevents.speakers.models import Speaker


def forget_invitations(person, report) -> None:
    links = select(SessionSpeaker.id).join(Speaker, SessionSpeaker.speaker_id == Speaker.id).where(
        Speaker.person_id == person.id)
    report.add("speaker invitations", db.session.execute(
        delete(Invitation).where(Invitation.link_id.in_(links))).rowcount)
