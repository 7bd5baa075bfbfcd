"""Reading what the public feeds hold, fully loaded (descriptions and speakers' positions go into the
files, which the agenda page's lighter loaders leave out), in a fixed number of queries."""
from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from mipevents.agenda.models import AgendaItem
from mipevents.agenda.publishing import meeting_items
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.speakers.models import SessionSpeaker

PUBLIC = ("published", "cancelled")


def public_sessions(meeting: Meeting) -> list[AgendaItem]:
    """Published and cancelled sessions in start order, with rooms and speakers."""
    return meeting_items(meeting, public_only=True)


def public_session_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.execute(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)
        .options(joinedload(AgendaItem.room),
                 selectinload(AgendaItem.speaker_links).joinedload(SessionSpeaker.speaker))
    ).scalar_one_or_none()
    if item is None or item.status not in PUBLIC:
        abort(404)
    return item
