"""Staff pages for meetings and rooms: create, edit, duplicate, unpublish, cancel; field errors, never a 500."""
import re
from datetime import date, datetime

from sqlalchemy import select

from mipevents.accounts.models import AuditEntry
from mipevents.agenda.models import AgendaItem
from mipevents.meetings.models import Meeting, Room

VALID = {"name": "Summer Meeting 2026", "slug": "summer-2026", "kind": "summer", "starts_on": "2026-07-15",
         "ends_on": "2026-07-17", "timezone": "America/Chicago", "city": "Madison", "state": "WI",
         "venue": "Monona Terrace", "panel_topics": "Housing\nClimate\n", "capacity": "200",
         "registration_opens_at": "2026-05-01T09:00", "registration_closes_at": "2026-07-01T17:00"}


def test_create_meeting_makes_a_draft_with_registration_times_in_its_zone(client, login_as, db_session):
    login_as("staff")
    response = client.post("/staff/meetings/new", data=VALID)
    assert response.status_code == 303
    meeting = db_session.execute(select(Meeting).where(Meeting.slug == "summer-2026")).scalar_one()
    assert meeting.status == "draft"
    assert meeting.panel_topics == ["Housing", "Climate"]
    assert meeting.registration_opens_at.isoformat() == "2026-05-01T14:00:00+00:00"   # 9 AM CDT
    assert response.headers["Location"] == f"/staff/meetings/{meeting.id}"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Summer Meeting 2026" in page.get_data(as_text=True)


def test_create_meeting_refuses_a_last_day_before_the_first_with_a_field_error(client, login_as, db_session):
    login_as("staff")
    response = client.post("/staff/meetings/new", data={**VALID, "ends_on": "2026-07-10"})
    assert response.status_code == 422
    assert "The last day cannot be before the first day." in response.get_data(as_text=True)
    assert db_session.execute(select(Meeting)).scalars().all() == []


def test_create_meeting_refuses_a_taken_slug(client, login_as, make_meeting):
    make_meeting(slug="summer-2026")
    login_as("staff")
    response = client.post("/staff/meetings/new", data=VALID)
    assert response.status_code == 422
    assert "Another meeting already uses this web address." in response.get_data(as_text=True)


