"""Registering for a webinar through the page: new and repeat look the same, the honeypot, 422 with
messages next to fields, closed registration, and the rate limit."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person
from mipevents.registration.models import Registration


def form(n=1, **over):
    data = {"first_name": "Ana", "last_name": f"Lopez{n}", "email": f"ana{n}@city.gov", "role": "city_staff",
            "title": "Sustainability director", "organization": "City of Madison", "city": "Madison",
            "state": "WI", "question": "", "consent": "y", "website": ""}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def outbox():
    return [(m.kind, m.to_email, m.context["status"]) for m in
            db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def test_registering_confirms_and_queues_the_confirmation(client, make_webinar):
    webinar = make_webinar(capacity=10)
    db.session.commit()
    response = client.post(f"/webinars/{webinar.slug}/register", data=form())
    assert (response.status_code, response.headers["Location"]) == (303, f"/webinars/{webinar.slug}/register/thanks")
    registration = db.session.execute(select(Registration)).scalar_one()
    assert (registration.status, registration.role, registration.organization, registration.source) == (
        "confirmed", "city_staff", "City of Madison", "web")
    assert registration.consent_at is not None
    assert outbox() == [("registration_received", "ana1@city.gov", "confirmed")]
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "<h1>Check your email</h1>" in thanks.get_data(as_text=True)


def test_a_repeat_registration_answers_the_same_and_changes_nothing(client, make_webinar):
    webinar = make_webinar(capacity=10)
    db.session.commit()
    first = client.post(f"/webinars/{webinar.slug}/register", data=form())
    again = client.post(f"/webinars/{webinar.slug}/register", data=form(email="ANA1@City.gov", first_name="Other"))
    assert (first.status_code, first.headers["Location"]) == (again.status_code, again.headers["Location"])
    assert client.get(first.headers["Location"]).get_data() == client.get(again.headers["Location"]).get_data()
    registration = db.session.execute(select(Registration)).scalar_one()
    assert registration.first_name == "Ana"
    assert (count(Registration), count(Person)) == (1, 1)
    assert outbox() == [("registration_received", "ana1@city.gov", "confirmed"),
                        ("registration_repeat", "ana1@city.gov", "confirmed")]


def test_the_honeypot_writes_nothing_but_looks_like_success(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.post(f"/webinars/{webinar.slug}/register", data=form(website="http://spam.example"))
    assert (response.status_code, response.headers["Location"]) == (303, f"/webinars/{webinar.slug}/register/thanks")
    assert (count(Registration), count(Person), count(OutboxMessage)) == (0, 0, 0)


def test_invalid_input_answers_422_with_messages_next_to_the_fields(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.post(f"/webinars/{webinar.slug}/register",
                           data=form(email="not-an-email", role="king", consent=None, first_name="",
                                     organization="x" * 201))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="email-error">Enter an email address like name@city.gov.</p>' in page
    assert '<p class="error" id="first_name-error">Enter your first name.</p>' in page
    assert '<p class="error" id="organization-error">Keep this to 200 characters or fewer.</p>' in page
    assert '<p class="error" id="consent-error">Tick the box to agree, or we cannot register you.</p>' in page
    assert 'id="role-error"' in page
    assert (count(Registration), count(Person), count(OutboxMessage)) == (0, 0, 0)


def test_the_form_offers_the_roles_in_words_and_the_privacy_notice(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    page = client.get(f"/webinars/{webinar.slug}/register").get_data(as_text=True)
    for value, words in [("mayor", "Mayor"), ("city_staff", "City staff"), ("partner", "Partner organization"),
                         ("other", "Other")]:
        assert f'<option value="{value}">{words}</option>' in page
    assert 'id="privacy-notice"' in page
    assert 'class="hp-field"' in page


def test_registration_after_the_deadline_is_refused_and_writes_nothing(client, make_webinar):
    webinar = make_webinar(registration_closes_at=datetime.now(UTC) - timedelta(minutes=5))
    db.session.commit()
    response = client.post(f"/webinars/{webinar.slug}/register", data=form())
    assert response.status_code == 409
    assert "<h1>Registration is closed</h1>" in response.get_data(as_text=True)
    assert (count(Registration), count(Person), count(OutboxMessage)) == (0, 0, 0)
    page = client.get(f"/webinars/{webinar.slug}/")
    assert "Registration is closed." in page.get_data(as_text=True)
    assert f'href="/webinars/{webinar.slug}/register"' not in page.get_data(as_text=True)


def test_drafts_and_cohort_webinars_are_not_found(client, make_webinar):
    draft = make_webinar(status="draft")
    db.session.commit()
    for url in (f"/webinars/{draft.slug}/", f"/webinars/{draft.slug}/register"):
        assert client.get(url).status_code == 404
    assert client.post(f"/webinars/{draft.slug}/register", data=form()).status_code == 404
    assert count(Registration) == 0


def test_full_webinar_puts_people_on_the_waitlist(client, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    client.post(f"/webinars/{webinar.slug}/register", data=form(1))
    client.post(f"/webinars/{webinar.slug}/register", data=form(2))
    assert outbox() == [("registration_received", "ana1@city.gov", "confirmed"),
                        ("registration_received", "ana2@city.gov", "waitlisted")]


def test_the_registration_form_is_rate_limited_per_address(make_app, make_webinar):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="2 per minute")
    with app.app_context():
        webinar = make_webinar()
        db.session.commit()
        client = app.test_client()
        statuses = [client.post(f"/webinars/{webinar.slug}/register", data=form(n),
                                environ_base={"REMOTE_ADDR": "192.0.2.77"}).status_code for n in range(3)]
        assert statuses == [303, 303, 429]
        assert count(Registration) == 2
