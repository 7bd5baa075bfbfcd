"""public_deadlines(): the call deadlines the organisation-wide feed carries."""
from datetime import timedelta

from mipevents.calls import services
from mipevents.extensions import db


def test_public_deadlines_are_published_calls_with_absolute_links(app, make_call):
    call = make_call(title="Third cohort")
    make_call(status="draft")
    db.session.flush()
    deadlines = services.public_deadlines()
    assert [(d.uid_key, d.title, d.deadline_at, d.zone, d.url, d.sequence) for d in deadlines] == [
        (f"call-{call.id}-deadline", "Deadline: Third cohort", call.deadline_at, "America/Chicago",
         f"http://mipevents.test/calls/{call.slug}/", 0)]


def test_moving_a_published_deadline_raises_its_sequence(app, make_call):
    call = make_call()
    services.save_call(call, {"deadline_at": call.deadline_at + timedelta(days=2)}, actor=None)
    services.save_call(call, {"description": "Clearer words."}, actor=None)
    assert services.public_deadlines()[0].sequence == 1
