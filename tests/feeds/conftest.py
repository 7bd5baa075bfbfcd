"""Reading our calendars back with three independent parsers: icalendar and vobject (Python) and
ical.js (JavaScript, the parser inside Thunderbird), each resolving times on its own."""
import json
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"


def _when(value) -> str:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "a floating time: clients would each guess the zone"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert isinstance(value, date)
    return value.isoformat()


def _by_icalendar(body: bytes) -> dict:
    from icalendar import Calendar

    cal = Calendar.from_ical(body)
    events = {}
    for ev in cal.walk("VEVENT"):
        events[str(ev["uid"])] = {
            "summary": str(ev["summary"]), "status": str(ev["status"]), "sequence": int(ev["sequence"]),
            "start": _when(ev.decoded("dtstart")), "end": _when(ev.decoded("dtend")) if "dtend" in ev else None,
            "location": str(ev.get("location", "")) or None, "description": str(ev.get("description", "")),
            "url": str(ev.get("url", "")) or None}
    return events


def _by_vobject(body: bytes) -> dict:
    import vobject

    cal = vobject.readOne(body.decode("utf-8"))
    events = {}
    for ev in cal.contents.get("vevent", []):
        c = ev.contents
        events[ev.uid.value] = {
            "summary": ev.summary.value, "status": ev.status.value, "sequence": int(ev.sequence.value),
            "start": _when(ev.dtstart.value), "end": _when(ev.dtend.value) if "dtend" in c else None,
            "location": ev.location.value if "location" in c else None,
            "description": ev.description.value if "description" in c else "",
            "url": ev.url.value if "url" in c else None}
    return events


def _js_when(value) -> str | None:
    if value is None:
        return None
    return value.get("utc") or value["date"]


def icaljs(*bodies: bytes, tmp_dir: Path) -> list[dict]:
    if not (JS / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is not installed: run `make install-dev` (npm ci --prefix tests/feeds/js)")
    paths = []
    for n, body in enumerate(bodies):
        path = tmp_dir / f"feed-{n}.ics"
        path.write_bytes(body)
        paths.append(str(path))
    out = subprocess.run(["node", str(JS / "parse.mjs"), *paths], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def _by_icaljs(body: bytes, tmp_dir: Path) -> dict:
    parsed = icaljs(body, tmp_dir=tmp_dir)[0]
    return {ev["uid"]: {"summary": ev["summary"], "status": ev["status"], "sequence": ev["sequence"],
                        "start": _js_when(ev["start"]), "end": _js_when(ev["end"]) if ev["end"] else None,
                        "location": ev["location"], "description": ev["description"] or "", "url": ev["url"]}
            for ev in parsed["events"]}


@pytest.fixture
def read_feed(tmp_path):
    """`read_feed(body)` -> {uid: {start, end (UTC 'Z' or a date), status, sequence, ...}}, after
    checking that icalendar, vobject and ical.js read exactly the same thing."""
    def read(body: bytes) -> dict:
        first = _by_icalendar(body)
        second = _by_vobject(body)
        third = _by_icaljs(body, tmp_path)
        # ical.js gives an event without DTEND an end equal to its start (RFC 5545 3.6.1).
        for uid, values in first.items():
            if values["end"] is None and uid in third:
                third[uid]["end"] = None
        assert second == first, "vobject reads the calendar differently from icalendar"
        assert third == first, "ical.js (Thunderbird) reads the calendar differently from icalendar"
        return first
    return read


@pytest.fixture
def calendar_props(tmp_path):
    """The calendar-level properties as ical.js reads them."""
    def read(body: bytes) -> dict:
        return icaljs(body, tmp_dir=tmp_path)[0]["calendar"]
    return read
