"""Factories for the calls tests: a programme with a cohort, a call (cohort or showcase) with questions,
and applications."""
from datetime import timedelta
from itertools import count

import pytest

_n = count(1)


@pytest.fixture
def make_cohort(app):
    from mipevents.cohorts.models import Cohort, Programme
    from mipevents.extensions import db

    def factory(status="draft", **over):
        n = next(_n)
        programme = Programme(slug=f"programme-{n}", name=f"Women Mayors' Network {n}", status="published")
        values = {"slug": f"cohort-{n}", "name": f"Third cohort {n}", "status": status, "programme": programme}
        values.update(over)
        cohort = Cohort(**values)
        db.session.add(cohort)
        db.session.flush()
        return cohort
    return factory


@pytest.fixture
def make_call(app, make_cohort):
    """make_call(kind="cohort"|"showcase", meeting=..., deadline_in=timedelta(days=10), questions=True)."""
    from mipevents.calls import services
    from mipevents.calls.models import Call
    from mipevents.core.timeutil import utcnow
    from mipevents.extensions import db

    def factory(kind="cohort", meeting=None, cohort=None, deadline_in=timedelta(days=10), opens_in=timedelta(days=-5),
                questions=True, **over):
        n = next(_n)
        now = utcnow()
        values = {"slug": f"call-{n}", "title": f"Apply to cohort {n}", "kind": kind, "status": "published",
                  "opens_at": now + opens_in, "deadline_at": now + deadline_in, "timezone": "America/Chicago",
                  "description": "Applications are now open."}
        if kind == "cohort":
            values["cohort_id"] = (cohort or make_cohort()).id
        else:
            values["meeting_id"] = meeting.id
        values.update(over)
        call = Call(**values)
        db.session.add(call)
        db.session.flush()
        if questions:
            services.add_question(call, kind="long_text", prompt="Why do you want to join?", word_limit=20)
            services.add_question(call, kind="choice", prompt="Term", choices=["First term", "Second term or later"])
            services.add_question(call, kind="yes_no", prompt="Can you attend the convenings?")
            services.add_question(call, kind="short_text", prompt="Website", is_required=False)
        return call
    return factory


@pytest.fixture
def application_values():
    """ApplicationValues for a call, complete enough to submit."""
    from mipevents.calls.services import ApplicationValues

    def factory(call, email="mayor@tacoma.gov", name="Mayor Kim Norton", **over):
        answers = {}
        for q in call.questions:
            answers[q.id] = {"long_text": "To learn from peers.", "choice": q.choices[0] if q.choices else "",
                             "yes_no": "yes", "short_text": ""}[q.kind]
        values = {"email": email, "mayor_name": name, "city": "Tacoma", "state": "WA",
                  "population_band": "100k_250k", "title": "Quick-build crosswalks" if call.is_showcase else "",
                  "summary": "Paint, posts and planters at 30 schools." if call.is_showcase else "", "answers": answers}
        values.update(over)
        return ApplicationValues(**values)
    return factory


def form_data(call, **over):
    """What a browser posts to /calls/<slug>/apply for a complete application."""
    data = {"mayor_name": "Mayor Kim Norton", "email": "mayor@tacoma.gov", "city": "Tacoma", "state": "WA",
            "population_band": "100k_250k", "scheduler_email": "", "website": "", "action": "submit"}
    if call.is_showcase:
        data.update(title="Quick-build crosswalks", summary="Paint, posts and planters at 30 schools.")
    for q in call.questions:
        data[f"q_{q.id}"] = {"long_text": "To learn from peers.", "choice": q.choices[0] if q.choices else "",
                             "yes_no": "yes", "short_text": ""}[q.kind]
    data.update(over)
    return data
