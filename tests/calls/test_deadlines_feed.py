"""public_deadlines(): the call deadlines the organisation-wide feed carries."""
from datetime import timedelta

from mipevents.calls import queries, services
from mipevents.extensions import db


def test_public_deadlines_are_published_calls_with_absolute_links(app, make_call):
    call = make_call(title="Third cohort")
    make_call(status="draft")
    db.session.flush()
    deadlines = queries.public_deadlines()
    assert [(d.uid_key, d.title, d.deadline_at, d.zone, d.url, d.sequence) for d in deadlines] == [
        (f"call-{call.id}-deadline", "Deadline: Third cohort", call.deadline_at, "America/Chicago",
         f"http://mipevents.test/calls/{call.slug}/", 0)]


def test_moving_a_published_deadline_raises_its_sequence(app, make_call):
    call = make_call()
    services.save_call(call, {"deadline_at": call.deadline_at + timedelta(days=2)}, actor=None)
    services.save_call(call, {"description": "Clearer words."}, actor=None)
    assert queries.public_deadlines()[0].sequence == 1


def test_the_org_feed_carries_the_deadline_in_its_zone(client, make_call):
    from icalendar import Calendar

    call = make_call(title="Third cohort")
    call.deadline_at = call.deadline_at.replace(microsecond=0)   # calendars keep whole seconds
    db.session.commit()
    feed = Calendar.from_ical(client.get("/calendar.ics").data)
    events = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith(f"call-{call.id}-deadline@")]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == call.deadline_at
    assert str(events[0]["summary"]) == "Deadline: Third cohort"
