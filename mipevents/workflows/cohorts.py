"""What a programme's or cohort's public page shows of the calls area (its open calls, each with its
deadline in words), and what a cohort member's private page shows: their cohorts' events, with each
agenda and the member's registration."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from mipevents.agenda.models import AgendaItem
from mipevents.calls.deadlines import deadline_wording
from mipevents.calls.models import Call
from mipevents.calls.queries import open_calls_of_cohorts
from mipevents.cohorts.models import Cohort, CohortMember
from mipevents.core.timeutil import utcnow
from mipevents.core.visibility import PUBLIC_STATUSES
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration import emails as registration_emails
from mipevents.registration import services as registration_services
from mipevents.registration.models import Registration
from mipevents.webinars.models import Webinar


def open_calls(cohort_ids: list[int], now: datetime) -> list[tuple[Call, str]]:
    """[(call, "closes Friday … — 6 days left")] for the calls open to these cohorts."""
    return [(call, deadline_wording(call.deadline_at, call.timezone, now, call.opens_at))
            for call in open_calls_of_cohorts(cohort_ids, now)]


@dataclass
class MemberEvent:
    """One event of a member's cohort as their private page shows it: the meeting (with its agenda,
    by time) or the webinar, and the member's own registration for it, if any."""
    meeting: Meeting | None
    webinar: Webinar | None
    items: list[AgendaItem]
    registration: Registration | None
    can_register: bool = False     # not registered, and registration is open

    @property
    def kind(self) -> str:
        return "webinar" if self.webinar is not None else "meeting"

    @property
    def event(self):
        return self.webinar or self.meeting

    @property
    def starts_at(self):
        if self.webinar is not None:
            return self.webinar.starts_at
        return self.items[0].starts_at if self.items else None

    @property
    def sort_key(self):
        event = self.webinar or self.meeting
        day = self.webinar.starts_at.date() if self.webinar is not None else self.meeting.starts_on
        return (day, event.id)


def member_page(person_id: int, now: datetime | None = None) -> list[tuple[Cohort, list[MemberEvent]]]:
    """For a cohort member's private page (opened by their own link): each cohort they belong to, with its
    meetings and webinars (published or cancelled: drafts stay with staff), each meeting's published
    and cancelled sessions, and the member's registration for each. Cohort-only events are shown here,
    to members, and nowhere public (core.visibility keeps them out of every public path)."""
    cohorts = list(db.session.execute(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.person_id == person_id).order_by(Cohort.starts_on, Cohort.id)).scalars())
    if not cohorts:
        return []
    ids = [c.id for c in cohorts]
    meetings = list(db.session.execute(select(Meeting).where(
        Meeting.cohort_id.in_(ids), Meeting.status.in_(PUBLIC_STATUSES))).scalars())
    webinars = list(db.session.execute(select(Webinar).where(
        Webinar.cohort_id.in_(ids), Webinar.status.in_(PUBLIC_STATUSES))).scalars())
    items: dict[int, list[AgendaItem]] = {m.id: [] for m in meetings}
    if meetings:
        for item in db.session.execute(select(AgendaItem).where(
                AgendaItem.meeting_id.in_(list(items)), AgendaItem.status.in_(PUBLIC_STATUSES))
                .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars():
            items[item.meeting_id].append(item)
    registrations = list(db.session.execute(select(Registration).where(
        Registration.person_id == person_id,
        or_(Registration.meeting_id.in_([m.id for m in meetings] or [0]),
            Registration.webinar_id.in_([w.id for w in webinars] or [0])))).scalars())
    by_meeting = {r.meeting_id: r for r in registrations if r.meeting_id is not None}
    by_webinar = {r.webinar_id: r for r in registrations if r.webinar_id is not None}
    now = now or utcnow()
    page = []
    for cohort in cohorts:
        events = [MemberEvent(m, None, items[m.id], by_meeting.get(m.id)) for m in meetings if m.cohort_id == cohort.id]
        events += [MemberEvent(None, w, [], by_webinar.get(w.id)) for w in webinars if w.cohort_id == cohort.id]
        for event in events:
            event.can_register = event.registration is None and registration_services.is_open(event.event, now)
        page.append((cohort, sorted(events, key=lambda e: e.sort_key)))
    return page


def member_registration_values(member: CohortMember) -> dict | None:
    """What a one-click registration from the member's page says about them: their name (a leading
    "Mayor" is their role), city and state as staff recorded the membership, and their own address
    (the link that opened the page was emailed to it). None without a name to register."""
    words = (member.name or member.person.name or "").split()
    is_mayor = bool(words) and words[0].casefold() == "mayor"
    if is_mayor:
        words = words[1:]
    if not words:
        return None
    return {"first_name": words[0], "last_name": " ".join(words[1:]), "email": member.person.email,
            "role": "mayor" if is_mayor else "other", "title": "Mayor" if is_mayor else "",
            "city": member.city, "state": member.state, "consent": True}


def register_member(member: CohortMember, kind: str, event_id: int,
                    now: datetime | None = None) -> registration_services.Outcome | None:
    """Register the member (opened by their own private link, so their address is proven) for an
    event of their cohorts that they are not registered for, through the normal registration service
    (capacity, waitlist, approval, the confirmation email). None when the event is not one of theirs,
    they are already registered, it is not open, or there is no name to register."""
    now = now or utcnow()
    values = member_registration_values(member)
    for _cohort, events in member_page(member.person_id, now):
        for event in events:
            if event.kind == kind and event.event.id == event_id:
                if not event.can_register or values is None:
                    return None
                try:
                    return registration_services.register(event.event, values, source="web", now=now)
                except registration_services.RegistrationClosed:
                    return None
    return None


def members_registration(person_id: int, registration_id: int) -> Registration | None:
    """One registration of the member for an event of their cohorts ("email me my link" on their page)."""
    for _cohort, events in member_page(person_id):
        for event in events:
            if event.registration is not None and event.registration.id == registration_id:
                return event.registration
    return None


def send_registration_link(person_id: int, registration_id: int) -> Registration | None:
    """The member's "email me my link" for one of their cohort-event registrations: the confirmation
    again, to the registrant's own address. None when it is not theirs."""
    registration = members_registration(person_id, registration_id)
    if registration is not None:
        registration_emails.queue_resend(registration)
    return registration
