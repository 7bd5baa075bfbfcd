"""Every page that needs a login refuses anonymous and under-privileged requests: walks the app's
URL map — every rule under /staff/ (but sign-in and password reset) and every view carrying
`required_roles` (accounts.permissions.role_required), wherever it is mounted."""
import pytest
from werkzeug.routing import IntegerConverter, Rule

from mipevents.accounts.services import create_user

PUBLIC_STAFF_ENDPOINTS = {"accounts.login", "accounts.forgot_password", "accounts.reset_password",
                          "accounts.session_status"}   # says only whether this browser is signed in
PASSWORD = "correct horse battery staple"


def _sample_url(rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = 1 if isinstance(converter, IntegerConverter) else "x"
    return rule.build(values, append_unknown=False)[1]


def _protected_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        under_staff = rule.rule.startswith("/staff/") and rule.endpoint not in PUBLIC_STAFF_ENDPOINTS
        if under_staff or hasattr(view, "required_roles"):
            rules.append((rule, getattr(view, "required_roles", ("admin", "staff", "reviewer"))))
    return rules


def _requests(app):
    for rule, roles in _protected_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, roles


def _client_as(app, role):
    from mipevents.extensions import db

    user = create_user(f"perm-{role}@mipevents.test", PASSWORD, role=role)
    db.session.commit()
    client = app.test_client()
    response = client.post("/staff/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_walk_covers_the_staff_workspace(app):
    endpoints = {rule.endpoint for rule, _ in _protected_rules(app)}
    for endpoint in ("meetings_staff.dashboard", "agenda_staff.builder", "agenda_staff.publish",
                     "speakers_staff.edit_speaker", "accounts_staff.list_users", "accounts_staff.audit_log",
                     "accounts_staff.erase_person", "accounts.logout"):
        assert endpoint in endpoints


def test_every_staff_view_under_staff_declares_its_roles(app):
    """A page under /staff/ without role_required would be reachable by any signed-in account."""
    undeclared = [rule.endpoint for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/staff/") and rule.endpoint not in PUBLIC_STAFF_ENDPOINTS | {"accounts.logout"}
                  and not hasattr(app.view_functions[rule.endpoint], "required_roles")]
    assert undeclared == []


def test_no_protected_endpoint_answers_an_anonymous_request(app):
    client = app.test_client()
    answered = []
    for rule, method, _roles in _requests(app):
        url = _sample_url(rule)
        response = client.open(url, method=method)
        if response.status_code in (401, 403):
            continue
        if response.status_code in (302, 303) and "/staff/login" in response.headers.get("Location", ""):
            continue
        answered.append((method, url, response.status_code))
    assert answered == []


@pytest.mark.parametrize("role", ["reviewer", "staff"])
def test_no_protected_endpoint_answers_an_under_privileged_account(app, role):
    client = _client_as(app, role)
    answered = []
    checked = 0
    for rule, method, roles in _requests(app):
        if role in roles:
            continue
        checked += 1
        url = _sample_url(rule)
        response = client.open(url, method=method)
        if response.status_code != 403:
            answered.append((method, url, response.status_code))
    assert answered == []
    assert checked > 0


def test_a_staff_account_reaches_its_pages(app, make_meeting):
    make_meeting()
    client = _client_as(app, "staff")
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/speakers/").status_code == 200


def test_the_staff_navigation_offers_only_what_the_role_may_open(app, make_meeting):
    reviewer = _client_as(app, "reviewer").get("/staff/").get_data(as_text=True)
    assert 'href="/staff/speakers/"' not in reviewer
    assert 'href="/staff/audit"' not in reviewer
    assert '<a href="/staff/" aria-current="page">Meetings</a>' in reviewer
    admin = _client_as(app, "admin").get("/staff/").get_data(as_text=True)
    assert 'href="/staff/speakers/"' in admin
    assert 'href="/staff/audit"' in admin
