"""The open-data page in Chromium: accessible (axe-core) on a laptop and a phone, and its links
lead to the OpenAPI document and a schedule file."""
from datetime import date

from mipevents.extensions import db
from mipevents.workflows.demo import load_demo


def test_the_api_page_is_accessible_and_its_links_work(app, live_server, page, phone_page, assert_accessible):
    load_demo(date(2026, 3, 2))
    db.session.commit()
    for viewer in (page, phone_page):
        viewer.goto(live_server.url + "/api/")
        assert viewer.locator("h1").inner_text() == "Open data and API"
        assert_accessible(viewer)
    document = page.request.get(live_server.url + page.get_by_role("link", name="/api/openapi.json").get_attribute("href"))
    assert document.json()["openapi"] == "3.0.3"
    schedule = page.request.get(live_server.url + page.get_by_role("link", name="schedule of winter-2025").get_attribute("href"))
    assert (schedule.status, schedule.headers["content-type"]) == (200, "application/vnd.c3voc.schedule+xml; charset=utf-8")
