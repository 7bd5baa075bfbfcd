"""The public pages issue a constant number of SQL queries whatever the agenda's size: the small and
the large dataset, imported side by side, cost the same cold render (HTTP cache cleared)."""
import pytest
from sqlalchemy import select

from mipevents.agenda.models import AgendaItem
from mipevents.core import http_cache
from mipevents.extensions import cache, db
from mipevents.workflows.importer import import_meeting
from tests.workflows.test_importer import dataset


def _busiest_session(meeting) -> AgendaItem:
    items = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).scalars().all()
    return max(items, key=lambda i: (len(i.speaker_links), -i.id))


@pytest.mark.slow
def test_public_pages_cost_the_same_queries_on_the_small_and_the_large_dataset(app, client, count_queries):
    meetings = {scale: import_meeting(dataset(scale)).meeting for scale in ("small", "large")}
    db.session.commit()
    urls = {}
    for scale, meeting in meetings.items():
        item = _busiest_session(meeting)
        assert len(item.speaker_links) >= 2
        urls[scale] = {
            "agenda": f"/meetings/{meeting.slug}/agenda",
            "agenda by track": f"/meetings/{meeting.slug}/agenda?track={item.track}",
            "agenda by day and kind": f"/meetings/{meeting.slug}/agenda?day={meeting.starts_on.isoformat()}&kind=panel",
            "session": f"/meetings/{meeting.slug}/sessions/{item.id}",
            "speakers": f"/meetings/{meeting.slug}/speakers",
            "speaker": f"/speakers/{item.speaker_links[0].speaker_id}",
            "meeting": f"/meetings/{meeting.slug}/",
            "changes": f"/meetings/{meeting.slug}/agenda/changes",
        }

    def cold(url):
        cache.clear()                 # no stored body: a full render
        http_cache.forget_local()    # and this process's copies: a cold start
        db.session.expunge_all()      # nothing already loaded, as in a new request
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return queries.count

    counts = {scale: {page: cold(url) for page, url in pages.items()} for scale, pages in urls.items()}

    assert counts["small"] == counts["large"]
    # A session page also reads its materials and write-up; a past meeting's page, its write-ups; a
    # speaker's page, their sessions' materials. The session and meeting pages read, once per version,
    # when the next dated write-up becomes public (their cache key moves on then); the changelog, the
    # sessions as they are now and the last release's snapshot (edits already public since it).
    assert counts["small"] == {"agenda": 3, "agenda by track": 3, "agenda by day and kind": 3, "session": 6,
                               "speakers": 3, "speaker": 5, "meeting": 3, "changes": 5}
