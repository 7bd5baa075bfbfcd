"""The read API: only published data, filters that match the public agenda, pages with links,
errors in the one envelope, times in UTC and the event's zone."""
from datetime import UTC, date, datetime, timedelta

import pytest

from mipevents.extensions import db
from mipevents.showcase.models import ShowcaseSlot

BASE = "http://mipevents.test"


@pytest.fixture
def agenda(make_meeting, make_room, make_item, make_speaker):
    """A two-day meeting in New York: a panel, a workshop, a cancelled plenary, a draft, a showcase."""
    meeting = make_meeting(slug="winter-2025", name="Winter 2025 Meeting", timezone="America/New_York",
                           starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 23))
    salon = make_room(meeting, name="Salon A")
    moderator = make_speaker(name="Priya Ellis", honorific="", email="priya@example.org")
    mayor = make_speaker(name="Grace Chen", email="grace@example.org")
    items = {
        "panel": make_item(meeting, at=datetime(2025, 1, 22, 10, 0), minutes=75, room=salon, track="Housing",
                           title="Housing people can afford", speakers=[(moderator, "moderator"), (mayor, "panelist")]),
        "workshop": make_item(meeting, at=datetime(2025, 1, 22, 14, 0), kind="workshop", track="Resilience",
                              title="Flood maps"),
        "plenary": make_item(meeting, at=datetime(2025, 1, 23, 9, 0), kind="plenary", title="Closing plenary",
                             status="cancelled", speakers=[(mayor, "keynote")]),
        "draft": make_item(meeting, at=datetime(2025, 1, 23, 11, 0), title="Not yet public", status="draft",
                           speakers=[(moderator, "speaker")]),
        "showcase": make_item(meeting, at=datetime(2025, 1, 23, 13, 0), minutes=45, kind="showcase",
                              title="Innovation Showcase", track="Innovation"),
    }
    db.session.commit()
    return meeting, items, {"moderator": moderator, "mayor": mayor}


def test_sessions_come_with_room_kind_track_times_and_speakers(client, agenda):
    meeting, items, people = agenda
    body = client.get("/api/v1/meetings/winter-2025/sessions").get_json()
    assert [s["title"] for s in body["data"]] == [
        "Housing people can afford", "Flood maps", "Closing plenary", "Innovation Showcase"]
    panel = body["data"][0]
    assert (panel["starts_at"], panel["starts_at_local"], panel["ends_at_local"]) == (
        "2025-01-22T15:00:00Z", "2025-01-22T10:00:00-05:00", "2025-01-22T11:15:00-05:00")
    assert (panel["timezone"], panel["zone_abbrev"], panel["day"], panel["duration_minutes"]) == (
        "America/New_York", "ET", "2025-01-22", 75)
    assert (panel["kind"], panel["kind_label"], panel["track"], panel["room"]["name"]) == ("panel", "Panel", "Housing", "Salon A")
    assert [(s["display_name"], s["role"], s["role_label"]) for s in panel["speakers"]] == [
        ("Priya Ellis", "moderator", "Moderator"), ("Mayor Grace Chen", "panelist", "Panelist")]
    assert panel["links"]["html"] == f"{BASE}/meetings/winter-2025/sessions/{items['panel'].id}"
    assert body["data"][2]["status"] == "cancelled" and body["data"][2]["is_cancelled"] is True
    assert body["meta"] == {"total": 4, "limit": 50, "offset": 0}


@pytest.mark.parametrize("query, titles", [
    ("day=2025-01-22", ["Housing people can afford", "Flood maps"]),
    ("day=2025-01-23&kind=showcase", ["Innovation Showcase"]),
    ("track=housing", ["Housing people can afford"]),
    ("kind=plenary", ["Closing plenary"]),
    ("track=+resilience++&kind=panel", []),
])
def test_session_filters_match_the_public_agenda(client, agenda, query, titles):
    body = client.get(f"/api/v1/meetings/winter-2025/sessions?{query}").get_json()
    assert [s["title"] for s in body["data"]] == titles
    assert body["meta"]["total"] == len(titles)


