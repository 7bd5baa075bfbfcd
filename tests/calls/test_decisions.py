"""Review and decisions: scores hidden until one scores, release sends one email each (read from a
real SMTP server), acceptances become cohort members or showcase slots."""
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from mipevents.calls import review, services
from mipevents.calls.models import Application
from mipevents.cohorts.models import CohortMember
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.workflows import call_decisions


@pytest.fixture
def mail_app(app, make_app, smtp_server):
    """The app delivering to the in-process SMTP server (its context above the default app's)."""
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        yield app


def _staff(email="staff@mip.test", role="staff"):
    from mipevents.accounts.services import create_user

    return create_user(email, "correct horse battery staple", role=role)


def _submitted(call, application_values, emails):
    return [services.apply(call, application_values(call, email=e, name=f"Mayor {e.split('@')[0].title()}"), submit=True)[0]
            for e in emails]


def test_releasing_decisions_twice_sends_each_applicant_one_email(mail_app, smtp_server, make_call, application_values):
    from mipevents.notify.delivery import send_pending

    call = make_call()
    staff = _staff()
    yes, no, undecided = _submitted(call, application_values, ["yes@a.gov", "no@b.gov", "later@c.gov"])
    review.change_status(yes, "accept", actor=staff)
    review.change_status(no, "decline", actor=staff)
    db.session.commit()
    send_pending()
    smtp_server.messages.clear()

    assert call_decisions.release_decisions(call, actor=staff) == 2
    db.session.commit()
    assert call_decisions.release_decisions(call, actor=staff) == 0
    db.session.commit()
    send_pending()
    assert call_decisions.release_decisions(call, actor=staff) == 0
    db.session.commit()
    send_pending()

    assert [m["Subject"] for m in smtp_server.to("yes@a.gov")] == [f"Accepted: {call.short_title}"]
    assert [m["Subject"] for m in smtp_server.to("no@b.gov")] == [f"Your application: {call.short_title}"]
    assert smtp_server.to("later@c.gov") == []
    accepted = smtp_server.to("yes@a.gov")[0]
    text = accepted.get_body(("plain",)).get_content()
    assert f"you are accepted into {call.cohort.name}" in text
    # A new member gets their personal feed (the cohort's events), and the outbox forgets the token once sent.
    feed_url = next(line for line in text.splitlines() if "/calendar/" in line).strip()
    assert feed_url.startswith("http://mipevents.test/calendar/") and feed_url.endswith(".ics")
    assert all("feed_token" not in m.context for m in db.session.execute(select(OutboxMessage)).scalars())
    assert accepted.get_body(("html",)) is not None
    # The member exists once, even after three releases.
    members = db.session.execute(select(CohortMember)).scalars().all()
    assert [(m.person_id, m.name, m.city) for m in members] == [(yes.person_id, "Mayor Yes", "Tacoma")]


def test_a_late_decision_is_released_on_its_own(app, make_call, application_values):
    call = make_call()
    staff = _staff()
    first, second = _submitted(call, application_values, ["one@a.gov", "two@b.gov"])
    review.change_status(first, "accept", actor=staff)
    call_decisions.release_decisions(call, actor=staff)
    review.change_status(second, "decline", actor=staff)
    assert call_decisions.release_decisions(call, actor=staff) == 1
    keys = db.session.execute(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "calls.decision")
                              .order_by(OutboxMessage.id)).scalars().all()
    assert keys == [f"calls.decision:{first.id}", f"calls.decision:{second.id}"]


def test_a_released_decision_cannot_change(app, make_call, application_values):
    from mipevents.calls.states import InvalidTransition

    call = make_call()
    staff = _staff()
    (application,) = _submitted(call, application_values, ["one@a.gov"])
    review.change_status(application, "accept", actor=staff)
    call_decisions.release_decisions(call, actor=staff)
    with pytest.raises(InvalidTransition):
        review.change_status(application, "decline", actor=staff)


