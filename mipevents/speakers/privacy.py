"""Erasing a person from the speakers area: the profile changes they proposed and their A/V, travel and
hotel details go (their invitations are the agenda's step; the profile itself is emptied by erase_person)."""
from sqlalchemy import delete, select

from mipevents.extensions import db
from mipevents.speakers.models import ProfileDraft, Speaker, SpeakerLogistics


def forget_drafts_and_travel(person, report) -> None:
    speakers = select(Speaker.id).where(Speaker.person_id == person.id)
    report.add("profile changes waiting for review", db.session.execute(
        delete(ProfileDraft).where(ProfileDraft.speaker_id.in_(speakers))).rowcount)
    report.add("speaker travel, hotel and A/V details", db.session.execute(
        delete(SpeakerLogistics).where(SpeakerLogistics.speaker_id.in_(speakers))).rowcount)
