"""A scheduler applies for their mayor from a phone, edits through the private link; staff score,
accept and release; the mayor appears on the published cohort page. axe checks each page."""
from datetime import timedelta

from sqlalchemy import select

from tests.support.links import delivered_link

PASSWORD = "correct horse battery staple"


def _setup(app):
    from mipevents.accounts.services import create_user
    from mipevents.calls import services
    from mipevents.calls.models import Call
    from mipevents.cohorts.models import Cohort, Programme
    from mipevents.core.timeutil import utcnow
    from mipevents.extensions import db

    programme = Programme(slug="women-mayors-network", name="Women Mayors' Network", status="published",
                          description="A peer network for women mayors.")
    cohort = Cohort(programme=programme, slug="third-cohort", name="Third cohort, 2026", status="draft")
    db.session.add(cohort)
    db.session.flush()
    call = Call(slug="third-cohort", title="Apply to the third cohort", kind="cohort", cohort_id=cohort.id,
                status="published", timezone="America/Chicago", opens_at=utcnow() - timedelta(days=3),
                deadline_at=utcnow() + timedelta(days=12), description="Applications are now open.")
    db.session.add(call)
    db.session.flush()
    services.add_question(call, kind="long_text", prompt="What would you like to learn?", word_limit=50)
    services.add_question(call, kind="choice", prompt="Which term are you serving?", choices=["First term", "Second term"])
    services.add_question(call, kind="yes_no", prompt="Can you attend in person?")
    create_user("lead@mip.test", PASSWORD, role="staff", name="Lead Staff")
    db.session.commit()
    return call.id, cohort.id


def _link_for(app, email):
    from mipevents.extensions import db
    from mipevents.notify.models import OutboxMessage

    db.session.rollback()   # end the read transaction: the server's writes are newer than its snapshot
    message = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_email == email)
                                 .order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    return delivered_link(message)


def test_scheduler_applies_staff_accept_and_the_mayor_joins_the_cohort(app, live_server, phone_page, new_page,
                                                                        assert_accessible, staff_login):
    call_id, cohort_id = _setup(app)
    page = phone_page
    page.goto(live_server.url + "/calls/")
    assert_accessible(page)
    page.get_by_role("link", name="Apply to the third cohort").click()
    assert page.locator(".deadline").inner_text().endswith("— 11 days left")
    assert_accessible(page)
    page.get_by_role("link", name="Apply now").click()
    assert_accessible(page)

    # A first try without the state: the form says what is missing, next to the field.
    page.get_by_label("Mayor’s name").fill("Mayor Kim Norton")
    page.get_by_label("Mayor’s email").fill("Kim.Norton@Rochester.gov")
    page.get_by_label("City", exact=True).fill("Rochester")
    page.get_by_label("City population").select_option("100k_250k")
    page.get_by_label("Your email, if you apply on the mayor’s behalf").fill("scheduler@rochester.gov")
    page.get_by_label("What would you like to learn?").fill("How other cities fund safe streets.")
    page.get_by_label("First term").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit application").click()
    assert page.locator("#state-error").inner_text() == "Enter the state."
    assert_accessible(page)
    page.get_by_label("State", exact=True).fill("MN")
    page.get_by_role("button", name="Submit application").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    # The scheduler's copy carries the private link; they change the answer.
    token = _link_for(app, "scheduler@rochester.gov")
    page.goto(f"{live_server.url}/calls/application/{token}")
    assert page.locator(".status").inner_text() == "Submitted"
    assert_accessible(page)
    page.get_by_label("What would you like to learn?").fill("How other cities fund safe streets and housing.")
    page.get_by_role("button", name="Save changes").click()
    assert page.locator(".flash").inner_text() == "Your changes are saved."
    assert page.get_by_label("What would you like to learn?").input_value() == "How other cities fund safe streets and housing."

    # Staff score it, accept it and release the decisions.
    staff = new_page()
    staff_login(staff, live_server, "lead@mip.test", PASSWORD)
    staff.goto(f"{live_server.url}/staff/calls/{call_id}/applications")
    assert_accessible(staff)
    staff.get_by_role("link", name="Mayor Kim Norton").click()
    assert "How other cities fund safe streets and housing." in staff.locator(".answers").inner_text()
    assert_accessible(staff)
    staff.get_by_label("4", exact=True).check()
    staff.get_by_label("Private notes (reviewers and staff only)").fill("Clear goals; strong fit.")
    staff.get_by_role("button", name="Save your score").click()
    assert staff.locator(".average").inner_text() == "4.0"
    staff.get_by_role("button", name="Accept").click()
    assert staff.locator(".flash").inner_text() == "Mayor Kim Norton: accepted."
    staff.goto(f"{live_server.url}/staff/calls/{call_id}/applications")
    staff.get_by_role("button", name="Release decisions").click()
    assert staff.locator(".flash").inner_text() == "Released 1 decision; each applicant gets one email."
    staff.goto(f"{live_server.url}/staff/cohorts/{cohort_id}")
    staff.get_by_role("button", name="Publish the cohort").click()
    assert staff.locator(".flash").inner_text() == "The cohort is published: its members are listed on its public page."

    page.goto(live_server.url + "/cohorts/third-cohort/")
    members = page.locator(".members li")
    assert members.count() == 1
    assert members.first.inner_text().split("\n") == ["Mayor Kim Norton", "Rochester, MN"]
    assert_accessible(page)