def test_an_accepted_showcase_proposal_joins_the_line_up_last_with_its_planned_time(app, make_call, make_meeting, make_item,
                                                                                    application_values):
    from mipevents.showcase.models import ShowcaseSlot
    from mipevents.showcase.queries import lineup, plan

    meeting = make_meeting(timezone="America/Chicago", starts_on=date(2026, 7, 15), ends_on=date(2026, 7, 17))
    showcase = make_item(meeting, at=datetime(2026, 7, 16, 10, 45), minutes=45, kind="showcase", title="Innovation Showcase")
    for position, name in enumerate(["Mayor One", "Mayor Two"]):
        db.session.add(ShowcaseSlot(item_id=showcase.id, presenter_name=name, title=f"Idea {position}", position=position))
    call = make_call(kind="showcase", meeting=meeting, questions=False, title="Showcase proposals")
    staff = _staff()
    (proposal,) = _submitted(call, application_values, ["nguyen@tempe.gov"])
    review.change_status(proposal, "accept", actor=staff)
    version = meeting.agenda_version
    call_decisions.release_decisions(call, actor=staff)
    db.session.commit()

    slots = lineup(showcase)
    assert [s.presenter_name for s in slots] == ["Mayor One", "Mayor Two", "Mayor Nguyen"]
    new = slots[-1]
    assert (new.status, new.city, new.state, new.title, new.summary, new.position) == \
        ("draft", "Tacoma", "WA", "Quick-build crosswalks", "Paint, posts and planters at 30 schools.", 2)
    planned = dict((s.id, p) for s, p in plan(showcase, slots))[new.id]
    # 10:45 CDT plus two 3-minute slots and two 15-second changeovers.
    assert planned.starts_at == datetime.combine(date(2026, 7, 16), time(15, 51, 30)).replace(tzinfo=planned.starts_at.tzinfo)
    assert planned.starts_at.utcoffset() == timedelta(0)
    assert meeting.agenda_version == version + 1
    assert db.session.get(Application, proposal.id).showcase_slot_id == new.id


def test_release_without_a_showcase_session_changes_nothing(app, make_call, make_meeting, application_values):
    meeting = make_meeting()
    call = make_call(kind="showcase", meeting=meeting, questions=False)
    staff = _staff()
    (proposal,) = _submitted(call, application_values, ["x@a.gov"])
    review.change_status(proposal, "accept", actor=staff)
    with pytest.raises(call_decisions.ReleaseProblem):
        call_decisions.release_decisions(call, actor=staff)
    assert proposal.decision_released_at is None
    assert db.session.execute(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.kind == "calls.decision")).scalar_one() == 0


def test_reviewers_see_the_others_scores_only_after_scoring(client, login_as, make_call, application_values):
    call = make_call()
    (application,) = _submitted(call, application_values, ["one@a.gov"])
    first = _staff("first@mip.test", role="reviewer")
    review.save_review(application, first, 5, "Strong, clear plan.")
    db.session.commit()
    me = login_as("reviewer")
    url = f"/staff/calls/applications/{application.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Score this application to see the other reviewers’ scores and notes." in html
    assert "Strong, clear plan." not in html
    listing = client.get(f"/staff/calls/{call.id}/applications").get_data(as_text=True)
    assert "score to see" in listing
    assert client.post(f"{url}/review", data={"score": "3", "notes": "Fine."}).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert '<strong class="average">4.0</strong> from 2 reviews' in html
    assert "Strong, clear plan." in html
    assert [r.reviewer_id for r in db.session.get(Application, application.id).reviews] == [first.id, me.id]


def test_a_score_outside_one_to_five_is_refused(client, login_as, make_call, application_values):
    call = make_call()
    (application,) = _submitted(call, application_values, ["one@a.gov"])
    db.session.commit()
    login_as("reviewer")
    response = client.post(f"/staff/calls/applications/{application.id}/review", data={"score": "6"})
    assert response.status_code == 422
    assert db.session.get(Application, application.id).reviews == []


