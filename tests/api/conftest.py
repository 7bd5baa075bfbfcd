"""Validators of the schedule exports against the c3voc schemas in tests/api/schemas (third-party,
unmodified: see its README), and the data the API tests read."""
import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft6Validator, FormatChecker
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

# Every format python-jsonschema checks without optional packages (date, uuid, email, …), plus the
# three the schema uses that need packages we do not install: date-time, uri and color.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value):
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("uri", raises=ValueError)
def _uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"not an absolute URI: {value!r}")
    return True


@FORMATS.checks("color", raises=ValueError)
def _color(value):
    if isinstance(value, str) and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"not a colour: {value!r}")
    return True


@pytest.fixture(scope="session")
def xml_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))


@pytest.fixture(scope="session")
def json_validator():
    schema = json.loads((SCHEMAS / "schedule.json.schema.json").read_text())
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema, format_checker=FORMATS)


@pytest.fixture
def assert_valid_schedule(xml_schema, json_validator):
    """Fetch both exports of a meeting with `client` and validate them; returns (xml tree, json)."""

    def check(client, slug):
        xml = client.get(f"/meetings/{slug}/schedule.xml")
        assert xml.status_code == 200
        assert xml.mimetype == "application/vnd.c3voc.schedule+xml"
        tree = etree.fromstring(xml.data)
        if not xml_schema.validate(tree):
            raise AssertionError("schedule.xml invalid:\n" + "\n".join(str(e) for e in xml_schema.error_log))
        document = client.get(f"/meetings/{slug}/schedule.json")
        assert document.status_code == 200
        assert document.mimetype == "application/json"
        data = document.get_json()
        errors = sorted(json_validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            raise AssertionError("schedule.json invalid:\n" + "\n".join(
                f"{list(e.absolute_path)}: {e.message}" for e in errors[:20]))
        # What the JSON schema cannot say but the XSD does (and apps rely on): unique identifiers.
        events = [e for day in data["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room]
        for key in ("guid", "id", "slug"):
            values = [e[key] for e in events]
            assert len(values) == len(set(values)), f"duplicate event {key}"
        indexes = [d["index"] for d in data["schedule"]["conference"]["days"]]
        assert indexes == list(range(1, len(indexes) + 1))
        return tree, data
    return check


@pytest.fixture
def cohort(app):
    """A cohort of a programme: meetings and webinars in it are for members only (404 to the public)."""
    from mipevents.cohorts.models import Cohort, Programme
    from mipevents.extensions import db

    programme = Programme(slug="wmn", name="Women Mayors' Network")
    db.session.add(programme)
    db.session.flush()
    row = Cohort(programme_id=programme.id, slug="wmn-2025", name="Cohort 2025")
    db.session.add(row)
    db.session.flush()
    return row
