"""The listings' cards say where registration stands ("Open", "Full — waitlist open", "Registration
closed") and follow a change at once although the pages are cached: the state is in the key. No count
of seats is ever on a cached listing."""
from datetime import UTC, datetime, timedelta

from lxml import html

from mipevents.extensions import db
from mipevents.registration import services
from mipevents.registration.models import Registration


def registrant(n):
    return {"first_name": f"F{n}", "last_name": f"L{n}", "email": f"card{n}@example.org", "role": "mayor",
            "consent": True}


def card_states(page, section="upcoming-heading"):
    """{card title: its state's words} for the cards of one section."""
    tree = html.fromstring(page)
    cards = tree.xpath(f"//section[@aria-labelledby='{section}']//li[contains(@class, 'card')]")
    return {" ".join(card.xpath("string(.//h3)").split()): " ".join(card.xpath("string(.//*[@class='card-state'])").split())
            for card in cards}


def test_cards_say_open_full_or_closed_and_never_a_count(client, make_meeting, make_webinar):
    today = datetime.now(UTC).date()
    now = datetime.now(UTC).replace(microsecond=0)
    make_meeting(name="Summer Meeting", starts_on=today + timedelta(days=40), ends_on=today + timedelta(days=42),
                 capacity=100)
    make_meeting(name="Academy", starts_on=today + timedelta(days=60), ends_on=today + timedelta(days=61),
                 registration_opens_at=now + timedelta(days=20))
    make_meeting(name="Workshop", starts_on=today + timedelta(days=50), ends_on=today + timedelta(days=50),
                 registration_closes_at=now - timedelta(hours=1))
    make_meeting(name="Called off", status="cancelled", starts_on=today + timedelta(days=30),
                 ends_on=today + timedelta(days=30))
    make_webinar(title="Open webinar", capacity=20)
    full = make_webinar(title="Full webinar", capacity=1)
    make_webinar(title="Closed webinar", starts_at=now + timedelta(days=2),
                 registration_closes_at=now - timedelta(minutes=5))
    db.session.commit()
    services.register(full, registrant(1))
    db.session.commit()

    home = client.get("/").get_data(as_text=True)
    listing = client.get("/webinars/").get_data(as_text=True)

    opens = (now + timedelta(days=20)).astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")).date()
    assert card_states(home) == {
        "Called off": "", "Summer Meeting": "Registration: Open",
        "Workshop": "Registration: Registration closed",
        "Academy": f"Registration: Registration opens {opens.strftime('%A, %B')} {opens.day}",
        "Open webinar": "Registration: Open", "Full webinar": "Registration: Full — waitlist open",
        "Closed webinar": "Registration: Registration closed"}
    assert card_states(listing) == {"Open webinar": "Registration: Open", "Full webinar": "Registration: Full — waitlist open",
                                    "Closed webinar": "Registration: Registration closed"}
    assert "left" not in home.replace("days left", "") and "seats" not in listing


def test_a_cached_card_follows_its_event_filling_up_and_freeing_a_seat(client, make_webinar, count_queries):
    webinar = make_webinar(title="Housing first", capacity=1)
    db.session.commit()
    first = client.get("/")
    assert card_states(first.get_data(as_text=True)) == {"Housing first": "Registration: Open"}
    etag = first.headers["ETag"]

    outcome = services.register(webinar, registrant(2))
    db.session.commit()
    filled = client.get("/", headers={"If-None-Match": etag})
    assert filled.status_code == 200
    assert card_states(filled.get_data(as_text=True)) == {"Housing first": "Registration: Full — waitlist open"}
    with count_queries() as warm:   # the state rides in the version query: still one query when warm
        assert client.get("/").data == filled.data
    assert warm.count == 1
    assert card_states(client.get("/webinars/").get_data(as_text=True)) == {
        "Housing first": "Registration: Full — waitlist open"}

    services.cancel(db.session.get(Registration, outcome.registration_id))
    db.session.commit()
    assert card_states(client.get("/").get_data(as_text=True)) == {"Housing first": "Registration: Open"}
    assert card_states(client.get("/webinars/").get_data(as_text=True)) == {"Housing first": "Registration: Open"}


def test_no_add_to_calendar_where_one_cannot_attend(client, make_webinar, make_meeting, make_item):
    now = datetime.now(UTC).replace(microsecond=0)
    open_webinar = make_webinar()
    closed = make_webinar(starts_at=now + timedelta(days=2), registration_closes_at=now - timedelta(minutes=5))
    past = make_webinar(starts_at=now - timedelta(days=3))
    over = make_meeting()   # January 2025: long over
    today = now.date()
    ahead = make_meeting(starts_on=today + timedelta(days=20), ends_on=today + timedelta(days=21))
    old_session, new_session = make_item(over), make_item(ahead)
    db.session.commit()

    def offers_calendar(url):
        return "Add to your calendar" in client.get(url).get_data(as_text=True)

    assert [offers_calendar(f"/webinars/{w.slug}/") for w in (open_webinar, closed, past)] == [True, False, False]
    assert [offers_calendar(f"/meetings/{m.slug}/sessions/{i.id}") for m, i in ((over, old_session), (ahead, new_session))] \
        == [False, True]
