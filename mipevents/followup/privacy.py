"""Erasing a person from what came after the event (a step of workflows.erasure): their survey answers
(free text is personal data) and their opt-out; their survey links go with every other token of theirs."""
from sqlalchemy import delete, select

from mipevents.extensions import db
from mipevents.followup.models import FollowupOptOut, SurveyAnswer
from mipevents.registration.models import Registration


def forget_answers(person, report) -> None:
    registrations = select(Registration.id).where(Registration.person_id == person.id)
    report.add("survey answers deleted", db.session.execute(
        delete(SurveyAnswer).where(SurveyAnswer.registration_id.in_(registrations))).rowcount)
    report.add("follow-up opt-outs removed", db.session.execute(
        delete(FollowupOptOut).where(FollowupOptOut.person_id == person.id)).rowcount)
