"""A registrant's private page: reached only by a live manage token, shows only their registration,
updates, cancels with a confirmation step, resends, and resets links."""
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Token
from mipevents.people.services import mint_token, resolve_token
from mipevents.registration import services
from mipevents.registration.models import Registration


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
         "title": "Mayor", "organization": f"City {n}", "city": "Madison", "state": "WI", "consent": True}
    v.update(over)
    return v


def registered(webinar, n=1, **over):
    registration = services.register(webinar, values(n, **over)).registration
    token = mint_token(registration.person, "manage", registration.id)
    db.session.commit()
    return registration, token


def kinds():
    return [m.kind for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def test_the_page_shows_the_registration_and_the_waitlist_place(client, make_webinar):
    webinar = make_webinar(title="Water rates", capacity=1)
    db.session.commit()
    registered(webinar, 1)
    waiting, token = registered(webinar, 2)
    response = client.get(f"/manage/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (response.headers["Cache-Control"], response.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    assert "<h1>Water rates</h1>" in page
    assert "You are on the waitlist, number 1 in line." in page
    assert "First2 Last2" in page and "person2@example.org" in page
    assert "person1@example.org" not in page and webinar.join_url not in page


def test_unknown_revoked_and_foreign_tokens_are_not_found(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    mine, token = registered(webinar, 1)
    theirs, _ = registered(webinar, 2)
    # A live token of person 1 naming person 2's registration opens nothing.
    forged = mint_token(mine.person, "manage", theirs.id)
    feed = mint_token(mine.person, "feed")
    db.session.commit()
    assert client.get(f"/manage/{forged}").status_code == 404
    assert client.get(f"/manage/{feed}").status_code == 404          # another purpose
    assert client.get("/manage/not-a-token").status_code == 404
    client.post(f"/manage/{token}/reset")
    assert client.get(f"/manage/{token}").status_code == 404          # revoked


def test_updating_details_saves_them_and_bad_input_is_422(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    registration, token = registered(webinar)
    response = client.post(f"/manage/{token}/details", data={"first_name": "Renamed", "last_name": "Person",
                                                             "title": "Deputy Mayor", "organization": "City 1"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/manage/{token}")
    stored = db.session.get(Registration, registration.id)
    assert (stored.first_name, stored.title, stored.email) == ("Renamed", "Deputy Mayor", "person1@example.org")
    bad = client.post(f"/manage/{token}/details", data={"first_name": "", "last_name": "x" * 101})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert '<p class="error" id="first_name-error">Enter your first name.</p>' in page
    assert '<p class="error" id="last_name-error">Keep this to 100 characters or fewer.</p>' in page
    assert db.session.get(Registration, registration.id).last_name == "Person"


def test_cancelling_asks_first_then_frees_the_seat_for_the_next_in_line(client, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    first, token = registered(webinar, 1)
    second, _ = registered(webinar, 2)
    confirm = client.get(f"/manage/{token}/cancel")
    assert confirm.status_code == 200
    assert "<h1>Cancel your registration?</h1>" in confirm.get_data(as_text=True)
    assert db.session.get(Registration, first.id).status == "confirmed"
    done = client.post(f"/manage/{token}/cancel")
    assert (done.status_code, done.headers["Location"]) == (303, f"/manage/{token}")
    assert [db.session.get(Registration, r.id).status for r in (first, second)] == ["cancelled", "confirmed"]
    assert kinds()[-2:] == ["registration_cancelled", "registration_promoted"]
    page = client.get(f"/manage/{token}").get_data(as_text=True)
    assert "Cancelled." in page and "Cancel my registration" not in page
    again = client.post(f"/manage/{token}/cancel")
    assert again.status_code == 303
    assert kinds()[-2:] == ["registration_cancelled", "registration_promoted"]


def test_resend_queues_the_confirmation_again(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    _, token = registered(webinar)
    assert client.post(f"/manage/{token}/resend").status_code == 303
    rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [(m.kind, m.to_email, m.context.get("resent")) for m in rows] == [
        ("registration_received", "person1@example.org", None), ("registration_received", "person1@example.org", True)]


def test_reset_my_links_revokes_manage_and_feed_links_and_gives_new_ones(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    registration, token = registered(webinar)
    old_feed = mint_token(registration.person, "feed")
    db.session.commit()
    response = client.post(f"/manage/{token}/reset")
    assert response.status_code == 303
    new_token = response.headers["Location"].removeprefix("/manage/")
    assert new_token != token
    assert (resolve_token(token, "manage"), resolve_token(old_feed, "feed")) == (None, None)
    assert client.get(f"/manage/{new_token}").status_code == 200
    live = db.session.execute(select(Token).where(Token.purpose == "manage", Token.revoked_at.is_(None))).scalars().all()
    assert {t.subject_id for t in live} == {registration.id}
    assert kinds()[-1] == "registration_received"


def test_a_meeting_registration_opens_the_same_page(client, make_meeting):
    today = datetime.now(UTC).date()
    meeting = make_meeting(name="Summer Meeting", starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=32),
                           capacity=100)
    db.session.commit()
    registration, token = registered(meeting)
    page = client.get(f"/manage/{token}").get_data(as_text=True)
    assert "<h1>Summer Meeting</h1>" in page and "You are registered." in page
    assert client.post(f"/manage/{token}/cancel").status_code == 303
    assert db.session.get(Registration, registration.id).status == "cancelled"


def _feed_tokens(person_id):
    return db.session.execute(select(Token).where(Token.person_id == person_id, Token.purpose == "feed",
                                                  Token.revoked_at.is_(None))).scalars().all()


def test_fifty_views_show_one_stable_feed_address_until_reset(client, make_webinar):
    webinar = make_webinar(title="Feed me")
    db.session.commit()
    registration, token = registered(webinar)
    first = client.get(f"/manage/{token}").get_data(as_text=True)
    assert "Show my calendar address" in first and "mipevents.test/calendar/" not in first   # a GET creates no token
    assert _feed_tokens(registration.person_id) == []
    assert client.post(f"/manage/{token}/feed").status_code == 303
    addresses = set()
    for _ in range(50):
        page = client.get(f"/manage/{token}").get_data(as_text=True)
        addresses.add(re.search(r'href="http://mipevents\.test(/calendar/[A-Za-z0-9_-]+\.ics)"', page).group(1))
    assert len(addresses) == 1
    [live] = _feed_tokens(registration.person_id)
    assert live.secret and addresses.pop()[len("/calendar/"):-4] not in live.secret   # kept encrypted
    feed = re.search(r'(/calendar/[A-Za-z0-9_-]+\.ics)', page).group(1)
    response = client.get(feed)
    assert response.status_code == 200
    assert "SUMMARY:Feed me" in response.get_data(as_text=True)
    # "Reset my links": the old address stops working, one new address is shown from then on.
    reset = client.post(f"/manage/{token}/reset")
    new_token = reset.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(feed).status_code == 404
    [renewed] = _feed_tokens(registration.person_id)
    after = client.get(f"/manage/{new_token}").get_data(as_text=True)
    new_feed = re.search(r'(/calendar/[A-Za-z0-9_-]+\.ics)', after).group(1)
    assert new_feed != feed and client.get(new_feed).status_code == 200
    assert _feed_tokens(registration.person_id) == [renewed]


def test_the_page_takes_a_constant_number_of_queries(client, make_webinar, count_queries):
    quiet = make_webinar(capacity=1)
    busy = make_webinar(capacity=1)
    db.session.commit()
    registered(quiet, 1)
    _, quiet_token = registered(quiet, 0)   # waitlisted, second in the webinar: 1 ahead of them
    for n in range(2, 30):
        registered(busy, n)
    _, busy_token = registered(busy, 30)    # waitlisted, 28 ahead of them
    counts = []
    for token in (quiet_token, busy_token):
        with count_queries() as q:
            assert client.get(f"/manage/{token}").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]
