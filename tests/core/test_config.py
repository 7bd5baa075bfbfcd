import pytest

from mipevents import InsecureConfiguration, create_app
from tests.conftest import TEST_TOKEN_KEY


def test_production_refuses_a_missing_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY must be set to at least 32"):
        create_app({"MIPEVENTS_ENV": "production", "DATABASE_URL": "sqlite://"})


def test_production_refuses_a_short_secret_key():
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app({"MIPEVENTS_ENV": "production", "SECRET_KEY": "short", "DATABASE_URL": "sqlite://"})


def test_production_refuses_debug():
    with pytest.raises(InsecureConfiguration, match="DEBUG must be off"):
        create_app({"MIPEVENTS_ENV": "production", "SECRET_KEY": "x" * 40, "DEBUG": True, "DATABASE_URL": "sqlite://"})


def test_production_starts_with_a_long_secret_key_and_a_token_key():
    app = create_app({"MIPEVENTS_ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://",
                      "MIPEVENTS_TOKEN_KEY": TEST_TOKEN_KEY})
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(("key", "problem"), [
    ("", "MIPEVENTS_TOKEN_KEY must be set"),
    ("x" * 40, "MIPEVENTS_TOKEN_KEY must hold Fernet keys"),
    (f"{TEST_TOKEN_KEY},not-a-key", "MIPEVENTS_TOKEN_KEY must hold Fernet keys"),
])
def test_production_refuses_a_missing_or_malformed_token_key(monkeypatch, key, problem):
    monkeypatch.delenv("MIPEVENTS_TOKEN_KEY", raising=False)
    with pytest.raises(InsecureConfiguration, match=problem):
        create_app({"MIPEVENTS_ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://",
                    "MIPEVENTS_TOKEN_KEY": key})


def test_every_setting_reads_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MIPEVENTS_TIMEZONE", "America/Denver")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/x")
    app = create_app({"SECRET_KEY": "k" * 40})
    assert (app.config["RATELIMIT_ENABLED"], app.config["MAIL_PORT"], app.config["MIPEVENTS_TIMEZONE"]) == (False, 2525, "America/Denver")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/x"
