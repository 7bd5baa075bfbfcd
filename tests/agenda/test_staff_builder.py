"""The agenda builder: a double booking of a published session is confirmed before it goes public (an
edit, a move, a speaker), the changelog lists edits already public since the last release, the grid
spans each session's length, the speaker picker searches, and staff preview drafts as the public will
see them."""
from datetime import datetime

from sqlalchemy import insert, select

from mipevents.agenda.models import AgendaItem, ChangeNotice, SessionSpeaker
from mipevents.agenda.publishing import publish_agenda
from mipevents.speakers.models import Speaker


def session_form(**over):
    values = {"kind": "panel", "title": "Housing that lasts", "description": "", "day": "2025-01-22",
              "starts": "11:00", "ends": "12:00", "room_id": "0", "track": "", "capacity": "", "press_status": "open"}
    values.update(over)
    return values


def test_an_edit_that_double_books_a_published_session_waits_for_a_confirmation(
        client, login_as, make_meeting, make_room, make_item, db_session):
    meeting = make_meeting()
    ballroom, salon = make_room(meeting, "Ballroom"), make_room(meeting, "Salon A")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), room=ballroom, title="Opening plenary")
    item = make_item(meeting, at=datetime(2025, 1, 22, 11, 0), room=salon, title="Housing that lasts")
    publish_agenda(meeting)
    db_session.commit()
    login_as("staff")
    into_the_ballroom = session_form(starts="09:30", ends="10:30", room_id=str(ballroom.id))

    asked = client.post(f"/staff/sessions/{item.id}/edit", data=into_the_ballroom)
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    assert "Not saved yet: “Housing that lasts” is public, and this change would double-book it" in html
    assert '<p class="clashes">It clashes with “Opening plenary”.</p>' in html
    assert "Ballroom is booked twice: “Opening plenary” and “Housing that lasts” overlap." in html
    db_session.refresh(item)
    assert (item.room_id, item.sequence) == (salon.id, 0)
    assert db_session.execute(select(ChangeNotice)).scalars().all() == []

    # Keys that are not those of the conflicts listed (a stale page, a forged post) confirm nothing.
    stale = client.post(f"/staff/sessions/{item.id}/edit",
                        data=into_the_ballroom | {"confirm": "yes", "accept_conflict": f"room:{ballroom.id}:998,999"})
    assert stale.status_code == 409
    # The key without the confirmation button confirms nothing either.
    key = f"room:{ballroom.id}:" + ",".join(str(i) for i in sorted((item.id, item.id - 1)))
    assert client.post(f"/staff/sessions/{item.id}/edit", data=into_the_ballroom | {"accept_conflict": key}).status_code == 409

    saved = client.post(f"/staff/sessions/{item.id}/edit", data=into_the_ballroom | {"confirm": "yes", "accept_conflict": key})
    assert saved.status_code == 303
    db_session.refresh(item)
    assert (item.room_id, item.sequence) == (ballroom.id, 1)
    assert len(db_session.execute(select(ChangeNotice)).scalars().all()) == 1

    # Already double-booked: another edit of it (a description) is not asked again.
    again = client.post(f"/staff/sessions/{item.id}/edit", data=into_the_ballroom | {"description": "More words"})
    assert again.status_code == 303

    # The public changelog lists the move at once, before any new release; the builder counts it.
    changes = client.get(f"/meetings/{meeting.slug}/agenda/changes").get_data(as_text=True)
    assert "Since version 1" in changes
    assert "Moved “Housing that lasts” from Wednesday, January 22, 11:00 AM ET, Salon A to " \
           "Wednesday, January 22, 9:30 AM ET, Ballroom." in changes
    builder = client.get(f"/staff/meetings/{meeting.id}/agenda").get_data(as_text=True)
    assert "<strong>1 change since release 1</strong>: 1 already public (edits of published sessions), " \
           "0 waiting for the next publish." in builder
    before_publishing = client.get(f"/staff/meetings/{meeting.id}/publish").get_data(as_text=True)
    assert "<h2>What release 2 will list (1 change since release 1)</h2>" in before_publishing
    published = client.post(f"/staff/meetings/{meeting.id}/publish",
                            data={"accept_conflicts": "y", "conflict_key": key}, follow_redirects=True)
    assert "Published release 2 of the agenda (1 change)." in published.get_data(as_text=True)
    assert "Since version" not in client.get(f"/meetings/{meeting.slug}/agenda/changes").get_data(as_text=True)


