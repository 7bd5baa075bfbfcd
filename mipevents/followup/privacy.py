"""Erasing a person from what came after the event (a step of workflows.erasure): their survey answers
(free text is personal data), their opt-out, and the slides, documents and links they added through
their speaker link (a file store's copies go once the erasure commits); their survey links go with
every other token of theirs."""
from sqlalchemy import delete, select

from mipevents.core import storage
from mipevents.extensions import db
from mipevents.followup.models import FollowupOptOut, Material, SurveyAnswer
from mipevents.meetings.services import touch
from mipevents.registration.models import Registration
from mipevents.speakers.models import Speaker


def forget_answers(person, report) -> None:
    registrations = select(Registration.id).where(Registration.person_id == person.id)
    report.add("survey answers deleted", db.session.execute(
        delete(SurveyAnswer).where(SurveyAnswer.registration_id.in_(registrations))).rowcount)
    report.add("follow-up opt-outs removed", db.session.execute(
        delete(FollowupOptOut).where(FollowupOptOut.person_id == person.id)).rowcount)
    speakers = select(Speaker.id).where(Speaker.person_id == person.id)
    added = db.session.execute(select(Material).where(Material.added_by_speaker_id.in_(speakers))).scalars().all()
    for meeting in {m.meeting for m in added} - {None}:
        touch(meeting)   # their pages stop listing what is gone
    for material in added:
        storage.delete_when_committed(material.storage_key, db.session())
        db.session.delete(material)
    report.add("materials they added as a speaker deleted", len(added))
