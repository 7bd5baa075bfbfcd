"""Showcase fixtures: a showcase session with presenters."""
from datetime import datetime

import pytest


@pytest.fixture
def make_showcase(app, make_meeting, make_item):
    """make_showcase(meeting=None, presenters=3, minutes=45, **item) -> (meeting, item, slots)."""
    from mipevents.extensions import db
    from mipevents.showcase.models import ShowcaseSlot

    def factory(meeting=None, presenters=3, minutes=45, statuses=None, **over):
        meeting = meeting or make_meeting()
        at = over.pop("at", datetime(meeting.starts_on.year, meeting.starts_on.month, meeting.starts_on.day, 10, 45))
        item = make_item(meeting, at=at, minutes=minutes, kind="showcase", title="Innovation Showcase", **over)
        slots = []
        for n in range(presenters):
            status = statuses[n] if statuses else "published"
            slot = ShowcaseSlot(item_id=item.id, presenter_name=f"Mayor Number {n + 1}", city=f"City {n + 1}", state="WI",
                                title=f"Idea {n + 1}", summary=f"Summary {n + 1}", topic="Housing" if n % 2 == 0 else "Climate",
                                position=n, status=status)
            db.session.add(slot)
            slots.append(slot)
        db.session.flush()
        return meeting, item, slots
    return factory
