"""CORS (the read API from anywhere, registrations only from configured origins) and conditional
GETs (an ETag per version: 304 while nothing changed, a new body once something did)."""
from datetime import datetime

import pytest

from mipevents.extensions import cache, db
from mipevents.meetings.services import touch

PARTNER = "https://www.partner.example"


@pytest.fixture
def meeting(make_meeting, make_item):
    meeting = make_meeting(slug="winter-2025")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="Opening")
    db.session.commit()
    return meeting


@pytest.fixture
def partner_origins(app):
    app.config["MIPEVENTS_CORS_ORIGINS"] = f"{PARTNER}/, https://mayors.example"
    return app


@pytest.mark.parametrize("url", ["/api/v1/meetings", "/api/v1/meetings/winter-2025/sessions", "/api/openapi.json",
                                 "/meetings/winter-2025/schedule.xml", "/meetings/winter-2025/schedule.json",
                                 "/api/v1/meetings/no-such-meeting"])
def test_the_read_api_answers_any_origin(client, meeting, url):
    response = client.get(url, headers={"Origin": "https://anyone.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == "ETag"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_read_preflight_allows_get_with_conditional_headers(client, meeting):
    response = client.options("/api/v1/meetings/winter-2025/sessions", headers={
        "Origin": "https://anyone.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert response.status_code == 204
    assert (response.headers["Access-Control-Allow-Origin"], response.headers["Access-Control-Allow-Methods"],
            response.headers["Access-Control-Allow-Headers"]) == ("*", "GET, HEAD, OPTIONS", "If-None-Match, If-Modified-Since")


def test_pages_outside_the_api_get_no_cors_headers(client, meeting):
    response = client.get("/", headers={"Origin": "https://anyone.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert client.options("/api/v1/no-such-thing", headers={"Origin": "https://anyone.example"}).status_code == 404


def test_a_registration_preflight_from_a_configured_origin_is_allowed(client, partner_origins, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.options(f"/api/v1/webinars/{webinar.slug}/registrations", headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    assert response.headers["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert "Origin" in response.vary
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("origin", ["https://evil.example", "http://www.partner.example", "null"])
def test_a_registration_preflight_from_any_other_origin_is_not(client, partner_origins, make_meeting, origin):
    meeting = make_meeting()
    db.session.commit()
    response = client.options(f"/api/v1/meetings/{meeting.slug}/registrations", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers
    assert "Origin" in response.vary


def test_a_registration_post_is_readable_only_by_a_configured_origin(client, partner_origins, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    body = {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@example.gov", "role": "mayor", "consent": True}
    allowed = client.post(f"/api/v1/webinars/{webinar.slug}/registrations", json=body, headers={"Origin": PARTNER})
    assert allowed.status_code == 201
    assert allowed.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Origin" in allowed.vary
    other = client.post(f"/api/v1/webinars/{webinar.slug}/registrations", json=body,
                        headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Origin" in other.vary


def test_with_no_configured_origin_no_registration_is_cross_origin(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    response = client.options(f"/api/v1/webinars/{webinar.slug}/registrations", headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers


# ------------------------------------------------------------------------------------------ caching

@pytest.mark.parametrize("url", ["/api/v1/meetings/winter-2025", "/api/v1/meetings/winter-2025/sessions?kind=panel",
                                 "/api/v1/meetings/winter-2025/speakers", "/api/v1/meetings/winter-2025/showcase",
                                 "/meetings/winter-2025/schedule.xml", "/meetings/winter-2025/schedule.json"])
def test_an_unchanged_meeting_answers_304_and_a_change_a_new_body(client, meeting, count_queries, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    with count_queries() as q:
        again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert q.count == 0                                  # the head is cached; nothing is rendered
    touch(meeting)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_a_session_edit_shows_in_the_next_answer(client, meeting):
    url = "/api/v1/meetings/winter-2025/sessions"
    before = client.get(url)
    item = meeting_item(meeting)
    item.title = "Opening remarks"
    touch(meeting)
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert [s["title"] for s in after.get_json()["data"]] == ["Opening remarks"]


def meeting_item(meeting):
    from mipevents.agenda.publishing import meeting_items

    return meeting_items(meeting)[0]


def test_lists_follow_their_rows(client, meeting, make_meeting, make_webinar):
    webinar = make_webinar(slug="flood-money", title="Flood money")
    db.session.commit()
    meetings = client.get("/api/v1/meetings")
    webinars = client.get("/api/v1/webinars")
    assert client.get("/api/v1/webinars", headers={"If-None-Match": webinars.headers["ETag"]}).status_code == 304
    make_meeting(slug="summer-2025")
    webinar.title = "Paying for flood resilience"
    db.session.commit()
    fresh = client.get("/api/v1/meetings", headers={"If-None-Match": meetings.headers["ETag"]})
    assert [m["slug"] for m in fresh.get_json()["data"]] == ["winter-2025", "summer-2025"]
    renamed = client.get("/api/v1/webinars/flood-money").get_json()
    assert renamed["title"] == "Paying for flood resilience"
    assert client.get("/api/v1/webinars", headers={"If-None-Match": webinars.headers["ETag"]}).status_code == 200


def test_a_cached_body_is_served_without_querying_the_agenda_again(client, meeting, count_queries):
    cache.clear()
    url = "/api/v1/meetings/winter-2025/sessions"
    with count_queries() as first:
        client.get(url)
    with count_queries() as second:
        body = client.get(url)
    assert body.status_code == 200
    assert (first.count, second.count) == (first.count, 0)
    assert first.count > 1


def test_head_answers_like_get_without_a_body(client, meeting):
    get = client.get("/api/v1/meetings/winter-2025/sessions", headers={"Accept-Encoding": "identity"})
    head = client.head("/api/v1/meetings/winter-2025/sessions", headers={"Accept-Encoding": "identity"})
    assert (head.status_code, head.data, head.headers["ETag"]) == (200, b"", get.headers["ETag"])
    assert head.headers["Access-Control-Allow-Origin"] == "*"


def test_a_gzip_answer_is_the_same_document_and_revalidates(client, meeting):
    import gzip

    plain = client.get("/meetings/winter-2025/schedule.xml", headers={"Accept-Encoding": "identity"})
    packed = client.get("/meetings/winter-2025/schedule.xml", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    again = client.get("/meetings/winter-2025/schedule.xml",
                       headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