def test_a_draft_is_saved_with_its_conflict_and_a_speaker_booked_twice_is_confirmed(
        client, login_as, make_meeting, make_room, make_item, make_speaker, db_session):
    meeting = make_meeting()
    room = make_room(meeting, "Ballroom")
    ana = make_speaker(name="Ana Ruiz", honorific="Mayor")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="Opening plenary", speakers=[ana])
    public = make_item(meeting, at=datetime(2025, 1, 22, 9, 30), title="Transit")
    draft = make_item(meeting, at=datetime(2025, 1, 22, 14, 0), title="Drafted", status="draft")
    db_session.commit()
    login_as("staff")
    assert client.post(f"/staff/sessions/{draft.id}/edit",
                       data=session_form(title="Drafted", starts="09:00", ends="10:00", room_id=str(room.id))).status_code == 303

    asked = client.post(f"/staff/sessions/{public.id}/speakers", data={"speaker-speaker_id": ana.id, "speaker-role": "panelist"})
    assert asked.status_code == 409
    assert "Mayor Ana Ruiz is in two sessions at once: “Opening plenary” and “Transit”." in asked.get_data(as_text=True)
    assert db_session.execute(select(SessionSpeaker).where(SessionSpeaker.item_id == public.id)).scalars().all() == []
    key = f"speaker:{ana.id}:{public.id - 1},{public.id}"
    confirmed = client.post(f"/staff/sessions/{public.id}/speakers", data={
        "speaker-speaker_id": ana.id, "speaker-role": "panelist", "confirm": "yes", "accept_conflict": key})
    assert confirmed.status_code == 303
    assert [link.speaker_id for link in db_session.execute(
        select(SessionSpeaker).where(SessionSpeaker.item_id == public.id)).scalars()] == [ana.id]
    # Cancelled, it conflicts with nothing; reinstating it brings the double booking back: asked first.
    assert client.post(f"/staff/sessions/{public.id}/cancel").status_code == 303
    assert client.post(f"/staff/sessions/{public.id}/restore").status_code == 409
    db_session.refresh(public)
    assert public.status == "cancelled"
    assert client.post(f"/staff/sessions/{public.id}/restore", data={"confirm": "yes", "accept_conflict": key}).status_code == 303
    db_session.refresh(public)
    assert public.status == "published"
    for bad in ("999999", "99999999999", "x"):
        assert client.post(f"/staff/sessions/{public.id}/speakers",
                           data={"speaker-speaker_id": bad, "speaker-role": "panelist"}).status_code == 422


def test_the_grid_spans_each_session_and_a_move_keeps_its_length(
        client, login_as, make_meeting, make_room, make_item, db_session):
    meeting = make_meeting(status="draft")
    ballroom, salon = make_room(meeting, "Ballroom", position=1), make_room(meeting, "Salon A", position=2)
    panel = make_item(meeting, at=datetime(2025, 1, 22, 9, 0), minutes=75, room=ballroom, title="Long panel", status="draft")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 30), minutes=30, room=ballroom, title="Overlapping", status="draft")
    db_session.commit()
    login_as("staff")
    html = client.get(f"/staff/meetings/{meeting.id}/agenda").get_data(as_text=True)
    assert '<th scope="col" colspan="2">Ballroom</th>' in html           # two lanes: the overlap shows
    assert html.count('<td rowspan="5" class="booked">') == 1              # 75 minutes: five quarter hours
    assert html.count('<td rowspan="2" class="booked">') == 1
    assert 'Conflicts with “Overlapping”' in html and 'Conflicts with “Long panel”' in html

    moved = client.post(f"/staff/meetings/{meeting.id}/agenda/move", data={
        "day": "2025-01-22", "move-item_id": panel.id, "move-room_id": salon.id, "move-day": "2025-01-23", "move-starts": "14:00"})
    assert moved.status_code == 303
    db_session.refresh(panel)
    assert (panel.room_id, panel.starts_at.isoformat(), panel.ends_at.isoformat()) == (
        salon.id, "2025-01-23T19:00:00+00:00", "2025-01-23T20:15:00+00:00")
    bad = client.post(f"/staff/meetings/{meeting.id}/agenda/move", data={
        "day": "2025-01-22", "move-item_id": "999999", "move-room_id": "0", "move-day": "2025-01-22", "move-starts": "25:00"})
    assert bad.status_code == 422
    assert "Choose one of the meeting&#39;s sessions." in bad.get_data(as_text=True)


