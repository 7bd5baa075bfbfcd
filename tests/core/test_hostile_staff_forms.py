"""Property tests: hostile values into a set of staff forms (a session, a webinar, a message to
registrants, a cohort member, a call) and the public call application never make a 5xx, and what is
accepted reads back exactly as the text rule kept it: on its page, in its calendar feed, in its CSV."""
import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import event, given
from hypothesis import strategies as st
from icalendar import Calendar
from markupsafe import escape
from sqlalchemy import select

from mipevents.calls.models import Application, Call
from mipevents.cohorts.models import CohortMember
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration.models import Registration
from tests.support.hostile import PROPERTY, csv_cell, csv_rows, days, email, form_body, kept, numbers, spoiled, text

_unique = iter(range(1, 10**6))


def _post(client, url, values):
    return client.post(url, data=form_body(values), content_type="application/x-www-form-urlencoded")


def _event(summary_of, body: bytes, uid: str):
    events = {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    return summary_of(events[uid])


@PROPERTY
@given(st.data())
def test_a_published_session_edited_with_hostile_values_reads_back_on_its_page_and_in_the_feed(
        client, login_as, make_meeting, make_item, data):
    if not hasattr(client, "item"):
        meeting = make_meeting(starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
        client.item = make_item(meeting)
        db.session.commit()
        login_as("staff")
    item = client.item
    values = {"kind": "panel", "title": data.draw(text(), label="title"), "description": data.draw(text(), label="description"),
              "day": data.draw(days(), label="day"), "starts": "09:00", "ends": "10:00", "room_id": "0",
              "track": data.draw(text(), label="track"), "capacity": data.draw(numbers(), label="capacity"),
              "press_status": "open"}

    response = _post(client, f"/staff/sessions/{item.id}/edit", values)

    event(f"answered {response.status_code}")
    assert response.status_code in (303, 422)
    db.session.refresh(item)
    if response.status_code == 422:
        return
    assert (item.title, item.description, item.track) == (
        kept(values["title"]), kept(values["description"], multiline=True), kept(values["track"]))
    slug = item.meeting.slug
    page = client.get(f"/meetings/{slug}/sessions/{item.id}").get_data(as_text=True)
    assert str(escape(item.title)) in page
    feed = client.get(f"/meetings/{slug}/agenda.ics")
    assert feed.status_code == 200
    assert _event(lambda e: str(e["summary"]), feed.data, f"session-{item.id}@mipevents.test") == item.title


@PROPERTY
@given(st.data())
def test_a_webinar_edited_with_hostile_values_reads_back_on_its_page_and_in_its_calendar_file(
        client, login_as, make_webinar, data):
    if not hasattr(client, "webinar"):
        client.webinar = make_webinar()
        db.session.commit()
        login_as("staff")
    webinar = client.webinar
    values = spoiled(data, {
        "title": data.draw(text(), label="title"), "slug": webinar.slug, "day": "2026-02-10", "starts": "12:00",
        "ends": "13:00", "timezone": "America/Chicago", "description": data.draw(text(), label="description"),
        "presenters": data.draw(text(), label="presenters"), "capacity": "50", "closes_day": "", "closes_time": "",
        "join_url": "https://meet.example.org/j/1"}, {
        "day": days(), "timezone": st.sampled_from(["Mars/Base", "\x00", "America/New_York"]) | text(),
        "capacity": numbers(), "closes_day": days(), "closes_time": st.sampled_from(["", "09:00", "25:00"]),
        "join_url": st.sampled_from(["", "javascript:alert(1)", "https://x.example/\r\nBcc: y"]) | text()})

    response = _post(client, f"/staff/webinars/{webinar.id}/edit", values)

    event(f"answered {response.status_code}")
    assert response.status_code in (303, 422)
    db.session.refresh(webinar)
    if response.status_code == 422:
        return
    assert (webinar.title, webinar.description, webinar.presenters) == (
        kept(values["title"]), kept(values["description"], multiline=True), kept(values["presenters"], multiline=True))
    assert str(escape(webinar.title)) in client.get(f"/webinars/{webinar.slug}/").get_data(as_text=True)
    file = client.get(f"/webinars/{webinar.slug}.ics")
    assert _event(lambda e: str(e["summary"]), file.data, f"webinar-{webinar.id}@mipevents.test") == webinar.title


@PROPERTY
@given(st.data())
def test_a_message_to_registrants_keeps_a_one_line_subject(client, login_as, make_webinar, make_person, data):
    if not hasattr(client, "webinar"):
        client.webinar = make_webinar()
        person = make_person()
        db.session.add(Registration(webinar_id=client.webinar.id, person_id=person.id, email=person.email,
                                    first_name="Ana", last_name="Ruiz", status="confirmed"))
        db.session.commit()
        login_as("staff")
    webinar = client.webinar
    values = {"subject": data.draw(text(), label="subject"), "body": data.draw(text(), label="body")}
    before = db.session.execute(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)).scalar()

    # Previewed first, then sent with the key of what was previewed.
    preview = _post(client, f"/staff/webinars/{webinar.id}/message", values)
    assert preview.status_code in (200, 422)
    key = re.search(r'name="send_key" type="hidden" value="([^"]+)"', preview.get_data(as_text=True))
    response = _post(client, f"/staff/webinars/{webinar.id}/message",
                     {**values, "send_key": key.group(1) if key else "", "action": "send"})

    event(f"answered {response.status_code}")
    assert response.status_code in (303, 422)
    newest = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).scalar()
    if response.status_code == 422:
        assert (newest.id if newest else None) == before
        return
    assert (newest.context["subject"], newest.context["body"]) == (
        kept(values["subject"]), kept(values["body"], multiline=True))
    assert "\n" not in newest.context["subject"]


