"""A breakout session with a capacity is never over-filled, also when many registrants pick it at
the same moment through several gunicorn workers and threads."""
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.people.services import mint_token
from mipevents.registration import services
from mipevents.registration.models import SessionChoice

SEATS = 5
PEOPLE = 24


def post(url, data):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data, doseq=True).encode(), method="POST")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _concurrent_sign_ups(make_meeting, make_item, start_server, workers):
    today = datetime.now(UTC).date()
    meeting = make_meeting(starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=21))
    workshop = make_item(meeting, kind="workshop", capacity=SEATS, title="Small workshop")
    db.session.commit()
    workshop_id = workshop.id
    tokens = []
    for n in range(PEOPLE):
        registration = services.register(meeting, {"first_name": f"F{n}", "last_name": f"L{n}", "email": f"p{n}@city.gov",
                                                   "role": "mayor", "city": "Madison", "state": "WI"}).registration
        db.session.commit()
        tokens.append(mint_token(registration.person, "manage", registration.id))
    db.session.commit()
    server = start_server(workers=workers, threads=2, WTF_CSRF_ENABLED="false")

    statuses = [None] * PEOPLE
    ready = threading.Barrier(PEOPLE)

    def sign_up(i):
        ready.wait()
        statuses[i] = post(f"{server.url}/manage/{tokens[i]}/sessions", {"sessions": [str(workshop_id)]})

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    taken = db.session.execute(select(func.count()).select_from(SessionChoice).where(SessionChoice.item_id == workshop_id)).scalar_one()
    return sorted(statuses), taken


@pytest.mark.postgres
def test_concurrent_sign_ups_never_over_fill_a_breakout_on_postgresql(make_meeting, make_item, start_server):
    statuses, taken = _concurrent_sign_ups(make_meeting, make_item, start_server, workers=4)
    assert statuses == [303] * SEATS + [409] * (PEOPLE - SEATS)
    assert taken == SEATS


@pytest.mark.sqlite_only
def test_concurrent_sign_ups_never_over_fill_a_breakout_on_sqlite(make_meeting, make_item, start_server):
    """SQLite serialises writers across processes with BEGIN IMMEDIATE (one host)."""
    statuses, taken = _concurrent_sign_ups(make_meeting, make_item, start_server, workers=2)
    assert statuses == [303] * SEATS + [409] * (PEOPLE - SEATS)
    assert taken == SEATS