def test_reviewers_cannot_decide(client, login_as, make_call, application_values):
    call = make_call()
    (application,) = _submitted(call, application_values, ["one@a.gov"])
    db.session.commit()
    login_as("reviewer")
    assert client.post(f"/staff/calls/applications/{application.id}/status", data={"action": "accept"}).status_code == 403
    assert client.post(f"/staff/calls/{call.id}/release").status_code == 403


def test_staff_accept_and_release_through_the_pages(client, login_as, make_call, application_values):
    call = make_call()
    (application,) = _submitted(call, application_values, ["one@a.gov"])
    db.session.commit()
    login_as("staff")
    assert client.post(f"/staff/calls/applications/{application.id}/status", data={"action": "accept"}).status_code == 302
    assert client.post(f"/staff/calls/{call.id}/release").status_code == 302
    assert client.post(f"/staff/calls/{call.id}/release").status_code == 302
    assert db.session.execute(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.kind == "calls.decision")).scalar_one() == 1


def test_the_review_list_sorts_filters_and_exports(client, login_as, make_call, application_values):
    call = make_call()
    a, b, c = _submitted(call, application_values, ["b@x.gov", "a@x.gov", "c@x.gov"])
    a.city, b.city, c.city = "Bend", "Austin", "Cary"
    me = login_as("staff")
    review.save_review(a, me, 2)
    review.save_review(b, me, 5)
    review.change_status(c, "shortlist", actor=me)
    db.session.commit()
    html = client.get(f"/staff/calls/{call.id}/applications?sort=average&dir=desc").get_data(as_text=True)
    assert html.index("Mayor A") < html.index("Mayor B") < html.index("Mayor C")
    html = client.get(f"/staff/calls/{call.id}/applications?sort=city").get_data(as_text=True)
    assert html.index("Austin") < html.index("Bend") < html.index("Cary")
    html = client.get(f"/staff/calls/{call.id}/applications?status=shortlisted").get_data(as_text=True)
    assert "Mayor C" in html and "Mayor A" not in html
    csv = client.get(f"/staff/calls/{call.id}/applications.csv?sort=name")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0] == ("id,status,submitted,mayor,email,scheduler_email,city,state,population,"
                        "Why do you want to join?,Term,Can you attend the convenings?,Website,your_score,average,reviews")
    assert [line.split(",")[3] for line in lines[1:]] == ["Mayor A", "Mayor B", "Mayor C"]
    assert lines[1].endswith(",5,5.0,1")


def test_the_csv_does_not_let_a_spreadsheet_run_an_answer(client, login_as, make_call, application_values):
    call = make_call()
    services.apply(call, application_values(call, email="x@x.gov", name="=HYPERLINK(\"http://evil\")"), submit=True)
    db.session.commit()
    login_as("staff")
    body = client.get(f"/staff/calls/{call.id}/applications.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_the_csv_header_does_not_let_a_spreadsheet_run_a_question_prompt(client, login_as, make_call):
    call = make_call(questions=False)
    services.add_question(call, kind="short_text", prompt="=HYPERLINK(\"http://evil\")", is_required=False)
    services.add_question(call, kind="short_text", prompt="@SUM(A1)", is_required=False)
    db.session.commit()
    login_as("staff")
    header = client.get(f"/staff/calls/{call.id}/applications.csv").get_data(as_text=True).splitlines()[0]
    assert header == ("id,status,submitted,mayor,email,scheduler_email,city,state,population,"
                      "\"'=HYPERLINK(\"\"http://evil\"\")\",'@SUM(A1),your_score,average,reviews")


def test_anonymous_visitors_get_no_staff_call_page(client, make_call):
    call = make_call()
    db.session.commit()
    for url in ("/staff/calls/", f"/staff/calls/{call.id}/applications", f"/staff/calls/{call.id}/edit",
                "/staff/programmes/"):
        assert client.get(url).status_code == 302
