"""Erasing a person from the calls area: erase_person deletes the applications they made; this step
also removes them where they appear only as the scheduler who applied on a mayor's behalf."""
from sqlalchemy import update

from mipevents.calls.models import Application
from mipevents.extensions import db


def forget_scheduler(person, report) -> None:
    report.add("applications no longer naming them as scheduler", db.session.execute(
        update(Application).where(Application.scheduler_email == person.email).values(scheduler_email="")).rowcount)
