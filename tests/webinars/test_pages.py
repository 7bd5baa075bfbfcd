"""Public webinar pages: time in the webinar's zone, live seats (never from a cache), drafts and
cohort-only webinars hidden, a constant number of queries."""
from datetime import UTC, datetime, timedelta

from mipevents.extensions import db
from mipevents.registration import services


def registrant(n):
    return {"first_name": f"F{n}", "last_name": f"L{n}", "email": f"p{n}@example.org", "role": "mayor", "consent": True}


def future_noon_ct():
    """12:00 PM Chicago time on a day ten days or more ahead (18:00 UTC in winter, 17:00 in summer)."""
    from zoneinfo import ZoneInfo

    day = (datetime.now(UTC) + timedelta(days=10)).date()
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=ZoneInfo("America/Chicago")).astimezone(UTC)


def test_the_webinar_page_shows_its_time_in_its_zone_and_seats_left(client, make_webinar):
    webinar = make_webinar(title="Immigrant inclusion", starts_at=future_noon_ct(), capacity=3,
                           presenters="Mayor A, Tacoma\nDirector B, Dubuque", description="Why it matters.")
    db.session.commit()
    services.register(webinar, registrant(1))
    db.session.commit()
    response = client.get(f"/webinars/{webinar.slug}/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "12:00 PM CT to 1:00 PM CT" in page
    assert "<strong>2</strong> seats left." in page
    assert "<li>Mayor A, Tacoma</li>" in page and "<li>Director B, Dubuque</li>" in page
    assert f'href="/webinars/{webinar.slug}/register">Register</a>' in page
    assert webinar.join_url not in page


def test_a_full_webinar_says_waitlist_open_at_once(client, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    assert "<strong>1</strong> seat left." in client.get(f"/webinars/{webinar.slug}/").get_data(as_text=True)
    services.register(webinar, registrant(1))
    db.session.commit()
    page = client.get(f"/webinars/{webinar.slug}/").get_data(as_text=True)
    assert "<strong>This webinar is full: waitlist open.</strong>" in page
    assert ">Join the waitlist</a>" in page


def test_cohort_only_and_draft_webinars_are_not_listed_or_shown(client, make_webinar):
    from mipevents.cohorts.models import Cohort, Programme

    programme = Programme(slug="wmn", name="Women Mayors' Network")
    db.session.add(programme)
    db.session.flush()
    cohort = Cohort(programme_id=programme.id, slug="wmn-2025", name="2025 cohort")
    db.session.add(cohort)
    db.session.flush()
    public = make_webinar(title="Open to all")
    private = make_webinar(title="Members only", cohort_id=cohort.id)
    draft = make_webinar(title="Not yet", status="draft")
    db.session.commit()
    listing = client.get("/webinars/").get_data(as_text=True)
    assert public.title in listing
    assert private.title not in listing and draft.title not in listing
    assert [client.get(f"/webinars/{w.slug}/").status_code for w in (public, private, draft)] == [200, 404, 404]
    assert client.post(f"/api/v1/webinars/{private.slug}/registrations", json=registrant(1)).status_code == 404


def test_a_cancelled_webinar_stays_visible_marked_cancelled(client, make_webinar):
    webinar = make_webinar(status="cancelled")
    db.session.commit()
    page = client.get(f"/webinars/{webinar.slug}/").get_data(as_text=True)
    assert "<strong>This webinar is cancelled.</strong>" in page
    assert f'href="/webinars/{webinar.slug}/register"' not in page
    assert client.get(f"/webinars/{webinar.slug}/register").status_code == 200
    assert client.post(f"/webinars/{webinar.slug}/register", data={}).status_code == 409


def test_the_webinar_page_takes_a_constant_number_of_queries(client, make_webinar, count_queries):
    small = make_webinar(capacity=5)
    big = make_webinar(capacity=500)
    db.session.commit()
    for n in range(30):
        services.register(big, registrant(n))
        db.session.commit()
    small_url, big_url = f"/webinars/{small.slug}/", f"/webinars/{big.slug}/"
    with count_queries() as few:
        client.get(small_url)
    with count_queries() as many:
        client.get(big_url)
    assert few.count == many.count == 5   # the webinar, its presenters, its seats, its materials and its write-up


def test_the_list_is_cached_and_shows_upcoming_first(client, make_webinar):
    later = make_webinar(title="Later", starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=20))
    sooner = make_webinar(title="Sooner", starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=3))
    past = make_webinar(title="Last year", starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(days=300))
    db.session.commit()
    response = client.get("/webinars/")
    page = response.get_data(as_text=True)
    assert page.index(sooner.title) < page.index(later.title) < page.index("Past webinars") < page.index(past.title)
    assert client.get("/webinars/", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
