"""Applying through the public form and the private link: drafts, submissions, updates, the deadline."""
from datetime import timedelta

from sqlalchemy import func, select

from mipevents.calls.models import Answer, Application
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person, Token
from tests.calls.conftest import form_data


def _counts():
    return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Application, Answer, Person, Token, OutboxMessage)}


def _only(model):
    return db.session.execute(select(model)).scalar_one()


def test_submitting_creates_the_application_and_emails_its_private_link(client, make_call):
    call = make_call()
    db.session.commit()
    response = client.post(f"/calls/{call.slug}/apply", data=form_data(call, email="Mayor@Tacoma.gov"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.slug}/applied"
    application = _only(Application)
    assert (application.status, application.email, application.city, application.state) == \
        ("submitted", "mayor@tacoma.gov", "Tacoma", "WA")
    assert sorted(a.value for a in application.answers) == ["", "First term", "To learn from peers.", "yes"]
    message = _only(OutboxMessage)
    assert (message.kind, message.to_email, message.context["event"]) == ("calls.application", "mayor@tacoma.gov", "submitted")
    page = client.get(f"/calls/application/{message.context['link_token']}")
    assert page.status_code == 200
    assert "Submitted" in page.get_data(as_text=True)


def test_a_draft_needs_only_the_name_and_email(client, make_call):
    call = make_call()
    db.session.commit()
    response = client.post(f"/calls/{call.slug}/apply", data={"mayor_name": "Mayor Ana Ruiz", "email": "ana@city.gov",
                                                              "action": "save"})
    assert response.status_code == 302
    assert _only(Application).status == "draft"
    assert _only(OutboxMessage).context["event"] == "saved"


def test_submitting_an_incomplete_application_says_what_is_missing_and_writes_nothing(client, make_call):
    call = make_call()
    db.session.commit()
    before = _counts()
    why = call.questions[0]
    response = client.post(f"/calls/{call.slug}/apply", data=form_data(call, city="", state="Wisconsin", **{
        f"q_{why.id}": "word " * 21}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter the city." in html
    assert "Use the two-letter abbreviation, e.g. WI." in html
    assert "Please keep this to 20 words; it has 21." in html
    assert _counts() == before


def test_a_bad_email_is_refused_with_a_clear_message(client, make_call):
    call = make_call()
    db.session.commit()
    response = client.post(f"/calls/{call.slug}/apply", data=form_data(call, email="not-an-email"))
    assert response.status_code == 422
    assert "Enter an email address like mayor@city.gov." in response.get_data(as_text=True)


def test_a_late_submission_is_refused_and_writes_nothing(client, make_call):
    call = make_call(opens_in=timedelta(days=-20), deadline_in=timedelta(seconds=-1))
    db.session.commit()
    before = _counts()
    response = client.post(f"/calls/{call.slug}/apply", data=form_data(call))
    assert response.status_code == 409
    assert "applications are no longer accepted" in response.get_data(as_text=True)
    assert _counts() == before


def test_a_late_edit_through_the_private_link_is_refused_and_writes_nothing(client, make_call, application_values, app):
    from mipevents.calls import services
    from mipevents.core.timeutil import utcnow

    call = make_call()
    application, _ = services.apply(call, application_values(call), submit=True)
    token = db.session.execute(select(OutboxMessage)).scalar_one().context["link_token"]
    call.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    before = _counts()
    response = client.post(f"/calls/application/{token}", data=form_data(call, city="Elsewhere"))
    assert response.status_code == 409
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Application, application.id).city == "Tacoma"


def test_a_second_submission_updates_the_first(client, make_call):
    call = make_call()
    db.session.commit()
    assert client.post(f"/calls/{call.slug}/apply", data=form_data(call)).status_code == 302
    why = call.questions[0]
    second = form_data(call, email="MAYOR@tacoma.gov", city="Tacoma Heights", **{f"q_{why.id}": "Changed my mind."})
    assert client.post(f"/calls/{call.slug}/apply", data=second).status_code == 302
    application = _only(Application)
    assert application.city == "Tacoma Heights"
    assert application.answer_for(why.id).value == "Changed my mind."
    assert db.session.execute(select(func.count()).select_from(Answer)).scalar_one() == len(call.questions)
    events = db.session.execute(select(OutboxMessage.context).order_by(OutboxMessage.id)).scalars().all()
    assert [e["event"] for e in events] == ["submitted", "updated"]


def test_the_honeypot_answers_like_a_success_and_writes_nothing(client, make_call):
    call = make_call()
    db.session.commit()
    before = _counts()
    response = client.post(f"/calls/{call.slug}/apply", data=form_data(call, website="http://spam.example"))
    assert response.status_code == 302
    assert _counts() == before


def test_a_scheduler_applying_for_the_mayor_gets_a_copy(client, make_call):
    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data=form_data(call, scheduler_email="Scheduler@Tacoma.gov"))
    to = db.session.execute(select(OutboxMessage.to_email).order_by(OutboxMessage.id)).scalars().all()
    assert to == ["mayor@tacoma.gov", "scheduler@tacoma.gov"]
    application = _only(Application)
    assert (application.email, application.scheduler_email) == ("mayor@tacoma.gov", "scheduler@tacoma.gov")
    # The mayor is the person; the scheduler's address makes nobody a person.
    assert db.session.execute(select(Person.email)).scalars().all() == ["mayor@tacoma.gov"]


def test_the_private_link_edits_and_submits_a_draft(client, make_call):
    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data={"mayor_name": "Mayor Ana Ruiz", "email": "ana@city.gov", "action": "save"})
    token = _only(OutboxMessage).context["link_token"]
    response = client.post(f"/calls/application/{token}", data=form_data(call, mayor_name="Mayor Ana Ruiz", email="evil@x.org"))
    assert response.status_code == 302
    application = _only(Application)
    assert (application.status, application.email) == ("submitted", "ana@city.gov")
    kinds = db.session.execute(select(OutboxMessage.context).order_by(OutboxMessage.id)).scalars().all()
    assert [k["event"] for k in kinds] == ["saved", "submitted"]


