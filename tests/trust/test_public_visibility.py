"""One rule decides what the public sees. The app's URL map is walked (so a public page added later is
covered the day it is added): for a draft meeting, a cohort-only meeting, a draft webinar and a
cohort-only webinar, every public rule filled with that event's slug and ids answers 404 without a
private link, and no listing, feed or API list names them."""
from datetime import UTC, date, datetime, timedelta

import pytest

from mipevents.core import visibility
from mipevents.extensions import db
from mipevents.showcase.models import ShowcaseSlot

# Values a rule may take from the hidden event; a rule needing anything else (a token, a file) is private
# or not about events.
FILLABLE = {"slug", "item_id", "session_id", "speaker_id"}


def _hidden_events(make_meeting, make_item, make_speaker, make_webinar, make_cohort):
    cohort = make_cohort(status="published", slug="members-cohort")
    soon = date.today() - timedelta(days=3)   # over: the recap and /ideas/ would show it if public
    events = {}
    for label, over in (("draft meeting", {"status": "draft"}), ("cohort meeting", {"cohort_id": cohort.id})):
        meeting = make_meeting(slug=label.replace(" ", "-"), name=f"Hidden {label}", starts_on=soon, ends_on=soon, **over)
        speaker = make_speaker(name=f"Speaker of the {label}")
        panel = make_item(meeting, title=f"Panel of the {label}", speakers=[speaker])
        showcase = make_item(meeting, kind="showcase", title=f"Showcase of the {label}",
                             at=datetime(soon.year, soon.month, soon.day, 14, 0))
        db.session.add(ShowcaseSlot(item_id=showcase.id, title=f"Idea of the {label}", presenter_name="Mayor X",
                                    status="published", position=0, topic="Housing"))
        events[label] = {"slug": meeting.slug, "item_id": panel.id, "session_id": showcase.id,
                         "speaker_id": speaker.id, "name": meeting.name}
    for label, over in (("draft webinar", {"status": "draft"}), ("cohort webinar", {"cohort_id": cohort.id})):
        webinar = make_webinar(slug=label.replace(" ", "-"), title=f"Hidden {label}",
                               starts_at=datetime.now(UTC) + timedelta(days=5), **over)
        events[label] = {"slug": webinar.slug, "item_id": 0, "session_id": 0, "speaker_id": 0, "name": webinar.title}
    db.session.commit()
    return events


def _public_get_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/staff"):
            continue
        if rule.arguments <= FILLABLE:
            yield rule


def test_every_public_page_of_a_hidden_event_answers_404(app, client, make_meeting, make_item, make_speaker,
                                                          make_webinar, make_cohort):
    events = _hidden_events(make_meeting, make_item, make_speaker, make_webinar, make_cohort)
    rules = list(_public_get_rules(app))
    with_args = [r for r in rules if r.arguments]
    assert {"showcase.lineup", "showcase.state", "showcase.practice", "showcase.stage", "api.show_session",
            "speakers.show_speaker", "feeds.session_ics", "api.schedule_json"} <= {r.endpoint for r in with_args}
    opened = []
    for label, values in events.items():
        for rule in with_args:
            path = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
            response = client.get(path)
            login = response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
            if response.status_code != 404 and not login:
                opened.append((label, path, response.status_code))
    assert opened == []


def test_no_listing_feed_or_api_list_names_a_hidden_event(app, client, make_meeting, make_item, make_speaker,
                                                          make_webinar, make_cohort):
    events = _hidden_events(make_meeting, make_item, make_speaker, make_webinar, make_cohort)
    found = []
    for rule in _public_get_rules(app):
        if rule.arguments:
            continue
        body = client.get(rule.rule).get_data(as_text=True)
        for label, values in events.items():
            for needle in (values["name"], f"Panel of the {label}", f"Idea of the {label}", f"Speaker of the {label}"):
                if needle in body:
                    found.append((rule.rule, needle))
    assert found == []


@pytest.mark.parametrize(("status", "cohort_id", "public"), [
    ("published", None, True), ("cancelled", None, True), ("draft", None, False), ("published", 7, False),
])
def test_the_rule(status, cohort_id, public):
    class Event:
        pass

    event = Event()
    event.status, event.cohort_id = status, cohort_id
    assert visibility.is_public(event) is public
