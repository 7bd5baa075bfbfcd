"""The public home and meeting pages: what they list, drafts hidden, the register button, and the
HTTP cache (a warm meeting page issues no query, the home page one small one; a 304 renders
nothing), and the cached meeting head following every change at once."""
from datetime import UTC, date, datetime, timedelta

import pytest
from lxml import html

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.meetings import queries
from mipevents.meetings.models import Meeting
from mipevents.meetings.services import touch


def texts(page, xpath):
    return [" ".join(e.text_content().split()) for e in html.fromstring(page).xpath(xpath)]


@pytest.fixture
def soon():
    today = utcnow().date()
    return today + timedelta(days=30)


def test_home_lists_upcoming_soonest_first_then_past_latest_first(client, make_meeting, make_webinar, soon):
    later = make_meeting(name="Summer Meeting", starts_on=soon + timedelta(days=60), ends_on=soon + timedelta(days=62))
    sooner = make_meeting(name="Spring Academy", starts_on=soon, ends_on=soon + timedelta(days=1), kind="academy")
    make_meeting(name="Winter 2024", starts_on=date(2024, 1, 22), ends_on=date(2024, 1, 24))
    make_meeting(name="Winter 2025", starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    make_meeting(name="Secret Draft", status="draft", starts_on=soon, ends_on=soon)
    make_webinar(title="Flood finance webinar")
    make_webinar(title="Draft webinar", status="draft")
    make_webinar(title="Finished webinar", starts_at=datetime(2024, 3, 1, 18, tzinfo=UTC))
    db.session.commit()

    page = client.get("/").get_data(as_text=True)

    assert texts(page, "//section[@aria-labelledby='upcoming-heading']//h3") == [
        sooner.name, later.name, "Flood finance webinar"]
    assert texts(page, "//section[@aria-labelledby='past-heading']//h3") == ["Winter 2025", "Winter 2024"]


def test_home_marks_a_cancelled_meeting_and_hides_cohort_only_ones(client, make_meeting, soon):
    from mipevents.cohorts.models import Cohort, Programme

    programme = Programme(slug="wmn", name="Women Mayors' Network")
    db.session.add(programme)
    db.session.flush()
    cohort = Cohort(programme_id=programme.id, slug="wmn-2025", name="2025 cohort")
    db.session.add(cohort)
    db.session.flush()
    make_meeting(name="Called Off", status="cancelled", starts_on=soon, ends_on=soon)
    make_meeting(name="Cohort Retreat", starts_on=soon, ends_on=soon, cohort_id=cohort.id)
    db.session.commit()

    page = client.get("/").get_data(as_text=True)

    assert texts(page, "//li[contains(@class, 'is-cancelled')]//h3") == ["Called Off"]
    assert texts(page, "//li[contains(@class, 'is-cancelled')]//*[contains(@class, 'badge-cancelled')]") == ["Cancelled"]
    assert "Cohort Retreat" not in page
    retreat = db.session.execute(db.select(Meeting).where(Meeting.name == "Cohort Retreat")).scalar_one()
    assert client.get(f"/meetings/{retreat.slug}/").status_code == 404
    assert client.get(f"/meetings/{retreat.slug}/agenda").status_code == 404


def test_meeting_page_shows_dates_venue_address_description_and_topics(client, make_meeting):
    meeting = make_meeting(name="Winter 2025 Meeting", description="Mayors and experts.\n\nWith the showcase.",
                           panel_topics=["Housing", "Flood resilience"])
    db.session.commit()

    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)

    assert texts(page, "//h1") == ["Winter 2025 Meeting"]
    assert texts(page, "//p[@class='lead']") == ["January 22–24, 2025 · Washington, DC"]
    assert texts(page, "//dl[@class='facts']/dd")[:3] == ["January 22–24, 2025", "Conference Center", "1 Main St"]
    assert texts(page, "//section[@aria-labelledby='about-heading']/p") == ["Mayors and experts.", "With the showcase."]
    assert texts(page, "//ul[@class='topics']/li") == ["Housing", "Flood resilience"]
    assert texts(page, "//nav[contains(@class, 'meeting-nav')]//a[@aria-current='page']") == ["Overview"]