def test_pages_link_to_their_neighbours_keeping_the_filters(client, agenda):
    body = client.get("/api/v1/meetings/winter-2025/sessions?kind=panel&limit=1").get_json()
    assert body["links"]["next"] is None
    body = client.get("/api/v1/meetings/winter-2025/sessions?limit=1&offset=1&day=2025-01-22").get_json()
    assert [s["title"] for s in body["data"]] == ["Flood maps"]
    path = f"{BASE}/api/v1/meetings/winter-2025/sessions?day=2025-01-22"
    assert body["links"] == {"self": f"{path}&limit=1&offset=1", "first": f"{path}&limit=1&offset=0",
                             "last": f"{path}&limit=1&offset=1", "prev": f"{path}&limit=1&offset=0", "next": None}
    everything = client.get("/api/v1/meetings/winter-2025/sessions?limit=2").get_json()
    assert everything["links"]["next"] == f"{BASE}/api/v1/meetings/winter-2025/sessions?limit=2&offset=2"
    assert everything["links"]["last"] == f"{BASE}/api/v1/meetings/winter-2025/sessions?limit=2&offset=2"


DAYS = "choose a day of this meeting, from January 22, 2025 to January 23, 2025 (written like 2025-01-22)."
KINDS = "Choose one of: Plenary, Panel, Workshop, Briefing, Innovation Showcase, Meal, Reception, Break, Tour."
LIMIT = ["Must be a whole number from 1 to 200."]


@pytest.mark.parametrize("query, errors", [
    ("limit=0", {"limit": LIMIT}),
    ("limit=201&offset=-1", {"limit": LIMIT, "offset": ["Must be a whole number from 0 to 1000000."]}),
    ("limit=abc", {"limit": LIMIT}),
    ("limit=%EF%BC%91", {"limit": LIMIT}),   # a full-width digit one
    ("day=22/01/2025&kind=keynote&limit=0", {"day": [f"“22/01/2025” is not a date: {DAYS}"],
                                             "kind": [f"“keynote” is not a kind of session. {KINDS}"], "limit": LIMIT}),
    ("day=2025-02-30", {"day": [f"“2025-02-30” is not a date: {DAYS}"]}),
    ("day=20250122", {"day": [f"“20250122” is not a date: {DAYS}"]}),
    ("track=" + "x" * 121, {"track": ["That track name is too long to be one of this agenda's tracks."]}),
])
def test_bad_query_parameters_are_a_400_naming_each_field(client, agenda, query, errors):
    """The agenda page's own rules and words, every bad parameter at once."""
    response = client.get(f"/api/v1/meetings/winter-2025/sessions?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"error": "bad_request", "message": "Some query parameters cannot be used.",
                                   "errors": errors}


@pytest.mark.parametrize("query", ["day=2025-01-24", "day=9999-12-31", "day=0001-01-01", "track=Nothing+like+it",
                                   "track=Housing&day=2030-01-01&limit=5"])
def test_filters_that_match_nothing_answer_an_empty_list_that_is_not_cached(client, agenda, query):
    from mipevents.extensions import cache

    response = client.get(f"/api/v1/meetings/winter-2025/sessions?{query}")

    assert response.status_code == 200
    assert response.get_json()["data"] == []
    assert "ETag" not in response.headers
    assert [key for key in cache.cache._cache if "api.sessions" in str(key)] == []


