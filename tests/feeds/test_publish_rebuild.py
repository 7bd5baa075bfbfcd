"""A publish moves the meeting's last edit, which every session's DTSTAMP shows: the agenda feed after
it rebuilds only the sessions that changed, and is the same bytes as a feed built in full."""
from datetime import UTC, datetime, timedelta

from mipevents.extensions import db
from mipevents.feeds import events, fragments, ics, queries
from mipevents.meetings.services import touch


def test_a_publish_rebuilds_only_the_changed_session_and_the_feed_is_the_full_builds_bytes(
        app, client, make_meeting, make_item, make_speaker):
    earlier = datetime.now(UTC) - timedelta(hours=1)
    meeting = make_meeting(slug="restamp-2026", updated_at=earlier)
    speaker = make_speaker()
    items = [make_item(meeting, title=f"Panel {n}", speakers=[speaker] if n == 0 else (), updated_at=earlier)
             for n in range(3)]
    db.session.commit()
    url = f"/meetings/{meeting.slug}/agenda.ics"
    client.get(url)                                   # every session's VEVENT built and kept

    items[1].title = "Panel 1, retitled"
    touch(meeting)                                    # the publish: the meeting's last edit moves on
    db.session.commit()
    fragments.PUBLIC.renders.clear()
    after = client.get(url)

    assert list(fragments.PUBLIC.renders) and {key[1][0] for key in fragments.PUBLIC.renders} == {items[1].id}
    site = events.Site.from_config(app.config)
    db.session.expire_all()
    assert after.data == ics.agenda_calendar(meeting, queries.public_sessions(meeting), site)
    assert f"DTSTAMP:{meeting.updated_at:%Y%m%dT%H%M%S}Z".encode() in after.data