def test_the_speaker_picker_searches_among_1500_speakers(client, login_as, make_meeting, make_item, db_session, count_queries):
    meeting = make_meeting()
    item = make_item(meeting)
    db_session.execute(insert(Speaker), [{"name": f"Speaker {n:04d}", "honorific": "", "position": "", "organization": "",
                                          "city": "Springfield", "state": "", "bio": "", "photo_alt": ""} for n in range(1500)])
    db_session.execute(insert(Speaker), [{"name": "Ana Ruiz", "honorific": "Mayor", "position": "Mayor of Tacoma, WA",
                                          "organization": "", "city": "Tacoma", "state": "WA", "bio": "", "photo_alt": ""}])
    db_session.commit()
    login_as("staff")
    page = client.get(f"/staff/sessions/{item.id}/edit").get_data(as_text=True)
    assert 'id="speaker-speaker_id"' not in page                          # no list of 1,501 names
    assert "Find the speaker by name, organisation or city to add them." in page
    with count_queries() as queries:
        found = client.get(f"/staff/sessions/{item.id}/edit?find-q=tacoma+RUIZ").get_data(as_text=True)
    assert "1 speaker matches “tacoma RUIZ”." in found
    ana = db_session.execute(select(Speaker).where(Speaker.name == "Ana Ruiz")).scalar_one()
    assert f'<option value="{ana.id}">Mayor Ana Ruiz — Mayor of Tacoma, WA</option>' in found
    many = client.get(f"/staff/sessions/{item.id}/edit?find-q=springfield").get_data(as_text=True)
    assert "1500 speakers match “springfield”; the first 25 are listed: add a word to narrow it." in many
    assert "No speaker matches “100%_”." in client.get(f"/staff/sessions/{item.id}/edit?find-q=100%25_").get_data(as_text=True)
    assert queries.count < 20


def test_staff_preview_a_draft_meeting_and_its_draft_sessions(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting(status="draft", name="Summer 2025")
    item = make_item(meeting, title="Drafted panel", status="draft")
    db_session.commit()
    for url in (f"/staff/meetings/{meeting.id}/preview", f"/staff/meetings/{meeting.id}/preview/agenda",
                f"/staff/sessions/{item.id}/preview"):
        assert client.get(url).status_code in (302, 303, 401, 403)
    assert client.get(f"/meetings/{meeting.slug}/").status_code == 404
    login_as("staff")
    for url in (f"/staff/meetings/{meeting.id}/preview", f"/staff/meetings/{meeting.id}/preview/agenda",
                f"/staff/sessions/{item.id}/preview"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert (response.headers["Cache-Control"], response.headers["X-Robots-Tag"]) == ("no-store", "noindex, nofollow")
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert "<strong>Preview - not public.</strong>" in html
    assert "Drafted panel" in client.get(f"/staff/meetings/{meeting.id}/preview/agenda").get_data(as_text=True)
    # Nothing of it went public by being previewed.
    assert client.get(f"/meetings/{meeting.slug}/agenda").status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.slug}").status_code == 404
    assert db_session.execute(select(AgendaItem.status)).scalars().all() == ["draft"]


def test_a_meeting_without_a_web_address_gets_one_from_its_name(client, login_as, db_session):
    from mipevents.meetings.models import Meeting

    login_as("staff")
    data = {"name": "Summer Meeting 2026 — Tacoma, WA", "slug": "", "kind": "summer", "starts_on": "2026-07-15",
            "ends_on": "2026-07-17", "timezone": "America/Los_Angeles"}
    for _ in range(2):
        assert client.post("/staff/meetings/new", data=data).status_code == 303
    assert sorted(db_session.execute(select(Meeting.slug)).scalars()) == [
        "summer-meeting-2026-tacoma-wa", "summer-meeting-2026-tacoma-wa-2"]