def test_edit_page_shows_the_current_values(client, login_as, make_meeting):
    meeting = make_meeting(panel_topics=["Housing", "Transit"])
    login_as("staff")
    html = client.get(f"/staff/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert f'value="{meeting.slug}"' in html
    assert "Housing\nTransit</textarea>" in html


def test_editing_a_public_meeting_raises_its_sequence_and_version_and_audits(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    version, sequence, original = meeting.agenda_version, meeting.sequence, meeting.name
    db_session.commit()
    login_as("staff")
    data = {"name": "Renamed", "slug": meeting.slug, "kind": "winter", "starts_on": "2025-01-22", "ends_on": "2025-01-24",
            "timezone": "America/New_York", "city": "Washington", "state": "DC", "venue": "Conference Center",
            "address": "1 Main St"}
    assert client.post(f"/staff/meetings/{meeting.id}/edit", data=data).status_code == 303
    db_session.refresh(meeting)
    assert (meeting.name, meeting.sequence, meeting.agenda_version) == ("Renamed", sequence + 1, version + 1)
    entry = db_session.execute(select(AuditEntry).where(AuditEntry.action == "update_meeting")).scalar_one()
    assert entry.before == {"name": original}
    assert entry.after == {"name": "Renamed"}


def test_rooms_are_added_renamed_and_refused_twice(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    db_session.commit()
    login_as("staff")
    assert client.post(f"/staff/meetings/{meeting.id}/rooms", data={"room-name": "Ballroom", "room-capacity": "300"}).status_code == 303
    again = client.post(f"/staff/meetings/{meeting.id}/rooms", data={"room-name": "ballroom"})
    assert again.status_code == 422
    assert "This meeting already has a room with that name." in again.get_data(as_text=True)
    room = db_session.execute(select(Room).where(Room.meeting_id == meeting.id)).scalar_one()
    assert (room.name, room.capacity) == ("Ballroom", 300)
    assert client.post(f"/staff/rooms/{room.id}/edit", data={"name": "Grand Ballroom", "capacity": "", "position": "1"}).status_code == 303
    db_session.refresh(room)
    assert (room.name, room.capacity) == ("Grand Ballroom", None)


def test_room_order_0_is_a_place_and_empty_puts_a_room_last(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    db_session.commit()
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/rooms"
    client.post(url, data={"room-name": "Ballroom", "room-position": ""})
    client.post(url, data={"room-name": "Foyer", "room-position": "0"})
    client.post(url, data={"room-name": "Library", "room-position": ""})
    rooms = db_session.execute(select(Room.name, Room.position).where(Room.meeting_id == meeting.id)
                               .order_by(Room.position, Room.id)).all()
    assert [tuple(r) for r in rooms] == [("Foyer", 0), ("Ballroom", 1), ("Library", 2)]
    form = client.get(f"/staff/meetings/{meeting.id}").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="room-position"[^>]*>', form).group(0)
    assert 'value=""' in field   # empty, not a "0" that would mean last


def test_cancel_meeting_cancels_its_published_sessions_with_higher_sequences(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting()
    published = make_item(meeting)
    draft = make_item(meeting, at=datetime(2025, 1, 22, 11, 0), status="draft")
    db_session.commit()
    login_as("staff")
    refused = client.post(f"/staff/meetings/{meeting.id}/cancel", data={})
    assert refused.status_code == 303
    db_session.refresh(meeting)
    assert meeting.status == "published"
    assert client.post(f"/staff/meetings/{meeting.id}/cancel", data={"confirm": "yes"}).status_code == 303
    db_session.refresh(meeting)
    db_session.refresh(published)
    db_session.refresh(draft)
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert (published.status, published.sequence) == ("cancelled", 1)
    assert (draft.status, draft.sequence) == ("draft", 0)


def test_unpublish_returns_the_meeting_to_draft(client, login_as, make_meeting, db_session):
    meeting = make_meeting()
    db_session.commit()
    login_as("staff")
    assert client.post(f"/staff/meetings/{meeting.id}/unpublish").status_code == 303
    db_session.refresh(meeting)
    assert meeting.status == "draft"


def test_duplicate_page_creates_a_draft_copy(client, login_as, make_meeting, make_room, make_item, make_speaker, db_session):
    meeting = make_meeting()
    room = make_room(meeting, "Ballroom")
    make_item(meeting, at=datetime(2025, 1, 23, 9, 0), room=room, speakers=[make_speaker()])
    db_session.commit()
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/duplicate", data={
        "name": "Winter 2026", "slug": "winter-2026", "starts_on": "2026-01-21", "timezone": "America/New_York",
        "kind": "winter", "with_speakers": "no"})
    assert response.status_code == 303
    copy = db_session.execute(select(Meeting).where(Meeting.slug == "winter-2026")).scalar_one()
    items = db_session.execute(select(AgendaItem).where(AgendaItem.meeting_id == copy.id)).scalars().all()
    assert [(i.status, i.starts_at.isoformat(), i.room.name, i.speaker_links) for i in items] == [
        ("draft", "2026-01-22T14:00:00+00:00", "Ballroom", [])]
    assert (copy.starts_on, copy.ends_on, copy.status) == (date(2026, 1, 21), date(2026, 1, 23), "draft")


def test_reviewer_sees_the_dashboard_but_cannot_create(client, login_as, make_meeting):
    make_meeting()
    login_as("reviewer")
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/meetings/new").status_code == 403


def test_changing_the_zone_keeps_each_sessions_local_time(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting(timezone="America/New_York")
    item = make_item(meeting, at=datetime(2025, 1, 22, 9, 0))
    db_session.commit()
    login_as("staff")
    data = {"name": meeting.name, "slug": meeting.slug, "kind": "winter", "starts_on": "2025-01-22", "ends_on": "2025-01-24",
            "timezone": "America/Chicago", "city": "Washington", "state": "DC", "venue": "Conference Center", "address": "1 Main St"}
    assert client.post(f"/staff/meetings/{meeting.id}/edit", data=data).status_code == 303
    db_session.refresh(item)
    assert (item.starts_at.isoformat(), item.sequence) == ("2025-01-22T15:00:00+00:00", 1)   # 9:00 AM CST



def test_new_dates_move_the_sessions_with_the_meeting_across_a_daylight_saving_change(
        client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting(timezone="America/Chicago", starts_on=date(2025, 3, 5), ends_on=date(2025, 3, 7))
    second_day = make_item(meeting, at=datetime(2025, 3, 6, 9, 0), minutes=90)     # 9:00 AM CST = 15:00 UTC
    draft = make_item(meeting, at=datetime(2025, 3, 7, 16, 30), status="draft")
    db_session.commit()
    login_as("staff")
    data = {"name": meeting.name, "slug": meeting.slug, "kind": "winter", "starts_on": "2025-03-12", "ends_on": "2025-03-14",
            "timezone": "America/Chicago", "city": "Washington", "state": "DC", "venue": "Conference Center", "address": "1 Main St"}
    response = client.post(f"/staff/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 303
    db_session.refresh(second_day)
    db_session.refresh(draft)
    # A week later, after clocks went forward on March 9: still 9:00-10:30 AM on the second day, now CDT.
    assert (second_day.starts_at.isoformat(), second_day.ends_at.isoformat(), second_day.sequence) == \
        ("2025-03-13T14:00:00+00:00", "2025-03-13T15:30:00+00:00", 1)
    assert (draft.starts_at.isoformat(), draft.sequence) == ("2025-03-14T21:30:00+00:00", 0)   # 4:30 PM CDT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The sessions moved with the meeting" in page

def test_the_meeting_overview_links_to_registrations_checkin_and_the_showcase(client, login_as, make_meeting, make_item):
    from mipevents.extensions import db

    login_as("staff")
    meeting = make_meeting()
    showcase = make_item(meeting, kind="showcase", title="Innovation Showcase")
    db.session.commit()
    page = client.get(f"/staff/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/staff/meetings/{meeting.id}/registrations/"' in page
    assert f'href="/staff/showcase/{showcase.id}"' in page
    assert f'href="/meetings/{meeting.slug}/showcase/control?session={showcase.id}"' in page
