"""Staff agenda pages: adding and editing sessions in the meeting's zone, impossible data refused,
conflicts shown, SEQUENCE raised once per saved public change, speakers, publishing with acknowledgement."""
from datetime import datetime

from sqlalchemy import select

from mipevents.accounts.models import AuditEntry
from mipevents.agenda.models import AgendaItem, AgendaRelease


def session_form(**over):
    values = {"kind": "panel", "title": "Housing that lasts", "description": "", "day": "2025-01-22",
              "starts": "09:00", "ends": "10:00", "room_id": "0", "track": "", "capacity": "", "press_status": "open"}
    values.update(over)
    return values


def test_add_session_stores_utc_from_the_meetings_local_time_as_a_draft(client, login_as, make_meeting, db_session):
    meeting = make_meeting(timezone="America/Chicago")
    db_session.commit()
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/sessions/new", data=session_form(press_status="chatham_house"))
    assert response.status_code == 303
    item = db_session.execute(select(AgendaItem)).scalar_one()
    assert (item.status, item.starts_at.isoformat(), item.ends_at.isoformat(), item.press_status) == (
        "draft", "2025-01-22T15:00:00+00:00", "2025-01-22T16:00:00+00:00", "chatham_house")


def test_an_end_before_the_start_is_refused_next_to_the_field(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    db_session.commit()
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/sessions/new", data=session_form(starts="10:00", ends="09:30"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="ends-error">The session must end after it starts.</p>' in html
    assert db_session.execute(select(AgendaItem)).scalars().all() == []


def test_garbage_times_and_unknown_rooms_are_field_errors(client, login_as, make_meeting, make_room, db_session):
    meeting, other = make_meeting(), make_meeting()
    foreign = make_room(other)
    db_session.commit()
    login_as("staff")
    bad_time = client.post(f"/staff/meetings/{meeting.id}/sessions/new", data=session_form(starts="25:99"))
    assert bad_time.status_code == 422
    wrong_room = client.post(f"/staff/meetings/{meeting.id}/sessions/new", data=session_form(room_id=str(foreign.id)))
    assert wrong_room.status_code == 422
    assert "Choose one of this meeting&#39;s rooms." in wrong_room.get_data(as_text=True)
    assert db_session.execute(select(AgendaItem)).scalars().all() == []


def test_a_session_in_a_taken_room_is_saved_with_the_conflict_shown(client, login_as, make_meeting, make_room, make_item, db_session):
    meeting = make_meeting()
    room = make_room(meeting, "Ballroom")
    make_item(meeting, at=datetime(2025, 1, 22, 9, 30), room=room, title="Opening plenary")
    db_session.commit()
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/sessions/new", data=session_form(room_id=str(room.id)),
                           follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("Ballroom is booked twice: “Housing that lasts” and “Opening plenary” overlap.") == 2  # flash + list
    builder = client.get(f"/staff/meetings/{meeting.id}/agenda").get_data(as_text=True)
    assert "Ballroom is booked twice" in builder
    assert "has-conflict" in builder


def test_editing_a_published_session_raises_sequence_once_touches_and_audits(client, login_as, make_meeting, make_room, make_item, db_session):
    meeting = make_meeting()
    room = make_room(meeting, "Ballroom")
    item = make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="Housing")
    version = meeting.agenda_version
    db_session.commit()
    login_as("staff")
    # Time, place and title change in one save: one SEQUENCE step.
    response = client.post(f"/staff/sessions/{item.id}/edit",
                           data=session_form(title="Housing for all", starts="11:00", ends="12:00", room_id=str(room.id)))
    assert response.status_code == 303
    db_session.refresh(item)
    db_session.refresh(meeting)
    assert (item.sequence, meeting.agenda_version) == (1, version + 1)
    entry = db_session.execute(select(AuditEntry).where(AuditEntry.action == "edit_session")).scalar_one()
    assert entry.before == {"ends_at": "2025-01-22T15:00:00Z", "room": "", "room_id": None,
                            "starts_at": "2025-01-22T14:00:00Z", "title": "Housing"}
    assert entry.after == {"ends_at": "2025-01-22T17:00:00Z", "room": "Ballroom", "room_id": room.id,
                           "starts_at": "2025-01-22T16:00:00Z", "title": "Housing for all"}
    # A description is public at once too, but calendars need no new SEQUENCE for it.
    client.post(f"/staff/sessions/{item.id}/edit", data=session_form(title="Housing for all", starts="11:00", ends="12:00",
                                                                     room_id=str(room.id), description="New words"))
    db_session.refresh(item)
    db_session.refresh(meeting)
    assert (item.sequence, meeting.agenda_version) == (1, version + 2)
    # Saving unchanged changes nothing.
    client.post(f"/staff/sessions/{item.id}/edit", data=session_form(title="Housing for all", starts="11:00", ends="12:00",
                                                                     room_id=str(room.id), description="New words"))
    db_session.refresh(item)
    assert item.sequence == 1


