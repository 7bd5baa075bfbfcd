"""Inviting speakers to their roles: the invitation and its private link ("invitation" purpose; a copy
with a link of its own to each scheduler the speaker approved), the speaker's answer (accept, or
decline with a reason), staff's one-click reminder, the reminder queued once after a week without a
reply, and each meeting's list of who said what."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from mipevents.accounts import audit
from mipevents.agenda.models import AgendaItem, Invitation, SessionSpeaker
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import enqueue
from mipevents.people.models import Token
from mipevents.people.services import approved_schedulers, person_for_email, resolve_token
from mipevents.speakers.logistics import meeting_logistics
from mipevents.speakers.models import Speaker, SpeakerLogistics

PURPOSE = "invitation"
KIND = "agenda.invitation"
NO_REPLY_REMINDER_AFTER = timedelta(days=7)


class InvitationProblem(ValueError):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def invitation_url(raw: str) -> str:
    return current_app.config["MIPEVENTS_BASE_URL"].rstrip("/") + f"/speakers/invitation/{raw}"


def is_approved_scheduler(person_id: int | None, scheduler_id: int | None) -> bool:
    return scheduler_id is not None and any(p.id == scheduler_id for p in approved_schedulers(person_id))


def _send(invitation: Invitation, event: str, dedupe_key: str | None = None) -> OutboxMessage:
    """Queue the email to the speaker's own address, and a copy to each scheduler the speaker approved
    (their office, who sends bios and headshots); each private link is made when it is delivered
    (agenda.emails), a scheduler's only while the speaker still approves them."""
    speaker = invitation.speaker
    context = {"invitation_id": invitation.id, "event": event}
    own = enqueue(KIND, speaker.email, context, person=speaker.person, dedupe_key=dedupe_key)
    for scheduler in approved_schedulers(speaker.person_id):
        if scheduler.id != speaker.person_id:
            enqueue(KIND, scheduler.email, context | {"to_scheduler": True}, person=scheduler,
                    dedupe_key=f"{dedupe_key}:scheduler:{scheduler.id}" if dedupe_key else None)
    return own


def create(speaker: Speaker, role: str, what: str, note: str = "", *, actor, now: datetime | None = None,
           link: SessionSpeaker | None = None) -> Invitation:
    """Invite the speaker to `role` (on `what`, for the audit) and email them (flushed; the caller
    commits). A speaker without an email cannot be invited. A showcase slot or a webinar presenter
    then points at the invitation (workflows.invitations)."""
    if not speaker.email:
        raise InvitationProblem(f"Add an email address to {speaker.display_name}'s profile to invite them.")
    if speaker.person is None:
        speaker.person = person_for_email(speaker.email, speaker.name)
    invitation = Invitation(link=link, speaker=speaker, role=role, note=(note or "").strip(), invited_at=now or utcnow())
    db.session.add(invitation)
    db.session.flush()
    _send(invitation, "invited")
    audit.record("invite_speaker", invitation, actor=actor,
                 summary=f"Invited {speaker.display_name} to “{what}” as {role}")
    return invitation


def invite(link: SessionSpeaker, note: str = "", *, actor, now: datetime | None = None) -> Invitation:
    """Invite the speaker to their role on this session; one already invited is reminded instead."""
    if link.invitation is not None:
        raise InvitationProblem(f"{link.speaker.display_name} is already invited to this session.")
    return create(link.speaker, link.role, link.item.title, note, actor=actor, now=now, link=link)


def remind(invitation: Invitation, *, actor, now: datetime | None = None) -> None:
    """Staff's one click: email the invitation again (only while it waits for an answer)."""
    if invitation.status != "invited":
        raise InvitationProblem("Only an invitation still waiting for an answer can be reminded.")
    invitation.reminded_at = now or utcnow()
    _send(invitation, "reminder")
    audit.record("remind_speaker", invitation, actor=actor, summary=f"Reminded {invitation.speaker.display_name}"
                 + (f" of “{invitation.link.item.title}”" if invitation.link is not None else ""))


def respond(invitation: Invitation, decision: str, reason: str = "", *, now: datetime | None = None) -> None:
    """The speaker's answer from their private page; they may change their mind until the meeting."""
    if decision not in ("accepted", "declined"):
        raise InvitationProblem("Choose accept or decline.", "decision")
    invitation.status = decision
    invitation.reason = (reason or "").strip() if decision == "declined" else ""
    invitation.responded_at = now or utcnow()
    audit.record(f"invitation_{decision}", invitation, actor=None,
                 summary=f"{invitation.speaker.display_name} {decision} "
                 + (f"“{invitation.link.item.title}”" if invitation.link is not None else f"invitation {invitation.id}"))


