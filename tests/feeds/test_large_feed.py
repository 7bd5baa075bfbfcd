"""The large dataset's agenda feed: built cold in a fixed number of queries, the same bytes warm,
rebuilt and answered 304 to a conditional GET. How long it takes is measured by `make bench`
(tests/bench/run.py), not here: a test asserts behaviour, not the speed of a shared machine."""
import pytest

from mipevents.extensions import cache, db
from mipevents.workflows.importer import import_meeting
from tests.workflows.test_importer import dataset


@pytest.mark.slow
def test_large_agenda_feed_builds_in_a_fixed_number_of_queries(app, client, read_feed, count_queries):
    data = dataset("large")
    meeting = import_meeting(data).meeting
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"
    client.get("/calendar.ics")   # the app's first request: imports and templates warmed, not the feed

    cache.clear()
    with count_queries() as queries:
        cold = client.get(url)
    warm = client.get(url)
    cache.clear()
    rebuilt = client.get(url)
    not_modified = client.get(url, headers={"If-None-Match": cold.headers["ETag"]})
    filtered = client.get(url + "?kind=panel")

    assert cold.status_code == warm.status_code == rebuilt.status_code == filtered.status_code == 200
    assert not_modified.status_code == 304
    assert warm.data == cold.data == rebuilt.data
    assert len(read_feed(cold.data)) == len(data["sessions"])
    assert queries.count <= 6
