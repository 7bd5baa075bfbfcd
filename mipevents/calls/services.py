"""Calls: opening them, applying (draft, submit, withdraw); reviewing is review.py. Plain functions: views
commit. (Releasing decisions, which turns accepted applications into cohort members or showcase
slots, is work across areas: workflows.call_decisions.)"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mipevents.accounts import audit
from mipevents.calls import states
from mipevents.calls.deadlines import local_moment
from mipevents.calls.models import Answer, Application, Call, CallQuestion
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify.outbox import Queued, enqueue, enqueue_many
from mipevents.people.models import Person, SchedulerApproval, Token
from mipevents.people.services import normalise_email, person_for_email, revoke_tokens, token_hash
from mipevents.registration import schedulers


class CallClosed(Exception):
    """Nothing is accepted outside a call's opening time and deadline."""


# ---------------------------------------------------------------------------------------------- staff: calls

CALL_FIELDS = ("slug", "title", "kind", "cohort_id", "meeting_id", "description", "opens_at", "deadline_at",
               "timezone", "status")


def save_call(call: Call | None, values: dict, *, actor) -> Call:
    """Create (call=None) or update a call. A published deadline that moves or is renamed raises the
    SEQUENCE of its calendar event, so subscribed calendars follow."""
    created = call is None
    if created:
        call = Call()
        db.session.add(call)
    before = {k: getattr(call, k) for k in ("title", "deadline_at", "status")}
    for key in CALL_FIELDS:
        if key in values:
            setattr(call, key, values[key])
    if call.kind == "cohort":
        call.meeting_id = None
    else:
        call.cohort_id = None
    if not created and before["status"] == "published" and (
            before["title"] != call.title or before["deadline_at"] != call.deadline_at or call.status != "published"):
        call.sequence += 1
    db.session.flush()
    audit.record("create_call" if created else "update_call", call, actor=actor, meeting_id=call.meeting_id,
                 summary=f"{'Opened' if created else 'Edited'} the call “{call.title}”")
    return call


def add_question(call: Call, *, kind: str, prompt: str, help_text: str = "", is_required: bool = True,
                 word_limit: int | None = None, choices: list[str] | None = None, actor=None) -> CallQuestion:
    position = max((q.position for q in call.questions), default=-1) + 1
    question = CallQuestion(call=call, kind=kind, prompt=prompt, help_text=help_text, is_required=is_required,
                            word_limit=word_limit if kind == "long_text" else None,
                            choices=list(choices or []) if kind == "choice" else [], position=position)
    db.session.add(question)
    call.updated_at = utcnow()
    db.session.flush()
    audit.record("add_call_question", call, actor=actor, summary=f"Added the question “{prompt}”")
    return question


def remove_question(question: CallQuestion, *, actor=None) -> None:
    call = question.call
    audit.record("remove_call_question", call, actor=actor, summary=f"Removed the question “{question.prompt}”")
    call.questions.remove(question)
    call.updated_at = utcnow()
    db.session.flush()


# ---------------------------------------------------------------------------------------------- applying

@dataclass
class ApplicationValues:
    email: str
    mayor_name: str
    city: str = ""
    state: str = ""
    population_band: str = ""
    scheduler_email: str = ""
    title: str = ""
    summary: str = ""
    answers: dict[int, str] = field(default_factory=dict)   # question id -> answer


def application_for(call: Call, email: str) -> Application | None:
    return db.session.execute(
        select(Application).where(Application.call_id == call.id, Application.email == normalise_email(email))
    ).scalar_one_or_none()


def check_open(call: Call, now: datetime) -> None:
    """CallClosed with the words to show, unless the call takes applications at `now`."""
    if call.status != "published":
        raise CallClosed("This call is not open.")
    if now < call.opens_at:
        raise CallClosed(f"This call opens {local_moment(call.opens_at, call.timezone, now)}.")
    if now >= call.deadline_at:
        raise CallClosed(f"This call closed {local_moment(call.deadline_at, call.timezone, now)}; "
                         "applications are no longer accepted.")


