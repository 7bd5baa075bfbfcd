"""The pure builders: VTIMEZONEs that three parsers read alike in several zones, the confirmation
email attachments (join link inside), and the add-to-calendar partials' links."""
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template

from mipevents.extensions import db
from mipevents.feeds import events, ics, timezones
from mipevents.registration.models import Registration

HOST = "mipevents.test"
SITE = events.Site(base_url=f"http://{HOST}")


@pytest.mark.parametrize(("zone", "local", "utc"), [
    ("America/New_York", datetime(2025, 3, 9, 3, 30), "2025-03-09T07:30:00Z"),     # just after spring forward
    ("America/New_York", datetime(2025, 11, 2, 1, 30), "2025-11-02T05:30:00Z"),    # the repeated hour: first
    ("America/Chicago", datetime(2025, 11, 3, 12, 0), "2025-11-03T18:00:00Z"),
    ("America/Phoenix", datetime(2025, 7, 1, 9, 0), "2025-07-01T16:00:00Z"),       # no daylight saving
    ("Europe/London", datetime(2025, 3, 30, 9, 0), "2025-03-30T08:00:00Z"),        # last Sunday rule
    ("Australia/Sydney", datetime(2025, 10, 5, 9, 0), "2025-10-04T22:00:00Z"),     # southern hemisphere
])
def test_vtimezone_reads_alike_in_three_parsers(app, make_meeting, make_item, read_feed, zone, local, utc):
    meeting = make_meeting(timezone=zone, starts_on=local.date(), ends_on=local.date())
    item = make_item(meeting, at=local)

    events = read_feed(ics.agenda_calendar(meeting, [item], SITE))

    assert events[f"session-{item.id}@{HOST}"]["start"] == utc


def test_vtimezone_uses_yearly_rules_where_the_zone_has_them():
    text = timezones.vtimezone("America/Chicago", date(2025, 1, 22), date(2025, 11, 3)).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in text


def test_times_are_written_in_utc_where_no_yearly_rule_holds(read_feed, app, make_meeting, make_item):
    # US daylight saving moved in 2007: no single yearly rule covers 2006 and 2008. (The library's
    # list-of-transitions VTIMEZONE was tried here: vobject read it an hour off.)
    meeting = make_meeting(timezone="America/New_York", starts_on=date(2006, 3, 13), ends_on=date(2008, 3, 12))
    early = make_item(meeting, at=datetime(2006, 3, 13, 9, 0))
    late = make_item(meeting, at=datetime(2008, 3, 12, 9, 0))
    body = ics.agenda_calendar(meeting, [early, late], SITE)
    assert b"BEGIN:VTIMEZONE" not in body
    assert b"DTSTART:20080312T130000Z" in body
    events = read_feed(body)
    assert events[f"session-{early.id}@{HOST}"]["start"] == "2006-03-13T14:00:00Z"   # EST: DST began in April
    assert events[f"session-{late.id}@{HOST}"]["start"] == "2008-03-12T13:00:00Z"    # EDT since March 9


def test_the_repeated_hour_is_written_in_utc(app, make_meeting, make_item):
    meeting = make_meeting(timezone="America/New_York", starts_on=date(2025, 11, 2), ends_on=date(2025, 11, 2))
    item = make_item(meeting, at=datetime(2025, 11, 2, 1, 30), minutes=120)
    body = ics.agenda_calendar(meeting, [item], SITE)
    assert b"DTSTART:20251102T053000Z" in body
    assert b"DTEND;TZID=America/New_York:20251102T023000" in body


def _registration(person, webinar=None, meeting=None, status="confirmed"):
    registration = Registration(person_id=person.id, webinar_id=getattr(webinar, "id", None),
                                meeting_id=getattr(meeting, "id", None), status=status, email=person.email)
    db.session.add(registration)
    db.session.flush()
    return registration


def test_webinar_attachment_carries_the_join_link_once_confirmed(app, make_webinar, make_person, read_feed,
                                                                calendar_props):
    webinar = make_webinar(join_url="https://meet.example.org/j/777", starts_at=datetime(2025, 2, 10, 18, 0, tzinfo=UTC),
                           ends_at=datetime(2025, 2, 10, 19, 0, tzinfo=UTC))
    confirmed = _registration(make_person(), webinar)
    waiting = _registration(make_person(), webinar, status="waitlisted")

    body = ics.webinar_attachment(webinar, confirmed)
    tentative = ics.webinar_attachment(webinar, waiting)

    event = read_feed(body)[f"webinar-{webinar.id}@{HOST}"]
    assert (event["status"], event["location"], event["start"]) == (
        "CONFIRMED", "https://meet.example.org/j/777", "2025-02-10T18:00:00Z")
    assert calendar_props(body)["method"] == "PUBLISH"
    assert read_feed(tentative)[f"webinar-{webinar.id}@{HOST}"]["status"] == "TENTATIVE"
    assert b"777" not in tentative