@PROPERTY
@given(st.data())
def test_a_cohort_member_added_with_hostile_values_reads_back(client, login_as, data):
    from mipevents.cohorts.models import Cohort, Programme

    if not hasattr(client, "cohort"):
        programme = Programme(slug="wmn", name="Women Mayors' Network", status="published")
        client.cohort = Cohort(slug="third", name="Third cohort", status="published", programme=programme)
        db.session.add(client.cohort)
        db.session.commit()
        login_as("staff")
    cohort = client.cohort
    values = spoiled(data, {
        "member-name": data.draw(text(), label="name"), "member-city": data.draw(text(), label="city"),
        "member-state": "WI", "member-email": f"member{next(_unique)}@example.org"}, {
        "member-state": st.sampled_from(["wi", "W\x00I", "WIS"]) | text(), "member-email": email(f"c{next(_unique)}")})

    response = _post(client, f"/staff/cohorts/{cohort.id}/members", values)

    event(f"answered {response.status_code}")
    assert response.status_code in (303, 422)
    if response.status_code == 303:
        member = db.session.execute(select(CohortMember).order_by(CohortMember.id.desc()).limit(1)).scalar_one()
        assert (member.name, member.city) == (kept(values["member-name"]), kept(values["member-city"]))


@PROPERTY
@given(st.data())
def test_a_call_edited_with_hostile_dates_and_ids_never_makes_a_5xx(client, login_as, make_meeting, data):
    if not hasattr(client, "call"):
        meeting = make_meeting()
        client.call = Call(slug="present", title="Present", kind="showcase", meeting_id=meeting.id, status="draft",
                           opens_at=datetime(2025, 1, 1, tzinfo=UTC), deadline_at=datetime(2025, 2, 1, tzinfo=UTC),
                           timezone="America/Chicago")
        db.session.add(client.call)
        db.session.commit()
        login_as("staff")
    call = client.call
    values = spoiled(data, {
        "title": data.draw(text(), label="title"), "slug": "present", "kind": "showcase", "cohort_id": "0",
        "meeting_id": str(call.meeting_id), "description": data.draw(text(), label="description"),
        "opens_on": "2026-01-05", "opens_time": "09:00", "deadline_on": "2026-02-05", "deadline_time": "23:59",
        "timezone": "America/Chicago", "status": "draft"}, {
        "kind": st.sampled_from(["cohort", "party"]), "cohort_id": numbers(), "meeting_id": numbers(),
        "opens_on": days(), "deadline_on": days(), "timezone": st.sampled_from(["America/New_York", "Mars/Base"]) | text()})

    response = _post(client, f"/staff/calls/{call.id}/edit", values)

    event(f"answered {response.status_code}")
    assert response.status_code in (302, 422)
    if response.status_code == 302:
        db.session.refresh(call)
        assert (call.title, call.description) == (kept(values["title"]), kept(values["description"], multiline=True))


@PROPERTY
@given(st.data())
def test_an_application_with_hostile_answers_reads_back_in_the_applications_csv(client, login_as, make_meeting, data):
    from mipevents.calls import services

    if not hasattr(client, "call"):
        meeting = make_meeting()
        now = datetime.now(UTC)
        client.call = Call(slug="ideas", title="Ideas", kind="showcase", meeting_id=meeting.id, status="published",
                           opens_at=now - timedelta(days=1), deadline_at=now + timedelta(days=10), timezone="America/Chicago")
        db.session.add(client.call)
        db.session.flush()
        client.question = services.add_question(client.call, kind="short_text", prompt="=Website", is_required=False)
        db.session.commit()
        login_as("staff")
    call, question = client.call, client.question
    values = spoiled(data, {
        "mayor_name": data.draw(text(), label="mayor_name"), "email": f"mayor{next(_unique)}@example.org",
        "city": data.draw(text(), label="city"), "state": "WI", "population_band": "",
        "title": data.draw(text(), label="title"), "summary": data.draw(text(), label="summary"),
        f"q_{question.id}": data.draw(text(), label="answer"), "action": "save"}, {
        "email": email(f"a{next(_unique)}"), "state": st.sampled_from([" wi ", "W\x00I"]) | text(),
        "population_band": st.sampled_from(["under_50k", "huge"]), "action": st.just("submit")})
    before = db.session.execute(select(Application.id).order_by(Application.id.desc()).limit(1)).scalar()

    response = _post(client, f"/calls/{call.slug}/apply", values)

    event(f"answered {response.status_code}")
    assert response.status_code in (302, 422)
    newest = db.session.execute(select(Application).order_by(Application.id.desc()).limit(1)).scalar()
    if response.status_code == 422 or newest is None or newest.id == before:
        return
    assert (newest.mayor_name, newest.city, newest.title, newest.summary) == (
        kept(values["mayor_name"]), kept(values["city"]), kept(values["title"]), kept(values["summary"], multiline=True))
    if newest.status == "draft":   # the review list and its CSV hold submitted applications
        return
    rows = {int(r["id"]): r for r in csv_rows(client.get(f"/staff/calls/{call.id}/applications.csv").get_data(as_text=True))}
    assert [rows[newest.id][k] for k in ("mayor", "city", "title", "summary", "'=Website")] == [
        csv_cell(v) for v in (newest.mayor_name, newest.city, newest.title, newest.summary,
                              kept(values[f"q_{question.id}"]))]