def test_withdrawing_through_the_private_link(client, make_call):
    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data=form_data(call))
    token = _only(OutboxMessage).context["link_token"]
    assert client.post(f"/calls/application/{token}/withdraw").status_code == 302
    assert _only(Application).status == "withdrawn"


def test_a_revoked_or_unknown_link_answers_404(client, make_call):
    from mipevents.people.services import revoke_tokens

    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data=form_data(call))
    token = _only(OutboxMessage).context["link_token"]
    application = _only(Application)
    revoke_tokens(application.person, "application", application.id)
    db.session.commit()
    assert client.get(f"/calls/application/{token}").status_code == 404
    assert client.get("/calls/application/not-a-token").status_code == 404


def test_a_draft_call_is_not_public(client, make_call):
    call = make_call(status="draft")
    db.session.commit()
    assert client.get(f"/calls/{call.slug}/").status_code == 404
    assert client.post(f"/calls/{call.slug}/apply", data=form_data(call)).status_code == 404


def test_the_calls_page_lists_open_and_upcoming_calls_with_time_left(client, make_call):
    open_call = make_call(title="Third cohort", deadline_in=timedelta(days=6, hours=2))
    make_call(title="Next year", opens_in=timedelta(days=30), deadline_in=timedelta(days=60))
    make_call(title="Long gone", opens_in=timedelta(days=-60), deadline_in=timedelta(days=-30))
    db.session.commit()
    html = client.get("/calls/").get_data(as_text=True)
    assert "Third cohort" in html and "Next year" in html and "Long gone" not in html
    assert "— 6 days left" in html
    assert client.get(f"/calls/{open_call.slug}/").status_code == 200
    assert client.get(f"/calls/{open_call.slug}/apply").status_code == 200


def test_the_apply_form_is_rate_limited_per_address(make_app, make_cohort):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTRATION="2 per minute")
    with app.app_context():
        from mipevents.calls.models import Call
        from mipevents.core.timeutil import utcnow

        cohort = make_cohort()
        call = Call(slug="rate", title="Rate", kind="cohort", cohort_id=cohort.id, status="published",
                    opens_at=utcnow() - timedelta(days=1), deadline_at=utcnow() + timedelta(days=1))
        db.session.add(call)
        db.session.commit()
        client = app.test_client()
        codes = [client.post("/calls/rate/apply", data={"mayor_name": "A", "email": f"a{i}@x.gov", "action": "save"}).status_code
                 for i in range(3)]
        assert codes == [302, 302, 429]


def test_erasing_a_scheduler_removes_their_email_from_the_application(client, make_call, make_person):
    from mipevents.workflows.erasure import erase_person

    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data=form_data(call, scheduler_email="scheduler@tacoma.gov"))
    erase_person(make_person("scheduler@tacoma.gov"), actor=None)
    db.session.commit()
    application = _only(Application)
    assert (application.email, application.scheduler_email) == ("mayor@tacoma.gov", "")


def test_reset_my_link_cuts_off_every_old_link_and_emails_a_new_one(client, make_call):
    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data=form_data(call, scheduler_email="scheduler@tacoma.gov"))
    old = [m.context["link_token"] for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
    assert client.post(f"/calls/application/{old[1]}/reset-link").status_code == 200
    assert [client.get(f"/calls/application/{t}").status_code for t in old] == [404, 404]
    newest = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    assert (newest.to_email, newest.context["event"]) == ("mayor@tacoma.gov", "link")
    assert client.get(f"/calls/application/{newest.context['link_token']}").status_code == 200


def test_a_call_that_has_not_opened_says_when_it_opens_and_takes_nothing(client, make_call):
    call = make_call(opens_in=timedelta(days=3), deadline_in=timedelta(days=30))
    db.session.commit()
    page = client.get(f"/calls/{call.slug}/apply")
    assert page.status_code == 200
    assert "This call opens " in page.get_data(as_text=True)
    before = _counts()
    assert client.post(f"/calls/{call.slug}/apply", data=form_data(call)).status_code == 409
    assert _counts() == before


def test_a_public_draft_save_never_overwrites_a_submitted_application(client, make_call):
    call = make_call()
    db.session.commit()
    client.post(f"/calls/{call.slug}/apply", data=form_data(call))
    response = client.post(f"/calls/{call.slug}/apply", data={"mayor_name": "Someone Else", "email": "mayor@tacoma.gov",
                                                              "action": "save"})
    assert response.status_code == 302
    application = _only(Application)
    assert (application.status, application.mayor_name, application.city) == ("submitted", "Mayor Kim Norton", "Tacoma")
    events = db.session.execute(select(OutboxMessage.context).order_by(OutboxMessage.id)).scalars().all()
    assert [e["event"] for e in events] == ["submitted", "updated"]
