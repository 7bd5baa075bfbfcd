"""Two app instances against one database and one Redis behave as one application."""
import os
import urllib.error
import urllib.parse
import urllib.request

import pytest

# A Redis database of the suite's own (MIPEVENTS_TEST_REDIS_URL), emptied before and after each test.
REDIS = os.environ.get("MIPEVENTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is needed for the multi-instance tests (127.0.0.1:6379)")
    client.flushdb()
    yield REDIS
    client.flushdb()


def post_form(url, data):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.postgres
def test_a_rate_limit_counts_across_both_instances(start_server, redis_url):
    settings = {"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_LOGIN": "3 per minute",
                "WTF_CSRF_ENABLED": "false"}
    one, two = start_server(workers=1, **settings), start_server(workers=1, **settings)
    wrong = {"email": "nobody@example.org", "password": "not the password"}
    statuses = [post_form(server.url + "/staff/login", wrong) for server in (one, two, one, two)]
    assert statuses == [401, 401, 401, 429]


def _json_post(url, body, opener=None):
    import json

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with (opener or urllib.request.build_opener()).open(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.mark.postgres
def test_concurrent_registrations_through_two_instances_never_oversell(app, start_server, make_webinar, redis_url):
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import func, select

    from mipevents.extensions import db
    from mipevents.registration.models import Registration

    webinar = make_webinar(capacity=20)
    db.session.commit()
    slug, webinar_id = webinar.slug, webinar.id
    settings = {"CACHE_REDIS_URL": redis_url}
    one, two = start_server(workers=2, threads=2, **settings), start_server(workers=2, threads=2, **settings)

    def register(n):
        server = (one, two)[n % 2]
        return _json_post(f"{server.url}/api/v1/webinars/{slug}/registrations", {
            "first_name": "Pat", "last_name": f"Number{n}", "email": f"pat{n}@example.org", "role": "mayor",
            "title": "Mayor", "organization": "City", "city": "Madison", "state": "WI", "consent": True})

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(register, range(60)))
    # Whoever posts learns nothing of the seat (the status reaches the registrant by email).
    assert sorted({(status, body["status"]) for status, body in answers}) == [(202, "received")]
    db.session.expire_all()
    counts = dict(db.session.execute(
        select(Registration.status, func.count()).where(Registration.webinar_id == webinar_id).group_by(Registration.status)).all())
    assert counts == {"confirmed": 20, "waitlisted": 40}


@pytest.mark.postgres
def test_the_showcase_control_on_one_instance_drives_the_stage_on_the_other(app, start_server, make_meeting, make_item,
                                                                              redis_url):
    import http.cookiejar
    import json

    from mipevents.accounts.services import create_user
    from mipevents.extensions import db
    from mipevents.showcase.models import ShowcaseSlot

    meeting = make_meeting()
    item = make_item(meeting, kind="showcase", title="Innovation Showcase", minutes=30)
    for n in range(3):
        db.session.add(ShowcaseSlot(item_id=item.id, presenter_name=f"Mayor {n}", city="Madison", state="WI",
                                    title=f"Idea {n}", position=n, status="published"))
    create_user("runner@mipevents.test", "correct horse battery staple", role="staff")
    db.session.commit()
    settings = {"CACHE_REDIS_URL": redis_url, "WTF_CSRF_ENABLED": "false"}
    one, two = start_server(workers=1, threads=2, **settings), start_server(workers=1, threads=2, **settings)

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = urllib.request.Request(one.url + "/staff/login", method="POST", data=urllib.parse.urlencode(
        {"email": "runner@mipevents.test", "password": "correct horse battery staple"}).encode())
    opener.open(login).read()

    def state(server):
        with urllib.request.urlopen(f"{server.url}/meetings/{meeting.slug}/showcase/state.json") as response:
            return json.loads(response.read())

    status, started = _json_post(f"{one.url}/meetings/{meeting.slug}/showcase/control/start", {}, opener)
    assert (status, started["status"]) == (200, "running")
    on_two = state(two)
    assert (on_two["status"], on_two["slot"]["title"], on_two["deadline_ms"]) == ("running", "Idea 0", started["deadline_ms"])

    status, paused = _json_post(f"{two.url}/meetings/{meeting.slug}/showcase/control/pause", {}, opener)
    on_one = state(one)
    assert (status, on_one["status"], on_one["remaining_ms"]) == (200, "paused", paused["remaining_ms"])

    _json_post(f"{one.url}/meetings/{meeting.slug}/showcase/control/next", {}, opener)
    assert state(two)["slot"]["title"] == "Idea 1"


