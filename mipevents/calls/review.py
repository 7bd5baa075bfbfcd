"""Reviewing a call's applications: each reviewer's view of them (the others' scores shown once their
own is given: calls/scoring.py), sorted as asked; a reviewer's score and notes; staff status changes."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mipevents.accounts import audit
from mipevents.calls import scoring, states
from mipevents.calls.models import Application, Call, Review
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db


@dataclass
class ReviewRow:
    application: Application
    my_review: Review | None
    may_see: bool
    average: float | None        # None when not visible to this reviewer or unscored
    review_count: int | None     # None when not visible


STATUS_ORDER = {"accepted": 0, "shortlisted": 1, "submitted": 2, "declined": 3, "withdrawn": 4, "draft": 5}

SORTS = {
    "name": lambda r: (r.application.mayor_name.casefold(), r.application.id),
    "city": lambda r: (r.application.city.casefold(), r.application.state, r.application.id),
    "submitted": lambda r: (r.application.submitted_at or r.application.created_at, r.application.id),
    "status": lambda r: (STATUS_ORDER.get(r.application.status, 99), r.application.id),
    # Unscored or hidden averages sort last in either direction.
    "average": lambda r: (r.average is None, r.average or 0, r.application.id),
    "mine": lambda r: (r.my_review is None, r.my_review.score if r.my_review else 0, r.application.id),
}


def _scores(application: Application) -> list[scoring.Score]:
    return [scoring.Score(r.reviewer_id, r.score) for r in application.reviews]


def review_row(application: Application, viewer) -> ReviewRow:
    scores = _scores(application)
    may_see = scoring.may_see_scores(viewer.id, scores)
    mine = next((r for r in application.reviews if r.reviewer_id == viewer.id), None)
    return ReviewRow(application, mine, may_see, scoring.average(scores) if may_see else None,
                     len(scores) if may_see else None)


def review_rows(call: Call, viewer, *, status: str = "", sort: str = "submitted", descending: bool = False) -> list[ReviewRow]:
    """The call's applications in review (drafts excluded unless asked for) as `viewer` may see them;
    a fixed number of queries whatever the count."""
    stmt = (select(Application).where(Application.call_id == call.id)
            .options(selectinload(Application.reviews), selectinload(Application.answers)))
    stmt = stmt.where(Application.status == status if status else Application.status.in_(states.IN_REVIEW))
    rows = [review_row(a, viewer) for a in db.session.execute(stmt).scalars()]
    key = SORTS.get(sort, SORTS["submitted"])
    if sort in ("average", "mine") and descending:
        # Highest first, with the unscored still last.
        rows.sort(key=lambda r: (key(r)[0], -(key(r)[1]), key(r)[2]))
    else:
        rows.sort(key=key, reverse=descending)
    return rows


def save_review(application: Application, reviewer, score: int, notes: str = "") -> Review:
    """Score an application 1–5 with private notes; one review per reviewer, updated in place."""
    if score not in scoring.SCORES:
        raise ValueError("a score is a whole number from 1 to 5")
    review = next((r for r in application.reviews if r.reviewer_id == reviewer.id), None)
    if review is None:
        review = Review(application=application, reviewer_id=reviewer.id, score=score, notes=notes.strip())
        db.session.add(review)
    else:
        review.score, review.notes = score, notes.strip()
    db.session.flush()
    return review


def change_status(application: Application, action: str, *, actor, now: datetime | None = None) -> str:
    """A staff action (shortlist, accept, decline, reopen …): the new status, or InvalidTransition."""
    if action not in states.STAFF_ACTIONS:
        raise states.InvalidTransition(application.status, action)
    before = application.status
    application.status = states.next_status(before, action, released=application.decision_released_at is not None)
    application.decided_at = (now or utcnow()) if application.status in states.DECIDED else None
    db.session.flush()
    audit.record("application_" + action, application, actor=actor, meeting_id=application.call.meeting_id,
                 summary=f"{application.mayor_name} ({application.location}): {before} → {application.status}",
                 before={"status": before}, after={"status": application.status})
    return application.status
