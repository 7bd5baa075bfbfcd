"""Simultaneous first submissions with one email, on real gunicorn workers: one application."""
import http.cookiejar
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from mipevents.calls.models import Application
from mipevents.extensions import db
from tests.calls.conftest import form_data


def _submit(url, data):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
    with opener.open(urllib.request.Request(url, data=body, method="POST"), timeout=30) as response:
        return response.status


@pytest.mark.postgres
def test_simultaneous_first_submissions_make_one_application(app, start_server, make_call):
    call = make_call()
    db.session.commit()
    server = start_server(workers=2, threads=4)
    url = f"{server.url}/calls/{call.slug}/apply"
    forms = [form_data(call, city=f"Tacoma {i}") for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda data: _submit(url, data), forms))
    assert statuses == [200] * 8          # each followed the redirect to "check your email"
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 1
