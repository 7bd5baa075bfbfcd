"""Property tests: hostile values into the public registration forms and both JSON registration
endpoints never make a 5xx, and what is accepted reads back exactly as the text rule kept it, in the
database, on the staff pages and in the CSV exports (formula guard applied)."""
import json
from datetime import UTC, datetime, timedelta
from itertools import count

from hypothesis import event, given
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.people.services import normalise_email
from mipevents.registration.models import Registration
from tests.support.hostile import PROPERTY, as_received, csv_cell, csv_rows, email, form_body, kept, phone, text

TODAY = datetime.now(UTC).date()
_unique = count(1)

WEBINAR_TEXT = ("first_name", "last_name", "title", "organization", "city", "state")
MEETING_TEXT = ("first_name", "last_name", "title", "organization", "city", "state", "phone")
MEETING_MULTILINE = ("dietary_needs", "accessibility_needs")


def _post_form(client, url, values):
    return client.post(url, data=form_body(values), content_type="application/x-www-form-urlencoded")


def _newest(**where) -> Registration | None:
    stmt = select(Registration).filter_by(**where).order_by(Registration.id.desc()).limit(1)
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()


def _assert_kept(row, values, single=(), multi=()):
    for name in single:
        assert getattr(row, name) == kept(values[name]), name
    for name in multi:
        assert getattr(row, name) == kept(values[name], multiline=True), name


@PROPERTY
@given(st.data())
def test_the_webinar_registration_form_keeps_what_the_text_rule_keeps(client, login_as, make_webinar, data):
    if not hasattr(client, "webinar"):
        client.webinar = make_webinar(capacity=100_000)
        db.session.commit()
        login_as("staff")
    webinar = client.webinar
    values = {name: data.draw(text(), label=name) for name in (*WEBINAR_TEXT, "question")}
    values.update(email=data.draw(email(f"w{next(_unique)}"), label="email"), consent="y",
                  role=data.draw(st.sampled_from(["mayor", "partner", "other", "boss", "\x00"]), label="role"))
    before = _newest(webinar_id=webinar.id)

    response = _post_form(client, f"/webinars/{webinar.slug}/register", values)
    event(f"answered {response.status_code}")

    assert response.status_code in (303, 422), response.status_code
    row = _newest(webinar_id=webinar.id)
    if response.status_code == 422:
        assert row == before
        return
    assert row != before
    _assert_kept(row, values, WEBINAR_TEXT, ("question",))
    assert row.person.email == normalise_email(kept(values["email"]))
    page = client.get(f"/staff/webinars/{webinar.id}/registrants").get_data(as_text=True)
    assert str(escape(row.last_name)) in page
    exported = {int(r["id"]): r for r in csv_rows(client.get(f"/staff/webinars/{webinar.id}/registrants.csv")
                                                    .get_data(as_text=True))}
    assert [exported[row.id][name] for name in (*WEBINAR_TEXT, "question")] == [
        csv_cell(getattr(row, name)) for name in (*WEBINAR_TEXT, "question")]


@PROPERTY
@given(st.data())
def test_the_meeting_registration_form_keeps_what_the_text_rule_keeps(client, login_as, make_meeting, data):
    if not hasattr(client, "meeting"):
        client.meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31))
        db.session.commit()
        login_as("staff")
    meeting = client.meeting
    values = {name: data.draw(text(), label=name) for name in (*MEETING_TEXT, *MEETING_MULTILINE)}
    values["phone"] = data.draw(phone(), label="phone")
    values.update(email=data.draw(email(f"m{next(_unique)}"), label="email"), consent="y",
                  type=data.draw(st.sampled_from(["mayor", "guest", "admin", ""]), label="type"),
                  scheduler_email=data.draw(st.sampled_from(["", "helper@example.org"]) | email("s"), label="scheduler"))
    before = _newest(meeting_id=meeting.id)

    response = _post_form(client, f"/meetings/{meeting.slug}/register", values)
    event(f"answered {response.status_code}")

    assert response.status_code in (303, 422), response.status_code
    row = _newest(meeting_id=meeting.id)
    if response.status_code == 422:
        assert row == before
        return
    _assert_kept(row, values, MEETING_TEXT, MEETING_MULTILINE)
    exported = {int(r["id"]): r for r in csv_rows(
        client.get(f"/staff/meetings/{meeting.id}/registrations/export.csv").get_data(as_text=True))}
    assert [exported[row.id][name] for name in (*MEETING_TEXT, *MEETING_MULTILINE)] == [
        csv_cell(getattr(row, name)) for name in (*MEETING_TEXT, *MEETING_MULTILINE)]


def json_values():
    """What an API client may put in a field: hostile text, or any JSON value, nested or not."""
    leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text()
    return text() | st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text(), inner, max_size=3),
                                 max_leaves=6)


@PROPERTY
@given(st.data())
def test_both_json_registration_endpoints_answer_4xx_or_keep_what_the_text_rule_keeps(client, make_meeting, make_webinar,
                                                                                    data):
    if not hasattr(client, "events"):
        client.events = {"meetings": make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31)),
                         "webinars": make_webinar(capacity=100_000)}
        db.session.commit()
    kind = data.draw(st.sampled_from(["meetings", "webinars"]), label="kind")
    target = client.events[kind]
    names = ("first_name", "last_name", "title", "organization", "city", "state", "question")
    payload = {name: data.draw(json_values(), label=name) for name in names}
    payload.update(email=data.draw(email(f"j{next(_unique)}"), label="email"), consent=True,
                   role=data.draw(st.sampled_from(["mayor", "partner"]) | json_values(), label="role"))
    body = json.dumps(payload)
    if data.draw(st.booleans(), label="wrapped deep"):
        depth = data.draw(st.integers(1, 5_000), label="depth")
        body = '{"first_name":' * depth + body + "}" * depth
    where = {"meeting_id" if kind == "meetings" else "webinar_id": target.id}
    before = _newest(**where)

    response = client.post(f"/api/v1/{kind}/{target.slug}/registrations", data=body, content_type="application/json")
    event(f"answered {response.status_code}")

    assert response.status_code in (201, 400, 413, 422), response.status_code
    row = _newest(**where)
    if response.status_code != 201:
        assert row == before
        assert set(response.get_json()) <= {"error", "message", "errors"}
        return
    for name in names:
        assert getattr(row, name) == kept(payload[name], multiline=name == "question"), name


def test_a_lone_surrogate_in_a_form_arrives_as_replacement_characters():
    assert as_received("a\ud800b") == "a\ufffd\ufffd\ufffdb"
