"""The frab schedule exports: the demo, the medium dataset and awkward data all validate against
the c3voc XSD and JSON schema, with stable identifiers and local times."""
import hashlib
import re
import uuid
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from mipevents.api import schedule
from mipevents.extensions import db
from mipevents.workflows.demo import load_demo
from mipevents.workflows.importer import import_meeting
from tests.workflows.test_importer import dataset


def test_every_demo_meeting_exports_valid_schedules(app, client, assert_valid_schedule):
    demo = load_demo(date(2026, 3, 2))
    db.session.commit()
    for slug in demo["meetings"]:
        tree, data = assert_valid_schedule(client, slug)
        assert tree.findtext("conference/acronym") == slug.replace("-", "_")
    assert demo["meetings"] == ["winter-2025", "summer-2026"]


def test_the_demo_schedule_says_what_the_agenda_says(app, client, assert_valid_schedule):
    load_demo(date(2026, 3, 2))
    db.session.commit()
    tree, data = assert_valid_schedule(client, "winter-2025")
    conference = data["schedule"]["conference"]
    assert (conference["start"], conference["end"], conference["daysCount"]) == ("2025-01-22", "2025-01-24", 3)
    assert conference["time_zone_name"] == "America/New_York"
    showcase = next(e for e in conference["days"][1]["rooms"]["Grand Ballroom"] if e["title"] == "Innovation Showcase")
    assert (showcase["date"], showcase["start"], showcase["duration"]) == ("2025-01-23T10:45:00-05:00", "10:45", "00:45")
    assert showcase["type"] == "Innovation Showcase"
    assert showcase["url"] == f"http://mipevents.test/meetings/winter-2025/sessions/{showcase['id']}"
    panel = next(e for e in conference["days"][0]["rooms"]["Salon A"] if e["title"].startswith("Creating"))
    assert [(p["name"], p["role"]) for p in panel["persons"]] == [
        ("Priya Ellis", "moderator"), ("Mayor Sara Lindqvist", "panelist"), ("Mayor Omar Haddad", "panelist"),
        ("Mayor Lucía Moreno", "panelist")]
    # A session without a room is listed under the venue's name.
    assert [e["title"] for e in conference["days"][0]["rooms"]["Capitol Hill Conference Center"]] == ["Break"]
    xml_event = tree.find(f"day/room/event[@id='{panel['id']}']")
    assert xml_event.get("guid") == panel["guid"]
    assert [p.text for p in xml_event.findall("persons/person")] == [p["name"] for p in panel["persons"]]
    # The panel's recording is a link and its slides an attachment, in both formats.
    slides_url = panel["attachments"][0]["url"]
    assert re.fullmatch(r"http://mipevents\.test/materials/\d+/Creating-Inclusive-Welcoming-Communities-slides\.pdf", slides_url)
    assert panel["links"] == [{"type": "media", "title": "Creating Inclusive, Welcoming Communities (video)",
                               "url": "https://video.example.org/winter-2025/creating-inclusive-welcoming-communities"}]
    assert panel["attachments"] == [{"type": "slides", "title": "Creating Inclusive, Welcoming Communities slides",
                                     "url": slides_url}]
    assert [(a.get("type"), a.get("href"), a.text) for a in xml_event.findall("attachments/attachment")] == [
        ("slides", slides_url, "Creating Inclusive, Welcoming Communities slides")]
    assert [(a.get("type"), a.get("href")) for a in xml_event.findall("links/link")] == [
        ("media", "https://video.example.org/winter-2025/creating-inclusive-welcoming-communities")]


def test_the_medium_dataset_exports_valid_schedules(app, client, assert_valid_schedule):
    data = dataset("medium")
    report = import_meeting(data)
    db.session.commit()
    tree, exported = assert_valid_schedule(client, report.meeting.slug)
    events = [e for d in exported["schedule"]["conference"]["days"] for r in d["rooms"].values() for e in r]
    assert len(events) == len(data["sessions"])
    assert len(tree.findall("day/room/event")) == len(data["sessions"])


