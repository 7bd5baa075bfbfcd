"""The public agenda page: days and time blocks in the meeting's zone, drafts hidden, cancelled
marked, speakers with roles, linkable filters that answer bad values with a 400, and the cache."""
from datetime import datetime

import pytest
from lxml import html

from mipevents.extensions import db
from mipevents.meetings.services import touch


def texts(page, xpath):
    return [" ".join(e.text_content().split()) for e in html.fromstring(page).xpath(xpath)]


@pytest.fixture
def agenda(make_meeting, make_room, make_item, make_speaker):
    """A two-day meeting in New York: two parallel panels at 10:00, a draft, a cancelled session."""
    meeting = make_meeting(slug="winter", starts_on=datetime(2025, 1, 22).date(), ends_on=datetime(2025, 1, 23).date())
    salon_a, salon_b = make_room(meeting, "Salon A", position=0), make_room(meeting, "Salon B", position=1)
    ellis, chen = make_speaker(name="Priya Ellis", honorific=""), make_speaker(name="Grace Chen")
    items = {
        "welcome": make_item(meeting, at=datetime(2025, 1, 22, 9, 0), minutes=45, kind="plenary", title="Welcome", room=salon_a),
        "housing": make_item(meeting, at=datetime(2025, 1, 22, 10, 0), minutes=75, title="Housing", track="Housing",
                             room=salon_b, speakers=[(ellis, "moderator"), (chen, "panelist")]),
        "flood": make_item(meeting, at=datetime(2025, 1, 22, 10, 0), minutes=75, title="Flood finance", track="Resilience",
                           room=salon_a),
        "secret": make_item(meeting, at=datetime(2025, 1, 22, 13, 0), title="Secret draft", status="draft"),
        "tour": make_item(meeting, at=datetime(2025, 1, 23, 15, 0), kind="tour", title="Site visit", status="cancelled"),
    }
    db.session.commit()
    return meeting, items


def test_the_agenda_groups_sessions_by_day_and_time_block_in_the_meeting_zone(client, agenda):
    page = client.get("/meetings/winter/agenda").get_data(as_text=True)

    assert texts(page, "//section[@class='agenda-day']/h2") == ["Wednesday, January 22", "Thursday, January 23"]
    assert texts(page, "//h3[@class='block-time']/time") == ["9:00 AM ET", "10:00 AM ET", "3:00 PM ET"]
    parallel = "//div[contains(@class, 'is-parallel')]"
    assert texts(page, parallel + "//h4") == ["Flood finance", "Housing"]          # rooms in their order
    assert texts(page, parallel + "//span[@class='parallel-note']") == ["2 sessions at the same time"]
    assert texts(page, "//li[.//a[.='Housing']]//span[@class='when']") == ["10:00 AM – 11:15 AM ET"]
    assert texts(page, "//li[.//a[.='Housing']]//span[@class='room']") == ["Salon B"]


def test_the_agenda_hides_drafts_and_marks_cancelled_sessions(client, agenda):
    page = client.get("/meetings/winter/agenda").get_data(as_text=True)
    assert "Secret draft" not in page
    assert texts(page, "//li[contains(@class, 'is-cancelled')]//h4") == ["Site visit (cancelled)"]
    assert texts(page, "//li[contains(@class, 'is-cancelled')]//span[contains(@class, 'badge-cancelled')]") == ["Cancelled"]


def test_each_session_lists_its_speakers_with_their_roles_and_profile_links(client, agenda):
    page = client.get("/meetings/winter/agenda").get_data(as_text=True)
    assert texts(page, "//li[.//a[.='Housing']]//ul[@class='speaker-line']/li") == [
        "Priya Ellis, Moderator", "Mayor Grace Chen, Panelist"]
    hrefs = html.fromstring(page).xpath("//li[.//a[.='Housing']]//ul[@class='speaker-line']//a/@href")
    assert hrefs[0].startswith("/speakers/")


def test_sessions_carry_utc_instants_for_happening_now_in_the_browser(client, agenda):
    page = client.get("/meetings/winter/agenda").get_data(as_text=True)
    welcome = html.fromstring(page).xpath("//li[.//a[.='Welcome']]")[0]
    assert (welcome.get("data-starts"), welcome.get("data-ends")) == ("2025-01-22T14:00:00Z", "2025-01-22T14:45:00Z")


@pytest.mark.parametrize("query, titles", [
    ("?day=2025-01-23", ["Site visit (cancelled)"]),
    ("?track=Housing", ["Housing"]),
    ("?track=housing", ["Housing"]),                       # the track's own spelling is found
    ("?kind=plenary", ["Welcome"]),
    ("?day=2025-01-22&kind=panel", ["Flood finance", "Housing"]),
    ("?day=&track=&kind=", ["Welcome", "Flood finance", "Housing", "Site visit (cancelled)"]),   # the empty form
])
def test_filters_work_from_the_query_string(client, agenda, query, titles):
    response = client.get("/meetings/winter/agenda" + query)
    assert response.status_code == 200
    assert texts(response.get_data(as_text=True), "//ul[@class='sessions']//h4") == titles


