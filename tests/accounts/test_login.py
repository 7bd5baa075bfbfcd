"""Signing in and out: one message for every failure, throttling after repeated failures, disabled
accounts, sessions that end when they should."""
from mipevents.accounts.services import create_user, set_enabled
from mipevents.accounts.views import BAD_LOGIN

PASSWORD = "correct horse battery staple"


def _user(db_session, email="ana@mipevents.test", role="staff"):
    user = create_user(email, PASSWORD, role=role)
    db_session.commit()
    return user


def test_sign_in_redirects_to_the_dashboard_and_sign_out_ends_it(client, db_session):
    _user(db_session)
    response = client.post("/staff/login", data={"email": "Ana@MIPevents.test ", "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/staff/")
    assert client.get("/staff/").status_code == 200
    assert client.post("/staff/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_next_goes_only_to_a_local_path(client, db_session):
    _user(db_session)
    ok = client.post("/staff/login?next=/staff/speakers/", data={"email": "ana@mipevents.test", "password": PASSWORD})
    assert ok.headers["Location"] == "/staff/speakers/"
    client.post("/staff/logout")
    evil = client.post("/staff/login?next=//evil.example/x", data={"email": "ana@mipevents.test", "password": PASSWORD})
    assert evil.headers["Location"] == "/staff/"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, db_session):
    _user(db_session)
    wrong = client.post("/staff/login", data={"email": "ana@mipevents.test", "password": "not the password"})
    unknown = client.post("/staff/login", data={"email": "nobody@mipevents.test", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert BAD_LOGIN in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).replace("ana@mipevents.test", "X") == unknown.get_data(as_text=True).replace("nobody@mipevents.test", "X")


def test_an_empty_form_is_a_422_with_field_messages(client):
    response = client.post("/staff/login", data={})
    assert response.status_code == 422
    assert "Enter your email." in response.get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_and_its_open_session_ends(client, db_session):
    user = _user(db_session)
    admin = _user(db_session, "boss@mipevents.test", role="admin")
    assert client.post("/staff/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    set_enabled(user, False, actor=admin)
    db_session.commit()
    assert client.get("/staff/").status_code == 302
    again = client.post("/staff/login", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 401
    assert BAD_LOGIN in again.get_data(as_text=True)


def test_the_session_cookie_is_new_after_sign_in(client, db_session):
    """Nothing planted in the session before sign-in survives it (session fixation)."""
    _user(db_session)
    with client.session_transaction() as session:
        session["planted"] = "value"
    client.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].endswith(":1")


def test_repeated_failures_are_throttled_even_with_the_right_password(make_app):
    from mipevents.extensions import db

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with app.app_context():
        create_user("ana@mipevents.test", PASSWORD)
        db.session.commit()
        client = app.test_client()
        statuses = [client.post("/staff/login", data={"email": "ana@mipevents.test", "password": "wrong guess"}).status_code
                    for _ in range(3)]
        assert statuses == [401, 401, 401]
        blocked = client.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Retry-After" in blocked.headers
        assert client.get("/staff/login").status_code == 200   # the form itself stays readable


def test_successful_sign_ins_do_not_count_towards_the_throttle(make_app):
    from mipevents.extensions import db

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute")
    with app.app_context():
        create_user("ana@mipevents.test", PASSWORD)
        db.session.commit()
        client = app.test_client()
        for _ in range(4):
            assert client.post("/staff/login", data={"email": "ana@mipevents.test", "password": PASSWORD}).status_code == 302
            client.post("/staff/logout")


def test_login_form_needs_csrf_when_enabled(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/staff/login", data={"email": "a@b.c", "password": "x"})
        assert response.status_code == 400


def test_failures_on_one_account_from_many_addresses_are_throttled(make_app):
    from mipevents.extensions import db

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    with app.app_context():
        create_user("ana@mipevents.test", PASSWORD)
        db.session.commit()
        client = app.test_client()
        statuses = [client.post("/staff/login", data={"email": "ana@mipevents.test", "password": "wrong guess"},
                                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code for n in range(4)]
        assert statuses == [401, 401, 401, 429]
        other = client.post("/staff/login", data={"email": "someone@mipevents.test", "password": "wrong guess"},
                            environ_base={"REMOTE_ADDR": "10.0.1.1"})
        assert other.status_code == 401
