"""Reading what the public feeds hold, fully loaded, in a fixed number of queries."""
from mipevents.agenda.models import AgendaItem
from mipevents.agenda.publishing import meeting_items
from mipevents.meetings.models import Meeting


def public_sessions(meeting: Meeting) -> list[AgendaItem]:
    """Published and cancelled sessions in start order, with rooms and speakers."""
    return meeting_items(meeting, public_only=True)
