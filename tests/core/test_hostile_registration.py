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
from tests.support.hostile import PROPERTY, as_received, csv_cell, csv_rows, email, form_body, kept, phone, spoiled, text

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
    values = spoiled(data, {**{name: data.draw(text(), label=name) for name in (*WEBINAR_TEXT, "question")},
                            "email": f"ana{next(_unique)}@example.org", "consent": "y", "role": "mayor"}, {
        "email": email(f"w{next(_unique)}"), "role": st.sampled_from(["partner", "other", "boss", "\x00"]),
        "consent": st.sampled_from(["", "n"])})
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
    # The list is paged (100 a page): its search finds the newest registrant wherever they are.
    page = client.get(f"/staff/webinars/{webinar.id}/registrants", query_string={"q": row.email[:100]}).get_data(as_text=True)
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
    values = spoiled(data, {**{name: data.draw(text(), label=name) for name in (*MEETING_TEXT, *MEETING_MULTILINE)},
                            "phone": "", "email": f"ana{next(_unique)}@example.org", "consent": "y", "type": "mayor",
                            "scheduler_email": ""}, {
        "phone": phone(), "email": email(f"m{next(_unique)}"), "type": st.sampled_from(["guest", "admin", ""]),
        "scheduler_email": st.sampled_from(["helper@example.org"]) | email("s")})
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
    payload = spoiled(data, {**{name: data.draw(text(), label=name) for name in names}, "consent": True,
                             "email": f"ana{next(_unique)}@example.org", "role": "mayor", "type": "mayor"},
                      {name: json_values() for name in (*names, "email", "role", "type", "consent")})
    body = json.dumps(payload)
    if data.draw(st.booleans(), label="wrapped deep"):
        depth = data.draw(st.integers(1, 5_000), label="depth")
        body = '{"first_name":' * depth + body + "}" * depth
    where = {"meeting_id" if kind == "meetings" else "webinar_id": target.id}
    before = _newest(**where)

    response = client.post(f"/api/v1/{kind}/{target.slug}/registrations", data=body, content_type="application/json")
    event(f"answered {response.status_code}")

    assert response.status_code in (202, 400, 413, 422), response.status_code
    row = _newest(**where)
    if response.status_code != 202:
        assert row == before
        assert set(response.get_json()) <= {"error", "message", "errors"}
        return
    for name in names:
        assert getattr(row, name) == kept(payload[name], multiline=name == "question"), name


def test_a_lone_surrogate_in_a_form_arrives_as_the_escapes_it_was_sent_as(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    values = {"first_name": "Ana\ud800", "last_name": "Ruiz", "email": "ana@example.org", "role": "mayor", "consent": "y"}

    assert _post_form(client, f"/webinars/{webinar.slug}/register", values).status_code == 303

    assert _newest(webinar_id=webinar.id).first_name == as_received("Ana\ud800") == "Ana%ED%A0%80"


@PROPERTY
@given(st.data())
def test_a_registrants_own_changes_keep_what_the_text_rule_keeps(client, make_webinar, make_person, data):
    from mipevents.people.services import mint_token

    if not hasattr(client, "token"):
        person = make_person()
        webinar = make_webinar()
        client.registration = Registration(webinar_id=webinar.id, person_id=person.id, email=person.email,
                                           first_name="Ana", last_name="Ruiz", status="confirmed")
        db.session.add(client.registration)
        db.session.flush()
        client.token = mint_token(person, "manage", client.registration.id)
        db.session.commit()
    names = ("first_name", "last_name", "title", "organization", "city", "state")
    values = {**{name: data.draw(text(), label=name) for name in names}, "question": data.draw(text(), label="question")}

    response = _post_form(client, f"/manage/{client.token}/details", values)

    event(f"answered {response.status_code}")
    assert response.status_code in (303, 422)
    if response.status_code == 303:
        _assert_kept(_newest(id=client.registration.id), values, names, ("question",))


@PROPERTY
@given(st.data())
def test_signing_in_and_asking_for_a_password_reset_never_make_a_5xx(client, data):
    path = data.draw(st.sampled_from(["/staff/login", "/staff/forgot-password"]), label="page")
    values = {"email": data.draw(email("x") | text(), label="email"), "password": data.draw(text(), label="password")}

    response = _post_form(client, path + "?" + data.draw(st.sampled_from(["", "next=/staff/", "next=//evil.example"])),
                          values)

    event(f"answered {response.status_code}")
    assert response.status_code < 500
