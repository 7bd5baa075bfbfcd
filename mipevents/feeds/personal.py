"""What one person's calendar feed holds (DESIGN "The personal feed"), read in a fixed number of queries.

For each active meeting registration: the sessions they chose plus the meeting's sessions for
everyone (ALL_ATTENDEE_KINDS); each webinar registration, with its join link once confirmed;
the sessions they speak in; their cohorts' meetings and webinars. Waitlisted and pending
registrations are TENTATIVE without join links; cancelled sessions and events stay, cancelled;
drafts never appear."""
from icalendar import Event
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from mipevents.agenda.models import AgendaItem
from mipevents.cohorts.models import CohortMember
from mipevents.core.vocabulary import ALL_ATTENDEE_KINDS
from mipevents.extensions import db
from mipevents.feeds import ics
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person
from mipevents.registration.models import Registration, SessionChoice
from mipevents.speakers.models import SessionSpeaker, Speaker
from mipevents.webinars.models import Webinar

PUBLIC = ("published", "cancelled")
WAITING = ("waitlisted", "pending")


def _items_query():
    return (select(AgendaItem)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(AgendaItem.status.in_(PUBLIC), Meeting.status.in_(PUBLIC))
            .options(selectinload(AgendaItem.meeting), selectinload(AgendaItem.room),
                     selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker)))


def personal_feed(person: Person, site: ics.Site) -> list[Event]:
    """The person's events, each UID once: a firm place (confirmed, speaking) wins over a tentative one."""
    registrations = list(db.session.execute(
        select(Registration).where(Registration.person_id == person.id,
                                   Registration.status.in_(("confirmed", *WAITING)))
        .options(selectinload(Registration.meeting), selectinload(Registration.webinar))
    ).scalars())
    meeting_regs = {r.meeting_id: r for r in registrations
                    if r.meeting_id is not None and r.meeting.status in PUBLIC}
    webinar_regs = [r for r in registrations if r.webinar_id is not None and r.webinar.status in PUBLIC]

    # Sessions: chosen ones, everyone's sessions of their meetings, and the ones they speak in.
    reg_ids = [r.id for r in meeting_regs.values()]
    chosen = (select(SessionChoice.item_id).where(SessionChoice.registration_id.in_(reg_ids))
              if reg_ids else None)
    speaking = (select(SessionSpeaker.item_id).join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
                .where(Speaker.person_id == person.id))
    conditions = [AgendaItem.id.in_(speaking)]
    if meeting_regs:
        conditions.append(AgendaItem.meeting_id.in_(list(meeting_regs)) & AgendaItem.kind.in_(ALL_ATTENDEE_KINDS))
        conditions.append(AgendaItem.id.in_(chosen))
    items = list(db.session.execute(_items_query().where(or_(*conditions))).scalars())
    speaking_ids = set(db.session.execute(speaking).scalars())

    # Cohort events: meetings and webinars of the cohorts they belong to.
    cohort_ids = select(CohortMember.cohort_id).where(CohortMember.person_id == person.id)
    cohort_meetings = list(db.session.execute(
        select(Meeting).where(Meeting.cohort_id.in_(cohort_ids), Meeting.status.in_(PUBLIC))).scalars())
    cohort_webinars = list(db.session.execute(
        select(Webinar).where(Webinar.cohort_id.in_(cohort_ids), Webinar.status.in_(PUBLIC))).scalars())

    chosen_uids: dict[str, tuple[int, Event]] = {}   # uid -> (rank, event); a lower rank wins

    def offer(rank: int, event: Event) -> None:
        key = str(event["uid"])
        if key not in chosen_uids or rank < chosen_uids[key][0]:
            chosen_uids[key] = (rank, event)

    for item in items:
        registration = meeting_regs.get(item.meeting_id)
        firm = item.id in speaking_ids or (registration is not None and registration.status == "confirmed")
        offer(0 if firm else 1, ics.session_event(item.meeting, item, site, tentative=not firm))
    for registration in webinar_regs:
        waiting = registration.status in WAITING
        offer(1 if waiting else 0, ics.webinar_event(registration.webinar, site, join=True, tentative=waiting))
    for webinar in cohort_webinars:
        offer(2, ics.webinar_event(webinar, site))
    for meeting in cohort_meetings:
        offer(2, ics.meeting_event(meeting, site))

    events = [event for _, event in chosen_uids.values()]
    events.sort(key=lambda e: (e.decoded("dtstart").isoformat(), str(e["uid"])))
    return events
