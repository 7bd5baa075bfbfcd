"""cached_response: 304 without building, one build per version, gzip once, nothing shared with staff."""
import gzip

import pytest

from mipevents.core.http_cache import cached_response


@pytest.fixture
def counted_app(make_app):
    app = make_app()
    state = {"version": 1, "builds": 0, "while_building": lambda: None}

    def page():
        def build():
            state["builds"] += 1
            state["while_building"]()
            return "<p>" + "agenda " * 500 + f"v{state['version']}</p>"
        return cached_response(("test-page",), state["version"], build)

    app.add_url_rule("/cached-test", "cached_test", page)
    return app, state


def test_a_conditional_request_gets_304_without_building(counted_app):
    app, state = counted_app
    client = app.test_client()
    first = client.get("/cached-test")
    again = client.get("/cached-test", headers={"If-None-Match": first.headers["ETag"]})
    assert (first.status_code, again.status_code, again.data, state["builds"]) == (200, 304, b"", 1)
    assert again.headers["ETag"] == first.headers["ETag"]


def test_the_body_is_built_once_per_version(counted_app):
    app, state = counted_app
    client = app.test_client()
    one = client.get("/cached-test")
    client.get("/cached-test")
    state["version"] = 2
    two = client.get("/cached-test")
    assert state["builds"] == 2
    assert one.headers["ETag"] != two.headers["ETag"]
    assert two.get_data(as_text=True).endswith("v2</p>")


def test_gzip_is_served_to_clients_that_ask(counted_app):
    app, state = counted_app
    client = app.test_client()
    plain = client.get("/cached-test")
    packed = client.get("/cached-test", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert "Accept-Encoding" in [v.strip() for v in packed.headers["Vary"].split(",")]
    revalidated = client.get("/cached-test", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert revalidated.status_code == 304


def test_signed_in_staff_never_share_the_cache(counted_app, login_as):
    app, state = counted_app
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db
    with app.app_context():
        create_user("cachetest@mipevents.test", "correct horse battery staple", role="staff")
        db.session.commit()
    client = app.test_client()
    client.post("/staff/login", data={"email": "cachetest@mipevents.test", "password": "correct horse battery staple"})
    response = client.get("/cached-test")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_cleared_shared_cache_reaches_this_process_copy_at_its_next_check(counted_app, monkeypatch):
    from mipevents.core import http_cache
    from mipevents.extensions import cache

    app, state = counted_app
    monkeypatch.setattr(http_cache.BODIES, "check_seconds", 0)   # every use of the copy is a check
    client = app.test_client()
    client.get("/cached-test")
    client.get("/cached-test")
    assert state["builds"] == 1                     # the second answer came from this process's copy
    with app.app_context():
        cache.clear()                               # e.g. after a deploy that changed templates
    client.get("/cached-test")                      # the copy is checked: gone from the shared cache,
    client.get("/cached-test")                      # so it was rebuilt once, and stored again
    assert state["builds"] == 2


def test_a_region_with_a_short_life_forgets_after_its_time(app):
    from mipevents.core.cache import REGIONS, Region

    now = [100.0]
    memo = Region("test-short", local_seconds=1, shared_tier=False, clock=lambda: now[0])
    try:
        memo.set("k", "head")
        now[0] = 100.9
        assert memo.get("k") == "head"
        now[0] = 101.0
        assert memo.get("k") is None
        memo.set("k", "head")
        memo.delete("k")
        assert memo.get("k") is None
    finally:
        REGIONS.pop("test-short")


def test_a_request_during_a_render_waits_for_it_and_gets_the_new_version(counted_app, monkeypatch):
    import threading
    from collections import Counter

    from mipevents.core import http_cache
    from mipevents.core.http_cache import BODIES

    app, state = counted_app
    monkeypatch.setattr(http_cache, "RENDER_WAIT_SECONDS", 10)   # however long the render takes
    app.test_client().get("/cached-test")
    state["version"] = 2                              # a publish
    building, release, second_waits = threading.Event(), threading.Event(), threading.Event()

    class Stats(Counter):                             # tells the test when a request waits on the render
        def __setitem__(self, name, value):
            super().__setitem__(name, value)
            if name == "waiting":
                second_waits.set()

    def slowly():                                     # the render of version 2 lasts until released
        building.set()
        assert release.wait(10)

    monkeypatch.setattr(BODIES, "stats", Stats())
    state["while_building"] = slowly
    answers = {}

    def fetch(name):
        answers[name] = app.test_client().get("/cached-test")

    first = threading.Thread(target=fetch, args=("first",))
    first.start()
    assert building.wait(10)                          # the render has begun
    second = threading.Thread(target=fetch, args=("second",))
    second.start()
    assert second_waits.wait(10)                      # the second request waits on that render …
    release.set()
    first.join(10)
    second.join(10)
    assert answers["first"].headers["X-Cache"] == "render"
    assert (answers["second"].headers["X-Cache"], answers["second"].data) == ("hit", answers["first"].data)
    assert answers["second"].get_data(as_text=True).endswith("v2</p>")   # … and gets the new version
    assert state["builds"] == 2


def test_a_render_that_takes_longer_than_the_wait_leaves_the_previous_version_for_at_most_a_second(
        counted_app, monkeypatch):
    from mipevents.core import http_cache
    from mipevents.core.http_cache import BODIES, LATEST, etag_for, stale_for

    app, state = counted_app
    monkeypatch.setattr(http_cache, "RENDER_WAIT_SECONDS", 0.01)
    client = app.test_client()
    old = client.get("/cached-test")
    state["version"] = 2                            # a publish
    now = [1000.0]
    monkeypatch.setattr(LATEST, "clock", lambda: now[0])
    new_etag = etag_for(("test-page",), 2)
    with app.app_context(), BODIES.single_flight(new_etag) as leader:   # its render has begun, and lasts
        assert leader
        during = client.get("/cached-test")
        revalidated = client.get("/cached-test", headers={"If-None-Match": old.headers["ETag"]})
        now[0] += http_cache.STALE_SECONDS + 0.01
        assert stale_for(("test-page",), new_etag) is None     # a second on: requests wait for the render
    after = client.get("/cached-test")
    assert (during.data, during.headers["ETag"], during.headers["X-Cache"]) == (old.data, old.headers["ETag"], "stale")
    assert during.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert revalidated.status_code == 304
    assert after.get_data(as_text=True).endswith("v2</p>") and after.headers["X-Cache"] == "render"
    assert state["builds"] == 2
