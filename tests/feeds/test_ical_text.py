"""Calendars no data can break: whatever a title, name or description holds, the file is valid
RFC 5545 that three parsers read alike, and no text can start a line of its own."""
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from mipevents.extensions import db
from mipevents.feeds import ics
from mipevents.feeds.ical_text import Event, calendar_text
from mipevents.people.services import mint_token, person_for_email
from mipevents.registration.models import Registration

HOST = "mipevents.test"
SITE = ics.Site(base_url=f"http://{HOST}")

# What an attacker or a careless paste puts in a title: a calendar of its own, line breaks of every
# kind, the characters TEXT escapes, controls RFC 5545 forbids, emoji and right-to-left text.
INJECTION = "Eve\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\rSUMMARY:owned\nX"
NASTY = [INJECTION, "a;b,c\\d:e\"f", "bell\x07 del\x7f esc\x1b", "مرحبا 👋🏽 \u200fשלום", "x" * 5000]

# A content line: a name, parameters, a colon and a value without a control character (RFC 5545 3.1),
# after unfolding. Tabs are allowed.
CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+(;[^\x00-\x08\x0a-\x1f\x7f]*)?:[^\x00-\x08\x0a-\x1f\x7f]*$")


def _lines(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _assert_valid(body: bytes) -> None:
    lines = _lines(body)
    assert [line for line in lines if not CONTENT_LINE.match(line)] == []
    begins = [line for line in lines if line.startswith("BEGIN:")]
    assert begins.count("BEGIN:VCALENDAR") == 1


def test_calendar_text_keeps_newlines_and_drops_what_rfc_5545_forbids():
    assert calendar_text("a\r\nb\rc\nd\x00e\x07f\x7fg\th\ud800i") == "a\nb\nc\nde" + "fg\thi"


def test_an_event_with_nul_surrogates_and_line_breaks_in_every_text_property_is_valid(read_feed):
    event = Event()
    event.add("uid", "x@mipevents.test")
    event.add("dtstart", datetime(2025, 1, 22, 15, tzinfo=UTC))
    event.add("dtend", datetime(2025, 1, 22, 16, tzinfo=UTC))
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    event.add("summary", "A\x00B\ud800C\r\nBEGIN:VEVENT")
    event.add("location", "Room\r1")
    event.add("description", "one\r\ntwo\x00")
    event.add("categories", ["Panel\r\nX", "a,b"])
    subscription = ics.Subscription(name="Eve\r\nBEGIN:VEVENT\x00", description="x\ry\ud800", zone="UTC")

    body = ics.calendar([event], SITE, subscription)

    _assert_valid(body)
    assert b"X-WR-CALNAME:Eve BEGIN:VEVENT\r\n" in body
    assert b"X-WR-CALDESC:x y\r\n" in body
    assert read_feed(body)["x@mipevents.test"]["summary"] == "ABC\nBEGIN:VEVENT"


@pytest.mark.parametrize("nasty", NASTY)
def test_the_public_agenda_feed_stays_valid_whatever_the_text(client, make_meeting, make_item, make_room, read_feed,
                                                              nasty):
    meeting = make_meeting(name=nasty[:200], venue=nasty[:200], address=nasty[:300], description=nasty)
    room = make_room(meeting, nasty[:120])
    item = make_item(meeting, title=nasty[:300], description=nasty, track=nasty[:80], room=room)
    db.session.commit()

    response = client.get(f"/meetings/{meeting.slug}/agenda.ics")

    assert response.status_code == 200
    _assert_valid(response.data)
    event = read_feed(response.data)[f"session-{item.id}@{HOST}"]
    assert event["summary"] == calendar_text(nasty[:300])
    assert event["location"] == ", ".join(calendar_text(v) for v in (nasty[:120], nasty[:200], nasty[:300]))


def test_a_person_named_with_a_calendar_inside_keeps_a_working_personal_feed(client, make_meeting, make_item,
                                                                            make_webinar, read_feed):
    person = person_for_email("eve@example.org", INJECTION)
    webinar = make_webinar(title=INJECTION[:200], description=INJECTION, presenters=INJECTION[:500])
    db.session.add(Registration(webinar_id=webinar.id, person_id=person.id, email=person.email,
                                first_name=INJECTION[:100], last_name="Example", status="confirmed"))
    token = mint_token(person, "feed")
    db.session.commit()

    first = client.get(f"/calendar/{token}.ics")
    again = client.get(f"/calendar/{token}.ics")   # the second is put together from kept fragments

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.data == again.data
    _assert_valid(first.data)
    events = read_feed(first.data)
    assert events[f"webinar-{webinar.id}@{HOST}"]["summary"] == calendar_text(INJECTION[:200])


def test_the_org_feed_and_a_meeting_attachment_stay_valid(client, make_meeting, make_webinar, read_feed):
    meeting = make_meeting(name=INJECTION, description=INJECTION, starts_on=date.today() + timedelta(days=30),
                           ends_on=date.today() + timedelta(days=31))
    make_webinar(title=INJECTION[:200], description=INJECTION)
    db.session.commit()

    response = client.get("/calendar.ics")

    assert response.status_code == 200
    _assert_valid(response.data)
    assert read_feed(response.data)[f"meeting-{meeting.id}@{HOST}"]["summary"] == calendar_text(INJECTION)
    _assert_valid(ics.meeting_attachment(meeting, Registration(status="confirmed"), SITE))