def test_the_filter_form_keeps_the_chosen_values_and_counts_what_it_shows(client, agenda):
    page = client.get("/meetings/winter/agenda?track=housing&day=2025-01-22").get_data(as_text=True)
    tree = html.fromstring(page)
    assert tree.xpath("//select[@name='track']/option[@selected]/text()") == ["Housing"]
    assert tree.xpath("//select[@name='day']/option[@selected]/@value") == ["2025-01-22"]
    assert texts(page, "//p[@id='result-count']") == [
        "Showing 1 of 4 sessions on Wednesday, January 22 in the Housing track."]


@pytest.mark.parametrize("query, field, message", [
    ("?day=2025-02-30", "day", "“2025-02-30” is not a date: choose a day of this meeting, from January 22, 2025 to "
                               "January 23, 2025 (written like 2025-01-22)."),
    ("?day=22/01/2025", "day", "“22/01/2025” is not a date: choose a day of this meeting, from January 22, 2025 to "
                               "January 23, 2025 (written like 2025-01-22)."),
    ("?kind=keynote", "kind", "“keynote” is not a kind of session. Choose one of: Plenary, Panel, Workshop, Briefing, "
                              "Innovation Showcase, Meal, Reception, Break, Tour."),
    ("?track=" + "x" * 500, "track", "That track name is too long to be one of this agenda's tracks."),
])
def test_a_bad_filter_answers_400_with_a_clear_message_next_to_the_field(client, agenda, query, field, message):
    response = client.get("/meetings/winter/agenda" + query)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert texts(page, "//p[@id='filter-error']") == [message]
    assert html.fromstring(page).xpath("//select[@aria-describedby='filter-error']/@name") == [field]
    assert texts(page, "//ul[@class='sessions']//h4") == []


@pytest.mark.parametrize("query, words", [
    ("?day=2024-01-22", "Showing 0 of 4 sessions on Monday, January 22."),
    ("?track=Nope", "Showing 0 of 4 sessions in the Nope track."),
    ("?day=2031-05-06&kind=panel", "Showing 0 of 4 sessions on Tuesday, May 6 (Panel only)."),
])
def test_a_filter_that_matches_nothing_answers_an_empty_agenda_that_is_not_cached(client, agenda, query, words):
    from mipevents.extensions import cache

    first = client.get("/meetings/winter/agenda" + query)
    again = client.get("/meetings/winter/agenda" + query)

    assert (first.status_code, again.status_code) == (200, 200)
    page = first.get_data(as_text=True)
    assert texts(page, "//p[@id='result-count']") == [words]
    assert texts(page, "//ul[@class='sessions']//h4") == []
    assert "ETag" not in first.headers
    assert [key for key in cache.cache._cache if "2024-01-22" in str(key) or "nope" in str(key).lower()] == []


def test_filter_values_with_markup_are_escaped(client, agenda):
    page = client.get("/meetings/winter/agenda?kind=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in page


def test_the_agenda_links_to_the_changelog_and_prints_without_its_tools(client, agenda):
    tree = html.fromstring(client.get("/meetings/winter/agenda").get_data(as_text=True))
    assert tree.xpath("//a[.='What changed in this agenda']/@href") == ["/meetings/winter/agenda/changes"]
    assert "no-print" in tree.xpath("//form[contains(@class, 'filters')]/@class")[0]


def test_times_follow_the_meetings_zone(client, make_meeting, make_item):
    meeting = make_meeting(slug="madison", timezone="America/Chicago", starts_on=datetime(2025, 7, 16).date(),
                           ends_on=datetime(2025, 7, 16).date())
    make_item(meeting, at=datetime(2025, 7, 16, 12, 0), title="Lunch", kind="meal")
    db.session.commit()
    page = client.get("/meetings/madison/agenda").get_data(as_text=True)
    assert texts(page, "//h3[@class='block-time']/time") == ["12:00 PM CT"]


def test_a_warm_agenda_costs_no_query_per_filter_and_moves_on_with_the_version(client, agenda, count_queries):
    meeting, _ = agenda
    first = client.get("/meetings/winter/agenda?track=Housing")
    with count_queries() as warm:
        again = client.get("/meetings/winter/agenda?track=Housing")
    other = client.get("/meetings/winter/agenda?track=Resilience")
    assert (again.data, warm.count) == (first.data, 0)
    assert other.headers["ETag"] != first.headers["ETag"]

    touch(meeting)
    db.session.commit()
    after = client.get("/meetings/winter/agenda?track=Housing", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200


def test_an_unpublished_agenda_says_so(client, make_meeting):
    make_meeting(slug="empty")
    db.session.commit()
    page = client.get("/meetings/empty/agenda").get_data(as_text=True)
    assert texts(page, "//p[@id='result-count']") == ["The agenda has not been published yet. Check back soon."]


def test_equivalent_filter_urls_share_one_cached_page(client, agenda):
    plain = client.get("/meetings/winter/agenda?kind=panel")
    with_empty_fields = client.get("/meetings/winter/agenda?day=&track=&kind=panel")
    assert with_empty_fields.headers["ETag"] == plain.headers["ETag"]


def test_signed_in_staff_get_a_fresh_page_that_no_cache_keeps(client, agenda, login_as):
    login_as("staff")
    response = client.get("/meetings/winter/agenda")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "private, no-store")
    assert "ETag" not in response.headers
