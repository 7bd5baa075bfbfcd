"""Erasing a person from the speakers area: their invitations (staff's note, their reason), the
profile changes they proposed and their A/V, travel and hotel details go; the roles on sessions stay
with the emptied profile."""
from sqlalchemy import delete, select

from mipevents.extensions import db
from mipevents.people.erasure import eraser
from mipevents.speakers.models import Invitation, ProfileDraft, SessionSpeaker, Speaker, SpeakerLogistics


@eraser
def forget_invitations_and_drafts(person, report) -> None:
    speakers = select(Speaker.id).where(Speaker.person_id == person.id)
    links = select(SessionSpeaker.id).where(SessionSpeaker.speaker_id.in_(speakers))
    report.add("speaker invitations", db.session.execute(
        delete(Invitation).where(Invitation.link_id.in_(links))).rowcount)
    report.add("profile changes waiting for review", db.session.execute(
        delete(ProfileDraft).where(ProfileDraft.speaker_id.in_(speakers))).rowcount)
    report.add("speaker travel, hotel and A/V details", db.session.execute(
        delete(SpeakerLogistics).where(SpeakerLogistics.speaker_id.in_(speakers))).rowcount)