def test_drafts_cohort_meetings_and_unknown_ids_are_404_in_the_envelope(client, agenda, make_meeting, cohort):
    meeting, items, people = agenda
    make_meeting(slug="draft-meeting", status="draft")
    make_meeting(slug="cohort-meeting", cohort_id=cohort.id)
    db.session.commit()
    for url in ("/api/v1/meetings/draft-meeting", "/api/v1/meetings/cohort-meeting/sessions",
                "/api/v1/meetings/no-such", f"/api/v1/meetings/winter-2025/sessions/{items['draft'].id}",
                "/api/v1/meetings/winter-2025/sessions/99999999999", "/api/v1/speakers/99999999999999999999",
                "/api/v1/webinars/no-such", "/api/v1/nothing/here"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert sorted(response.get_json()) == ["error", "message"], url
        assert response.get_json()["error"] == "not_found"
    listed = [m["slug"] for m in client.get("/api/v1/meetings").get_json()["data"]]
    assert listed == ["winter-2025"]


def test_one_session_and_one_meeting(client, agenda):
    meeting, items, people = agenda
    one = client.get(f"/api/v1/meetings/winter-2025/sessions/{items['workshop'].id}").get_json()
    assert (one["title"], one["room"], one["speakers"]) == ("Flood maps", None, [])
    body = client.get("/api/v1/meetings/winter-2025").get_json()
    assert (body["name"], body["starts_on"], body["ends_on"], body["zone_abbrev"]) == (
        "Winter 2025 Meeting", "2025-01-22", "2025-01-23", "ET")
    assert body["links"]["schedule_xml"] == f"{BASE}/meetings/winter-2025/schedule.xml"


def test_meeting_speakers_and_a_speakers_sessions_across_meetings(client, agenda, make_meeting, make_item):
    meeting, items, people = agenda
    summer = make_meeting(slug="summer-2025", timezone="America/Chicago", starts_on=date(2025, 7, 16),
                          ends_on=date(2025, 7, 18))
    make_item(summer, at=datetime(2025, 7, 16, 9, 0), title="Opening", speakers=[(people["moderator"], "keynote")])
    db.session.commit()
    body = client.get("/api/v1/meetings/winter-2025/speakers").get_json()
    assert [(s["name"], [(r["session"]["title"], r["role"]) for r in s["roles"]]) for s in body["data"]] == [
        ("Grace Chen", [("Housing people can afford", "panelist"), ("Closing plenary", "keynote")]),
        ("Priya Ellis", [("Housing people can afford", "moderator")]),   # not the draft session
    ]
    profile = client.get(f"/api/v1/speakers/{people['moderator'].id}").get_json()
    assert [(r["meeting"]["slug"], r["session"]["title"], r["session"]["starts_at_local"]) for r in profile["roles"]] == [
        ("winter-2025", "Housing people can afford", "2025-01-22T10:00:00-05:00"),
        ("summer-2025", "Opening", "2025-07-16T09:00:00-05:00"),
    ]
    assert profile["bio"] == people["moderator"].bio


def test_a_speaker_with_nothing_public_is_404(client, agenda, make_speaker, make_meeting, make_item):
    meeting, items, people = agenda
    quiet = make_speaker(name="Only In Drafts")
    make_item(meeting, title="Draft only", status="draft", speakers=[(quiet, "speaker")])
    db.session.commit()
    assert client.get(f"/api/v1/speakers/{quiet.id}").status_code == 404


def test_the_showcase_lineup_is_in_order_with_planned_times(client, agenda, make_speaker):
    meeting, items, people = agenda
    showcase = items["showcase"]
    presenter = make_speaker(name="Thu Nguyen", city="Tempe", state="AZ")
    rows = [
        ShowcaseSlot(item_id=showcase.id, title="Second", position=2, presenter_name="Mayor Okafor", city="Tacoma", state="WA"),
        ShowcaseSlot(item_id=showcase.id, title="First", position=1, speaker_id=presenter.id, city="Tempe", state="AZ",
                     duration_seconds=240),
        ShowcaseSlot(item_id=showcase.id, title="Still a draft", position=3, status="draft"),
    ]
    db.session.add_all(rows)
    db.session.commit()
    body = client.get("/api/v1/meetings/winter-2025/showcase").get_json()
    assert [(s["order"], s["title"], s["presenter"]["name"], s["duration_seconds"], s["planned_starts_at_local"])
            for s in body["data"]] == [
        (1, "First", "Mayor Thu Nguyen", 240, "2025-01-23T13:00:00-05:00"),
        (2, "Second", "Mayor Okafor", 180, "2025-01-23T13:04:15-05:00"),   # 4 minutes, then the 15 s changeover
    ]
    assert body["data"][1]["presenter"]["speaker_id"] is None


def test_webinars_are_public_ones_without_their_join_link(client, make_webinar, cohort):
    starts = datetime(2026, 2, 10, 18, 0, tzinfo=UTC)
    public = make_webinar(slug="flood-money", title="Paying for flood resilience", starts_at=starts,
                          join_url="https://meet.example.org/j/123456789?pwd=secret")
    make_webinar(slug="a-draft", status="draft")
    make_webinar(slug="cancelled-one", status="cancelled", starts_at=starts + timedelta(days=7))
    make_webinar(slug="members-only", cohort_id=cohort.id)
    db.session.commit()
    listing = client.get("/api/v1/webinars")
    assert [w["slug"] for w in listing.get_json()["data"]] == ["flood-money", "cancelled-one"]
    one = client.get("/api/v1/webinars/flood-money").get_json()
    assert (one["starts_at"], one["starts_at_local"], one["zone_abbrev"]) == (
        "2026-02-10T18:00:00Z", "2026-02-10T12:00:00-06:00", "CT")
    assert "join_url" not in one and "meet.example.org" not in listing.get_data(as_text=True)
    assert public.join_url not in client.get("/api/v1/webinars/flood-money").get_data(as_text=True)
    for slug in ("a-draft", "members-only"):
        assert client.get(f"/api/v1/webinars/{slug}").status_code == 404


def test_empty_parameters_mean_the_defaults(client, agenda):
    body = client.get("/api/v1/meetings/winter-2025/sessions?limit=&offset=&day=&track=&kind=").get_json()
    assert (body["meta"], len(body["data"])) == ({"total": 4, "limit": 50, "offset": 0}, 4)


def test_a_meeting_abroad_names_its_zone_as_it_will_be_then(client, make_meeting):
    make_meeting(slug="berlin-2025", timezone="Europe/Berlin", starts_on=date(2025, 7, 1), ends_on=date(2025, 7, 2))
    make_meeting(slug="berlin-2026", timezone="Europe/Berlin", starts_on=date(2026, 1, 14), ends_on=date(2026, 1, 15))
    db.session.commit()
    assert client.get("/api/v1/meetings/berlin-2025").get_json()["zone_abbrev"] == "CEST"
    assert client.get("/api/v1/meetings/berlin-2026").get_json()["zone_abbrev"] == "CET"


def test_a_session_lists_its_public_materials(client, agenda):
    from mipevents.followup import services as followup

    meeting, items, people = agenda
    panel = items["panel"]
    followup.add_link(panel, kind="recording", title="Video", url="https://video.example.org/1", is_public=True, actor=None)
    slides = followup.add_file(panel, title="Slides", data=b"%PDF-1.7\n", max_bytes=1024, is_public=True, actor=None)
    followup.add_file(panel, title="Registrants only", data=b"%PDF-1.7\n", max_bytes=1024, is_public=False, actor=None)
    db.session.commit()
    expected = [{"title": "Video", "kind": "recording", "url": "https://video.example.org/1"},
                {"title": "Slides", "kind": "file", "url": f"{BASE}/materials/{slides.id}/Slides.pdf"}]
    assert client.get(f"/api/v1/meetings/winter-2025/sessions/{panel.id}").get_json()["materials"] == expected
    listed = client.get("/api/v1/meetings/winter-2025/sessions").get_json()["data"]
    assert [s["materials"] for s in listed] == [expected, [], [], []]


def test_showcase_slots_and_webinars_list_their_public_materials_only(client, agenda, make_webinar):
    from mipevents.followup import services as followup

    meeting, items, people = agenda
    slot = ShowcaseSlot(item_id=items["showcase"].id, title="Rain gardens", position=1, presenter_name="Mayor Okafor")
    webinar = make_webinar(slug="flood-money")
    db.session.add(slot)
    db.session.commit()
    assert client.get("/api/v1/webinars/flood-money").get_json()["materials"] == []   # cached now
    followup.add_link(slot, kind="link", title="The ordinance", url="https://city.example.gov/o", is_public=True, actor=None)
    followup.add_file(slot, title="Hidden", data=b"%PDF-1.7\n", max_bytes=1024, is_public=False, actor=None)
    video = followup.add_link(webinar, kind="recording", title="Recording", url="https://video.example.org/w",
                              is_public=True, actor=None)
    slides = followup.add_file(webinar, title="Deck", data=b"%PDF-1.7\n", max_bytes=1024, is_public=True, actor=None)
    followup.add_link(webinar, kind="link", title="Registrants only", url="https://x.example.org/", is_public=False,
                      actor=None)
    db.session.commit()
    lineup = client.get("/api/v1/meetings/winter-2025/showcase").get_json()["data"]
    assert lineup[0]["materials"] == [{"title": "The ordinance", "kind": "link", "url": "https://city.example.gov/o"}]
    expected = [{"title": "Recording", "kind": "recording", "url": video.url},
                {"title": "Deck", "kind": "file", "url": f"{BASE}/materials/{slides.id}/Deck.pdf"}]
    assert client.get("/api/v1/webinars/flood-money").get_json()["materials"] == expected
    assert client.get("/api/v1/webinars").get_json()["data"][0]["materials"] == expected
