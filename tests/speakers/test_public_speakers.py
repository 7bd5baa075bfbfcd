"""Public speaker pages: a meeting's speakers with their roles, a profile across meetings, the
photo with its ETag, the placeholder, and what stays private (emails, speakers of drafts only)."""
from datetime import date, datetime

import pytest
from lxml import html

from mipevents.extensions import db
from mipevents.showcase.models import ShowcaseSlot

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def texts(page, xpath):
    return [" ".join(e.text_content().split()) for e in html.fromstring(page).xpath(xpath)]


@pytest.fixture
def people(make_meeting, make_item, make_speaker):
    winter = make_meeting(slug="winter", name="Winter 2025", starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    summer = make_meeting(slug="summer", name="Summer 2025", starts_on=date(2025, 7, 16), ends_on=date(2025, 7, 18),
                          timezone="America/Chicago")
    ellis = make_speaker(name="Priya Ellis", honorific="", position="Policy Director", organization="Welcoming Network",
                         city="", state="", bio="Priya leads policy.\n\nShe lives in Madison.", email="priya@private.example")
    chen = make_speaker(name="Grace Chen", position="Mayor of Ann Arbor, MI", city="Ann Arbor", state="MI")
    hidden = make_speaker(name="Draft Only")
    presenter = make_speaker(name="Elena Rivera", position="Mayor of Dubuque, IA")
    panel = make_item(winter, at=datetime(2025, 1, 22, 10, 0), title="Welcoming communities",
                      speakers=[(ellis, "moderator"), (chen, "panelist")])
    make_item(winter, at=datetime(2025, 1, 23, 9, 0), title="Closing", speakers=[(chen, "keynote")])
    make_item(winter, at=datetime(2025, 1, 23, 14, 0), title="Not yet", status="draft", speakers=[(hidden, "speaker")])
    showcase = make_item(winter, at=datetime(2025, 1, 23, 10, 45), title="Innovation Showcase", kind="showcase")
    db.session.add(ShowcaseSlot(item_id=showcase.id, speaker_id=presenter.id, presenter_name=presenter.display_name,
                                title="Lead lines replaced in four years", position=0))
    make_item(summer, at=datetime(2025, 7, 16, 9, 0), title="Summer keynote", speakers=[(ellis, "keynote")])
    db.session.commit()
    return {"ellis": ellis, "chen": chen, "hidden": hidden, "presenter": presenter, "panel": panel}


def test_meeting_speakers_are_listed_by_name_with_their_sessions_and_roles(client, people):
    page = client.get("/meetings/winter/speakers").get_data(as_text=True)

    assert texts(page, "//ul[contains(@class, 'people')]/li//h3") == ["Mayor Grace Chen", "Priya Ellis", "Mayor Elena Rivera"]
    assert texts(page, "//h2[@class='az-heading']") == ["C", "E", "R"]
    assert texts(page, "//nav[@aria-label='Speakers by last name']//a") == ["C", "E", "R"]
    assert texts(page, "//li[.//h3[.='Mayor Grace Chen']]//ul[@class='appearances']/li") == [
        "Welcoming communities · Panelist", "Closing · Keynote"]
    assert texts(page, "//li[.//h3[.='Mayor Elena Rivera']]//ul[@class='appearances']/li") == ["Innovation Showcase · Presenter"]
    assert "Draft Only" not in page
    assert "priya@private.example" not in page


def test_a_profile_lists_sessions_across_meetings_latest_meeting_first(client, people):
    ellis = people["ellis"]
    page = client.get(f"/speakers/{ellis.id}").get_data(as_text=True)

    assert texts(page, "//h1") == ["Priya Ellis"]
    assert texts(page, "//section[@aria-labelledby='bio-heading']/p") == ["Priya leads policy.", "She lives in Madison."]
    assert texts(page, "//section[@aria-labelledby='sessions-heading']/h3") == ["Summer 2025", "Winter 2025"]
    assert texts(page, "//ul[@class='appearances']/li/span[@class='meta']") == [
        "Wednesday, July 16, 9:00 AM CT · Keynote", "Wednesday, January 22, 10:00 AM ET · Moderator"]
    assert "priya@private.example" not in page


def test_a_showcase_presenter_profile_names_their_talk(client, people):
    page = client.get(f"/speakers/{people['presenter'].id}").get_data(as_text=True)
    assert texts(page, "//ul[@class='appearances']/li/span[@class='meta']") == [
        "Thursday, January 23, 10:45 AM ET · Presenter: “Lead lines replaced in four years”"]


def test_a_speaker_of_drafts_only_or_unknown_answers_404(client, people):
    assert client.get(f"/speakers/{people['hidden'].id}").status_code == 404
    assert client.get(f"/speakers/{people['hidden'].id}/photo").status_code == 404
    assert client.get("/speakers/999999").status_code == 404


def test_without_a_photo_the_profile_shows_initials_and_the_photo_url_is_404(client, people):
    chen = people["chen"]
    page = client.get(f"/speakers/{chen.id}").get_data(as_text=True)
    assert texts(page, "//span[contains(@class, 'avatar-initials')]") == ["GC"]
    assert client.get(f"/speakers/{chen.id}/photo").status_code == 404


def test_the_photo_is_served_from_the_database_with_an_etag(client, people, count_queries):
    chen = people["chen"]
    chen.photo, chen.photo_type, chen.photo_version = PNG, "image/png", 3
    db.session.commit()

    page = client.get(f"/speakers/{chen.id}").get_data(as_text=True)
    src = html.fromstring(page).xpath("//img[contains(@class, 'avatar')]/@src")
    assert src == [f"/speakers/{chen.id}/photo?v=3"]
    assert html.fromstring(page).xpath("//img[contains(@class, 'avatar')]/@alt") == ["Photo of Mayor Grace Chen"]

    response = client.get(src[0])
    assert (response.status_code, response.mimetype, response.data) == (200, "image/png", PNG)
    db.session.expunge_all()   # as in a new request: nothing already loaded
    with count_queries() as revalidate:
        again = client.get(src[0], headers={"If-None-Match": response.headers["ETag"]})
    assert (again.status_code, again.data, revalidate.count) == (304, b"", 2)

    db.session.get(type(chen), chen.id).photo_version = 4
    db.session.commit()
    assert client.get(src[0], headers={"If-None-Match": response.headers["ETag"]}).status_code == 200


def test_a_warm_profile_costs_two_small_queries_and_follows_a_change(client, people, count_queries, make_item):
    chen = people["chen"]
    first = client.get(f"/speakers/{chen.id}")
    db.session.expunge_all()   # as in a new request: nothing already loaded
    with count_queries() as warm:
        again = client.get(f"/speakers/{chen.id}")
    assert (again.data, warm.count) == (first.data, 2)

    from mipevents.meetings.services import touch
    chen = db.session.merge(chen)
    meeting = db.session.merge(people["panel"]).meeting
    make_item(meeting, at=datetime(2025, 1, 24, 9, 0), title="A new panel", speakers=[(chen, "moderator")])
    touch(meeting)
    db.session.commit()
    page = client.get(f"/speakers/{chen.id}").get_data(as_text=True)
    assert "A new panel" in texts(page, "//ul[@class='appearances']/li/a")
