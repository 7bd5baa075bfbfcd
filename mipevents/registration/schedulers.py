"""Schedulers (someone registering a mayor) act with the person's consent. A scheduler who makes a
new registration reaches that one registration through their own link; naming a scheduler for a
registration that exists changes nothing but asks the person, at their own address, to approve them
(one SchedulerApproval per person and scheduler, untouched by "reset my links"); the person can
remove a scheduler in one click, which revokes the scheduler's links and the approval."""
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify.outbox import Queued, enqueue_many
from mipevents.people.models import Person, SchedulerApproval, Token
from mipevents.people.services import person_id_for_email, resolve_token
from mipevents.registration.models import Registration

# A post about what a person already has reaches her inbox at most once per REPEAT_WINDOW ("you were
# already registered"), and scheduler requests at most REQUESTS_PER_DAY a day: someone who knows her
# address cannot flood her inbox (or others', through the scheduler address) from many addresses.
REPEAT_WINDOW = timedelta(minutes=15)
REQUESTS_PER_DAY = 3


def repeat_key(what: str, row_id: int, now: datetime | None = None) -> str:
    """The outbox dedupe key of "you already have one" for this row in the current window."""
    window = int((now or utcnow()).timestamp() // REPEAT_WINDOW.total_seconds())
    return f"repeat:{what}:{row_id}:{window}"


def may_ask(person_id: int, approval: SchedulerApproval | None, now: datetime) -> bool:
    """Whether a new request to approve a scheduler may go to the person: not while the same request
    waits (asked in the last day), nor beyond REQUESTS_PER_DAY requests a day (any schedulers)."""
    day_ago = now - timedelta(days=1)
    if approval is not None and not approval.is_approved and approval.revoked_at is None \
            and approval.requested_at >= day_ago:
        return False
    recent = db.session.execute(select(func.count()).select_from(SchedulerApproval).where(
        SchedulerApproval.person_id == person_id, SchedulerApproval.approved_at.is_(None),
        SchedulerApproval.requested_at >= day_ago)).scalar_one()
    return recent < REQUESTS_PER_DAY


def approval_between(person_id: int, scheduler_id: int) -> SchedulerApproval | None:
    return db.session.execute(select(SchedulerApproval).where(
        SchedulerApproval.person_id == person_id, SchedulerApproval.scheduler_id == scheduler_id)
    ).scalar_one_or_none()


def ask(person_id: int, scheduler_email: str, *, registration_id: int,
        now: datetime | None = None) -> SchedulerApproval | None:
    """A post named `scheduler_email` for the person's existing registration: nothing of it changes.
    The person gets "let this scheduler manage it for you?" (an approval link made at delivery); the
    scheduler is told the request went to the person, and nothing more. A scheduler the person
    already approved is attached at once to a registration that has none (the person is told, with
    the link to remove them); a registration's scheduler is never replaced by a post."""
    now = now or utcnow()
    scheduler_id, _ = person_id_for_email(scheduler_email)
    approval = approval_between(person_id, scheduler_id)
    if not (approval is not None and approval.is_approved) and not may_ask(person_id, approval, now):
        return approval      # asked already, or too often today: nothing more is sent
    if approval is None:
        approval = SchedulerApproval(person_id=person_id, scheduler_id=scheduler_id, requested_at=now)
        db.session.add(approval)
    approval.registration_id = registration_id
    approval.requested_at = now
    db.session.flush()
    if approval.is_approved:
        registration = db.session.get(Registration, registration_id)
        # Only the person's own link changes who her scheduler is: a post never replaces one.
        if registration.scheduler_person_id is None:
            attach(registration, approval)
        return approval
    person = db.session.get(Person, person_id)
    registration = db.session.get(Registration, registration_id)
    enqueue_many([
        Queued("scheduler_request", registration.email or person.email,
               {"approval_id": approval.id, "registration_id": registration_id}, person_id),
        Queued("scheduler_request_sent", scheduler_email,
               {"approval_id": approval.id, "registration_id": registration_id}, scheduler_id),
    ])
    return approval


def approval_for_token(raw: str) -> SchedulerApproval | None:
    """The approval request an owner's approval link opens, or None."""
    token = resolve_token(raw, "approval")
    if token is None or token.subject_id is None:
        return None
    approval = db.session.get(SchedulerApproval, token.subject_id)
    if approval is None or approval.person_id != token.person_id:
        return None
    return approval


def approve(approval: SchedulerApproval, *, now: datetime | None = None) -> Registration | None:
    """The person approves the scheduler (from their own inbox): the registration the request was
    about gets them as its scheduler, who is emailed their own link to it."""
    approval.approved_at = now or utcnow()
    approval.revoked_at = None
    registration = db.session.get(Registration, approval.registration_id) if approval.registration_id else None
    if registration is not None and registration.person_id == approval.person_id:
        attach(registration, approval)
    db.session.flush()
    return registration


def attach(registration: Registration, approval: SchedulerApproval) -> None:
    """An approved scheduler becomes the scheduler of `registration`: they get their link to it, and
    the person is told at their own address (with the one click that removes them)."""
    scheduler = approval.scheduler
    if registration.scheduler_person_id not in (None, scheduler.id):
        _revoke_links(registration)
    registration.scheduler_person_id = scheduler.id
    registration.scheduler_email = scheduler.email
    db.session.flush()
    context = {"registration_id": registration.id, "status": registration.status}
    enqueue_many([
        Queued("registration_repeat", scheduler.email, {**context, "to_scheduler": True, "approved": True},
               scheduler.id),
        Queued("scheduler_added", registration.email or registration.person.email, context,
               registration.person_id),
    ])


def send_link(registration: Registration) -> None:
    """Email the registration's scheduler their own link to it (made at delivery)."""
    enqueue_many([Queued("registration_repeat", registration.scheduler_email,
                         {"registration_id": registration.id, "status": registration.status, "to_scheduler": True,
                          "link_requested": True}, registration.scheduler_person_id)])


def _revoke_links(registration: Registration) -> None:
    db.session.execute(update(Token).where(
        Token.purpose == "scheduler", Token.subject_id == registration.id, Token.revoked_at.is_(None)
    ).values(revoked_at=utcnow()))


def remove(registration: Registration, *, now: datetime | None = None) -> bool:
    """The person removes the scheduler of `registration`: the scheduler's links to it stop working
    and the person's approval of them is revoked. Returns whether there was one."""
    if registration.scheduler_person_id is None and not registration.scheduler_email:
        return False
    now = now or utcnow()
    _revoke_links(registration)
    if registration.scheduler_person_id is not None:
        db.session.execute(update(SchedulerApproval).where(
            SchedulerApproval.person_id == registration.person_id,
            SchedulerApproval.scheduler_id == registration.scheduler_person_id
        ).values(revoked_at=now))
    registration.scheduler_person_id = None
    registration.scheduler_email = ""
    db.session.flush()
    return True


def scheduled_by(scheduler_id: int) -> list[Registration]:
    """Every registration this person manages as a scheduler, newest first."""
    return list(db.session.execute(
        select(Registration).where(Registration.scheduler_person_id == scheduler_id)
        .order_by(Registration.created_at.desc(), Registration.id.desc())
    ).scalars())
