"""Releasing a call's decisions: each decided application gets its one email, and acceptances are
carried out in the areas they land in — a cohort membership, or a draft slot last in the meeting's
showcase line-up."""
from datetime import datetime

from sqlalchemy import func, select

from mipevents.accounts import audit
from mipevents.agenda.models import AgendaItem
from mipevents.calls import states
from mipevents.calls.models import Application, Call
from mipevents.cohorts.models import Cohort, CohortMember
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.services import touch
from mipevents.notify.outbox import enqueue
from mipevents.people.services import mint_token
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker


class ReleaseProblem(Exception):
    """Decisions cannot be released (and nothing was changed)."""


def showcase_item_for(meeting_id: int) -> AgendaItem | None:
    """The meeting's showcase session that accepted proposals join (the first that is not cancelled)."""
    return db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.kind == "showcase",
                                 AgendaItem.status != "cancelled")
        .order_by(AgendaItem.starts_at, AgendaItem.id).limit(1)
    ).scalar_one_or_none()


def _place_in_showcase(application: Application, item: AgendaItem):
    last = db.session.execute(select(func.max(ShowcaseSlot.position)).where(ShowcaseSlot.item_id == item.id)).scalar()
    speaker = db.session.execute(select(Speaker).where(Speaker.person_id == application.person_id)).scalar_one_or_none()
    slot = ShowcaseSlot(item_id=item.id, speaker_id=speaker.id if speaker else None,
                        presenter_name=application.mayor_name, city=application.city, state=application.state,
                        title=application.title or f"{application.city} innovation", summary=application.summary,
                        position=(last if last is not None else -1) + 1, status="draft")
    db.session.add(slot)
    db.session.flush()
    application.showcase_slot_id = slot.id
    touch(item.meeting)
    return slot


def _join_cohort(application: Application, cohort: Cohort) -> CohortMember:
    member = db.session.execute(
        select(CohortMember).where(CohortMember.cohort_id == cohort.id, CohortMember.person_id == application.person_id)
    ).scalar_one_or_none()
    if member is None:
        member = CohortMember(cohort_id=cohort.id, person_id=application.person_id)
        db.session.add(member)
    member.name, member.city, member.state = application.mayor_name, application.city, application.state
    cohort.version += 1
    db.session.flush()
    return member


def release_decisions(call: Call, *, actor, now: datetime | None = None) -> int:
    """Send every decided, unreleased application its one decision email and carry out acceptances
    (cohort member; draft showcase slot, last in the line-up). Returns how many were released;
    releasing again releases only what was decided since, so nobody gets a second email."""
    now = now or utcnow()
    pending = list(db.session.execute(
        select(Application).where(Application.call_id == call.id, Application.status.in_(states.DECIDED),
                                  Application.decision_released_at.is_(None))
        .order_by(Application.id)
    ).scalars())
    item = None
    if call.is_showcase and any(a.status == "accepted" for a in pending):
        item = showcase_item_for(call.meeting_id)
        if item is None:
            raise ReleaseProblem("This meeting has no Innovation Showcase session to place accepted proposals in; "
                                 "add one to the agenda first.")
    for application in pending:
        if application.status == "accepted":
            if call.is_showcase:
                _place_in_showcase(application, item)
            else:
                _join_cohort(application, call.cohort)
        application.decision_released_at = now
        context = {"application_id": application.id, "decision": application.status}
        if application.status == "accepted" and not call.is_showcase:
            # New members may never have registered for anything: their personal feed carries the
            # cohort's meetings and webinars (DESIGN, "The personal feed").
            context["feed_token"] = mint_token(application.person, "feed")
        enqueue("calls.decision", application.email, context, person=application.person,
                dedupe_key=f"calls.decision:{application.id}")
        if application.scheduler_email and application.scheduler_email != application.email:
            enqueue("calls.decision", application.scheduler_email, {**context, "to_scheduler": True},
                    dedupe_key=f"calls.decision:{application.id}:scheduler")
    if pending:
        call.decisions_released_at = now
        audit.record("release_decisions", call, actor=actor, meeting_id=call.meeting_id,
                     summary=f"Released {len(pending)} decisions on “{call.title}”",
                     after={"accepted": sum(a.status == "accepted" for a in pending),
                            "declined": sum(a.status == "declined" for a in pending)})
    db.session.flush()
    return len(pending)
