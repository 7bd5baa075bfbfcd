"""The public session page and the public changelog of agenda releases."""
from datetime import datetime

from lxml import html

from mipevents.agenda.publishing import publish_agenda
from mipevents.extensions import db


def texts(page, xpath):
    return [" ".join(e.text_content().split()) for e in html.fromstring(page).xpath(xpath)]


def test_the_session_page_shows_time_room_description_and_speakers(client, make_meeting, make_room, make_item, make_speaker):
    meeting = make_meeting(slug="winter", venue="Capitol Hill Conference Center")
    room = make_room(meeting, "Salon A")
    ellis = make_speaker(name="Priya Ellis", honorific="", position="Policy Director", organization="Welcoming Network")
    chen = make_speaker(name="Grace Chen", position="Mayor of Ann Arbor, MI")
    item = make_item(meeting, at=datetime(2025, 1, 22, 10, 0), minutes=75, title="Welcoming communities", room=room,
                     track="Inclusion", description="How cities welcome.\n\nWith practical steps.",
                     speakers=[(ellis, "moderator"), (chen, "panelist")], press_status="chatham_house")
    db.session.commit()

    page = client.get(f"/meetings/winter/sessions/{item.id}").get_data(as_text=True)

    assert texts(page, "//h1") == ["Welcoming communities"]
    assert texts(page, "//dl[@class='facts']/dd") == [
        "Wednesday, January 22, 10:00 AM – 11:15 AM ET", "Salon A, Capitol Hill Conference Center", "Inclusion",
        "Chatham House rule"]
    assert texts(page, "//section[@aria-labelledby='about-heading']/p") == ["How cities welcome.", "With practical steps."]
    assert texts(page, "//ul[@class='people']//h3") == ["Priya Ellis", "Mayor Grace Chen"]
    assert texts(page, "//ul[@class='people']//p[@class='role']") == ["Moderator", "Panelist"]
    assert html.fromstring(page).xpath("//ul[@class='people']//h3/a/@href") == [f"/speakers/{ellis.id}", f"/speakers/{chen.id}"]
    # No photo: a placeholder with initials, hidden from screen readers (the name is next to it).
    assert texts(page, "//ul[@class='people']//span[contains(@class, 'avatar-initials')][@aria-hidden='true']") == ["PE", "GC"]
    assert ellis.email not in page


def test_a_cancelled_session_stays_and_says_so(client, make_meeting, make_item):
    meeting = make_meeting(slug="winter")
    item = make_item(meeting, title="Site visit", status="cancelled")
    db.session.commit()
    response = client.get(f"/meetings/winter/sessions/{item.id}")
    assert response.status_code == 200
    assert texts(response.get_data(as_text=True), "//p[contains(@class, 'notice-cancelled')]") == ["This session is cancelled."]


def test_a_draft_session_or_one_of_another_meeting_answers_404(client, make_meeting, make_item):
    meeting = make_meeting(slug="winter")
    other = make_meeting(slug="summer")
    draft = make_item(meeting, status="draft")
    elsewhere = make_item(other)
    db.session.commit()
    assert client.get(f"/meetings/winter/sessions/{draft.id}").status_code == 404
    assert client.get(f"/meetings/winter/sessions/{elsewhere.id}").status_code == 404
    assert client.get("/meetings/winter/sessions/999999").status_code == 404
    assert client.get(f"/meetings/summer/sessions/{elsewhere.id}").status_code == 200


def test_the_changelog_lists_releases_newest_first_with_links_to_public_sessions(client, make_meeting, make_item):
    meeting = make_meeting(slug="winter", status="draft")
    keep = make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="Opening", status="draft")
    drop = make_item(meeting, at=datetime(2025, 1, 22, 11, 0), title="Lunch", status="draft")
    publish_agenda(meeting, accept_conflicts=True)
    keep.title = "Opening plenary"
    db.session.delete(drop)
    db.session.flush()
    publish_agenda(meeting, accept_conflicts=True, note="Final programme")
    db.session.commit()

    page = client.get("/meetings/winter/agenda/changes").get_data(as_text=True)

    assert texts(page, "//section[@class='release']/h2") == ["Version 2", "Version 1"]
    assert texts(page, "//section[@class='release'][1]//ul[@class='changes']/li") == [
        "Renamed “Opening” to “Opening plenary”.", "Removed “Lunch”."]
    assert html.fromstring(page).xpath("//section[@class='release'][1]//li[1]/a/@href") == [f"/meetings/winter/sessions/{keep.id}"]
    assert html.fromstring(page).xpath("//section[@class='release'][1]//li[2]/a") == []   # gone: no link
    assert "Final programme" in texts(page, "//section[@class='release'][1]/p[@class='meta']")[0]


def test_the_changelog_before_any_release(client, make_meeting):
    make_meeting(slug="winter")
    db.session.commit()
    page = client.get("/meetings/winter/agenda/changes").get_data(as_text=True)
    assert "The agenda has not been published yet." in texts(page, "//main//p")