def _write(application: Application, values: ApplicationValues, questions: list[CallQuestion]) -> None:
    application.mayor_name = values.mayor_name.strip()
    application.city = values.city.strip()
    application.state = values.state.strip()
    application.population_band = values.population_band
    application.scheduler_email = normalise_email(values.scheduler_email)
    application.title = values.title.strip()
    application.summary = values.summary.strip()
    existing = {a.question_id: a for a in application.answers}
    for question in questions:
        text = (values.answers.get(question.id) or "").strip()
        if question.id in existing:
            existing[question.id].value = text
        else:
            application.answers.append(Answer(question_id=question.id, value=text))


def _confirm(application: Application, event: str) -> None:
    """Queue the email to the mayor (and a copy to their scheduler); each one's private link is made
    at delivery (calls.emails), the scheduler's opening this application only."""
    enqueue("calls.application", application.email,
            {"application_id": application.id, "event": event, "with_link": True}, person=application.person)
    if application.scheduler_email and application.scheduler_email != application.email:
        scheduler = person_for_email(application.scheduler_email)
        enqueue("calls.application", application.scheduler_email,
                {"application_id": application.id, "event": event, "with_link": True, "to_scheduler": True},
                person=scheduler)


def _answer_existing(application: Application, scheduler_email: str) -> None:
    """A public post for an email that already has an application to this call changes nothing. The
    mayor's own address gets their link; a scheduler named in the post who is not already theirs is
    asked about in an email of its own to the mayor (approve_scheduler: one click from her inbox)."""
    scheduler_email = normalise_email(scheduler_email)
    enqueue_many([Queued("calls.application", application.email, {"application_id": application.id, "event": "again",
                                                                  "with_link": True}, application.person_id,
                         dedupe_key=schedulers.repeat_key("application", application.id))])
    if scheduler_email and scheduler_email not in (application.email, normalise_email(application.scheduler_email)):
        ask_scheduler(application, scheduler_email)


def ask_scheduler(application: Application, scheduler_email: str, *,
                  now: datetime | None = None) -> SchedulerApproval | None:
    """Someone asked to act for the mayor on her existing application: until she approves from her
    own inbox they get nothing of it (they are told the request went to her). A scheduler she
    already approved (for a registration or an application) is attached at once to an application
    that has no scheduler, and she is told; one she has is never replaced by a post."""
    now = now or utcnow()
    scheduler = person_for_email(scheduler_email)
    approval = schedulers.approval_between(application.person_id, scheduler.id)
    if not (approval is not None and approval.is_approved) and not schedulers.may_ask(application.person_id, approval, now):
        return approval      # asked already, or too often today: nothing more is sent
    if approval is None:
        approval = SchedulerApproval(person_id=application.person_id, scheduler_id=scheduler.id, requested_at=now)
        db.session.add(approval)
    approval.application_id = application.id
    approval.requested_at = now
    db.session.flush()
    if approval.is_approved:
        if not application.scheduler_email:     # a post never replaces the scheduler she has
            attach_scheduler(application, approval)
        return approval
    enqueue("calls.scheduler_request", application.email, {"application_id": application.id,
                                                            "approval_id": approval.id}, person=application.person)
    enqueue("calls.application", scheduler.email, {"application_id": application.id, "event": "asked",
                                                   "to_scheduler": True}, person=scheduler)
    return approval


def attach_scheduler(application: Application, approval: SchedulerApproval) -> None:
    """An approved scheduler becomes the scheduler of the application: the previous one's links stop,
    the new one is emailed their own link to it, and the mayor is told with the one click that
    removes them."""
    scheduler = approval.scheduler
    if normalise_email(application.scheduler_email) == scheduler.email:
        return
    revoke_scheduler_links(application)
    application.scheduler_email = scheduler.email
    db.session.flush()
    enqueue("calls.application", scheduler.email, {"application_id": application.id, "event": "approved",
                                                   "with_link": True, "to_scheduler": True}, person=scheduler)
    enqueue("calls.scheduler_added", application.email, {"application_id": application.id},
            person=application.person)


def approve_scheduler(approval: SchedulerApproval) -> Application | None:
    """The mayor approved the scheduler from her own inbox: the application the request was about (if
    it is still hers) gets them as its scheduler."""
    application = db.session.get(Application, approval.application_id) if approval.application_id else None
    if application is None or application.person_id != approval.person_id:
        return None
    attach_scheduler(application, approval)
    return application