@pytest.mark.postgres
def test_a_meeting_unpublished_on_one_instance_leaves_the_public_pages_of_both(app, start_server, make_meeting,
                                                                               redis_url):
    import http.cookiejar
    import time

    import redis

    from mipevents.accounts.services import create_user
    from mipevents.extensions import db

    meeting = make_meeting(slug="summer-2026")
    create_user("editor@mipevents.test", "correct horse battery staple", role="staff")
    db.session.commit()
    settings = {"CACHE_REDIS_URL": redis_url, "WTF_CSRF_ENABLED": "false"}
    one, two = start_server(workers=1, threads=2, **settings), start_server(workers=1, threads=2, **settings)

    def status(server):
        try:
            with urllib.request.urlopen(f"{server.url}/meetings/summer-2026/agenda") as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert (status(one), status(two)) == (200, 200)          # both now hold the meeting's head
    head_key = b"mipevents:meeting-head:summer-2026"
    assert redis.Redis.from_url(redis_url).exists(head_key)

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.open(urllib.request.Request(one.url + "/staff/login", method="POST", data=urllib.parse.urlencode(
        {"email": "editor@mipevents.test", "password": "correct horse battery staple"}).encode())).read()
    opener.open(urllib.request.Request(f"{one.url}/staff/meetings/{meeting.id}/unpublish", method="POST", data=b"")).read()

    assert not redis.Redis.from_url(redis_url).exists(head_key)   # the writer dropped the shared copy
    assert status(one) == 404                                     # and its own
    # The other instance may answer from its own copy for up to LOCAL_HEAD_SECONDS, no longer.
    deadline = time.monotonic() + 10
    while status(two) != 404:
        assert time.monotonic() < deadline, "the other instance still shows an unpublished meeting"
    assert status(two) == 404


@pytest.mark.postgres
def test_a_burst_after_a_publish_renders_each_page_once_across_both_instances(app, start_server, make_meeting,
                                                                             make_item, redis_url):
    from concurrent.futures import ThreadPoolExecutor

    from mipevents.extensions import db
    from mipevents.meetings.services import touch

    meeting = make_meeting(slug="burst-2026")
    for n in range(30):
        make_item(meeting, title=f"Session {n}", status="published")
    db.session.commit()
    settings = {"CACHE_REDIS_URL": redis_url}
    servers = [start_server(workers=1, threads=4, **settings), start_server(workers=1, threads=4, **settings)]
    touch(meeting)                       # a publish: every cached page of the meeting is now a new version
    db.session.commit()

    def fetch(n):
        with urllib.request.urlopen(f"{servers[n % 2].url}/meetings/burst-2026/agenda") as response:
            return response.status, response.headers.get("X-Cache"), response.read()

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(fetch, range(48)))
    assert {status for status, _, _ in answers} == {200}
    assert [cache for _, cache, _ in answers].count("render") == 1    # the others waited for that one
    assert len({body for _, _, body in answers}) == 1


def test_an_instance_that_never_rendered_a_page_finds_its_rows_and_cards_in_the_shared_cache(
        make_app, make_meeting, make_item, make_speaker, redis_url):
    from mipevents.agenda.views import ROWS
    from mipevents.core.http_cache import forget_local
    from mipevents.extensions import db
    from mipevents.meetings.services import touch
    from mipevents.speakers.views import CARDS

    app = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    with app.app_context():
        meeting = make_meeting(slug="shared-rows-2026")
        items = [make_item(meeting, title=f"Session {n}", speakers=[make_speaker()], status="published")
                 for n in range(6)]
        db.session.commit()
        client = app.test_client()
        pages = [f"/meetings/{meeting.slug}/agenda", f"/meetings/{meeting.slug}/speakers"]
        for page in pages:
            client.get(page)                   # one instance renders every row and card
        forget_local()                         # the other instance: nothing of that in its own memory
        ROWS.renders.clear()
        CARDS.renders.clear()
        items[2].title = "Session 2, retitled"
        changed = items[2].id
        touch(meeting)                         # a publish: both pages are new versions
        db.session.commit()
        agenda, speakers = (client.get(page) for page in pages)

    assert (agenda.status_code, speakers.status_code) == (200, 200)
    assert "Session 2, retitled" in agenda.get_data(as_text=True)
    assert [key[2][0] for key in ROWS.renders] == [changed]              # only the changed session's row
    assert len(CARDS.renders) == 1                                        # only its speaker's card
    assert "Session 2, retitled" in speakers.get_data(as_text=True)
