"""Invitations beyond a session's speakers: staff invite a showcase slot's mayor or a webinar's presenter
the same way (the agenda's Invitation, its email, link and reminders); the slot or presenter row points
at it. And what any invitation is to, for its email and the speaker's page."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mipevents.agenda import emails as agenda_emails
from mipevents.agenda import invitations
from mipevents.agenda.models import AgendaItem, Invitation
from mipevents.core.timeutil import format_time, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BuiltMessage
from mipevents.showcase import queries as showcase_queries
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.logistics import meeting_logistics
from mipevents.webinars.models import WebinarPresenter

InvitationProblem = invitations.InvitationProblem


def _slot_of(invitation: Invitation) -> ShowcaseSlot | None:
    return db.session.execute(select(ShowcaseSlot).where(ShowcaseSlot.invitation_id == invitation.id)).scalar_one_or_none()


def _presenter_of(invitation: Invitation) -> WebinarPresenter | None:
    return db.session.execute(select(WebinarPresenter).where(WebinarPresenter.invitation_id == invitation.id)
                              ).scalar_one_or_none()


def describe(invitation: Invitation) -> invitations.Invited | None:
    """What the invitation is to: its session, showcase slot or webinar (None: the slot or the webinar
    presenter it was for was removed)."""
    found = invitations.session_invited(invitation)
    if found is not None:
        return found
    slot = _slot_of(invitation)
    if slot is not None:
        item, meeting = slot.item, slot.item.meeting
        slots = showcase_queries.lineup(item, public_only=False)
        order = next((n for n, s in enumerate(slots) if s.id == slot.id), None)
        detail = ""
        if order is not None:
            planned = showcase_queries.plan(item, slots)[order][1]
            detail = (f"presenting {order + 1} of {len(slots)}, planned at "
                      f"{format_time(planned.starts_at, meeting.timezone)} for {slot.seconds // 60} minutes")
        return invitations.Invited(f"{item.title}: “{slot.title}”", invitation.role, item.starts_at, item.ends_at,
                                   meeting.timezone, meeting.name, item.room.name if item.room else "",
                                   meeting.venue or "", meeting, item, detail)
    presenter = _presenter_of(invitation)
    if presenter is not None:
        webinar = presenter.webinar
        return invitations.Invited(webinar.title, invitation.role, webinar.starts_at, webinar.ends_at,
                                   webinar.timezone, "a webinar", "Online")
    return None


def webinar_id_of(invitation: Invitation) -> int | None:
    presenter = _presenter_of(invitation)
    return presenter.webinar_id if presenter is not None else None


def invite_slot(slot: ShowcaseSlot, note: str = "", *, actor) -> Invitation:
    """Invite the mayor presenting this showcase slot (it must name their speaker profile)."""
    if slot.speaker is None:
        raise InvitationProblem("Pick the presenter's speaker profile on the slot to invite them.")
    if slot.invitation is not None:
        raise InvitationProblem(f"{slot.speaker.display_name} is already invited to present this slot.")
    invitation = invitations.create(slot.speaker, "presenter", f"{slot.item.title}: {slot.title}", note, actor=actor)
    slot.invitation = invitation
    db.session.flush()
    return invitation


def invite_presenter(presenter: WebinarPresenter, note: str = "", *, actor) -> Invitation:
    """Invite a webinar's presenter (their speaker profile)."""
    if presenter.invitation is not None:
        raise InvitationProblem(f"{presenter.speaker.display_name} is already invited to present this webinar.")
    invitation = invitations.create(presenter.speaker, presenter.role, presenter.webinar.title, note, actor=actor)
    presenter.invitation = invitation
    db.session.flush()
    return invitation


def build_email(msg: OutboxMessage) -> BuiltMessage:
    """The invitation email (agenda.emails) with what it is to, whichever kind."""
    invitation = db.session.get(Invitation, msg.context["invitation_id"])
    what = describe(invitation) if invitation is not None else None
    if what is None:
        raise LookupError(f"invitation {msg.context['invitation_id']} is no longer to anything")
    return agenda_emails.build_invitation(msg, invitation, what)



def meeting_invitations(meeting: Meeting, now: datetime | None = None) -> list[invitations.InvitationRow]:
    """Every speaker role of the meeting, invited or not: its sessions' speakers and its showcase
    slots' presenters who have a speaker profile, by session time, then order."""
    now = now or utcnow()
    rows = invitations.meeting_invitations(meeting, now)
    slots = db.session.execute(
        select(ShowcaseSlot).join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
        .where(AgendaItem.meeting_id == meeting.id, ShowcaseSlot.speaker_id.is_not(None))
        .options(selectinload(ShowcaseSlot.speaker), selectinload(ShowcaseSlot.item),
                 selectinload(ShowcaseSlot.invitation))).scalars().all()
    if not slots:
        return rows
    travel = meeting_logistics(meeting)
    rows += [invitations.InvitationRow(None, slot.invitation, invitations.waiting_days(slot.invitation, now),
                                       travel.get(slot.speaker_id), slot) for slot in slots]

    def order(row):
        if row.slot is not None:
            return (row.slot.item.starts_at, row.slot.item_id, 1, row.slot.position, row.slot.id)
        return (row.link.item.starts_at, row.link.item_id, 0, row.link.position, row.link.id)

    return sorted(rows, key=order)
