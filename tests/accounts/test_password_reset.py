"""Password reset: an emailed, single-use, expiring link, queued in the outbox."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mipevents.accounts.emails import build_password_reset
from mipevents.accounts.models import PasswordReset
from mipevents.accounts.services import create_user
from mipevents.notify.models import OutboxMessage
from tests.support.links import delivered_link

RESET = r"/staff/reset-password/([A-Za-z0-9_-]{40,})"

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new long passphrase"


def _request(client, db_session, email="ana@mipevents.test"):
    response = client.post("/staff/forgot-password", data={"email": email})
    assert response.status_code == 200
    return response


def test_a_reset_request_queues_one_email_with_a_link(client, db_session):
    user = create_user("ana@mipevents.test", PASSWORD)
    db_session.commit()
    response = _request(client, db_session, "ANA@mipevents.test")
    assert "If ANA@mipevents.test belongs to a staff account" in response.get_data(as_text=True)
    msg = db_session.execute(select(OutboxMessage)).scalar_one()
    assert (msg.kind, msg.to_email, msg.status, sorted(msg.context)) == (
        "password_reset", "ana@mipevents.test", "pending", ["expires_at", "reset_id", "user_id"])   # no secret
    reset = db_session.get(PasswordReset, msg.context["reset_id"])
    assert reset.user_id == user.id
    token = delivered_link(msg, RESET)                              # the link is made at delivery
    assert reset.token_hash != token and len(reset.token_hash) == 64   # only its hash is stored
    assert reset.expires_at - reset.created_at == timedelta(hours=1)


def test_an_unknown_email_gets_the_same_page_and_no_email(client, db_session):
    response = _request(client, db_session, "nobody@mipevents.test")
    assert "If nobody@mipevents.test belongs to a staff account" in response.get_data(as_text=True)
    assert db_session.execute(select(OutboxMessage)).scalars().all() == []


def test_the_builder_writes_the_link_and_its_expiry(app, client, db_session):
    create_user("ana@mipevents.test", PASSWORD)
    db_session.commit()
    _request(client, db_session)
    msg = db_session.execute(select(OutboxMessage)).scalar_one()
    built = build_password_reset(msg)
    link = "http://mipevents.test/staff/reset-password/" + built.text.split("/staff/reset-password/")[1].split()[0]
    assert built.subject == "Reset your Mayors Innovation Project staff password"
    assert f"To choose a new password, open this link:\n{link}\n" in built.text
    assert "The link works once and expires at " in built.text


def test_the_link_sets_a_password_once_and_ends_other_sessions(client, db_session, app):
    user = create_user("ana@mipevents.test", PASSWORD)
    db_session.commit()
    other = app.test_client()
    assert other.post("/staff/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    _request(client, db_session)
    token = delivered_link(db_session.execute(select(OutboxMessage)).scalar_one(), RESET)
    assert client.get(f"/staff/reset-password/{token}").status_code == 200
    mismatch = client.post(f"/staff/reset-password/{token}", data={"password": NEW_PASSWORD, "confirm": "something else"})
    assert mismatch.status_code == 422
    assert "The two passwords differ." in mismatch.get_data(as_text=True)
    short = client.post(f"/staff/reset-password/{token}", data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    done = client.post(f"/staff/reset-password/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (done.status_code, done.headers["Location"]) == (302, "/staff/login")
    assert other.get("/staff/").status_code == 302                       # signed out everywhere
    assert client.get(f"/staff/reset-password/{token}").status_code == 404   # single use
    assert client.post("/staff/login", data={"email": user.email, "password": PASSWORD}).status_code == 401
    assert client.post("/staff/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_an_expired_or_superseded_link_no_longer_works(client, db_session):
    create_user("ana@mipevents.test", PASSWORD)
    db_session.commit()
    _request(client, db_session)
    _request(client, db_session)
    first, second = db_session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    with pytest.raises(LookupError):
        build_password_reset(first)     # superseded before it went out: no link is made for it
    token = delivered_link(second, RESET)
    assert client.get(f"/staff/reset-password/{token}").status_code == 200
    reset = db_session.get(PasswordReset, second.context["reset_id"])
    reset.expires_at = reset.created_at - timedelta(seconds=1)
    db_session.commit()
    assert client.get(f"/staff/reset-password/{token}").status_code == 404
    assert client.get("/staff/reset-password/not-a-token").status_code == 404


def test_the_reset_email_is_delivered_over_smtp_and_the_link_is_scrubbed(make_app, smtp_server):
    from mipevents.extensions import db
    from mipevents.notify.delivery import send_pending

    app = make_app(MAIL_PORT=smtp_server.port)
    with app.app_context():
        create_user("ana@mipevents.test", PASSWORD)
        db.session.commit()
        app.test_client().post("/staff/forgot-password", data={"email": "ana@mipevents.test"})
        assert send_pending().sent == 1
        [message] = smtp_server.to("ana@mipevents.test")
        assert message["Subject"] == "Reset your Mayors Innovation Project staff password"
        token = re.search(RESET, message.get_body(("plain",)).get_content()).group(1)
        assert app.test_client().get(f"/staff/reset-password/{token}").status_code == 200
        row = db.session.execute(select(OutboxMessage)).scalar_one()
        assert (row.status, token in str(row.context)) == ("sent", False)
