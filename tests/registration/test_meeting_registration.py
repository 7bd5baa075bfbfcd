"""Registering for a meeting through its form: types, extras, approval per type, the waitlist and its
promotion, new and repeat alike, honeypot, 422 next to the field, closed registration, rate limit, CSRF."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person
from mipevents.registration import queries as registration_queries
from mipevents.registration import services
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()


def form(n=1, **over):
    data = {"type": "mayor", "first_name": "Maria", "last_name": f"Santos{n}", "title": "Mayor",
            "organization": f"City of Town{n}", "city": f"Town{n}", "state": "WI", "email": f"mayor{n}@town.gov",
            "phone": "", "dietary_needs": "", "accessibility_needs": "", "scheduler_email": "", "consent": "y",
            "website": ""}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def future_meeting(make_meeting, **over):
    return make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=32), **over)


def count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def outbox():
    return [(m.kind, m.to_email) for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def statuses():
    return {r.email: r.status for r in db.session.execute(select(Registration)).scalars()}


def test_the_form_offers_the_types_and_the_meetings_receptions_and_site_visits(client, make_meeting, make_item):
    meeting = future_meeting(make_meeting)
    reception = make_item(meeting, kind="reception", title="Welcome reception")
    tour = make_item(meeting, kind="tour", title="Site visit: the new library")
    make_item(meeting, kind="tour", title="Draft tour", status="draft")
    make_item(meeting, kind="panel", title="A panel")
    db.session.commit()
    page = client.get(f"/meetings/{meeting.slug}/register").get_data(as_text=True)
    assert 'value="city_staff"' in page and "Senior city staff/advisor" in page
    assert f'value="{reception.id}"' in page and f'value="{tour.id}"' in page
    assert "Draft tour" not in page and "A panel" not in page


def test_registering_stores_every_field_and_answers_check_your_email(client, make_meeting, make_item):
    meeting = future_meeting(make_meeting)
    tour = make_item(meeting, kind="tour", title="Site visit")
    db.session.commit()
    response = client.post(f"/meetings/{meeting.slug}/register", data=form(
        type="city_staff", phone="+1 (608) 555-0100", dietary_needs="Vegetarian", accessibility_needs="Step-free access",
        extras=str(tour.id)))
    assert (response.status_code, response.headers["Location"]) == (303, f"/meetings/{meeting.slug}/register/check-your-email")
    r = db.session.execute(select(Registration)).scalar_one()
    assert (r.status, r.role, r.first_name, r.title, r.organization, r.city, r.state, r.email, r.phone, r.dietary_needs,
            r.accessibility_needs, r.extras, r.extras_asked, r.source, r.meeting_id) == (
        "confirmed", "city_staff", "Maria", "Mayor", "City of Town1", "Town1", "WI", "mayor1@town.gov", "+1 (608) 555-0100",
        "Vegetarian", "Step-free access", [tour.id], True, "web", meeting.id)
    assert outbox() == [("registration_received", "mayor1@town.gov")]
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Check your email</h1>" in thanks
    assert 'To <strong class="sent-address">mayor1@town.gov</strong>.' in thanks


def test_a_repeat_registration_looks_like_a_new_one_and_changes_nothing(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    first = client.post(f"/meetings/{meeting.slug}/register", data=form())
    again = client.post(f"/meetings/{meeting.slug}/register", data=form(email="MAYOR1@Town.gov", first_name="Other"))
    assert (first.status_code, first.headers["Location"]) == (again.status_code, again.headers["Location"])
    assert db.session.execute(select(Registration.first_name)).scalar_one() == "Maria"
    assert (count(Registration), count(Person)) == (1, 1)
    assert outbox() == [("registration_received", "mayor1@town.gov"), ("registration_repeat", "mayor1@town.gov")]


def test_an_invalid_form_answers_422_with_the_message_next_to_the_field_and_writes_nothing(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    response = client.post(f"/meetings/{meeting.slug}/register",
                           data=form(email="not-an-email", type="emperor", consent=None))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="email-error">Enter an email address like name@example.org.</p>' in page
    assert '<p class="error" id="consent-error">Please agree, so that we can register you.</p>' in page
    assert '<p class="error" id="type-error">Not a valid choice.</p>' in page
    assert (count(Registration), count(Person), count(OutboxMessage)) == (0, 0, 0)


def test_the_scheduler_email_must_not_be_the_attendees(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    response = client.post(f"/meetings/{meeting.slug}/register", data=form(scheduler_email="Mayor1@town.gov"))
    assert response.status_code == 422
    assert "This is the attendee&#39;s email: leave it empty when you register yourself." in response.get_data(as_text=True)
    assert count(Registration) == 0


def test_the_honeypot_looks_accepted_and_writes_nothing(client, make_meeting):
    meeting = future_meeting(make_meeting)
    db.session.commit()
    response = client.post(f"/meetings/{meeting.slug}/register", data=form(website="http://spam.example"))
    assert (response.status_code, response.headers["Location"]) == (303, f"/meetings/{meeting.slug}/register/check-your-email")
    assert (count(Registration), count(Person), count(OutboxMessage)) == (0, 0, 0)


def test_after_the_deadline_the_form_says_closed_and_nothing_is_written(client, make_meeting):
    meeting = future_meeting(make_meeting, registration_closes_at=datetime.now(UTC) - timedelta(minutes=1))
    db.session.commit()
    page = client.get(f"/meetings/{meeting.slug}/register")
    assert page.status_code == 200
    assert "<h1>Registration is closed</h1>" in page.get_data(as_text=True)
    response = client.post(f"/meetings/{meeting.slug}/register", data=form())
    assert response.status_code == 409
    assert "<h1>Registration is closed</h1>" in response.get_data(as_text=True)
    assert (count(Registration), count(Person), count(OutboxMessage)) == (0, 0, 0)


def test_before_registration_opens_the_page_says_when(client, make_meeting):
    opens = datetime(TODAY.year + 1, 1, 5, 15, 0, tzinfo=UTC)
    meeting = make_meeting(starts_on=opens.date() + timedelta(days=30), ends_on=opens.date() + timedelta(days=31),
                           registration_opens_at=opens, timezone="America/Chicago")
    db.session.commit()
    page = client.get(f"/meetings/{meeting.slug}/register").get_data(as_text=True)
    assert "<h1>Registration is not open yet</h1>" in page
    assert f"opens January 5, {opens.year} at 9:00 AM CT." in page


def test_drafts_and_cohort_meetings_are_not_found(client, make_meeting):
    draft = future_meeting(make_meeting, status="draft")
    db.session.commit()
    assert client.get(f"/meetings/{draft.slug}/register").status_code == 404
    assert client.post(f"/meetings/{draft.slug}/register", data=form()).status_code == 404
    assert count(Registration) == 0


def test_partners_wait_for_approval_and_mayors_are_confirmed_at_once(client, make_meeting, login_as):
    meeting = future_meeting(make_meeting, capacity=5, approval_roles=["partner"])
    db.session.commit()
    client.post(f"/meetings/{meeting.slug}/register", data=form(1, type="partner", email="partner@ngo.org"))
    client.post(f"/meetings/{meeting.slug}/register", data=form(2, type="mayor", email="mayor@town.gov"))
    assert statuses() == {"partner@ngo.org": "pending", "mayor@town.gov": "confirmed"}
    assert registration_queries.seats_left(meeting) == 4          # pending holds no seat
    assert "<p>Registrations as partner organization wait for our staff to confirm them.</p>" in client.get(
        f"/meetings/{meeting.slug}/register").get_data(as_text=True)
    login_as("staff")
    partner = db.session.execute(select(Registration).where(Registration.email == "partner@ngo.org")).scalar_one()
    response = client.post(f"/staff/registrations/{partner.id}/approve")
    assert response.status_code == 303
    db.session.expire_all()
    assert statuses() == {"partner@ngo.org": "confirmed", "mayor@town.gov": "confirmed"}
    assert [k for k, _ in outbox()] == ["registration_received", "registration_received", "registration_approved"]


def test_a_full_meeting_waitlists_and_a_cancellation_promotes_the_first_in_line(client, make_meeting):
    meeting = future_meeting(make_meeting, capacity=1)
    db.session.commit()
    for n in (1, 2, 3):
        client.post(f"/meetings/{meeting.slug}/register", data=form(n))
    assert statuses() == {"mayor1@town.gov": "confirmed", "mayor2@town.gov": "waitlisted", "mayor3@town.gov": "waitlisted"}
    assert "The meeting is full: new registrations join the waitlist" in client.get(f"/meetings/{meeting.slug}/register").get_data(as_text=True)
    first = db.session.execute(select(Registration).where(Registration.email == "mayor1@town.gov")).scalar_one()
    promoted = services.cancel(first)
    db.session.commit()
    assert [r.email for r in promoted] == ["mayor2@town.gov"]
    assert statuses() == {"mayor1@town.gov": "cancelled", "mayor2@town.gov": "confirmed", "mayor3@town.gov": "waitlisted"}
    assert registration_queries.waitlist_position(db.session.execute(
        select(Registration).where(Registration.email == "mayor3@town.gov")).scalar_one()) == 1


def test_the_rate_limit_answers_429(make_app, make_meeting):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="2 per minute")
    with app.app_context():
        from mipevents.meetings.models import Meeting
        meeting = Meeting(slug="limited", name="Limited", kind="summer", status="published", starts_on=TODAY + timedelta(days=9),
                          ends_on=TODAY + timedelta(days=10), timezone="America/Chicago")
        db.session.add(meeting)
        db.session.commit()
        client = app.test_client()
        codes = [client.post("/meetings/limited/register", data=form(n)).status_code for n in (1, 2, 3)]
        assert codes == [303, 303, 429]
        assert client.get("/meetings/limited/register").status_code == 200   # reading is not limited
        assert count(Registration) == 2


def test_the_form_needs_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from mipevents.meetings.models import Meeting
        db.session.add(Meeting(slug="csrf", name="Csrf", kind="summer", status="published", starts_on=TODAY + timedelta(days=9),
                               ends_on=TODAY + timedelta(days=10), timezone="America/Chicago"))
        db.session.commit()
        response = app.test_client().post("/meetings/csrf/register", data=form())
        assert response.status_code == 400
        assert count(Registration) == 0
