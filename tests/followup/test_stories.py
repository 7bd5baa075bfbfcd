"""Write-ups: drafts invisible, public once published and dated on a public session, slot or webinar;
hostile Markdown rendered harmless; photos need alt text and are re-encoded; /stories/, the Atom
feed, and links from the session page, the showcase recap, the meeting page and the ideas library."""
import io
from datetime import date, timedelta

import lxml.html
import pytest
from lxml import etree
from sqlalchemy import select

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import services
from mipevents.followup.models import Story, StoryPhoto
from mipevents.showcase.models import ShowcaseSlot
from tests.followup import files

HOSTILE = """Intro.

<script>alert("x")</script>

[click me](javascript:alert(document.cookie)) and <a href="javascript:alert(1)">raw</a>

<img src="x" onerror="alert(1)"> ![pixel](https://tracker.example/p.gif)

<div style="position:fixed">overlay</div>
"""


@pytest.fixture
def panel(make_meeting, make_item):
    meeting = make_meeting(status="published", starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    item = make_item(meeting, title="Data and Financing for Flood Resilient Infrastructure")
    db.session.commit()
    return item


def _save(client, item, **over):
    form = {"title": "Flood finance: what works", "author": "Staff", "summary": "Three tools.", "body": "Text.",
            "published_on": "", "publish": "y", **over}
    return client.post(f"/staff/after/session/{item.id}/story",
                       data={f"story-{k}": v for k, v in form.items() if v is not None})


def test_a_draft_is_invisible_and_publishing_shows_it_everywhere(client, login_as, panel):
    login_as("staff")
    assert _save(client, panel, publish=None).status_code == 303
    story = db.session.execute(select(Story)).scalar_one()
    url = f"/stories/{story.id}-flood-finance-what-works"
    assert client.get(url).status_code == 404
    assert "Flood finance" not in client.get("/stories/").get_data(as_text=True)
    assert "Flood finance" not in client.get("/stories/feed.atom").get_data(as_text=True)

    assert _save(client, panel).status_code == 303
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Flood finance: what works</h1>" in page.get_data(as_text=True)
    assert client.get(f"/stories/{story.id}-old-title").headers["Location"] == url
    assert f'<a href="{url}">Flood finance: what works</a>' in client.get("/stories/").get_data(as_text=True)
    session_page = client.get(f"/meetings/{panel.meeting.slug}/sessions/{panel.id}").get_data(as_text=True)
    assert f'<a href="{url}">Read the full feature: Flood finance: what works</a>' in session_page
    meeting_page = client.get(f"/meetings/{panel.meeting.slug}/").get_data(as_text=True)
    assert f'<li><a href="{url}">Flood finance: what works</a>: Three tools.</li>' in meeting_page

    feed = etree.fromstring(client.get("/stories/feed.atom").data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.xpath("a:entry/a:title/text()", namespaces=ns) == ["Flood finance: what works"]
    assert feed.xpath("a:entry/a:link/@href", namespaces=ns) == [f"http://mipevents.test{url}"]
    assert feed.xpath("a:entry/a:content/text()", namespaces=ns) == ["<p>Text.</p>\n"]


def test_a_future_date_a_draft_session_or_a_draft_meeting_keeps_it_hidden(client, login_as, panel, make_meeting,
                                                                         make_item):
    login_as("staff")
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    _save(client, panel, published_on=tomorrow)
    draft_meeting = make_meeting(status="draft")
    hidden = [make_item(panel.meeting, status="draft"), make_item(draft_meeting)]
    db.session.commit()
    for item in hidden:
        _save(client, item, title=f"About {item.id}")
    assert db.session.execute(select(Story.status)).scalars().all() == ["published"] * 3
    for story in db.session.execute(select(Story)).scalars():
        assert client.get(f"/stories/{story.id}-{story.slug}").status_code == 404
    assert "No stories yet" in client.get("/stories/").get_data(as_text=True)


def test_hostile_markdown_renders_without_any_of_it(client, login_as, panel):
    login_as("staff")
    _save(client, panel, body=HOSTILE)
    story = db.session.execute(select(Story)).scalar_one()
    page = client.get(f"/stories/{story.id}-{story.slug}").get_data(as_text=True)
    body = page.split('<div class="story-body">', 1)[1].split("</div>", 1)[0]
    elements = lxml.html.fragment_fromstring(body, create_parent="section").iter()
    # Only paragraphs and the remote image, kept as its alt text alone; the rest is text that was typed.
    assert [(e.tag, dict(e.attrib)) for e in elements] == [("section", {})] + [("p", {})] * 4 + [("img", {"alt": "pixel"})] + [("p", {})]
    assert '<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>' in body


def test_photos_need_alt_text_and_are_re_encoded_without_metadata(client, login_as, panel):
    login_as("staff")
    _save(client, panel)
    url = f"/staff/after/session/{panel.id}/story/photos"
    no_alt = client.post(url, data={"photo": (io.BytesIO(files.png()), "p.png"), "alt": "  ", "credit": "J. Lee"},
                         content_type="multipart/form-data")
    assert no_alt.status_code == 422
    assert "Describe the photo for people who cannot see it (alt text)." in no_alt.get_data(as_text=True)
    svg = client.post(url, data={"photo": (io.BytesIO(files.SVG), "p.svg"), "alt": "A map"}, content_type="multipart/form-data")
    assert svg.status_code == 422
    assert "This file is not a photo we can read. Upload a JPEG, PNG or WebP." in svg.get_data(as_text=True)
    assert db.session.execute(select(StoryPhoto)).first() is None
    with pytest.raises(services.FollowupProblem, match="alt text"):
        services.add_photo(db.session.execute(select(Story)).scalar_one(), data=files.png(), alt="", credit="",
                           max_bytes=10**6, actor=None)

    ok = client.post(url, data={"photo": (io.BytesIO(files.png(exif=True)), "p.jpg"), "alt": "Panelists on stage",
                                "credit": "Jordan Lee"}, content_type="multipart/form-data")
    assert ok.status_code == 303
    photo = db.session.execute(select(StoryPhoto)).scalar_one()
    story = photo.story
    served = client.get(f"/stories/photos/{photo.id}.jpg")
    assert served.mimetype == "image/jpeg" and served.data[:2] == b"\xff\xd8"
    assert b"Camera maker" not in served.data
    page = client.get(f"/stories/{story.id}-{story.slug}").get_data(as_text=True)
    assert f'<img src="/stories/photos/{photo.id}.jpg" alt="Panelists on stage">' in page
    assert "<figcaption>Photo: Jordan Lee</figcaption>" in page


def test_a_showcase_idea_s_write_up_is_linked_from_the_recap_and_the_ideas_library(client, login_as, panel, make_item):
    showcase = make_item(panel.meeting, kind="showcase", title="Innovation Showcase")
    slot = ShowcaseSlot(item_id=showcase.id, presenter_name="Mayor Rivera", city="Dubuque", state="IA",
                        title="Lead lines replaced", topic="Water")
    db.session.add(slot)
    db.session.commit()
    login_as("staff")
    assert client.post(f"/staff/after/slot/{slot.id}/story", data={"story-title": "How Dubuque did it", "story-publish": "y"}).status_code == 303
    story = db.session.execute(select(Story)).scalar_one()
    link = f'<a href="/stories/{story.id}-how-dubuque-did-it">Read the full feature<span class="visually-hidden">: How Dubuque did it</span></a>'
    assert link in client.get("/ideas/").get_data(as_text=True)
    assert link in client.get(f"/meetings/{panel.meeting.slug}/showcase").get_data(as_text=True)
