"""Requests no page expects get a clear 4xx, never a 500: ids past the database's integers, control
characters in addresses and query values, JSON nested too deep or too large."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mipevents.core.web import MAX_ID
from mipevents.extensions import db
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()


@pytest.mark.parametrize("number", [0, MAX_ID + 1, 9223372036854775808, 10**30])
def test_an_id_no_row_can_have_is_a_404_in_pages_and_the_api(client, number):
    for url in (f"/speakers/{number}", f"/speakers/{number}/photo", f"/meetings/x/sessions/{number}"):
        assert client.get(url).status_code == 404, url


def test_the_largest_id_is_still_looked_up(client):
    assert client.get(f"/speakers/{MAX_ID}").status_code == 404


def test_a_showcase_session_no_row_can_be_is_a_404(client, make_meeting, make_item):
    meeting = make_meeting()
    make_item(meeting, kind="showcase")
    db.session.commit()
    base = f"/meetings/{meeting.slug}/showcase"
    assert client.get(base + "/state.json").status_code == 200
    for value in ("99999999999999999999999", "-1", "0", "abc"):
        assert client.get(base + f"/state.json?session={value}").status_code == 404
        assert client.get(base + f"/practice?session={value}").status_code == 404


@pytest.mark.parametrize("query", ["day=2025-01-22%00", "track=a%0d%0ab", "q=%00", "next=/%0d/x", "x%00=1"])
def test_a_query_value_with_a_control_character_is_a_400(client, make_meeting, query):
    meeting = make_meeting()
    db.session.commit()
    for path in (f"/meetings/{meeting.slug}/agenda", f"/api/v1/meetings/{meeting.slug}/sessions", "/staff/login"):
        assert client.get(f"{path}?{query}").status_code == 400, path


def test_a_control_character_in_the_address_is_a_404(client):
    assert client.get("/meetings/a%00b/").status_code == 404
    assert client.get("/api/v1/meetings/a%0d%0ab").get_json()["error"] == "not_found"


def test_signed_in_a_login_page_with_a_line_break_in_next_is_a_400(client, login_as):
    login_as("staff")
    assert client.get("/staff/login?next=/%0d/x").status_code == 400


def _open_meeting(make_meeting):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31))
    db.session.commit()
    return meeting


@pytest.mark.parametrize("kind", ["meetings", "webinars"])
def test_json_nested_too_deep_is_a_400_in_the_envelope(client, make_meeting, make_webinar, kind):
    event = _open_meeting(make_meeting) if kind == "meetings" else make_webinar()
    db.session.commit()
    for body in ("[" * 60_000, '{"a":' * 40 + "1" + "}" * 40):
        response = client.post(f"/api/v1/{kind}/{event.slug}/registrations", data=body,
                               content_type="application/json")
        assert (response.status_code, response.get_json()) == (
            400, {"error": "bad_request", "message": "The body must be one JSON object."})


def test_a_json_body_over_64_kib_is_a_413_in_the_envelope(client, make_meeting):
    meeting = _open_meeting(make_meeting)
    response = client.post(f"/api/v1/meetings/{meeting.slug}/registrations",
                           data='{"first_name": "' + "x" * 70_000 + '"}', content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def test_a_lone_surrogate_in_a_json_field_is_a_422_naming_the_field(client, make_meeting):
    meeting = _open_meeting(make_meeting)
    body = ('{"type": "mayor", "first_name": "a\\ud800", "last_name": "B", "email": "a@b.org", "city": "C", '
            '"state": "WI", "consent": true, "question": "\\udfff"}')
    response = client.post(f"/api/v1/meetings/{meeting.slug}/registrations", data=body,
                           content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"first_name": ["Contains a character that is not valid text."],
                                             "question": ["Contains a character that is not valid text."]}
    assert db.session.execute(select(func.count()).select_from(Registration)).scalar_one() == 0


def test_nul_and_line_breaks_in_a_json_registration_are_cleaned_before_they_are_kept(client, make_meeting):
    meeting = _open_meeting(make_meeting)
    response = client.post(f"/api/v1/meetings/{meeting.slug}/registrations", json={
        "type": "mayor", "first_name": "a\u0000b", "last_name": "Eve\r\nBEGIN:VEVENT", "email": "eve@example.org",
        "city": "Town", "state": "WI", "consent": True, "question": "one\r\ntwo\u0000"})
    assert response.status_code == 202
    row = db.session.execute(select(Registration)).scalar_one()
    assert (row.first_name, row.last_name, row.question) == ("ab", "Eve BEGIN:VEVENT", "one\ntwo")