def test_awkward_data_still_validates(app, client, make_meeting, make_room, make_item, make_speaker, assert_valid_schedule):
    meeting = make_meeting(slug="ab", name="Tiny <&> Meeting", timezone="Etc/GMT+5", venue="")
    room = make_room(meeting, name="Room \x01 7 & <b>")
    speaker = make_speaker(name="Zoë \x0b O'Brien", bio="Line one\x1f")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), room=room, title="Ça va? \x07 ½ — 100%", track="2025 budgets",
              speakers=[(speaker, "moderator")], description="A & B < C")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="!!!", track="!!!", status="cancelled")
    make_item(meeting, at=datetime(2025, 3, 1, 23, 30), minutes=60 * 30, title="Outside the meeting's days")
    make_item(meeting, at=datetime(2025, 1, 23, 9, 0), title="A draft", status="draft")
    db.session.commit()
    tree, data = assert_valid_schedule(client, "ab")
    conference = data["schedule"]["conference"]
    assert conference["acronym"] == "ab__"
    assert "time_zone_name" not in conference            # Etc/GMT+5 does not fit the JSON schema's pattern
    assert [d["date"] for d in conference["days"]] == ["2025-01-22", "2025-01-23", "2025-01-24", "2025-03-01"]
    titles = sorted(e["title"] for d in conference["days"] for r in d["rooms"].values() for e in r)
    assert titles == sorted(["Cancelled: !!!", "Ça va?  ½ — 100%", "Outside the meeting's days"])
    late = conference["days"][3]["rooms"]["Venue"][0]
    assert (late["duration"], late["slug"]) == ("30:00", f"ab__-{late['id']}-outside-the-meetings-days")
    assert [t["slug"] for t in conference["tracks"]] == ["track-2025-budgets", "track-2"]


def test_guids_are_stable_uuid5_of_the_site_and_ids(app, make_meeting, make_item):
    meeting = make_meeting()
    item = make_item(meeting)
    built = schedule.build(meeting, [item], "http://mipevents.test/")
    event = built.days[0].rooms[0].events[0]
    assert event.guid == str(uuid.uuid5(uuid.NAMESPACE_URL, f"http://mipevents.test/meetings/{meeting.id}/sessions/{item.id}"))
    assert schedule.build(meeting, [item], "http://mipevents.test").days[0].rooms[0].events[0].guid == event.guid
    assert uuid.UUID(event.guid).version == 5


def test_drafts_and_cohort_meetings_have_no_schedule(app, client, make_meeting):
    draft = make_meeting(status="draft")
    db.session.commit()
    for suffix in ("xml", "json"):
        assert client.get(f"/meetings/{draft.slug}/schedule.{suffix}").status_code == 404
        assert client.get(f"/meetings/no-such-meeting/schedule.{suffix}").status_code == 404


def test_the_validators_refuse_what_the_schemas_refuse(app, client, make_meeting, make_item, xml_schema, json_validator):
    meeting = make_meeting()
    make_item(meeting)
    db.session.commit()
    data = client.get(f"/meetings/{meeting.slug}/schedule.json").get_json()
    event = next(iter(data["schedule"]["conference"]["days"][0]["rooms"].values()))[0]
    event["guid"] = "not-a-uuid"
    event["date"] = "2025-01-22T09:00:00"            # no UTC offset
    messages = sorted(e.message for e in json_validator.iter_errors(data))
    assert messages == ["'2025-01-22T09:00:00' is not a 'date-time'", "'not-a-uuid' is not a 'uuid'"]
    tree = etree.fromstring(client.get(f"/meetings/{meeting.slug}/schedule.xml").data)
    tree.find("conference/acronym").text = "ab"
    assert xml_schema.validate(tree) is False


def test_a_cancelled_meeting_keeps_its_schedule_marked_cancelled(app, client, make_meeting, make_item, assert_valid_schedule):
    meeting = make_meeting(slug="summer-2025", name="Summer 2025 Meeting", status="cancelled")
    make_item(meeting, title="Opening")
    db.session.commit()
    tree, data = assert_valid_schedule(client, "summer-2025")
    assert data["schedule"]["conference"]["title"] == "Summer 2025 Meeting (cancelled)"
    assert tree.findtext("conference/title") == "Summer 2025 Meeting (cancelled)"


def test_the_vendored_schemas_are_the_upstream_files_unmodified():
    """tests/api/schemas/README.md names each file's upstream version and sha256: they must agree."""
    folder = Path(__file__).resolve().parent / "schemas"
    listed = dict(re.findall(r"^\| `([^`]+)` \|.*\| ([0-9a-f]{64}) \|$", (folder / "README.md").read_text(), re.M))
    assert sorted(listed) == ["schedule.json.schema.json", "schedule.xml.xsd"]
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert (folder / "LICENCE.txt").read_text().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
