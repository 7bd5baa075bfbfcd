"""The import file's schema: served at a stable address and linked from the API page; problems named
by their place in the file, in the file's order."""
import json
import re
from pathlib import Path

from mipevents.extensions import db
from mipevents.workflows import import_schema
from mipevents.workflows.generator import generate
from mipevents.workflows.importer import import_meeting


def test_the_schema_is_served_as_json_and_linked_from_the_api_page(client):
    response = client.get("/api/import-schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == json.loads(import_schema.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert response.headers["ETag"]
    page = client.get("/api/").get_data(as_text=True)
    assert '<a href="/api/import-schema.json"><code>/api/import-schema.json</code></a>' in page


def test_the_schema_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(import_schema.schema())


def test_every_problem_is_listed_in_the_files_order_by_its_place():
    data = generate("small")
    data["sessions"][12]["title"] = ""
    data["sessions"][2]["speakers"][0] = {"id": "s1", "role": "panelist", "chair": True}
    data["meeting"]["start"] = "22/01/2025"
    data["webinars"][1]["join_url"] = "meet.example.org"
    data["rooms"][0]["capacity"] = -1
    assert import_schema.problems(data) == [
        "meeting.start: “22/01/2025” is not a date (YYYY-MM-DD)",
        "rooms[0].capacity: “-1” is not a number of seats, or null",
        "sessions[2].speakers[0]: unknown field “chair”",
        "sessions[12].title: “” is not a non-empty text",
        "webinars[1].join_url: “meet.example.org” is not a web address (https://…)",
    ]


def test_a_document_that_is_not_an_object_is_named_as_such():
    assert import_schema.problems([1, 2]) == ["the file: should be an object ({…}), not [1, 2]"]


def test_the_readmes_example_fits_the_schema_and_imports(app):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", readme, re.S).group(1))
    assert import_schema.problems(example) == []
    report = import_meeting(example)
    db.session.commit()
    assert (report.meeting.slug, report.created) == ("winter-2026", {
        "meetings": 1, "rooms": 1, "speakers": 1, "sessions": 2, "session speakers": 1, "showcase slots": 1})