def test_meeting_attachment_is_the_meetings_days(app, make_meeting, make_person, read_feed):
    meeting = make_meeting(starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    registration = _registration(make_person(), meeting=meeting)

    event = read_feed(ics.meeting_attachment(meeting, registration))[f"meeting-{meeting.id}@{HOST}"]

    assert (event["start"], event["end"], event["status"]) == ("2025-01-22", "2025-01-25", "CONFIRMED")
    assert event["location"] == "Conference Center, 1 Main St, Washington, DC"


def test_builders_give_the_same_bytes_for_the_same_data(app, make_meeting, make_item):
    meeting = make_meeting()
    item = make_item(meeting)
    assert ics.agenda_calendar(meeting, [item], SITE) == ics.agenda_calendar(meeting, [item], SITE)


def test_session_partial_links_to_every_calendar(app, make_meeting, make_item):
    meeting = make_meeting(slug="winter-2025", timezone="America/New_York")
    item = make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="Housing & zoning")
    with app.test_request_context():
        html = render_template("feeds/_session_links.html", meeting=meeting, item=item)

    assert f'href="/meetings/winter-2025/sessions/{item.id}.ics" download' in html
    assert ("https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Housing+%26+zoning"
            "&amp;dates=20250122T140000Z%2F20250122T150000Z&amp;ctz=America%2FNew_York") in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose" in html
    assert "startdt=2025-01-22T14%3A00%3A00Z&amp;enddt=2025-01-22T15%3A00%3A00Z" in html
    assert "https://outlook.office.com/calendar/0/deeplink/compose?" in html
    assert 'href="webcal://mipevents.test/meetings/winter-2025/agenda.ics"' in html
    assert ('href="https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fmipevents.test%2Fmeetings'
            '%2Fwinter-2025%2Fagenda.ics"') in html
    assert 'value="http://mipevents.test/meetings/winter-2025/agenda.ics"' in html
    assert f'<label for="agenda-feed-address-{meeting.id}">' in html
    assert f'data-copy-target="agenda-feed-address-{meeting.id}" hidden style="display: none;">' in html


def test_webinar_partial_never_shows_the_join_link(app, make_webinar):
    webinar = make_webinar(slug="budgets", join_url="https://meet.example.org/j/hidden-9",
                           starts_at=datetime(2025, 2, 10, 18, 0, tzinfo=UTC),
                           ends_at=datetime(2025, 2, 10, 18, 0, tzinfo=UTC) + timedelta(hours=1))
    with app.test_request_context():
        html = render_template("feeds/_webinar_links.html", webinar=webinar)

    assert 'href="/webinars/budgets.ics" download' in html
    assert "dates=20250210T180000Z%2F20250210T190000Z&amp;ctz=America%2FChicago" in html
    assert 'href="webcal://mipevents.test/calendar.ics"' in html
    assert "hidden-9" not in html


def test_a_calendar_from_kept_fragments_is_the_calendar_byte_for_byte(app, make_meeting, make_item, make_webinar):
    # Two zones, the spring change, the repeated hour (written in UTC), an all-day event.
    meeting = make_meeting(timezone="America/New_York", starts_on=date(2025, 3, 8), ends_on=date(2025, 11, 2))
    items = [make_item(meeting, at=datetime(2025, 3, 8, 10, 0)), make_item(meeting, at=datetime(2025, 3, 9, 10, 0)),
             make_item(meeting, at=datetime(2025, 11, 2, 1, 30), minutes=120)]
    webinar = make_webinar(starts_at=datetime(2025, 6, 3, 17, 0, tzinfo=UTC))
    subscription = ics.Subscription(name="Mine", description="Private", zone="America/Chicago")

    def built():
        return [*(events.session_event(meeting, item, SITE) for item in items), events.webinar_event(webinar, SITE),
                events.meeting_event(meeting, SITE)]

    expected = ics.calendar(built(), SITE, subscription)
    assembled = ics.calendar_from_fragments([ics.fragment(e) for e in built()], SITE, subscription)

    assert assembled == expected
    assert b"DTSTART:20251102T053000Z" in assembled


def test_fragments_over_years_with_no_yearly_rule_ask_for_a_full_build(app, make_meeting, make_item):
    meeting = make_meeting(timezone="America/New_York", starts_on=date(2006, 3, 13), ends_on=date(2008, 3, 12))
    pieces = [ics.fragment(events.session_event(meeting, make_item(meeting, at=at), SITE))
              for at in (datetime(2006, 3, 13, 9, 0), datetime(2008, 3, 12, 9, 0))]

    assert ics.calendar_from_fragments(pieces[:1], SITE) is not None     # one year alone has its rule
    assert ics.calendar_from_fragments(pieces, SITE) is None
