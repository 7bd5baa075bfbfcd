"""POST /api/v1/webinars/<slug>/registrations: the contract in DESIGN.md (201 for new and repeat
alike, one error envelope with field errors, JSON only, rate-limited)."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.registration.models import Registration


def body(n=1, **over):
    data = {"first_name": "Kim", "last_name": f"Park{n}", "email": f"kim{n}@city.gov", "role": "mayor",
            "title": "Mayor", "organization": "City of Dubuque", "city": "Dubuque", "state": "IA", "consent": True}
    data.update(over)
    return data


def registrations():
    return db.session.execute(select(func.count()).select_from(Registration)).scalar_one()


def url(webinar):
    return f"/api/v1/webinars/{webinar.slug}/registrations"


def test_a_new_registration_answers_201_with_id_status_and_position(client, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    first = client.post(url(webinar), json=body(1, question="Will slides be shared?"))
    second = client.post(url(webinar), json=body(2))
    ids = db.session.execute(select(Registration.id).order_by(Registration.id)).scalars().all()
    assert (first.status_code, first.get_json()) == (201, {"id": ids[0], "status": "confirmed", "position": None})
    assert (second.status_code, second.get_json()) == (201, {"id": ids[1], "status": "waitlisted", "position": 1})
    stored = db.session.get(Registration, ids[0])
    assert (stored.source, stored.question, stored.role) == ("api", "Will slides be shared?", "mayor")


def test_a_repeat_answers_exactly_like_the_first_time(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    first = client.post(url(webinar), json=body())
    again = client.post(url(webinar), json=body(email="KIM1@CITY.GOV"))
    assert (again.status_code, again.get_json()) == (first.status_code, first.get_json())
    assert registrations() == 1


def test_anything_but_json_is_415(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.post(url(webinar), data=body())
    assert (response.status_code, response.get_json()) == (415, {
        "error": "unsupported_media_type", "message": "Send the registration as application/json."})
    assert registrations() == 0


def test_a_body_that_is_not_an_object_is_400(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.post(url(webinar), data="[1, 2", content_type="application/json")
    assert (response.status_code, response.get_json()["error"]) == (400, "bad_request")
    assert client.post(url(webinar), json=[body()]).status_code == 400


def test_invalid_fields_answer_422_with_errors_per_field(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.post(url(webinar), json=body(email="nope", role="emperor", consent=False, last_name=7,
                                                   first_name="x" * 101))
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "invalid", "message": "Some fields are missing or invalid.",
        "errors": {"email": ["Enter an email address like name@city.gov."],
                   "role": ["Choose one of: Mayor, City staff, Partner organization, Other."],
                   "consent": ["Tick the box to agree, or we cannot register you."],
                   "last_name": ["Must be a string."],
                   "first_name": ["Keep this to 100 characters or fewer."]}}
    assert registrations() == 0


def test_a_missing_field_is_named(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    data = body()
    del data["email"]
    response = client.post(url(webinar), json=data)
    assert (response.status_code, response.get_json()["errors"]) == (422, {"email": ["Enter your email address."]})


def test_unknown_and_draft_webinars_are_404(client, make_webinar):
    draft = make_webinar(status="draft")
    db.session.commit()
    for path in ("/api/v1/webinars/no-such-webinar/registrations", url(draft)):
        response = client.post(path, json=body())
        assert (response.status_code, response.get_json()["error"]) == (404, "not_found")


def test_a_closed_webinar_is_409_and_nothing_is_written(client, make_webinar):
    webinar = make_webinar(registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    db.session.commit()
    response = client.post(url(webinar), json=body())
    assert (response.status_code, response.get_json()) == (409, {
        "error": "closed", "message": "Registration for this webinar is closed."})
    assert registrations() == 0


def test_no_csrf_token_is_needed_even_with_csrf_on(make_app, make_webinar):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        webinar = make_webinar()
        db.session.commit()
        response = app.test_client().post(url(webinar), json=body())
        assert response.status_code == 201
        page_form = app.test_client().post(f"/webinars/{webinar.slug}/register", data={"email": "a@b.org"})
        assert page_form.status_code == 400


def test_the_endpoint_is_rate_limited_with_the_envelope(make_app, make_webinar):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="2 per minute")
    with app.app_context():
        webinar = make_webinar()
        db.session.commit()
        client = app.test_client()
        responses = [client.post(url(webinar), json=body(n), environ_base={"REMOTE_ADDR": "198.51.100.9"})
                     for n in range(3)]
        assert [r.status_code for r in responses] == [201, 201, 429]
        assert responses[2].get_json()["error"] == "rate_limited"
        assert registrations() == 2


def test_nul_characters_never_reach_the_database(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.post(url(webinar), json=body(first_name="Kim\u0000", organization="\u0000City"))
    assert response.status_code == 201
    stored = db.session.execute(select(Registration)).scalar_one()
    assert (stored.first_name, stored.organization) == ("Kim", "City")