def revoke_scheduler_links(application: Application) -> None:
    db.session.execute(update(Token).where(Token.purpose == "scheduler_app", Token.subject_id == application.id,
                                           Token.revoked_at.is_(None)).values(revoked_at=utcnow()))


def remove_scheduler(application: Application, *, now: datetime | None = None) -> bool:
    """The mayor removes the scheduler of her application (one click from her email or her page): their
    links to it stop and her approval of them is revoked. Returns whether there was one."""
    if not application.scheduler_email:
        return False
    now = now or utcnow()
    revoke_scheduler_links(application)
    db.session.execute(update(SchedulerApproval).where(
        SchedulerApproval.person_id == application.person_id,
        SchedulerApproval.scheduler_id.in_(select(Person.id).where(
            Person.email == normalise_email(application.scheduler_email)))
    ).values(revoked_at=now))
    application.scheduler_email = ""
    db.session.flush()
    return True


def apply(call: Call, values: ApplicationValues, *, submit: bool, now: datetime | None = None,
          application: Application | None = None) -> tuple[Application, str]:
    """Save (submit=False) or submit an application to `call`; returns it and what happened:
    "saved" (a draft), "submitted", "updated", or "received" (a public post for an email that already
    has one: nothing changed).

    From the public form (application=None) an email proves nothing: for an email that already has an
    application to this call (draft or submitted), nothing changes and the mayor's own address is
    emailed their link (the page says "check your email" either way). A new application emails its
    private link. From the private page (`application` given) an email goes out only when the
    application becomes submitted. Raises CallClosed after the deadline and InvalidTransition for a
    decided application, in both cases before writing anything."""
    now = now or utcnow()
    check_open(call, now)
    from_form = application is None
    if from_form:
        application = application_for(call, values.email)
        if application is not None:
            _answer_existing(application, values.scheduler_email)
            return application, "received"
    action = "submit" if submit else "save"
    previous = application.status if application is not None else "draft"
    status = states.next_status(previous, action)
    if application is None:
        person = person_for_email(values.email, values.mayor_name.strip(), fill_name=False)   # a public post
        application = Application(call_id=call.id, person=person, email=person.email, status="draft")
        try:
            with db.session.begin_nested():
                db.session.add(application)
        except IntegrityError:   # the same email's first post raced ours and won: it stays as it is
            application = application_for(call, values.email)
            _answer_existing(application, values.scheduler_email)
            return application, "received"
    _write(application, values, list(call.questions))
    application.status = status
    if status == "submitted" and application.submitted_at is None:
        application.submitted_at = now
    if status != "withdrawn":
        application.withdrawn_at = None
    application.updated_at = now
    db.session.flush()
    if status == "draft":
        event = "saved"
    elif previous in ("draft", "withdrawn"):
        event = "submitted"
    else:
        event = "updated"
    if from_form or event == "submitted":
        _confirm(application, event)
    return application, event


def reset_link(application: Application) -> None:
    """'Reset my link': every private link to this application stops working and the mayor is
    emailed one new link (a forwarded link is cut off)."""
    revoke_tokens(application.person, "application", application.id)
    enqueue("calls.application", application.email, {"application_id": application.id, "event": "link",
                                                     "with_link": True}, person=application.person)


def withdraw(application: Application, *, now: datetime | None = None) -> None:
    """The applicant takes their application back (possible until its decision is released)."""
    application.status = states.next_status(application.status, "withdraw",
                                            released=application.decision_released_at is not None)
    application.withdrawn_at = now or utcnow()
    db.session.flush()


def application_link(raw: str) -> tuple[Application, bool] | None:
    """The application a live private link opens and whether it is the mayor's own (False: the link
    of the scheduler who made it, while they are still its scheduler), or None."""
    hashed = token_hash(raw)
    if hashed is None:
        return None
    token = db.session.execute(select(Token).where(
        Token.token_hash == hashed, Token.purpose.in_(("application", "scheduler_app")), Token.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None or token.subject_id is None:
        return None
    application = db.session.get(Application, token.subject_id)
    if application is None:
        return None
    if token.purpose == "application" and application.person_id == token.person_id:
        return application, True
    if (token.purpose == "scheduler_app" and application.scheduler_email
            and token.person.email == normalise_email(application.scheduler_email)):
        return application, False
    return None


def application_for_token(raw: str) -> Application | None:
    opened = application_link(raw)
    return opened[0] if opened else None