@pytest.mark.parametrize("status", ["draft"])
def test_a_draft_meeting_answers_404_on_every_public_page(client, make_meeting, make_item, status):
    meeting = make_meeting(status=status)
    item = make_item(meeting, status="draft")
    db.session.commit()
    for url in (f"/meetings/{meeting.slug}/", f"/meetings/{meeting.slug}/agenda", f"/meetings/{meeting.slug}/speakers",
                f"/meetings/{meeting.slug}/agenda/changes", f"/meetings/{meeting.slug}/sessions/{item.id}"):
        assert client.get(url).status_code == 404, url


def test_a_cancelled_meeting_stays_visible_and_says_so(client, make_meeting):
    meeting = make_meeting(status="cancelled")
    db.session.commit()
    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
    assert texts(page, "//p[contains(@class, 'notice-cancelled')]") == [
        "This meeting is cancelled. Its agenda stays here for reference."]
    assert html.fromstring(page).xpath("//a[contains(@class, 'button-large')]") == []


def _register_endpoint(app):
    """The registration helper's endpoint, or a stand-in with the same name when it is absent."""
    if "registration.register_for_meeting" not in app.view_functions:
        app.add_url_rule("/meetings/<slug>/register", "registration.register_for_meeting", lambda slug: "register")


def test_the_register_button_shows_only_while_registration_is_open(app, client, make_meeting, soon):
    _register_endpoint(app)
    now = utcnow()
    open_now = make_meeting(starts_on=soon, ends_on=soon, registration_opens_at=now - timedelta(days=1),
                            registration_closes_at=now + timedelta(days=1))
    not_yet = make_meeting(starts_on=soon, ends_on=soon, registration_opens_at=now + timedelta(days=2))
    closed = make_meeting(starts_on=soon, ends_on=soon, registration_closes_at=now - timedelta(hours=1))
    db.session.commit()

    def buttons(meeting):
        page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
        return [a.get("href") for a in html.fromstring(page).xpath("//a[contains(@class, 'button-large')]")], page

    assert buttons(open_now)[0] == [f"/meetings/{open_now.slug}/register"]
    links, page = buttons(not_yet)
    assert links == [] and "Registration opens" in page
    links, page = buttons(closed)
    assert links == [] and "Registration for this meeting is closed." in page


def test_registration_state_follows_the_clock_and_the_status(make_meeting):
    now = datetime(2025, 1, 10, 12, tzinfo=UTC)
    meeting = make_meeting(registration_opens_at=datetime(2025, 1, 1, tzinfo=UTC),
                           registration_closes_at=datetime(2025, 1, 15, tzinfo=UTC))
    assert queries.registration_state(meeting, now) == "open"
    assert queries.registration_state(meeting, datetime(2024, 12, 31, tzinfo=UTC)) == "not_yet"
    assert queries.registration_state(meeting, datetime(2025, 1, 15, tzinfo=UTC)) == "closed"
    assert queries.registration_state(meeting, datetime(2025, 1, 26, tzinfo=UTC)) == "none"   # after the meeting
    meeting.status = "cancelled"
    assert queries.registration_state(meeting, now) == "none"


def test_a_warm_meeting_page_and_a_304_cost_no_query_and_render_nothing(client, make_meeting, count_queries):
    meeting = make_meeting()
    db.session.commit()
    first = client.get(f"/meetings/{meeting.slug}/")
    etag = first.headers["ETag"]

    with count_queries() as warm:
        again = client.get(f"/meetings/{meeting.slug}/")
    with count_queries() as revalidated:
        not_modified = client.get(f"/meetings/{meeting.slug}/", headers={"If-None-Match": etag})

    assert (again.status_code, again.data, warm.count) == (200, first.data, 0)
    assert (not_modified.status_code, not_modified.data, revalidated.count) == (304, b"", 0)