def test_editing_a_draft_keeps_sequence_zero(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting()
    item = make_item(meeting, status="draft")
    db_session.commit()
    login_as("staff")
    client.post(f"/staff/sessions/{item.id}/edit", data=session_form(starts="13:00", ends="14:00"))
    db_session.refresh(item)
    assert item.sequence == 0


def test_cancel_and_restore_a_published_session(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting()
    item = make_item(meeting)
    db_session.commit()
    login_as("staff")
    assert client.post(f"/staff/sessions/{item.id}/cancel").status_code == 303
    db_session.refresh(item)
    assert (item.status, item.sequence) == ("cancelled", 1)
    assert client.post(f"/staff/sessions/{item.id}/delete").status_code == 303
    db_session.refresh(item)
    assert item.status == "cancelled"   # public sessions are cancelled, never deleted
    assert client.post(f"/staff/sessions/{item.id}/restore").status_code == 303
    db_session.refresh(item)
    assert (item.status, item.sequence) == ("published", 2)


def test_speakers_are_attached_in_order_with_roles(client, login_as, make_meeting, make_item, make_speaker, db_session):
    meeting = make_meeting()
    item = make_item(meeting)
    ana, lee, kim = make_speaker(name="Ana Ruiz"), make_speaker(name="Bo Lee", honorific="Dr."), make_speaker(name="Kim")
    db_session.commit()
    login_as("staff")
    for speaker, role, position in ((ana, "panelist", ""), (lee, "moderator", "1"), (kim, "panelist", "")):
        response = client.post(f"/staff/sessions/{item.id}/speakers",
                               data={"speaker-speaker_id": speaker.id, "speaker-role": role, "speaker-position": position})
        assert response.status_code == 303
    db_session.expire_all()
    assert [(link.speaker.name, link.role) for link in item.speaker_links] == [
        ("Bo Lee", "moderator"), ("Ana Ruiz", "panelist"), ("Kim", "panelist")]
    link = item.speaker_links[1]
    assert client.post(f"/staff/sessions/{item.id}/speakers/{link.id}/remove").status_code == 303
    db_session.expire_all()
    assert [(link.speaker.name, link.position) for link in item.speaker_links] == [("Bo Lee", 0), ("Kim", 1)]
    bad = client.post(f"/staff/sessions/{item.id}/speakers", data={"speaker-speaker_id": "999999", "speaker-role": "panelist"})
    assert bad.status_code == 422
    assert "Choose a speaker from the list." in bad.get_data(as_text=True)


def test_publish_needs_the_acknowledgement_when_there_are_conflicts(client, login_as, make_meeting, make_room, make_item, db_session):
    meeting = make_meeting(status="draft")
    room = make_room(meeting, "Ballroom")
    a = make_item(meeting, room=room, status="draft", title="Housing")
    b = make_item(meeting, room=room, status="draft", title="Transit")
    db_session.commit()
    login_as("staff")
    page = client.get(f"/staff/meetings/{meeting.id}/publish").get_data(as_text=True)
    key = f"room:{room.id}:{a.id},{b.id}"
    assert f'<input type="hidden" name="conflict_key" value="{key}">' in page
    refused = client.post(f"/staff/meetings/{meeting.id}/publish", data={"conflict_key": key})
    assert refused.status_code == 422
    assert "Tick the box to publish with these conflicts, or resolve them first." in refused.get_data(as_text=True)
    assert db_session.execute(select(AgendaRelease)).scalars().all() == []
    # A conflict that appeared after the page was read is not covered by the tick.
    stale = client.post(f"/staff/meetings/{meeting.id}/publish", data={"accept_conflicts": "y", "conflict_key": "room:999:998,999"})
    assert stale.status_code == 409
    done = client.post(f"/staff/meetings/{meeting.id}/publish", data={"accept_conflicts": "y", "conflict_key": key})
    assert done.status_code == 303
    release = db_session.execute(select(AgendaRelease)).scalar_one()
    assert [c["type"] for c in release.changes] == ["added", "added"]
    db_session.refresh(meeting)
    assert meeting.status == "published"
    assert "Published release 1 of the agenda (2 changes)." in client.get(done.headers["Location"]).get_data(as_text=True)


def test_one_change_is_one_change(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting(status="draft")
    make_item(meeting, status="draft", title="Housing")
    db_session.commit()
    login_as("staff")
    done = client.post(f"/staff/meetings/{meeting.id}/publish", data={}, follow_redirects=True)
    assert "Published release 1 of the agenda (1 change)." in done.get_data(as_text=True)


def test_builder_shows_sessions_by_room_and_time_with_constant_queries(client, login_as, make_meeting, make_room, make_item,
                                                                       make_speaker, db_session, count_queries):
    meeting = make_meeting()
    rooms = [make_room(meeting, f"Room {n}") for n in range(3)]
    make_item(meeting, at=datetime(2025, 1, 22, 9, 0), room=rooms[0], title="Opening", speakers=[make_speaker()])
    login_as("staff")
    db_session.commit()   # both measured requests start from an expired session
    with count_queries() as small:
        html = client.get(f"/staff/meetings/{meeting.id}/agenda?day=2025-01-22").get_data(as_text=True)
    assert "Opening" in html
    for n in range(12):
        make_item(meeting, at=datetime(2025, 1, 22, 9 + n % 8, 0), room=rooms[n % 3], speakers=[make_speaker(), make_speaker()])
    db_session.commit()
    with count_queries() as large:
        assert client.get(f"/staff/meetings/{meeting.id}/agenda?day=2025-01-22").status_code == 200
    assert large.count == small.count
    assert client.get(f"/staff/meetings/{meeting.id}/agenda?day=2030-01-01").status_code == 404
    assert client.get(f"/staff/meetings/{meeting.id}/agenda?day=nonsense").status_code == 404


def test_a_reception_past_midnight_ends_on_the_next_day_and_edits_cleanly(client, login_as, make_meeting, db_session):
    meeting = make_meeting(timezone="America/Chicago")
    db_session.commit()
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/sessions/new",
                           data=session_form(kind="reception", starts="21:00", ends="00:30", ends_next_day="y"))
    assert response.status_code == 303
    item = db_session.execute(select(AgendaItem)).scalar_one()
    assert (item.starts_at.isoformat(), item.ends_at.isoformat()) == ("2025-01-23T03:00:00+00:00", "2025-01-23T06:30:00+00:00")
    page = client.get(f"/staff/sessions/{item.id}/edit").get_data(as_text=True)
    assert '<input checked id="ends_next_day" name="ends_next_day" type="checkbox" value="y">' in page
    saved = client.post(f"/staff/sessions/{item.id}/edit",
                        data=session_form(kind="reception", starts="21:00", ends="00:30", ends_next_day="y"))
    assert saved.status_code == 303
    db_session.refresh(item)
    assert item.ends_at.isoformat() == "2025-01-23T06:30:00+00:00"


def test_extreme_input_is_a_field_error_never_a_500(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    db_session.commit()
    login_as("staff")
    for over, message in (({"capacity": "99999999999"}, "Enter a number from 0 to 100,000."),
                          ({"day": "9999-12-31"}, "Enter a date between the years 1990 and 2100."),
                          ({"day": "0001-01-01"}, "Enter a date between the years 1990 and 2100."),
                          ({"title": "x" * 301}, "Field cannot be longer than 300 characters."),
                          ({"kind": "party"}, "Not a valid choice."),
                          ({"room_id": "abc"}, "Choose one of this meeting&#39;s rooms.")):
        response = client.post(f"/staff/meetings/{meeting.id}/sessions/new", data=session_form(**over))
        assert response.status_code == 422, over
        assert message in response.get_data(as_text=True), over
    huge = client.post("/staff/meetings/new", data={"name": "X", "slug": "x", "kind": "winter", "starts_on": "2026-01-01",
                                                   "ends_on": "2026-01-02", "timezone": "Mars/Olympus", "capacity": "-1"})
    assert huge.status_code == 422
    assert "Choose a time zone from the list." in huge.get_data(as_text=True)
    assert db_session.execute(select(AgendaItem)).scalars().all() == []
