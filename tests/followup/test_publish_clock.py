"""A write-up dated ahead appears on every cached page that lists write-ups (the meeting page, its
session, the showcase recap, the ideas library, /stories/ and its feed) when its publish date comes,
with nothing else changing: their cache keys carry the next publish instant, and no browser or proxy
keeps them past it. Time is moved with the app's clock (core.timeutil), never slept through."""
from datetime import timedelta

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import services
from mipevents.showcase.models import ShowcaseSlot


def test_dated_write_ups_appear_on_cached_pages_when_their_day_comes(client, make_meeting, make_item, controlled_clock):
    now = utcnow().replace(microsecond=0)
    controlled_clock(now)
    meeting = make_meeting(status="published")
    panel = make_item(meeting, title="Flood finance")
    showcase = make_item(meeting, kind="showcase", title="Innovation Showcase")
    slot = ShowcaseSlot(item_id=showcase.id, presenter_name="Kim Norton", title="Stormwater credits", topic="Climate")
    db.session.add(slot)
    db.session.flush()
    publish_at = now + timedelta(days=2)
    for target, title in ((panel, "Data first, then the money"), (slot, "Credits that pay for rain gardens")):
        services.save_story(target, {"title": title, "body": "Read on.", "publish": True, "published_at": publish_at},
                            actor=None)
    db.session.commit()
    version = meeting.agenda_version
    pages = [f"/meetings/{meeting.slug}/", f"/meetings/{meeting.slug}/sessions/{panel.id}",
             f"/meetings/{meeting.slug}/showcase", "/ideas/", "/stories/", "/stories/feed.atom"]
    expected = {pages[0]: "Data first, then the money", pages[1]: "Data first, then the money",
                pages[2]: "Credits that pay for rain gardens", pages[3]: "Credits that pay for rain gardens",
                pages[4]: "Data first, then the money", pages[5]: "Credits that pay for rain gardens"}

    before = {url: client.get(url) for url in pages}
    assert {url: r.status_code for url, r in before.items()} == dict.fromkeys(pages, 200)
    assert [url for url, r in before.items() if expected[url] in r.get_data(as_text=True)] == []
    etags = {url: client.get(url).headers["ETag"] for url in pages}           # cached: the same answer again
    assert etags == {url: r.headers["ETag"] for url, r in before.items()}

    controlled_clock(publish_at - timedelta(seconds=30))
    assert client.get(pages[0]).headers["Cache-Control"] == "public, max-age=30, must-revalidate"

    controlled_clock(publish_at)
    after = {url: client.get(url) for url in pages}
    assert [url for url, r in after.items() if expected[url] in r.get_data(as_text=True)] == pages
    assert all(after[url].headers["ETag"] != etags[url] for url in pages)
    assert client.get(pages[0], headers={"If-None-Match": etags[pages[0]]}).status_code == 200
    db.session.refresh(meeting)
    assert meeting.agenda_version == version                                   # nothing else changed
