"""The burst after an announcement: hundreds of concurrent registrations over real HTTP against a
multi-process gunicorn. Capacity is never exceeded, the waitlist keeps the order in which seats were
decided, a repeated email is one person, nothing answers 5xx; cancellations promote the next in line."""
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person
from mipevents.people.services import mint_token
from mipevents.registration import queries as registration_queries
from mipevents.registration.models import Registration


def payload(n):
    return {"first_name": f"Mayor{n}", "last_name": "Burst", "email": f"burst{n}@city{n}.gov", "role": "mayor",
            "title": "Mayor", "organization": f"City {n}", "city": "Somewhere", "state": "WI", "consent": True}


def fire(url, bodies, threads):
    """POST every body with `threads` clients at once (released together); returns (status, json) each."""
    go = threading.Event()

    def post(body):
        go.wait()
        response = requests.post(url, json=body, timeout=120)
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.status_code, (response.json() if is_json else None)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(post, body) for body in bodies]
        go.set()
        return [future.result() for future in futures]


def check_burst(webinar_id, capacity, unique, results):
    statuses = Counter(status for status, _ in results)
    assert statuses == Counter({201: len(results)}), statuses
    db.session.commit()   # end the read transaction: see what the server processes committed
    rows = db.session.execute(select(Registration).where(Registration.webinar_id == webinar_id)
                              .order_by(Registration.queued_at, Registration.id)).scalars().all()
    assert len(rows) == unique
    assert db.session.execute(select(func.count()).select_from(Person)).scalar_one() == unique
    assert len({r.person_id for r in rows}) == unique
    assert [r.status for r in rows] == ["confirmed"] * capacity + ["waitlisted"] * (unique - capacity)
    # Every answer told the truth: the id, the status and the waitlist place are those stored.
    by_id = {r.id: r for r in rows}
    position = {r.id: n for n, r in enumerate(rows[capacity:], start=1)}
    for _, body in results:
        registration = by_id[body["id"]]
        assert (body["status"], body["position"]) == (registration.status, position.get(registration.id))
    return rows


def cancel_over_http(server, token):
    """The registrant's own way: open the confirmation page, then press the button (CSRF on)."""
    with requests.Session() as session:
        page = session.get(f"{server.url}/manage/{token}/cancel", timeout=60)
        assert page.status_code == 200
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        done = session.post(f"{server.url}/manage/{token}/cancel", data={"csrf_token": csrf}, timeout=60,
                            allow_redirects=False)
        return done.status_code


def run(start_server, make_webinar, *, capacity, unique, repeats, workers, threads, clients):
    webinar = make_webinar(capacity=capacity, slug=f"burst-{capacity}")
    db.session.commit()
    webinar_id = webinar.id
    server = start_server(workers=workers, threads=threads)
    bodies = [payload(n) for n in range(unique)] + [payload(n) for n in range(0, repeats * 7, 7)]
    started = time.monotonic()
    results = fire(f"{server.url}/api/v1/webinars/burst-{capacity}/registrations", bodies, clients)
    elapsed = time.monotonic() - started
    rows = check_burst(webinar_id, capacity, unique, results)
    kinds = Counter(m.kind for m in db.session.execute(select(OutboxMessage)).scalars())
    assert kinds == Counter({"registration_received": unique, "registration_repeat": repeats})

    # Cancellations, at the same time, from the registrants' own pages: the first in line move up.
    leaving = rows[:5]
    tokens = [mint_token(r.person, "manage", r.id) for r in leaving]
    db.session.commit()
    with ThreadPoolExecutor(max_workers=5) as pool:
        assert list(pool.map(lambda t: cancel_over_http(server, t), tokens)) == [303] * 5
    db.session.commit()   # end the read transaction: see what the server processes committed
    after = {r.id: r.status for r in db.session.execute(
        select(Registration).where(Registration.webinar_id == webinar_id)).scalars()}
    assert [after[r.id] for r in leaving] == ["cancelled"] * 5
    assert [after[r.id] for r in rows[capacity:capacity + 6]] == ["confirmed"] * 5 + ["waitlisted"]
    assert Counter(after.values())["confirmed"] == capacity
    assert [registration_queries.waitlist_position(r) for r in db.session.execute(
        select(Registration).where(Registration.id == rows[capacity + 5].id)).scalars()] == [1]
    return elapsed, len(bodies)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_burst_of_registrations_never_oversells_on_postgresql(start_server, make_webinar, capsys):
    elapsed, sent = run(start_server, make_webinar, capacity=50, unique=220, repeats=20, workers=4, threads=2,
                        clients=120)
    with capsys.disabled():
        print(f"\n{sent} concurrent registrations on PostgreSQL (4 workers x 2 threads): {elapsed:.2f} s, "
              f"{sent / elapsed:.0f}/s")


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_a_burst_of_registrations_never_oversells_on_sqlite(start_server, make_webinar, capsys):
    elapsed, sent = run(start_server, make_webinar, capacity=10, unique=60, repeats=6, workers=3, threads=2,
                        clients=40)
    with capsys.disabled():
        print(f"\n{sent} concurrent registrations on SQLite (3 workers x 2 threads): {elapsed:.2f} s, "
              f"{sent / elapsed:.0f}/s")
