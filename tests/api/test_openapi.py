"""The OpenAPI document tells the truth: schemathesis generates requests from /api/openapi.json
against the app in process and finds no server error and no response its schema does not allow."""
import re
from datetime import date

import email_validator
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.registration.models import Registration
from mipevents.workflows.demo import load_demo

load_all_checks()
CHECKS = REGISTERED_CHECKS.get_all()   # every check schemathesis has, positive data acceptance included

# Addresses a mail server can deliver to: the registration forms refuse the special-use domains
# (.test, .invalid, …) as the email validator does, which a generator of RFC 5322 addresses makes.
schemathesis.openapi.format("email", st.emails().filter(
    lambda address: address.rpartition(".")[2].lower() not in email_validator.SPECIAL_USE_DOMAIN_NAMES))


@pytest.fixture
def demo(app):
    """The demo: a past winter meeting (winter-2025, the document's example slug), an upcoming summer
    meeting and an upcoming webinar, both open for registration."""
    loaded = load_demo(date.today())
    db.session.commit()
    return loaded


def _strategies(operation, demo):
    """Valid and invalid requests, the document's examples, and valid requests aimed at the demo's
    own meetings and webinar (so filters, pages and registrations run against real rows)."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE),
                  *operation.get_strategies_from_examples()]
    if "{slug}" in operation.path:
        slugs = [demo["webinar"]] if operation.path.startswith("/api/v1/webinars/") else demo["meetings"]
        strategies += [operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"slug": slug}) for slug in slugs]
    return st.one_of(strategies)


# schemathesis.pytest.from_fixture needs pytest's private Function._nodeid, gone in pytest 9: the
# operations are walked here instead, each with its own Hypothesis run.
@pytest.mark.sqlite_only
def test_every_operation_answers_as_documented(app, demo):
    api_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 13
    for operation in operations:
        @given(case=_strategies(operation, demo))
        @settings(max_examples=20, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def run(case):
            # The in-process transport does not decode gzip; the cache serves gzip to whoever asks.
            case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

        run()

    # And one valid registration each, whatever the draw: a 202 must match the documented shape too.
    body = {"first_name": "Ana", "last_name": "Ruiz", "email": "ana.ruiz@example.gov", "city": "Example",
            "state": "WI", "consent": True}
    targets = {"/api/v1/webinars/{slug}/registrations": (demo["webinar"], {**body, "role": "mayor"}),
               "/api/v1/meetings/{slug}/registrations": (demo["meetings"][1], {**body, "type": "mayor"})}
    for operation in operations:
        if operation.path in targets:
            slug, payload = targets[operation.path]
            case = api_schema.make_case(operation=operation, path_parameters={"slug": slug}, body=payload,
                                        media_type="application/json")
            response = case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
            assert response.status_code == 202
    mine = select(Registration.source).where(Registration.email == "ana.ruiz@example.gov")
    assert db.session.execute(mine).scalars().all() == ["api", "api"]


def test_the_document_is_valid_openapi_3_0(app):
    schemathesis.openapi.from_wsgi("/api/openapi.json", app).validate()   # the OpenAPI 3.0 meta-schema


def test_the_document_describes_the_registration_contract(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"] == "3.0.3"
    for path in ("/api/v1/webinars/{slug}/registrations", "/api/v1/meetings/{slug}/registrations"):
        post = doc["paths"][path]["post"]
        assert sorted(post["responses"]) == ["202", "400", "404", "409", "415", "422", "429"]
        assert list(post["requestBody"]["content"]) == ["application/json"]
        assert post["responses"]["202"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Received"}
        for status in ("400", "404", "409", "415", "422", "429"):
            assert post["responses"][status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    received = doc["components"]["schemas"]["Received"]
    assert (received["required"], received["properties"]["status"]["enum"]) == (["status", "message"], ["received"])
    error = doc["components"]["schemas"]["Error"]
    assert (sorted(error["properties"]), error["required"]) == (["error", "errors", "message"], ["error", "message"])
    webinar_fields = doc["components"]["schemas"]["WebinarRegistrationRequest"]["properties"]
    assert sorted(webinar_fields) == sorted(["first_name", "last_name", "email", "role", "title", "organization", "city",
                                             "state", "consent", "question", "scheduler_email"])
    meeting_fields = doc["components"]["schemas"]["MeetingRegistrationRequest"]["properties"]
    assert sorted(set(meeting_fields) - set(webinar_fields)) == sorted(
        ["type", "phone", "dietary_needs", "accessibility_needs"])
    assert set(webinar_fields) - set(meeting_fields) == set()


def test_every_api_route_of_the_app_is_documented(app, client):
    """Routes under /api/v1 (this area's and the registration area's) and the schedule exports."""
    documented = {(path, method.upper()) for path, item in client.get("/api/openapi.json").get_json()["paths"].items()
                  for method in item}
    routes = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
              for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") or rule.endpoint in ("api.schedule_xml", "api.schedule_json")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert ("/api/v1/webinars/{slug}/registrations", "POST") in routes
    assert routes == documented


def test_the_api_page_lists_every_operation(client):
    page = client.get("/api/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    doc = client.get("/api/openapi.json").get_json()
    for path in doc["paths"]:
        assert f"<code>{path}</code>" in html


def test_every_page_links_to_the_open_data_page(client):
    assert '<a href="/api/">Open data</a>' in client.get("/").get_data(as_text=True)
