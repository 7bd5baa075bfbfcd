"""Reading calls: their links, the public pages' lists and version, the deadlines the organisation
feed carries, and how many decisions wait to be released."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mipevents.calls import states
from mipevents.calls.models import Application, Call, CallQuestion
from mipevents.cohorts.models import Cohort
from mipevents.core.web import base_url
from mipevents.extensions import db


def call_url(call: Call) -> str:
    return f"{base_url()}/calls/{call.slug}/"


def application_url(token: str) -> str:
    return f"{base_url()}/calls/application/{token}"


def public_calls(now: datetime) -> list[Call]:
    """Published calls that are open or not yet open (deadline still ahead), soonest deadline first."""
    return list(db.session.execute(
        select(Call).where(Call.status == "published", Call.deadline_at > now)
        .options(selectinload(Call.cohort).selectinload(Cohort.programme), selectinload(Call.meeting))
        .order_by(Call.deadline_at, Call.id)
    ).scalars())


def open_calls_of_cohorts(cohort_ids: list[int], now: datetime) -> list[Call]:
    """Published calls of these cohorts whose deadline is still ahead, soonest deadline first."""
    if not cohort_ids:
        return []
    return list(db.session.execute(
        select(Call).where(Call.cohort_id.in_(cohort_ids), Call.status == "published", Call.deadline_at > now)
        .order_by(Call.deadline_at)
    ).scalars())


def public_call(slug: str) -> Call | None:
    call = db.session.execute(
        select(Call).where(Call.slug == slug, Call.status == "published")
        .options(selectinload(Call.questions), selectinload(Call.cohort).selectinload(Cohort.programme),
                 selectinload(Call.meeting))
    ).scalar_one_or_none()
    return call


def calls_version() -> tuple:
    """What the public call pages depend on, apart from the clock: changes with any call or question."""
    row = db.session.execute(select(func.count(Call.id), func.max(Call.updated_at))).one()
    questions = db.session.execute(select(func.count(CallQuestion.id), func.max(CallQuestion.id))).one()
    return (row[0], str(row[1]), questions[0], questions[1])


@dataclass
class Deadline:
    """A call's deadline as an event of the organisation-wide calendar feed."""

    uid_key: str
    title: str
    deadline_at: datetime
    zone: str
    url: str
    sequence: int
    updated_at: datetime | None = None


def public_deadlines() -> list[Deadline]:
    """The deadlines of every published call, for /calendar.ics (closed calls stay, as history)."""
    calls = db.session.execute(select(Call).where(Call.status == "published").order_by(Call.deadline_at)).scalars()
    return [Deadline(uid_key=f"call-{c.id}-deadline", title=f"Deadline: {c.title}", deadline_at=c.deadline_at,
                     zone=c.timezone, url=call_url(c), sequence=c.sequence, updated_at=c.updated_at) for c in calls]


def decisions_waiting(call: Call) -> int:
    return db.session.execute(
        select(func.count(Application.id)).where(Application.call_id == call.id, Application.status.in_(states.DECIDED),
                                                 Application.decision_released_at.is_(None))
    ).scalar_one()
