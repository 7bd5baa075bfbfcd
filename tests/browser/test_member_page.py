"""A cohort member on a phone opens their private page of the cohort's events (the link of their
welcome email), asks for the link to their registration, registers for the academy in one click, and
the member page and the application's scheduler-removal page pass axe."""
from datetime import date, datetime, time, timedelta

from mipevents.calls.models import Application
from mipevents.cohorts import services as cohorts
from mipevents.extensions import db
from mipevents.people.services import mint_token, person_for_email
from mipevents.registration import services as registration
from tests.calls.conftest import make_call, make_cohort  # noqa: F401  (fixtures)


def test_a_member_finds_the_cohorts_events_on_a_phone(start_server, make_cohort, make_meeting, make_item,  # noqa: F811
                                                       make_webinar, make_call, phone_page, assert_accessible):  # noqa: F811
    cohort = make_cohort(status="published")
    soon = date.today() + timedelta(days=7)
    academy = make_meeting(name="Housing Academy", cohort_id=cohort.id, starts_on=soon, ends_on=soon)
    make_item(academy, at=datetime.combine(soon, time(9, 0)), title="Zoning labs", kind="workshop")
    briefing = make_webinar(title="Cohort briefing", cohort_id=cohort.id)
    member = cohorts.add_member(cohort, {"email": "mayor@oak.gov", "name": "Mayor Oak", "city": "Oak", "state": "IA"},
                                actor=None)
    registration.register(briefing, {"first_name": "Ana", "last_name": "Oak", "email": "mayor@oak.gov",
                                     "role": "mayor", "consent": True})
    application = Application(call=make_call(), person=member.person, email="mayor@oak.gov", mayor_name="Mayor Oak",
                              scheduler_email="clerk@oak.gov", status="submitted")
    person_for_email("clerk@oak.gov")
    db.session.add(application)
    db.session.flush()
    page_token = mint_token(member.person, "member")
    application_token = mint_token(member.person, "application", application.id)
    db.session.commit()
    server = start_server(workers=1)

    page = phone_page
    page.goto(f"{server.url}/cohort/{page_token}")
    assert page.get_by_role("heading", level=3).all_inner_texts() == ["Housing Academy", "Cohort briefing"]
    assert page.get_by_text("Zoning labs").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Email me the link to my registration").click()
    page.wait_for_url(f"{server.url}/cohort/{page_token}")
    assert page.get_by_text("We have emailed the link to your registration to mayor@oak.gov.").count() == 1
    page.get_by_role("button", name="Register me for Housing Academy").click()      # one click: their link proves who
    page.wait_for_url(f"{server.url}/cohort/{page_token}")
    assert page.get_by_text("Done: you are registered. We have emailed the details to mayor@oak.gov.").count() == 1
    assert page.get_by_text("Your registration: Confirmed").count() == 2

    page.goto(f"{server.url}/calls/application/{application_token}/scheduler/remove")
    assert page.get_by_role("heading", level=1).inner_text() == "Remove clerk@oak.gov?"
    assert_accessible(page)
    page.get_by_role("button", name="Remove this scheduler").click()
    page.wait_for_url(f"{server.url}/calls/application/{application_token}")
    assert page.get_by_text("The scheduler is removed").count() == 1