def withdraw(invitation: Invitation, why: str, *, actor, now: datetime | None = None) -> None:
    """Its subject went away (a showcase slot's speaker changed or the slot was removed, a webinar
    presenter was removed): the invitation is withdrawn, every private link to it (the speaker's and
    their schedulers' copies) is revoked, and its emails still waiting are not sent (no reminder
    goes out for it, none fails at delivery and is retried)."""
    if invitation.status == "withdrawn":
        return
    now = now or utcnow()
    invitation.status = "withdrawn"
    invitation.responded_at = now
    db.session.execute(update(Token).where(Token.purpose == PURPOSE, Token.subject_id == invitation.id,
                                           Token.revoked_at.is_(None)).values(revoked_at=now))
    waiting = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == KIND, OutboxMessage.status == "pending")).scalars()
    for msg in waiting:
        if (msg.context or {}).get("invitation_id") == invitation.id:
            msg.status = "failed"
            msg.last_error = "not sent: the invitation was withdrawn"
    db.session.flush()
    audit.record("withdraw_invitation", invitation, actor=actor,
                 summary=f"Withdrew {invitation.speaker.display_name}'s invitation ({why})")


def invitation_for_token(raw: str) -> Invitation | None:
    token = resolve_token(raw, PURPOSE)
    if token is None or token.subject_id is None:
        return None
    invitation = db.session.get(Invitation, token.subject_id)
    if invitation is None or invitation.status == "withdrawn":
        return None
    speaker_person = invitation.speaker.person_id
    if token.person_id != speaker_person and not is_approved_scheduler(speaker_person, token.person_id):
        return None     # a scheduler's link stops when the speaker removes them
    return invitation


def speaker_invitations(speaker: Speaker) -> list[Invitation]:
    """Every invitation of this speaker (sessions, showcase slots, webinars), the earliest sent first."""
    return list(db.session.execute(
        select(Invitation).where(Invitation.speaker_id == speaker.id)
        .order_by(Invitation.invited_at, Invitation.id)).scalars())


@dataclass(frozen=True)
class Invited:
    """What an invitation is to, in words and times for its email and the speaker's page: a session,
    a showcase slot (`item` its showcase session) or a webinar (`meeting` and `item` None)."""
    title: str
    role: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    event_name: str                       # the meeting's name, or "a webinar"
    room: str = ""
    venue: str = ""
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    detail: str = ""                      # a showcase slot's order and planned time


def session_invited(invitation: Invitation) -> Invited | None:
    """What a session invitation is to (None for the others: workflows.invitations.describe)."""
    link = invitation.link
    if link is None:
        return None
    item, meeting = link.item, link.item.meeting
    return Invited(item.title, invitation.role, item.starts_at, item.ends_at, meeting.timezone, meeting.name,
                   item.room.name if item.room else "", meeting.venue or "", meeting, item)


@dataclass(frozen=True)
class InvitationRow:
    """One line of a meeting's invitation list: a session role (`link`) or a showcase slot (`slot`,
    workflows.invitations adds those); `waiting_days` counts from the invitation (no reply)."""
    link: SessionSpeaker | None
    invitation: Invitation | None
    waiting_days: int | None
    travel: SpeakerLogistics | None = None      # their A/V, travel and hotel for this meeting
    slot: object | None = None                  # a showcase.ShowcaseSlot (a floor above this one)


def waiting_days(invitation: Invitation | None, now: datetime) -> int | None:
    return (now - invitation.invited_at).days if invitation is not None and invitation.status == "invited" else None


def meeting_invitations(meeting: Meeting, now: datetime | None = None) -> list[InvitationRow]:
    """Every speaker role of the meeting, invited or not, by session time and order."""
    now = now or utcnow()
    links = db.session.execute(
        select(SessionSpeaker).join(AgendaItem, SessionSpeaker.item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting.id)
        .options(selectinload(SessionSpeaker.speaker), selectinload(SessionSpeaker.item),
                 selectinload(SessionSpeaker.invitation))
        .order_by(AgendaItem.starts_at, AgendaItem.id, SessionSpeaker.position)).scalars().all()
    travel = meeting_logistics(meeting)
    return [InvitationRow(link, link.invitation, waiting_days(link.invitation, now), travel.get(link.speaker_id))
            for link in links]


def reminder_key(invitation_id: int) -> str:
    return f"invitation-reminder:{invitation_id}"


def queue_invitation_reminders(now: datetime | None = None) -> int:
    """Queue the one reminder for each invitation with no answer a week after it was sent (cron,
    through `notify reminders`): the outbox's unique dedupe key makes it once, however often it runs."""
    now = now or utcnow()
    waiting = db.session.execute(
        select(Invitation).where(Invitation.status == "invited", Invitation.invited_at <= now - NO_REPLY_REMINDER_AFTER)
        .order_by(Invitation.id)).scalars().all()
    if not waiting:
        return 0
    keys = {reminder_key(i.id) for i in waiting}
    done = set(db.session.execute(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))).scalars())
    queued = 0
    for invitation in waiting:
        if reminder_key(invitation.id) in done or not invitation.speaker.email:
            continue
        try:
            with db.session.begin_nested():
                _send(invitation, "no_reply", dedupe_key=reminder_key(invitation.id))
                invitation.reminded_at = now
        except IntegrityError:
            continue   # another run queued it first
        queued += 1
    db.session.commit()
    return queued
