"""Nothing private leaves through the API or the schedule exports, and every API page costs the
same number of queries whatever the agenda's size."""
import re

import pytest
from sqlalchemy import select

from mipevents.agenda.models import SessionSpeaker
from mipevents.core import http_cache
from mipevents.extensions import cache, db
from mipevents.people.models import Person
from mipevents.registration.models import Registration
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar
from mipevents.workflows.importer import import_meeting
from tests.workflows.test_importer import dataset

BASE = "http://mipevents.test"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _get(client, url):
    response = client.get(url.removeprefix(BASE), headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200, url
    return response


def _pages(client, url):
    """Every page of a list, following its `next` links."""
    while url:
        body = _get(client, url).get_json()
        yield body
        url = body["links"]["next"]


def crawl(client) -> dict[str, str]:
    """Every public API answer and schedule export: {url: body}."""
    seen: dict[str, str] = {}

    def fetch(url):
        seen[url] = _get(client, url).get_data(as_text=True)

    for url in ("/api/", "/api/openapi.json"):
        fetch(url)
    for page in _pages(client, "/api/v1/meetings?limit=200"):
        seen[page["links"]["self"]] = str(page)
        for meeting in page["data"]:
            links = meeting["links"]
            for url in (links["self"], links["showcase"], links["schedule_xml"], links["schedule_json"]):
                fetch(url)
            for sessions in _pages(client, links["sessions"] + "?limit=200"):
                seen[sessions["links"]["self"]] = _get(client, sessions["links"]["self"]).get_data(as_text=True)
                for item in sessions["data"]:
                    fetch(item["links"]["self"])
            for speakers in _pages(client, links["speakers"] + "?limit=200"):
                seen[speakers["links"]["self"]] = _get(client, speakers["links"]["self"]).get_data(as_text=True)
                for speaker in speakers["data"]:
                    fetch(speaker["links"]["self"])
    for page in _pages(client, "/api/v1/webinars?limit=200"):
        seen[page["links"]["self"]] = _get(client, page["links"]["self"]).get_data(as_text=True)
        for webinar in page["data"]:
            fetch(webinar["links"]["self"])
    return seen


def test_no_email_and_no_join_link_in_any_answer(app, client):
    data = dataset("small")
    import_meeting(data, with_registrants=True)
    db.session.commit()
    private = set()
    for column in (Person.email, Speaker.email, Registration.email, Registration.scheduler_email, Webinar.join_url):
        private.update(v.lower() for v in db.session.execute(select(column)).scalars() if v)
    assert len(private) > len(data["registrants"])            # registrants, speakers and join links
    answers = crawl(client)
    assert len(answers) > len(data["sessions"]) + len(data["speakers"]) // 2
    for url, body in answers.items():
        lowered = body.lower()
        leaked = sorted(value for value in private if value in lowered)
        assert leaked == [], url
        assert "join_url" not in body, url
        if url != "/api/":                                    # the page's curl example has a made-up address
            assert EMAIL.search(body) is None, (url, EMAIL.search(body).group())


def _speaker_in(meeting):
    return db.session.execute(
        select(SessionSpeaker.speaker_id).where(SessionSpeaker.item.has(meeting_id=meeting.id))
        .order_by(SessionSpeaker.speaker_id).limit(1)).scalar_one()


def _urls(client, meeting) -> dict[str, str]:
    webinar = db.session.execute(select(Webinar.slug).order_by(Webinar.id).limit(1)).scalar_one()
    first = client.get(f"/api/v1/meetings/{meeting.slug}/sessions?limit=1").get_json()["data"][0]["id"]
    return {
        "meetings": "/api/v1/meetings",
        "meeting": f"/api/v1/meetings/{meeting.slug}",
        "sessions": f"/api/v1/meetings/{meeting.slug}/sessions?limit=200",
        "sessions filtered": f"/api/v1/meetings/{meeting.slug}/sessions?day=2025-01-23&kind=panel",
        "session": f"/api/v1/meetings/{meeting.slug}/sessions/{first}",
        "speakers": f"/api/v1/meetings/{meeting.slug}/speakers?limit=200",
        "speaker": f"/api/v1/speakers/{_speaker_in(meeting)}",
        "showcase": f"/api/v1/meetings/{meeting.slug}/showcase",
        "webinars": "/api/v1/webinars?limit=200",
        "webinar": f"/api/v1/webinars/{webinar}",
        "schedule.xml": f"/meetings/{meeting.slug}/schedule.xml",
        "schedule.json": f"/meetings/{meeting.slug}/schedule.json",
    }


def _counts(client, count_queries, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        cache.clear()
        http_cache.forget_local()    # and this process's copies: a cold start
        db.session.remove()     # a fresh session, as each real request has: nothing loaded already
        with count_queries() as q:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = q.count
    return counts


@pytest.mark.slow
def test_query_counts_do_not_grow_with_the_agenda(app, client, count_queries):
    small = import_meeting(dataset("small")).meeting
    large = import_meeting(dataset("large")).meeting
    db.session.commit()
    small_urls, large_urls = _urls(client, small), _urls(client, large)
    at_small = _counts(client, count_queries, small_urls)
    at_large = _counts(client, count_queries, large_urls)
    assert at_small == at_large
    # Sessions and the schedule exports also read the sessions' public materials: one query. A
    # speaker's webinars and a page of webinars' presenters: one query each; the showcase line-up
    # and webinars read their public materials: one query each.
    assert at_small == {"meetings": 3, "meeting": 1, "sessions": 5, "sessions filtered": 5, "session": 4,
                        "speakers": 4, "speaker": 4, "showcase": 3, "webinars": 5, "webinar": 2,
                        "schedule.xml": 5, "schedule.json": 5}
