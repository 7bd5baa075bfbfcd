"""POST /api/v1/meetings/<slug>/registrations: DESIGN's contract — 202 {"status": "received"} for a
new registration and a repeat alike, the one error envelope (400, 404, 409, 415, 422, 429), JSON only,
no CSRF token needed."""
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()


def body(n=1, **over):
    data = {"first_name": "Maria", "last_name": f"Santos{n}", "email": f"mayor{n}@town.gov", "role": "mayor",
            "type": "mayor", "title": "Mayor", "organization": "City of Town", "city": "Town", "state": "WI",
            "consent": True}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def post(client, slug, payload, **kwargs):
    return client.post(f"/api/v1/meetings/{slug}/registrations", json=payload, **kwargs)


def future_meeting(make_meeting, **over):
    return make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31), **over)


def count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_registration_answers_202_received_whatever_its_status(client, make_meeting):
    meeting = future_meeting(make_meeting, capacity=1)
    db.session.commit()
    first = post(client, meeting.slug, body(1, type="city_staff", phone="608-555-0100", dietary_needs="Vegan",
                                            accessibility_needs="Wheelchair", scheduler_email="Scheduler@Town.gov",
                                            question="Parking?"))
    second = post(client, meeting.slug, body(2))
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.get_json() == second.get_json() == {
        "status": "received",
        "message": "Thank you: check your email. We have sent the registrant's status and private link to them."}
    one = db.session.execute(select(Registration).where(Registration.email == "mayor1@town.gov")).scalar_one()
    two = db.session.execute(select(Registration).where(Registration.email == "mayor2@town.gov")).scalar_one()
    assert (one.status, two.status) == ("confirmed", "waitlisted")
    assert (one.role, one.phone, one.dietary_needs, one.accessibility_needs, one.scheduler_email, one.question, one.source) == (
        "city_staff", "608-555-0100", "Vegan", "Wheelchair", "Scheduler@town.gov", "Parking?", "api")
    assert one.scheduler.email == "scheduler@town.gov"


def test_a_repeat_answers_exactly_like_the_first(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    first = post(client, meeting.slug, body())
    again = post(client, meeting.slug, body(email="MAYOR1@town.gov", first_name="Someone"))
    assert (again.status_code, again.get_json()) == (first.status_code, first.get_json())
    assert count(Registration) == 1
    assert [m.kind for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()] == [
        "registration_received", "registration_repeat"]


def test_role_stands_for_type_when_type_is_absent(client, make_meeting):
    meeting = future_meeting(make_meeting, approval_roles=["partner"])
    db.session.commit()
    response = post(client, meeting.slug, body(type=None, role="partner"))
    assert response.status_code == 202
    assert db.session.execute(select(Registration.status)).scalar_one() == "pending"


def test_invalid_fields_answer_422_in_the_envelope_and_write_nothing(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    response = post(client, meeting.slug, body(email="nope", type="emperor", consent=False, phone=12, city=None))
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "invalid", "message": "Some fields are missing or invalid.",
        "errors": {"email": ["Enter an email address like name@example.org."], "type": ["Not a valid choice."],
                   "consent": ["Please agree, so that we can register you."], "phone": ["Must be a string."],
                   "city": ["Enter the attendee's city."]}}
    assert (count(Registration), count(OutboxMessage)) == (0, 0)


def test_only_json_is_accepted(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    form = client.post(f"/api/v1/meetings/{meeting.slug}/registrations", data=body())
    text = client.post(f"/api/v1/meetings/{meeting.slug}/registrations", data=json.dumps(body()), content_type="text/plain")
    assert (form.status_code, text.status_code) == (415, 415)
    assert form.get_json() == {"error": "unsupported_media_type", "message": "Send the registration as application/json."}
    assert count(Registration) == 0


def test_malformed_json_and_non_objects_answer_400(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    broken = client.post(f"/api/v1/meetings/{meeting.slug}/registrations", data="{not json", content_type="application/json")
    listed = post(client, meeting.slug, [body()])
    assert (broken.status_code, listed.status_code) == (400, 400)
    assert broken.get_json() == {"error": "bad_request", "message": "The body must be one JSON object."}


def test_unknown_draft_and_cohort_meetings_answer_404(client, make_meeting):
    draft = future_meeting(make_meeting, status="draft")
    db.session.commit()
    for slug in ("no-such-meeting", draft.slug):
        response = post(client, slug, body())
        assert (response.status_code, response.get_json()["error"]) == (404, "not_found")
    assert count(Registration) == 0


def test_a_closed_meeting_answers_409(client, make_meeting):
    meeting = future_meeting(make_meeting, registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    db.session.commit()
    response = post(client, meeting.slug, body())
    assert (response.status_code, response.get_json()) == (409, {"error": "closed", "message": "Registration for this meeting is closed."})
    assert count(Registration) == 0


def test_no_csrf_token_is_needed_and_the_rate_limit_answers_429_in_the_envelope(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="2 per minute")
    with app.app_context():
        from mipevents.meetings.models import Meeting
        db.session.add(Meeting(slug="api-limited", name="Limited", kind="summer", status="published",
                               starts_on=TODAY + timedelta(days=9), ends_on=TODAY + timedelta(days=10), timezone="America/Chicago"))
        db.session.commit()
        client = app.test_client()
        responses = [post(client, "api-limited", body(n)) for n in (1, 2, 3)]
        assert [r.status_code for r in responses] == [202, 202, 429]
        assert responses[2].get_json()["error"] == "rate_limited"
        assert count(Registration) == 2


def test_a_scheduler_email_that_is_the_attendees_own_is_ignored(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    response = post(client, meeting.slug, body(scheduler_email="MAYOR1@Town.gov"))
    assert response.status_code == 202
    row = db.session.execute(select(Registration)).scalar_one()
    assert (row.scheduler_email, row.scheduler_person_id) == ("", None)
