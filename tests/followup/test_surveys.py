"""Surveys from the follow-up link: staff questions plus "will you try something from this?", one
answer per person (editable until it closes), per-idea questions for a showcase, results and CSV for
staff only; survey links are their own purpose and go with the person on erasure."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from mipevents.core.timeutil import set_clock, utcnow
from mipevents.extensions import db
from mipevents.followup import results as survey_results
from mipevents.followup import services
from mipevents.followup.models import FollowupOptOut, SurveyAnswer
from mipevents.people.models import Token
from mipevents.people.services import mint_token, person_for_email
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.workflows.erasure import erase_person


def _registration(meeting, email="ana@city.gov"):
    person = person_for_email(email, "Ana Lopez")
    registration = Registration(person=person, meeting_id=meeting.id, status="confirmed", first_name="Ana",
                                last_name="Lopez", email=email)
    db.session.add(registration)
    db.session.flush()
    return registration


@pytest.fixture
def survey(make_meeting, make_item):
    meeting = make_meeting(status="published")
    panel = make_item(meeting, title="Flood finance")
    survey = services.save_survey(panel, actor=None, closes_at=utcnow() + timedelta(days=10), questions=(
        "rating: How useful was it?\nchoice: Which part helped most? | The data | The money\ntext: What would you change?"))
    db.session.commit()
    return survey


def test_staff_questions_are_parsed_and_bad_lines_named():
    assert services.parse_questions("rating: Useful?\n\nchoice: Best? | A | B") == [
        {"key": "q1", "kind": "rating", "text": "Useful?", "options": []},
        {"key": "q2", "kind": "choice", "text": "Best?", "options": ["A", "B"]}]
    with pytest.raises(services.FollowupProblem, match="Line 2: a choice needs at least two options"):
        services.parse_questions("text: Why?\nchoice: Best? | A")
    with pytest.raises(services.FollowupProblem, match="Line 1: start with rating:, choice: or text:"):
        services.parse_questions("How useful?")


def test_one_answer_per_person_editable_until_the_survey_closes(client, survey, controlled_clock):
    registration = _registration(survey.item.meeting)
    token = mint_token(registration.person, "survey", registration.id)
    db.session.commit()
    url = f"/followup/{token}/surveys/{survey.id}"
    page = client.get(f"/followup/{token}").get_data(as_text=True)
    assert "What did you think of Flood finance?" in page and "Will you try something from this in your city?" in page
    assert client.post(url, data={"q1": "4", "q2": "The data", "try": "yes", "try_what": "Resilience bonds"}).status_code == 303
    assert client.post(url, data={"q1": "5", "q2": "The money", "q3": "=HYPERLINK(1)", "try": "maybe"}).status_code == 303
    assert db.session.execute(select(SurveyAnswer.answers)).scalars().all() == [
        {"q1": 5, "q2": "The money", "q3": "=HYPERLINK(1)", "try": "maybe"}]
    bad = client.post(url, data={"q1": "9"})
    assert bad.status_code == 422
    assert "Choose from 1 to 5." in bad.get_data(as_text=True)
    assert client.post(url, data={"q2": "Something else"}).status_code == 422

    with pytest.raises(services.FollowupProblem, match="This survey has closed."):
        services.answer(survey, registration, {"q1": "1"}, now=survey.closes_at)
    set_clock(survey.closes_at)             # the only survey closes: so does the link (410, said plainly)
    gone = client.post(url, data={"q1": "1"})
    assert (gone.status_code, gone.headers["Cache-Control"]) == (410, "no-store")
    assert "<h1>This link has expired</h1>" in gone.get_data(as_text=True)
    assert db.session.execute(select(SurveyAnswer.answers)).scalar_one()["q1"] == 5

    results = survey_results.results(survey)
    assert (results.answers, results.try_counts, results.questions[0].average) == (
        1, [("Yes", 0), ("Maybe", 1), ("No", 0)], 5.0)
    assert survey_results.results_csv(survey).splitlines()[1].split(",")[1:] == ["5", "The money", "'=HYPERLINK(1)", "maybe", ""]


def test_a_link_opens_only_its_own_registration_s_surveys(client, survey, make_meeting):
    other_meeting = make_meeting(status="published")
    outsider = _registration(other_meeting, "bo@city.gov")
    token = mint_token(outsider.person, "survey", outsider.id)
    manage = mint_token(outsider.person, "manage", outsider.id)
    db.session.commit()
    assert client.post(f"/followup/{token}/surveys/{survey.id}", data={"q1": "1"}).status_code == 404
    assert client.get(f"/followup/{manage}").status_code == 404          # another purpose
    assert client.get("/followup/not-a-token").status_code == 404
    assert db.session.execute(select(SurveyAnswer)).first() is None


def test_a_showcase_survey_asks_of_each_idea_and_staff_see_the_share_of_yes(client, login_as, make_meeting, make_item):
    meeting = make_meeting(status="published")
    showcase = make_item(meeting, kind="showcase", title="Innovation Showcase")
    slots = [ShowcaseSlot(item_id=showcase.id, presenter_name=name, title=title, position=n)
             for n, (name, title) in enumerate([("Rivera", "Lead lines"), ("Okafor", "Missing middle")])]
    db.session.add_all(slots)
    survey = services.save_survey(showcase, questions="", closes_at=utcnow() + timedelta(days=3), actor=None)
    db.session.flush()
    for n, (first, second) in enumerate([("yes", "no"), ("yes", "yes"), ("maybe", "")]):
        services.answer(survey, _registration(meeting, f"m{n}@city.gov"),
                        {f"try:{slots[0].id}": first, f"try:{slots[1].id}": second, "try": "yes"})
    db.session.commit()
    assert [(slot.title, yes, answered, share) for slot, yes, answered, share in survey_results.results(survey).ideas] == [
        ("Lead lines", 2, 3, 0.667), ("Missing middle", 1, 2, 0.5)]
    assert client.get(f"/staff/after/surveys/{survey.id}/results").status_code == 302   # staff only
    login_as("staff")
    page = client.get(f"/staff/after/surveys/{survey.id}/results").get_data(as_text=True)
    assert "<tr><td>Lead lines</td><td>2</td><td>3</td><td>67%</td></tr>" in page
    assert '<p class="share-yes">Yes: 100%</p>' in page


def test_erasing_a_person_removes_their_answers_opt_out_and_survey_links(survey):
    registration = _registration(survey.item.meeting)
    services.answer(survey, registration, {"q3": "I am Ana from Tacoma", "try": "yes"})
    services.opt_out(registration.person)
    mint_token(registration.person, "survey", registration.id)
    db.session.commit()
    report = erase_person(registration.person, actor=None)
    assert report.done["survey answers deleted"] == 1
    assert report.done["follow-up opt-outs removed"] == 1
    assert db.session.execute(select(SurveyAnswer)).first() is None
    assert db.session.execute(select(FollowupOptOut)).first() is None
    assert db.session.execute(select(Token).where(Token.purpose == "survey")).first() is None
