"""Attacks on staff sign-in that must fail: an open redirect through `next`, a lock-out of the real
staff member by guesses from elsewhere, a session cookie copied before sign-out; and the headers that
keep private pages out of caches and Referer headers."""
import pytest

from mipevents.accounts.services import create_user
from tests.conftest import TEST_TOKEN_KEY

PASSWORD = "correct horse battery staple"


def _user(db_session, email="ana@mipevents.test"):
    user = create_user(email, PASSWORD)
    db_session.commit()
    return user


@pytest.mark.parametrize("target", [
    "/%09/evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example",
    "https://evil.example/staff/", "/%0d%0a/evil.example", "javascript:alert(1)", "/ /evil.example",
    "/staff/../..//evil.example", "http:/evil.example",
])
def test_next_never_leads_off_the_site(client, db_session, target):
    _user(db_session)
    response = client.post("/staff/login", query_string={"next": target},
                           data={"email": "ana@mipevents.test", "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_a_line_break_in_next_is_refused_before_sign_in(client, db_session):
    _user(db_session)
    response = client.post("/staff/login", query_string={"next": "/\n/evil.example"},
                           data={"email": "ana@mipevents.test", "password": PASSWORD})
    assert response.status_code == 400          # a line break in any query value is refused at the door
    assert "Location" not in response.headers


def test_next_keeps_a_local_page_and_its_query(client, db_session):
    _user(db_session)
    response = client.post("/staff/login", query_string={"next": "/staff/speakers/?q=ana"},
                           data={"email": "ana@mipevents.test", "password": PASSWORD})
    assert response.headers["Location"] == "/staff/speakers/?q=ana"


def test_guesses_from_many_addresses_do_not_lock_out_a_browser_that_signed_in_before(make_app):
    from mipevents.extensions import db

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with app.app_context():
        create_user("ana@mipevents.test", PASSWORD)
        db.session.commit()
        owner = app.test_client()
        assert owner.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD}).status_code == 302
        owner.post("/staff/logout")
        attacker = app.test_client()
        statuses = [attacker.post("/staff/login", data={"email": "ana@mipevents.test", "password": "guess"},
                                  environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code for n in range(6)]
        assert statuses == [401, 401, 401, 429, 429, 429]
        # The owner's browser (its device cookie) still signs in, from a new address too.
        back = owner.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert back.status_code == 302
        # A stranger's browser stays slowed down, and a device cookie for another account does not help.
        assert attacker.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD},
                             environ_base={"REMOTE_ADDR": "10.0.9.9"}).status_code == 429


def test_a_forged_device_cookie_is_not_a_known_device(make_app):
    from mipevents.accounts.signin import DEVICE_COOKIE, device_cookie_value, is_known_device

    app = make_app()
    with app.test_request_context():
        good = device_cookie_value("Ana@MIPevents.test")
        assert is_known_device(good, "ana@mipevents.test") is True
        assert is_known_device(good, "bob@mipevents.test") is False
        assert is_known_device(good[:-2] + "xx", "ana@mipevents.test") is False
        assert is_known_device(None, "ana@mipevents.test") is False
        assert DEVICE_COOKIE == "mipevents_device"


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(client, db_session, make_app):
    _user(db_session)
    client.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD})
    stolen = client.get_cookie("session").value
    assert client.post("/staff/logout").status_code == 302
    thief = client.application.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_staff_and_private_pages_are_never_stored_and_send_no_referrer(client, db_session, login_as):
    login_as("staff")
    for path in ("/staff/", "/staff/speakers/", "/staff/login"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
    for path in ("/manage/not-a-token", "/calls/application/not-a-token", "/staff/reset-password/nope"):
        response = client.get(path)
        assert (response.status_code, response.headers["Cache-Control"], response.headers["Referrer-Policy"]) == (
            404, "no-store", "no-referrer"), path
    public = client.get("/")
    assert public.headers.get("Cache-Control") != "no-store"
    assert "Strict-Transport-Security" not in public.headers


def test_production_pins_https(make_app):
    app = make_app(MIPEVENTS_ENV="production", SECRET_KEY="x" * 40, MIPEVENTS_TOKEN_KEY=TEST_TOKEN_KEY)
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "123456789012", "mipevents2026!"])
def test_a_common_or_guessable_password_is_refused_next_to_the_field(client, db_session, login_as, password):
    from mipevents.accounts.services import AccountProblem

    with pytest.raises(AccountProblem, match="choose a harder password"):
        create_user("ana@mipevents.test", password)
    db_session.rollback()
    login_as("admin")
    response = client.post("/staff/accounts/new", data={"email": "bob@mipevents.test", "role": "staff",
                                                       "password": password})
    assert response.status_code == 422
    assert "Choose a harder password" in response.get_data(as_text=True)


def _session_times(client, **times):
    with client.session_transaction() as session:
        session.update(times)


def test_a_staff_session_ends_a_day_after_sign_in_and_after_two_idle_hours(client, db_session):
    import time

    _user(db_session)
    for ended in ({"signed_in_at": time.time() - 24 * 3600 - 1},
                  {"signed_in_at": time.time() - 3600, "seen_at": time.time() - 2 * 3600 - 1}):
        client.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD})
        assert client.get("/staff/").status_code == 200
        _session_times(client, **ended)
        response = client.get("/staff/")
        assert (response.status_code, response.headers["Location"].startswith("/staff/login")) == (302, True)


def test_polling_keeps_the_session_alive_and_the_status_warns_without_counting(client, db_session):
    import time

    _user(db_session)
    client.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD})
    almost = time.time() - 2 * 3600 + 300     # five minutes of idle time left
    _session_times(client, seen_at=almost)
    status = client.get("/staff/session").get_json()
    assert (status["signed_in"], status["warn_seconds"]) == (True, 600)
    assert 200 < status["remaining_seconds"] <= 300
    with client.session_transaction() as session:
        assert session["seen_at"] == almost          # asking is not activity
    client.get("/meetings/nothing-here/showcase/state.json")   # a control page's poll is
    assert client.get("/staff/session").get_json()["remaining_seconds"] > 2 * 3600 - 60
    client.post("/staff/logout")
    assert client.get("/staff/session").get_json() == {"signed_in": False}


def test_production_names_the_session_cookie_host_only(make_app):
    from mipevents.extensions import db

    app = make_app(MIPEVENTS_ENV="production", SECRET_KEY="x" * 40, MIPEVENTS_TOKEN_KEY=TEST_TOKEN_KEY)
    with app.app_context():
        create_user("ana@mipevents.test", PASSWORD)
        db.session.commit()
        response = app.test_client().post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD},
                                          base_url="https://mipevents.test")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("__Host-session="))
    assert "; Secure" in cookie and "; Path=/" in cookie and "Domain" not in cookie
