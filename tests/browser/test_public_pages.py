"""The public pages in a real browser against gunicorn with the demo loaded: the path home → meeting →
agenda → filter by track → session → speaker, axe on every public page, a 360 px phone, the
viewer's own time zone, "happening now" from the browser's clock, and the printed agenda."""
from datetime import UTC, datetime

import pytest


@pytest.fixture
def demo(app):
    from mipevents.extensions import db
    from mipevents.workflows.demo import load_demo

    info = load_demo()
    db.session.commit()
    return info


def test_the_public_path_from_home_to_a_speaker_is_accessible(demo, live_server, page, new_page, assert_accessible):
    page.goto(live_server.url + "/")
    upcoming = page.get_by_role("region", name="Upcoming")
    assert [" ".join(text.split()) for text in upcoming.locator(".card-state").all_inner_texts()] == [
        "Registration: Open", "Registration: Open"]   # the meeting's and the webinar's cards
    assert_accessible(page)

    page.get_by_role("link", name="Winter 2025 Meeting").click()
    page.wait_for_url("**/meetings/winter-2025/")
    assert page.get_by_role("heading", level=1).inner_text() == "Winter 2025 Meeting"
    assert_accessible(page)

    page.get_by_role("navigation", name="Winter 2025 Meeting").get_by_role("link", name="Agenda", exact=True).click()
    page.wait_for_url("**/meetings/winter-2025/agenda")
    assert page.locator(".session").count() == 17
    assert_accessible(page)

    page.get_by_label("Track").select_option("Inclusion")
    page.get_by_role("button", name="Show sessions").click()
    page.wait_for_url("**/meetings/winter-2025/agenda?day=&track=Inclusion&kind=")
    assert page.locator(".session h4").all_inner_texts() == ["Creating Inclusive, Welcoming Communities"]
    assert page.get_by_label("Track").input_value() == "Inclusion"
    assert_accessible(page)

    page.get_by_role("link", name="Creating Inclusive, Welcoming Communities").click()
    page.wait_for_url("**/meetings/winter-2025/sessions/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Creating Inclusive, Welcoming Communities"
    assert page.locator(".people .role").all_inner_texts() == ["Moderator", "Panelist", "Panelist", "Panelist"]
    assert_accessible(page)

    page.get_by_role("link", name="Priya Ellis").click()
    page.wait_for_url("**/speakers/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Priya Ellis"
    assert_accessible(page)
    speaker_url = page.url

    # The other public pages, the 400 of a bad filter and the 404 page.
    for path, status in (("/meetings/winter-2025/speakers", 200), ("/meetings/winter-2025/agenda/changes", 200),
                         ("/meetings/winter-2025/agenda?kind=nonsense", 400), ("/meetings/no-such-meeting/", 404)):
        response = page.goto(live_server.url + path)
        assert response.status == status, path
        assert_accessible(page)

    # A 360 px phone: no sideways scrolling.
    phone_page = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    for url in [live_server.url + path for path in ("/", "/meetings/winter-2025/", "/meetings/winter-2025/agenda",
                                                    "/meetings/winter-2025/speakers")] + [speaker_url]:
        phone_page.goto(url)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, url
    assert_accessible(phone_page)

    # Printed: the agenda without navigation, filters or links to calendars.
    page.goto(live_server.url + "/meetings/winter-2025/agenda")
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", "form.filters", ".meeting-nav", ".agenda-links", ".agenda-subscribe"):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator(".session").first.is_visible()
    assert page.pdf(format="Letter").startswith(b"%PDF")


def test_the_agenda_in_the_browser_clock_and_zone_and_without_javascript(demo, live_server, new_page, assert_accessible):
    # "Happening now" and "Up next" come from the browser's clock, not from the cached page.
    page = new_page()
    page.clock.set_fixed_time(datetime(2025, 1, 22, 15, 30, tzinfo=UTC))   # 10:30 AM ET on the first day
    page.goto(live_server.url + "/meetings/winter-2025/agenda")
    now = page.locator(".session.is-now h4")
    now.first.wait_for()
    assert now.all_inner_texts() == ["Creating Inclusive, Welcoming Communities", "Advancing Local Wealth and Opportunity"]
    assert page.locator(".session.is-next h4").all_inner_texts() == ["Lunch"]
    assert page.locator(".session.is-now .js-now").first.is_visible()

    # A viewer elsewhere can also see their own times.
    page = new_page(timezone_id="America/Los_Angeles")
    page.goto(live_server.url + "/meetings/winter-2025/agenda?day=2025-01-22&kind=meal")
    button = page.get_by_role("button", name="Also show times in my time zone (America/Los Angeles)")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator(".session .viewer-time").all_inner_texts() == [
        "Your time: 5:00 AM – 6:00 AM PST", "Your time: 8:30 AM – 9:30 AM PST"]
    # Pressed looks pressed; the viewer's time sits below the line of facts, whose " · " separators
    # would otherwise start a line with a stray dot.
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 79, 138)"
    assert page.locator(".session .meta .viewer-time").count() == 0
    assert_accessible(page)
    page.goto(page.url.split("/agenda")[0] + "/sessions/" + page.locator(".session").first.get_attribute("data-session-id"))
    assert page.get_by_role("button", name="Also show times in my time zone (America/Los Angeles)").get_attribute("aria-pressed") == "true"
    assert page.locator(".session-page .viewer-time").all_inner_texts() == ["Your time: 5:00 AM – 6:00 AM PST"]

    same_zone = new_page(timezone_id="America/New_York")
    same_zone.goto(live_server.url + "/meetings/winter-2025/agenda")
    assert same_zone.locator(".viewer-zone-toggle").count() == 0

    # Without JavaScript the filters still work (a plain GET form).
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + "/meetings/winter-2025/agenda")
    page.get_by_label("Kind of session").select_option("panel")
    page.get_by_role("button", name="Show sessions").click()
    page.wait_for_url("**kind=panel")
    assert page.locator(".session h4").count() == 4
