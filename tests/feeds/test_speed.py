"""The large dataset's agenda feed: built cold within budget, served warm from the cache, and a
conditional GET that reads one row. Prints the figures (pytest -s) for the report."""
import time

import pytest

from mipevents.extensions import cache, db
from mipevents.meetings.importer import import_meeting
from tests.meetings.test_importer import dataset

COLD_BUDGET = 4.0     # seconds to read and build ~240 sessions (about 0.8 s on an idle 2-core machine)
WARM_BUDGET = 0.05    # seconds to answer from the shared cache


def _timed(client, url, **kw):
    started = time.perf_counter()
    response = client.get(url, **kw)
    return response, time.perf_counter() - started


@pytest.mark.slow
def test_large_agenda_feed_builds_within_budget(app, client, read_feed, count_queries):
    data = dataset("large")
    meeting = import_meeting(data).meeting
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"
    client.get("/calendar.ics")   # the app's first request: imports and templates warmed, not the feed

    cache.clear()
    with count_queries() as queries:
        cold, cold_seconds = _timed(client, url)
    warm, warm_seconds = _timed(client, url)
    cache.clear()
    rebuilt, rebuilt_seconds = _timed(client, url)
    not_modified, etag_seconds = _timed(client, url, headers={"If-None-Match": cold.headers["ETag"]})
    filtered, filtered_seconds = _timed(client, url + "?kind=panel")

    print(f"\nlarge agenda feed: {len(data['sessions'])} sessions, {len(cold.data)} bytes, {queries.count} queries; "
          f"cold {cold_seconds * 1000:.0f} ms (again {rebuilt_seconds * 1000:.0f} ms), warm {warm_seconds * 1000:.1f} ms, "
          f"304 {etag_seconds * 1000:.1f} ms, ?kind=panel cold {filtered_seconds * 1000:.0f} ms")
    assert cold.status_code == warm.status_code == rebuilt.status_code == filtered.status_code == 200
    assert not_modified.status_code == 304
    assert warm.data == cold.data == rebuilt.data
    assert len(read_feed(cold.data)) == len(data["sessions"])
    assert queries.count <= 6
    assert max(cold_seconds, rebuilt_seconds) < COLD_BUDGET
    assert warm_seconds < WARM_BUDGET
