"""Staff open a call with a local deadline and questions; pages keep a constant number of queries."""
from datetime import UTC, date, datetime

from sqlalchemy import select

from mipevents.calls import services
from mipevents.calls.models import Call
from mipevents.extensions import db


def test_staff_open_a_call_whose_deadline_defaults_to_end_of_day(client, login_as, make_cohort):
    cohort = make_cohort()
    db.session.commit()
    login_as("staff")
    page = client.get("/staff/calls/new").get_data(as_text=True)
    assert 'value="America/Chicago"' in page and 'value="23:59"' in page
    response = client.post("/staff/calls/new", data={
        "title": "Third cohort", "slug": "third-cohort", "kind": "cohort", "cohort_id": str(cohort.id), "meeting_id": "0",
        "description": "Open.", "opens_on": "2025-02-01", "opens_time": "09:00", "deadline_on": "2025-03-14",
        "deadline_time": "23:59", "timezone": "America/Chicago", "status": "published"})
    assert response.status_code == 302
    call = db.session.execute(select(Call)).scalar_one()
    assert call.deadline_at == datetime(2025, 3, 15, 4, 59, tzinfo=UTC)
    assert call.opens_at == datetime(2025, 2, 1, 15, 0, tzinfo=UTC)
    response = client.post(f"/staff/calls/{call.id}/questions", data={
        "question-prompt": "Which term?", "question-kind": "choice", "question-choices": "First\nSecond",
        "question-is_required": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [(q.kind, q.choices) for q in call.questions] == [("choice", ["First", "Second"])]


def test_a_call_form_with_problems_says_so_and_writes_nothing(client, login_as):
    login_as("staff")
    response = client.post("/staff/calls/new", data={
        "title": "", "slug": "Bad Slug", "kind": "cohort", "cohort_id": "0", "meeting_id": "0", "opens_on": "2025-03-01",
        "opens_time": "09:00", "deadline_on": "2025-02-01", "deadline_time": "23:59", "timezone": "Mars/Olympus",
        "status": "draft"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in ("Give the call a title.", "Use lowercase letters, digits and single hyphens, like third-cohort-2026.", "Choose the cohort this call fills.",
                    "Choose a time zone from the list."):
        assert message in html
    assert db.session.execute(select(Call)).first() is None


def test_a_choice_question_needs_two_choices(client, login_as, make_call):
    call = make_call(questions=False)
    db.session.commit()
    login_as("staff")
    response = client.post(f"/staff/calls/{call.id}/questions", data={"question-prompt": "Pick", "question-kind": "choice",
                                                                         "question-choices": "Only"})
    assert response.status_code == 422
    assert "A choice question needs at least two choices" in response.get_data(as_text=True)


def test_the_apply_form_refuses_a_post_without_csrf_token(make_app, make_call):
    call = make_call()
    db.session.commit()
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post(f"/calls/{call.slug}/apply", data={"mayor_name": "A", "email": "a@b.gov", "action": "save"})
    assert response.status_code == 400


def _add_applications(call, application_values, start, n):
    for i in range(start, start + n):
        services.apply(call, application_values(call, email=f"m{i}@city.gov"), submit=True)
    db.session.commit()


def test_the_review_list_takes_the_same_queries_for_more_applications(client, login_as, make_call, application_values,
                                                                      count_queries):
    call = make_call()
    login_as("staff")
    _add_applications(call, application_values, 0, 3)
    url = f"/staff/calls/{call.id}/applications"
    db.session.expire_all()   # the client shares this session: load everything afresh, as a new request does
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _add_applications(call, application_values, 3, 12)
    db.session.expire_all()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count, many.statements


def test_the_calls_page_takes_the_same_queries_for_more_calls(client, make_call, count_queries, app):
    from mipevents.extensions import cache

    make_call()
    db.session.commit()
    with count_queries() as few:
        assert client.get("/calls/").status_code == 200
    for _ in range(5):
        make_call()
    db.session.commit()
    cache.clear()
    with count_queries() as many:
        assert client.get("/calls/").status_code == 200
    assert many.count == few.count


def test_the_deadline_date_in_the_form_reads_back_in_the_calls_zone(client, login_as, make_call):
    call = make_call(timezone="America/New_York")
    call.deadline_at = datetime(2025, 3, 15, 3, 59, tzinfo=UTC)
    call.opens_at = datetime(2025, 2, 1, 14, 0, tzinfo=UTC)
    db.session.commit()
    login_as("staff")
    html = client.get(f"/staff/calls/{call.id}/edit").get_data(as_text=True)
    assert f'value="{date(2025, 3, 14).isoformat()}"' in html and 'value="23:59"' in html


def test_a_call_for_an_unknown_cohort_or_in_year_9999_is_a_field_error_never_a_500(client, login_as, make_cohort):
    cohort = make_cohort()
    db.session.commit()
    login_as("staff")
    base = {"title": "Third cohort", "slug": "third-cohort", "kind": "cohort", "cohort_id": str(cohort.id),
            "meeting_id": "0", "description": "Open.", "opens_on": "2025-02-01", "opens_time": "09:00",
            "deadline_on": "2025-03-14", "deadline_time": "23:59", "timezone": "America/Chicago", "status": "published"}
    for over, message in (({"cohort_id": "999999"}, "Choose the cohort this call fills."),
                          ({"cohort_id": "99999999999999999999"}, "Choose the cohort this call fills."),
                          ({"kind": "showcase", "meeting_id": "424242"}, "Choose the meeting whose showcase this call fills."),
                          ({"deadline_on": "9999-03-14"}, "Enter a date between the years 1990 and 2100.")):
        response = client.post("/staff/calls/new", data={**base, **over})
        assert response.status_code == 422, over
        assert message in response.get_data(as_text=True), over
    assert db.session.execute(select(Call)).scalars().all() == []
