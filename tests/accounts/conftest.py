"""Fixtures of the accounts tests."""
import pytest
from flask import g, request_started


@pytest.fixture(autouse=True)
def _fresh_login_per_request(app):
    """The `app` fixture keeps one app context for the whole test, and Flask reuses it for every
    test request, so `g` (where Flask-Login caches the signed-in user) would outlive a request and
    be shared between test clients. Each request loads its user from its own cookie, as in production."""
    def forget(sender, **extra):
        g.pop("_login_user", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)
