"""The generator: the same document for the same scale, seed and start; the sizes and the shapes the
other tests rely on; `--start` moving the whole convening; and the command that prints it."""
import json
from collections import Counter
from datetime import date, datetime

import pytest

from mipevents.core import vocabulary as vocab
from mipevents.workflows import import_schema
from mipevents.workflows.generator import SCALES, generate


def test_the_same_scale_seed_and_start_give_the_same_document_and_another_seed_another():
    assert generate("medium", 7, date(2026, 1, 21)) == generate("medium", 7, date(2026, 1, 21))
    other = generate("medium", 8, date(2026, 1, 21))
    assert other["sessions"] != generate("medium", 7, date(2026, 1, 21))["sessions"]
    assert [s["id"] for s in other["sessions"]] == [s["id"] for s in generate("medium", 7, date(2026, 1, 21))["sessions"]]


@pytest.mark.parametrize("scale", list(SCALES))
def test_each_scale_fits_the_schema_and_has_its_sizes(scale):
    data = generate(scale)
    size = SCALES[scale]
    assert import_schema.problems(data) == []
    assert (len(data["rooms"]), len(data["speakers"]), len(data["webinars"]), len(data["registrants"])) == (
        size.rooms, size.speakers, size.webinars, size.registrants)
    showcase = [s for s in data["sessions"] if s["kind"] == "showcase"]
    assert [len(s["lightning"]) for s in showcase] == [size.showcase_talks]
    assert len({s["id"] for s in data["sessions"]}) == len(data["sessions"])


def test_the_sizes_of_the_three_scales():
    assert {scale: len(generate(scale)["sessions"]) for scale in SCALES} == {"small": 37, "medium": 97, "large": 247}


def test_every_kind_of_session_and_every_speaker_role_appears():
    data = generate("small")
    assert set(Counter(s["kind"] for s in data["sessions"])) == set(vocab.SESSION_KINDS)
    assert {link["role"] for s in data["sessions"] for link in s["speakers"]} == set(vocab.SPEAKER_ROLES)
    mayors = [s for s in data["speakers"] if s["honorific"] == "Mayor"]
    assert len(mayors) == 30
    assert all(s["title"] == f"Mayor of {s['city']}, {s['state']}" for s in mayors)


def test_every_third_registrant_also_registers_for_a_webinar_in_turn():
    registrants = generate("small")["registrants"]
    assert [r["webinar"] for r in registrants[:10]] == ["w0", None, None, "w1", None, None, "w2", None, None, "w0"]
    assert len({r["email"] for r in registrants}) == 200


def test_start_moves_the_meeting_its_sessions_and_its_webinars():
    data = generate("small", start=date(2030, 6, 10))
    assert (data["meeting"]["slug"], data["meeting"]["name"]) == ("summer-2030-small", "Summer Meeting 2030")
    assert (data["meeting"]["start"], data["meeting"]["end"]) == ("2030-06-10", "2030-06-12")
    days = sorted({datetime.fromisoformat(s["start"]).date() for s in data["sessions"]})
    assert days == [date(2030, 6, 10), date(2030, 6, 11), date(2030, 6, 12)]
    assert [w["start"] for w in data["webinars"]] == ["2030-06-29T12:00:00", "2030-07-06T12:00:00", "2030-07-13T12:00:00"]
    assert generate("small")["meeting"]["slug"] == "winter-2025-small"


def test_the_agenda_has_a_double_booked_speaker_each_day():
    data = generate("small")
    first_blocks = [s for s in data["sessions"] if s["kind"] in ("panel", "workshop")
                    and s["start"].endswith("T10:15:00")]
    panel, workshop = first_blocks[0], first_blocks[1]
    assert panel["speakers"][0]["id"] == workshop["speakers"][0]["id"]


def test_the_command_prints_the_document_as_json(app):
    result = app.test_cli_runner().invoke(args=["meetings", "generate", "--scale", "small", "--start", "2027-02-01",
                                                "--seed", "3"])
    assert result.exit_code == 0
    assert json.loads(result.output) == generate("small", 3, date(2027, 2, 1))


def test_the_command_refuses_a_start_that_is_not_a_date(app):
    result = app.test_cli_runner().invoke(args=["meetings", "generate", "--start", "tomorrow"])
    assert result.exit_code == 2
    assert "'tomorrow' does not match the format '%Y-%m-%d'" in result.output
