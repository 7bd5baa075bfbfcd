"""The calendar routes: what each feed holds, read back by three parsers; DST; cancellations;
SEQUENCE and UID stability; join-link privacy; drafts and cohort-only events; tokens; HTTP caching."""
from datetime import UTC, date, datetime, timedelta

from mipevents.cohorts.models import Cohort, CohortMember, Programme
from mipevents.core.timeutil import wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.services import touch
from mipevents.people.services import mint_token, reset_token
from mipevents.registration.models import Registration, SessionChoice

HOST = "mipevents.test"


def _dst_meeting(make_meeting, **over):
    """A meeting across the spring change: clocks in New York go forward on 2025-03-09."""
    return make_meeting(starts_on=date(2025, 3, 8), ends_on=date(2025, 3, 10), timezone="America/New_York", **over)


def test_agenda_feed_reads_the_same_in_three_parsers_across_the_spring_change(
        client, make_meeting, make_item, make_room, make_speaker, read_feed, calendar_props):
    meeting = _dst_meeting(make_meeting, name="Spring Academy", venue="Civic Center", address="1 Main St")
    room = make_room(meeting, "Room A")
    mayor = make_speaker(name="Ana Ruiz", honorific="Mayor", position="Mayor of Tacoma, WA")
    before = make_item(meeting, at=datetime(2025, 3, 8, 10, 0), title="Saturday panel", room=room,
                       speakers=[(mayor, "moderator")], track="Housing", press_status="chatham_house")
    after = make_item(meeting, at=datetime(2025, 3, 9, 10, 0), title="Sunday plenary", kind="plenary")
    make_item(meeting, at=datetime(2025, 3, 9, 12, 0), title="Secret draft", status="draft")
    db.session.commit()

    response = client.get(f"/meetings/{meeting.slug}/agenda.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'inline; filename="{meeting.slug}-agenda.ics"'
    events = read_feed(response.data)
    assert sorted(events) == [f"session-{before.id}@{HOST}", f"session-{after.id}@{HOST}"]
    saturday = events[f"session-{before.id}@{HOST}"]
    sunday = events[f"session-{after.id}@{HOST}"]
    assert (saturday["start"], saturday["end"]) == ("2025-03-08T15:00:00Z", "2025-03-08T16:00:00Z")   # EST
    assert (sunday["start"], sunday["end"]) == ("2025-03-09T14:00:00Z", "2025-03-09T15:00:00Z")       # EDT
    assert saturday["status"] == "CONFIRMED"
    assert saturday["sequence"] == 0
    assert saturday["location"] == "Room A, Civic Center, 1 Main St"
    assert saturday["url"] == f"http://{HOST}/meetings/{meeting.slug}/sessions/{before.id}"
    assert saturday["description"] == (
        "Speakers:\nMayor Ana Ruiz (Moderator), Mayor of Tacoma, WA\n\nPress: Chatham House rule\n\n"
        f"Spring Academy\nhttp://{HOST}/meetings/{meeting.slug}/sessions/{before.id}")
    props = calendar_props(response.data)
    assert props == {"version": "2.0", "prodid": "-//Mayors Innovation Project//mipevents//EN",
                     "calscale": "GREGORIAN", "method": "PUBLISH", "x-wr-calname": "Spring Academy agenda",
                     "x-wr-caldesc": f"Sessions of Spring Academy · March 8–10, 2025 · Washington, DC. "
                                     f"http://{HOST}/meetings/{meeting.slug}/",
                     "x-wr-timezone": "America/New_York", "refresh-interval": "PT1H", "x-published-ttl": "PT1H",
                     "timezones": ["America/New_York"]}
    body = response.get_data(as_text=True)
    assert "DTSTART;TZID=America/New_York:20250309T100000" in body
    assert "CATEGORIES:Panel,Housing" in body
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body


def test_agenda_feed_follows_the_agenda_filters(client, make_meeting, make_item, read_feed):
    meeting = _dst_meeting(make_meeting)
    panel = make_item(meeting, at=datetime(2025, 3, 8, 9, 0), kind="panel", track="Housing")
    make_item(meeting, at=datetime(2025, 3, 8, 11, 0), kind="workshop", track="Climate")
    late = make_item(meeting, at=datetime(2025, 3, 9, 9, 0), kind="panel", track="Climate")
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"

    assert sorted(read_feed(client.get(url + "?kind=panel").data)) == sorted(
        [f"session-{panel.id}@{HOST}", f"session-{late.id}@{HOST}"])
    assert list(read_feed(client.get(url + "?day=2025-03-09").data)) == [f"session-{late.id}@{HOST}"]
    assert list(read_feed(client.get(url + "?track=housing").data)) == [f"session-{panel.id}@{HOST}"]
    assert list(read_feed(client.get(url + "?kind=panel&track=Climate").data)) == [f"session-{late.id}@{HOST}"]
    assert client.get(url + "?kind=banquet").status_code == 400
    assert client.get(url + "?day=2025-04").status_code == 400
    for nothing in ("?day=2025-04-01", "?track=Nowhere"):   # a filter that matches nothing: an empty calendar
        response = client.get(url + nothing)
        assert (response.status_code, read_feed(response.data)) == (200, {})


def test_session_file_is_a_download_of_that_one_session(client, make_meeting, make_item, read_feed):
    meeting = _dst_meeting(make_meeting)
    item = make_item(meeting, at=datetime(2025, 3, 9, 10, 0))
    make_item(meeting, at=datetime(2025, 3, 9, 12, 0))
    db.session.commit()

    response = client.get(f"/meetings/{meeting.slug}/sessions/{item.id}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{meeting.slug}-session-{item.id}.ics"'
    assert list(read_feed(response.data)) == [f"session-{item.id}@{HOST}"]
    assert b"X-WR-CALNAME" not in response.data   # a download, not a subscription


def test_drafts_and_cohort_only_events_are_in_no_public_feed(client, make_meeting, make_item, make_webinar):
    draft = make_meeting(status="draft")
    draft_item = make_item(draft)
    published = make_meeting()
    draft_session = make_item(published, status="draft")
    cohort = _cohort()
    private = make_meeting(cohort_id=cohort.id)
    private_item = make_item(private)
    make_webinar(slug="draft-webinar", status="draft")
    make_webinar(slug="cohort-webinar", cohort_id=cohort.id)
    db.session.commit()

    assert client.get(f"/meetings/{draft.slug}/agenda.ics").status_code == 404
    assert client.get(f"/meetings/{draft.slug}/sessions/{draft_item.id}.ics").status_code == 404
    assert client.get(f"/meetings/{published.slug}/sessions/{draft_session.id}.ics").status_code == 404
    assert client.get(f"/meetings/{private.slug}/agenda.ics").status_code == 404
    assert client.get(f"/meetings/{private.slug}/sessions/{private_item.id}.ics").status_code == 404
    assert client.get(f"/meetings/{published.slug}/sessions/{private_item.id}.ics").status_code == 404
    assert client.get("/webinars/draft-webinar.ics").status_code == 404
    assert client.get("/webinars/cohort-webinar.ics").status_code == 404
    org = client.get("/calendar.ics").get_data(as_text=True)
    assert f"meeting-{published.id}@" in org
    for hidden in (f"meeting-{draft.id}@", f"meeting-{private.id}@", "Webinar draft", "cohort-webinar"):
        assert hidden not in org


def _cohort():
    programme = Programme(slug="wmn", name="Women Mayors' Network")
    db.session.add(programme)
    db.session.flush()
    cohort = Cohort(programme_id=programme.id, slug="wmn-2025", name="2025 cohort", status="published")
    db.session.add(cohort)
    db.session.flush()
    return cohort


def _first_monday_of_november(year):
    day = date(year, 11, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def test_webinar_file_keeps_noon_central_across_the_autumn_change_and_never_holds_the_join_link(
        client, make_webinar, read_feed):
    monday = _first_monday_of_november(2025)
    assert monday == date(2025, 11, 3)   # the day after clocks go back in Chicago
    starts = wall_clock_to_utc(monday, datetime(2025, 1, 1, 12, 0).time(), "America/Chicago")
    webinar = make_webinar(slug="housing-101", title="Housing 101", starts_at=starts,
                           ends_at=starts + timedelta(hours=1), timezone="America/Chicago",
                           join_url="https://meet.example.org/j/secret-42", presenters="Mayor Kim Norton")
    october = make_webinar(slug="october", starts_at=datetime(2025, 10, 27, 17, 0, tzinfo=UTC),
                           ends_at=datetime(2025, 10, 27, 18, 0, tzinfo=UTC), timezone="America/Chicago")
    db.session.commit()

    response = client.get("/webinars/housing-101.ics")
    earlier = client.get("/webinars/october.ics")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="housing-101.ics"'
    events = read_feed(response.data)
    event = events[f"webinar-{webinar.id}@{HOST}"]
    assert (event["start"], event["end"]) == ("2025-11-03T18:00:00Z", "2025-11-03T19:00:00Z")   # 12 PM CST
    assert event["location"] == "Online"
    assert b"DTSTART;TZID=America/Chicago:20251103T120000" in response.data
    assert read_feed(earlier.data)[f"webinar-{october.id}@{HOST}"]["start"] == "2025-10-27T17:00:00Z"   # 12 PM CDT
    assert b"DTSTART;TZID=America/Chicago:20251027T120000" in earlier.data
    assert b"secret-42" not in response.data
    assert b"meet.example.org" not in response.data
    assert b"meet.example.org" not in client.get("/calendar.ics").data


def test_org_feed_holds_meetings_as_all_day_events_webinars_and_deadlines(
        client, make_meeting, make_webinar, read_feed):
    meeting = make_meeting(name="Winter Meeting", starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    webinar = make_webinar(join_url="https://meet.example.org/j/private")
    call = _call(meeting)
    db.session.commit()

    response = client.get("/calendar.ics")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'inline; filename="calendar.ics"'
    events = read_feed(response.data)
    day = events[f"meeting-{meeting.id}@{HOST}"]
    assert (day["start"], day["end"]) == ("2025-01-22", "2025-01-25")   # the end date is exclusive
    assert b"DTSTART;VALUE=DATE:20250122" in response.data
    assert b"DTEND;VALUE=DATE:20250125" in response.data
    assert events[f"webinar-{webinar.id}@{HOST}"]["location"] == "Online"
    if call is not None:
        deadline = events[f"call-{call.id}-deadline@{HOST}"]
        assert (deadline["start"], deadline["end"]) == ("2025-03-01T05:59:00Z", None)   # 11:59 PM CST
        assert deadline["summary"] == f"Deadline: {call.title}"
    assert b"private" not in response.data


def _call(meeting):
    """A published call when the calls area is installed (its deadline goes into /calendar.ics)."""
    try:
        from mipevents.calls.models import Call
    except ImportError:
        return None
    deadline = wall_clock_to_utc(date(2025, 2, 28), datetime(2025, 1, 1, 23, 59).time(), "America/Chicago")
    call = Call(slug="showcase-2025", title="Showcase proposals", kind="showcase",
                opens_at=deadline - timedelta(days=30), deadline_at=deadline, timezone="America/Chicago",
                status="published", meeting_id=meeting.id)
    db.session.add(call)
    db.session.flush()
    return call


def test_cancelled_session_and_meeting_stay_in_feeds_as_cancelled_with_a_higher_sequence(
        client, make_meeting, make_item, read_feed):
    meeting = make_meeting()
    item = make_item(meeting, title="Transit panel")
    other = make_item(meeting, at=datetime(2025, 1, 22, 11, 0))
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"
    uid = f"session-{item.id}@{HOST}"
    assert read_feed(client.get(url).data)[uid]["status"] == "CONFIRMED"

    item.status = "cancelled"
    item.sequence += 1          # as the staff edit does for every published change of status
    touch(meeting)
    db.session.commit()
    events = read_feed(client.get(url).data)

    assert (events[uid]["status"], events[uid]["sequence"], events[uid]["summary"]) == (
        "CANCELLED", 1, "Cancelled: Transit panel")
    assert events[f"session-{other.id}@{HOST}"]["status"] == "CONFIRMED"

    meeting.status = "cancelled"
    meeting.sequence += 1
    touch(meeting)
    db.session.commit()
    events = read_feed(client.get(url).data)
    assert {uid: (e["status"], e["sequence"]) for uid, e in events.items()} == {
        uid: ("CANCELLED", 2), f"session-{other.id}@{HOST}": ("CANCELLED", 1)}
    assert read_feed(client.get("/calendar.ics").data)[f"meeting-{meeting.id}@{HOST}"]["status"] == "CANCELLED"


def test_conditional_get_answers_304_without_rebuilding_and_head_works(
        client, make_meeting, make_item, count_queries):
    meeting = make_meeting()
    make_item(meeting)
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"
    first = client.get(url)
    etag = first.headers["ETag"]

    with count_queries() as queries:
        again = client.get(url, headers={"If-None-Match": etag})
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    head = client.head(url)

    assert again.status_code == 304
    assert again.data == b""
    assert queries.count == 0          # the meeting's head is cached: no query, nothing built
    assert since.status_code == 304
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == etag
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"

    touch(meeting)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_webinar_and_org_feeds_answer_304_to_their_etag(client, make_webinar, make_meeting):
    webinar = make_webinar(slug="w304")
    make_meeting()
    db.session.commit()
    for url in ("/webinars/w304.ics", "/calendar.ics"):
        etag = client.get(url).headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.head(url).status_code == 200
    etag = client.get("/webinars/w304.ics").headers["ETag"]
    webinar.title = "Renamed"
    webinar.sequence += 1
    webinar.version += 1
    db.session.commit()
    assert client.get("/webinars/w304.ics", headers={"If-None-Match": etag}).status_code == 200


# ------------------------------------------------------------------------------------ personal feed

def _register(person, *, meeting=None, webinar=None, status="confirmed"):
    registration = Registration(person_id=person.id, meeting_id=getattr(meeting, "id", None),
                                webinar_id=getattr(webinar, "id", None), status=status,
                                first_name="Pat", last_name="Example", email=person.email)
    db.session.add(registration)
    db.session.flush()
    return registration


def test_personal_feed_holds_what_design_says_and_nothing_else(
        client, make_person, make_meeting, make_item, make_webinar, make_speaker, read_feed):
    person = make_person(email="mayor@city.gov", name="Kim Norton")
    meeting = _dst_meeting(make_meeting)
    plenary = make_item(meeting, at=datetime(2025, 3, 8, 9, 0), kind="plenary")
    reception = make_item(meeting, at=datetime(2025, 3, 8, 18, 0), kind="reception")
    chosen = make_item(meeting, at=datetime(2025, 3, 9, 10, 0), kind="workshop")
    skipped = make_item(meeting, at=datetime(2025, 3, 9, 10, 0), kind="workshop")
    cancelled = make_item(meeting, at=datetime(2025, 3, 9, 14, 0), kind="plenary", status="cancelled", sequence=1)
    draft = make_item(meeting, at=datetime(2025, 3, 9, 15, 0), kind="plenary", status="draft")
    registration = _register(person, meeting=meeting)
    db.session.add(SessionChoice(registration_id=registration.id, item_id=chosen.id))
    db.session.add(SessionChoice(registration_id=registration.id, item_id=draft.id))

    confirmed = make_webinar(join_url="https://meet.example.org/j/confirmed-1")
    waiting = make_webinar(join_url="https://meet.example.org/j/waiting-2")
    gone = make_webinar(join_url="https://meet.example.org/j/gone-3")
    _register(person, webinar=confirmed)
    _register(person, webinar=waiting, status="waitlisted")
    _register(person, webinar=gone, status="cancelled")

    elsewhere = make_meeting()   # not registered there, but speaking
    speaker = make_speaker(email="mayor@city.gov")
    talk = make_item(elsewhere, speakers=[(speaker, "keynote")])
    make_item(elsewhere, kind="plenary")   # their meeting's plenaries come only with a registration

    cohort = _cohort()
    db.session.add(CohortMember(cohort_id=cohort.id, person_id=person.id, name="Mayor Kim Norton"))
    cohort_webinar = make_webinar(cohort_id=cohort.id, join_url="https://meet.example.org/j/cohort-4")
    cohort_meeting = make_meeting(cohort_id=cohort.id)
    make_webinar(cohort_id=_cohort_other().id)
    token = mint_token(person, "feed")
    db.session.commit()

    response = client.get(f"/calendar/{token}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="my-schedule.ics"'
    assert response.headers["Cache-Control"] == "private, max-age=0, must-revalidate"
    events = read_feed(response.data)
    status = {uid: e["status"] for uid, e in events.items()}
    assert status == {
        f"session-{plenary.id}@{HOST}": "CONFIRMED", f"session-{reception.id}@{HOST}": "CONFIRMED",
        f"session-{chosen.id}@{HOST}": "CONFIRMED", f"session-{cancelled.id}@{HOST}": "CANCELLED",
        f"webinar-{confirmed.id}@{HOST}": "CONFIRMED", f"webinar-{waiting.id}@{HOST}": "TENTATIVE",
        f"session-{talk.id}@{HOST}": "CONFIRMED",
        f"webinar-{cohort_webinar.id}@{HOST}": "CONFIRMED", f"meeting-{cohort_meeting.id}@{HOST}": "CONFIRMED",
    }
    assert f"session-{skipped.id}@{HOST}" not in events
    assert events[f"webinar-{confirmed.id}@{HOST}"]["location"] == "https://meet.example.org/j/confirmed-1"
    assert "Join: https://meet.example.org/j/confirmed-1" in events[f"webinar-{confirmed.id}@{HOST}"]["description"]
    assert b"waiting-2" not in response.data
    assert b"gone-3" not in response.data
    assert b"cohort-4" not in response.data   # a member who has not registered gets no join link
    assert events[f"session-{chosen.id}@{HOST}"]["start"] == "2025-03-09T14:00:00Z"


def _cohort_other():
    programme = Programme(slug="other", name="Other programme")
    db.session.add(programme)
    db.session.flush()
    cohort = Cohort(programme_id=programme.id, slug="other-2025", name="Other", status="published")
    db.session.add(cohort)
    db.session.flush()
    return cohort


def test_waitlisted_meeting_registration_is_tentative_until_confirmed(
        client, make_person, make_meeting, make_item, read_feed):
    person = make_person()
    meeting = make_meeting()
    plenary = make_item(meeting, kind="plenary")
    registration = _register(person, meeting=meeting, status="waitlisted")
    token = mint_token(person, "feed")
    db.session.commit()
    url = f"/calendar/{token}.ics"
    first = client.get(url)
    assert read_feed(first.data)[f"session-{plenary.id}@{HOST}"]["status"] == "TENTATIVE"

    registration.status = "confirmed"
    db.session.commit()
    second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert second.status_code == 200
    assert read_feed(second.data)[f"session-{plenary.id}@{HOST}"]["status"] == "CONFIRMED"


def test_personal_feed_token_revoked_or_unknown_answers_404_and_conditional_get_works(
        client, make_person, make_webinar):
    person = make_person()
    webinar = make_webinar()
    _register(person, webinar=webinar)
    old = mint_token(person, "feed")
    manage = mint_token(person, "manage")
    db.session.commit()
    response = client.get(f"/calendar/{old}.ics")
    assert response.status_code == 200
    assert client.get(f"/calendar/{old}.ics", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    head = client.head(f"/calendar/{old}.ics")
    assert (head.status_code, head.data, head.headers["ETag"]) == (200, b"", response.headers["ETag"])

    new = reset_token(person, "feed")
    db.session.commit()

    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.get(f"/calendar/{manage}.ics").status_code == 404      # another purpose
    assert client.get("/calendar/not-a-token.ics").status_code == 404


# ------------------------------------------------------------------------------------ UIDs and SEQUENCE

def test_uids_stay_and_sequence_rises_across_edits_and_reimports(app, client, read_feed):
    from mipevents.workflows.importer import import_meeting
    from tests.workflows.test_importer import dataset

    data = dataset("small")
    meeting = import_meeting(data).meeting
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"
    before = read_feed(client.get(url).data)
    assert len(before) == len(data["sessions"])

    import_meeting(dataset("small"))          # unchanged: same file, same feed
    db.session.commit()
    assert read_feed(client.get(url).data) == before

    moved = dict(data["sessions"][0])
    moved["start"] = (datetime.fromisoformat(moved["start"]) + timedelta(hours=1)).isoformat()
    data["sessions"][0] = moved
    import_meeting(data)
    db.session.commit()
    after = read_feed(client.get(url).data)

    assert sorted(after) == sorted(before)
    changed = [uid for uid in after if after[uid] != before[uid]]
    assert len(changed) == 1
    uid = changed[0]
    assert after[uid]["sequence"] == before[uid]["sequence"] + 1
    shift = (datetime.fromisoformat(after[uid]["start"].replace("Z", "+00:00"))
             - datetime.fromisoformat(before[uid]["start"].replace("Z", "+00:00")))
    assert shift == timedelta(hours=1)


def test_webinar_file_and_page_routes_do_not_shadow_each_other(client, make_webinar):
    make_webinar(slug="budgets")
    db.session.commit()
    assert client.get("/webinars/budgets.ics").headers["Content-Type"] == "text/calendar; charset=utf-8"
    page = client.get("/webinars/budgets/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    html = page.get_data(as_text=True)
    assert 'href="/webinars/budgets.ics" download' in html   # the page includes feeds/_webinar_links.html
    assert "meet.example.org" not in html


def test_personal_feed_reads_a_fixed_number_of_rows_whatever_it_holds(
        client, make_person, make_meeting, make_item, make_webinar, count_queries):
    def feed_queries(webinars, sessions):
        person = make_person()
        meeting = make_meeting()
        registration = _register(person, meeting=meeting)
        for n in range(sessions):
            item = make_item(meeting, at=datetime(2025, 1, 22, 8 + n, 0), kind="workshop")
            db.session.add(SessionChoice(registration_id=registration.id, item_id=item.id))
        for _ in range(webinars):
            _register(person, webinar=make_webinar())
        token = mint_token(person, "feed")
        db.session.commit()
        with count_queries() as queries:
            assert client.get(f"/calendar/{token}.ics").status_code == 200
        return queries.count

    assert feed_queries(webinars=1, sessions=1) == feed_queries(webinars=6, sessions=6)


def test_personal_feed_changes_when_a_session_is_unpicked_even_for_if_modified_since(
        client, make_person, make_meeting, make_item, read_feed):
    person = make_person()
    meeting = make_meeting()
    item = make_item(meeting, kind="workshop")
    registration = _register(person, meeting=meeting)
    choice = SessionChoice(registration_id=registration.id, item_id=item.id)
    db.session.add(choice)
    token = mint_token(person, "feed")
    db.session.commit()
    first = client.get(f"/calendar/{token}.ics")
    assert list(read_feed(first.data)) == [f"session-{item.id}@{HOST}"]
    assert "Last-Modified" not in first.headers

    db.session.delete(choice)
    db.session.commit()
    again = client.get(f"/calendar/{token}.ics", headers={"If-Modified-Since": "Sun, 01 Jan 2090 00:00:00 GMT"})

    assert again.status_code == 200
    assert read_feed(again.data) == {}


def test_filtered_agenda_page_offers_a_feed_of_just_what_it_shows(client, make_meeting, make_item):
    meeting = _dst_meeting(make_meeting, slug="spring")
    make_item(meeting, kind="panel", track="Housing")
    make_item(meeting, at=datetime(2025, 3, 8, 11, 0), kind="workshop")
    db.session.commit()
    page = client.get("/meetings/spring/agenda?kind=panel")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="webcal://mipevents.test/meetings/spring/agenda.ics?kind=panel"' in html
    assert 'href="webcal://mipevents.test/meetings/spring/agenda.ics"' in html