def test_a_public_change_gives_the_meeting_page_a_new_etag(client, make_meeting):
    meeting = make_meeting(description="Before.")
    db.session.commit()
    etag = client.get(f"/meetings/{meeting.slug}/").headers["ETag"]

    meeting.description = "After."
    touch(meeting)
    db.session.commit()
    response = client.get(f"/meetings/{meeting.slug}/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert texts(response.get_data(as_text=True), "//section[@aria-labelledby='about-heading']/p") == ["After."]


def test_a_warm_home_page_costs_one_query(client, make_meeting, count_queries):
    make_meeting()
    db.session.commit()
    first = client.get("/")
    with count_queries() as warm:
        again = client.get("/")
    assert (again.data, warm.count) == (first.data, 1)


def test_the_home_page_follows_a_new_meeting_at_once(client, make_meeting, soon):
    client.get("/")
    make_meeting(name="Just Announced", starts_on=soon, ends_on=soon)
    db.session.commit()
    assert texts(client.get("/").get_data(as_text=True), "//section[@aria-labelledby='upcoming-heading']//h3") == ["Just Announced"]


def test_the_500_page_is_friendly(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert texts(response.get_data(as_text=True), "//h1") == ["Something went wrong on our side"]


def test_the_cached_head_follows_a_rename_an_unpublish_and_a_publish_at_once(client, make_meeting, count_queries):
    meeting = make_meeting(slug="summer-2026")
    db.session.commit()
    assert client.get("/meetings/summer-2026/agenda").status_code == 200
    with count_queries() as warm:
        client.get("/meetings/summer-2026/agenda")
    assert warm.count == 0                          # head and body came from the cache

    meeting.slug = "summer-2026-boston"
    db.session.commit()
    assert client.get("/meetings/summer-2026/agenda").status_code == 404
    assert client.get("/meetings/summer-2026-boston/agenda").status_code == 200

    meeting.status = "draft"
    db.session.commit()
    assert client.get("/meetings/summer-2026-boston/").status_code == 404
    with count_queries() as remembered:
        assert client.get("/meetings/summer-2026-boston/agenda").status_code == 404
    assert remembered.count == 0                    # a slug with no public meeting is remembered too

    meeting.status = "published"
    db.session.commit()
    assert client.get("/meetings/summer-2026-boston/").status_code == 200


def test_a_rolled_back_change_leaves_the_head_as_it_was(client, make_meeting):
    meeting = make_meeting(slug="winter-2027")
    db.session.commit()
    first = client.get("/meetings/winter-2027/")
    meeting.status = "draft"
    db.session.flush()
    db.session.rollback()
    again = client.get("/meetings/winter-2027/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_signed_in_staff_never_see_an_unpublished_meeting_that_a_cached_head_still_names(app, client, make_meeting, login_as, monkeypatch):
    from sqlalchemy import text

    from mipevents.meetings import queries

    monkeypatch.setattr(queries._local_heads, "clock", lambda: 0.0)      # this process's copy never ages
    make_meeting(slug="winter-2028")
    db.session.commit()
    assert client.get("/meetings/winter-2028/").status_code == 200      # the head is now cached
    # A change no commit hook saw (as from another process): the public may see the cached head a
    # moment longer, staff never do.
    db.session.execute(text("UPDATE meetings SET status = 'draft' WHERE slug = 'winter-2028'"))
    db.session.commit()
    assert client.get("/meetings/winter-2028/").status_code == 200
    login_as("staff")
    assert client.get("/meetings/winter-2028/").status_code == 404


def test_the_meetings_folder_leads_to_the_home_page_that_lists_them(client):
    answer = client.get("/meetings/")
    assert (answer.status_code, answer.headers["Location"]) == (301, "/")


def test_the_showcase_tab_shows_only_when_the_public_sees_a_showcase(client, make_meeting, make_item, count_queries):
    meeting = make_meeting()
    draft = make_item(meeting, kind="showcase", title="Lightning round", status="draft")
    db.session.commit()
    tabs = "//nav[contains(@class, 'meeting-nav')]//a"
    for path in ("", "agenda", "speakers", "changes"):
        assert "Innovation Showcase" not in texts(client.get(f"/meetings/{meeting.slug}/{path}").get_data(as_text=True), tabs)
    draft.status = "published"
    touch(meeting)           # what publishing does: the head and the pages move on
    db.session.commit()
    page = client.get(f"/meetings/{meeting.slug}/").get_data(as_text=True)
    assert texts(page, tabs) == ["Overview", "Agenda", "Speakers", "Innovation Showcase", "Agenda changes"]
    # The flag rides on the head's one query.
    queries.HEADS.delete(meeting.slug)
    with count_queries() as read:
        head = queries.public_meeting_head(meeting.slug)
    assert (head.has_public_showcase, read.count) == (True, 1)
    assert client.get(f"/meetings/{meeting.slug}/showcase").status_code == 200
