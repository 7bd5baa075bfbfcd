"""Session change notices: a burst of edits to a published session becomes ONE email per affected person
(speakers, registrants who chose it, their schedulers) with before/after and an updated .ics carrying
the same UID and a higher SEQUENCE; an edit undone sends nothing; staff see what is pending."""
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import select

from mipevents.agenda import changes as session_changes
from mipevents.agenda.models import ChangeNotice
from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services, sessions
from mipevents.workflows import change_notices as notices

TODAY = datetime.now(UTC).date()


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
         "city": "Madison", "state": "WI", "consent": True}
    v.update(over)
    return v


def setting(make_meeting, make_room, make_item, make_speaker):
    """A panel in Room A with a speaker; two registrants picked it (one through a scheduler), one did not."""
    meeting = make_meeting(name="Summer Meeting", starts_on=datetime(2031, 7, 9).date(), ends_on=datetime(2031, 7, 10).date(),
                           timezone="America/Chicago")
    room_a, room_b = make_room(meeting, "Room A"), make_room(meeting, "Room B")
    speaker = make_speaker(email="speaker@example.org")
    panel = make_item(meeting, at=datetime(2031, 7, 9, 9, 0), minutes=60, room=room_a, title="Housing panel",
                      speakers=[(speaker, "moderator")])
    db.session.commit()
    meeting.registration_opens_at = None
    chosen = []
    for n, extra in ((1, {}), (2, {"scheduler_email": "scheduler2@example.org"}), (3, {})):
        registration = services.register(meeting, values(n, **extra)).registration
        db.session.commit()
        if n != 3:
            sessions.set_choices(registration, [panel.id])
            db.session.commit()
            chosen.append(registration)
    db.session.execute(OutboxMessage.__table__.delete())   # the confirmations are not what is tested here
    db.session.commit()
    return meeting, panel, room_a, room_b


def edit(item, **changes):
    before = session_changes.session_state(item)
    for key, value in changes.items():
        setattr(item, key, value)
    db.session.flush()
    return session_changes.record_session_change(item, before)


def outbox():
    return db.session.execute(select(OutboxMessage).order_by(OutboxMessage.to_email)).scalars().all()


def test_three_edits_make_one_message_per_person_with_before_and_after(make_app, smtp_server, make_meeting, make_room,
                                                                       make_item, make_speaker):
    meeting, panel, room_a, room_b = setting(make_meeting, make_room, make_item, make_speaker)
    first = edit(panel, starts_at=panel.starts_at + timedelta(hours=1), ends_at=panel.ends_at + timedelta(hours=1))
    edit(panel, room_id=room_b.id, room=room_b)
    last = edit(panel, starts_at=panel.starts_at + timedelta(minutes=30), ends_at=panel.ends_at + timedelta(minutes=30))
    db.session.commit()
    assert panel.sequence == 3
    assert [n.status for n in db.session.execute(select(ChangeNotice)).scalars()] == ["pending"] * 3

    assert notices.queue_change_notices(now=last.created_at + timedelta(minutes=1)) == 0      # the burst may go on
    assert notices.queue_change_notices(now=last.created_at + notices.QUIET) == 4
    db.session.commit()
    assert notices.queue_change_notices(now=last.created_at + timedelta(hours=1)) == 0        # sent once only
    messages = outbox()
    assert [(m.kind, m.to_email) for m in messages] == [
        ("session_changes", "person1@example.org"), ("session_changes", "person2@example.org"),
        ("session_changes", "scheduler2@example.org"), ("session_changes", "speaker@example.org")]
    [change] = messages[0].context["changes"]
    assert (change["before"]["starts_at"], change["before"]["room"]) == ("2031-07-09T14:00:00Z", "Room A")
    assert (change["after"]["starts_at"], change["after"]["room"], change["changed"]) == (
        "2031-07-09T15:30:00Z", "Room B", ["starts_at", "ends_at", "room"])
    assert first.status == "queued"

    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        assert delivery.send_pending().sent == 4
    for address in ("person1@example.org", "person2@example.org", "scheduler2@example.org", "speaker@example.org"):
        assert len(smtp_server.to(address)) == 1
    assert smtp_server.to("person3@example.org") == []
    [email] = smtp_server.to("person1@example.org")
    assert email["Subject"] == "Changed: Housing panel (Summer Meeting)"
    text = email.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == (
        "A session you are part of at Summer Meeting has changed.\n\n"
        "Housing panel\n\n"
        "  Time: Wednesday, July 9, 10:30 AM – 11:30 AM CT\n    (was: Wednesday, July 9, 9:00 AM – 10:00 AM CT)\n"
        "  Room: Room B\n    (was: Room A)\n"
        f"  http://mipevents.test/meetings/{meeting.slug}/sessions/{panel.id}\n\n"
        "The attached calendar file updates this session in your calendar. Times are CT, the time in Washington.\n\n"
        "-- \nMayors Innovation Project\n")
    [attachment] = list(email.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"session-{panel.id}@mipevents.test", 3)
    assert event.decoded("DTSTART") == datetime(2031, 7, 9, 15, 30, tzinfo=UTC)


def test_an_edit_undone_within_the_burst_sends_nothing(make_meeting, make_room, make_item, make_speaker):
    meeting, panel, room_a, room_b = setting(make_meeting, make_room, make_item, make_speaker)
    edit(panel, room_id=room_b.id, room=room_b)
    last = edit(panel, room_id=room_a.id, room=room_a)
    db.session.commit()
    assert notices.queue_change_notices(now=last.created_at + notices.QUIET) == 0
    db.session.commit()
    assert outbox() == []
    assert [n.status for n in db.session.execute(select(ChangeNotice)).scalars()] == ["void", "void"]


def test_a_cancelled_session_tells_its_people_it_is_cancelled(make_meeting, make_room, make_item, make_speaker):
    meeting, panel, _, _ = setting(make_meeting, make_room, make_item, make_speaker)
    notice = edit(panel, status="cancelled")
    db.session.commit()
    assert notices.queue_change_notices(now=notice.created_at + notices.QUIET) == 4
    lines = notices.change_lines(notice.before, session_changes.session_state(panel), meeting.timezone)
    assert [(line.what, line.before, line.after) for line in lines] == [("Status", "Taking place", "Cancelled")]


def test_a_move_off_site_is_told_as_a_place_not_a_room(make_meeting, make_room, make_item, make_speaker):
    from mipevents.agenda import services as agenda_services
    meeting, panel, room_a, _ = setting(make_meeting, make_room, make_item, make_speaker)
    before = agenda_services.item_state(panel)            # the staff edit's form of `before`
    panel.location_name, panel.location_address = "Riverside Plant", "1 Water St"
    out = session_changes.record_session_change(panel, before)
    back = edit(panel, location_name="", location_address="")
    moved = edit(panel, room_id=None, room=None)
    lines = [notices.change_lines(n.before, n.after, meeting.timezone)[0] for n in (out, back, moved)]
    assert [(line.what, line.before, line.after) for line in lines] == [
        ("Place", "Room A", "Riverside Plant, 1 Water St"), ("Place", "Riverside Plant, 1 Water St", "Room A"),
        ("Room", "Room A", "No room given")]


def test_drafts_and_title_only_edits_make_no_notice(make_meeting, make_item):
    meeting = make_meeting()
    draft = make_item(meeting, status="draft")
    published = make_item(meeting)
    db.session.commit()
    assert edit(draft, starts_at=draft.starts_at + timedelta(hours=1), ends_at=draft.ends_at + timedelta(hours=1)) is None
    assert edit(published, title="A new title") is None
    assert db.session.execute(select(ChangeNotice)).scalars().all() == []


def test_every_confirmed_registrant_hears_of_a_plenary_change(make_meeting, make_item):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31))
    plenary = make_item(meeting, kind="plenary", at=datetime.combine(meeting.starts_on, datetime.min.time()).replace(hour=8))
    db.session.commit()
    for n in (1, 2):
        services.register(meeting, values(n))
        db.session.commit()
    db.session.execute(OutboxMessage.__table__.delete())
    notice = edit(plenary, starts_at=plenary.starts_at + timedelta(minutes=15), ends_at=plenary.ends_at + timedelta(minutes=15))
    db.session.commit()
    assert notices.queue_change_notices(now=notice.created_at + notices.LONGEST_WAIT) == 2
    assert [m.to_email for m in outbox()] == ["person1@example.org", "person2@example.org"]


def test_the_agenda_services_state_works_as_before(make_meeting, make_room, make_item, make_speaker):
    """The staff session edit records with agenda.services.item_state (room by id and name, ISO instants)."""
    agenda_services = pytest.importorskip("mipevents.agenda.services")
    meeting, panel, room_a, room_b = setting(make_meeting, make_room, make_item, make_speaker)
    before = agenda_services.item_state(panel)
    panel.room_id, panel.room = room_b.id, room_b
    panel.sequence += 1
    notice = session_changes.record_session_change(panel, before)
    assert (notice.before["room"], notice.after["room"], panel.sequence) == ("Room A", "Room B", 1)


def test_staff_see_pending_notices_and_can_send_them_now(client, login_as, make_meeting, make_room, make_item, make_speaker):
    meeting, panel, room_a, room_b = setting(make_meeting, make_room, make_item, make_speaker)
    edit(panel, room_id=room_b.id, room=room_b)
    db.session.commit()
    login_as("staff")
    page = client.get(f"/staff/meetings/{meeting.id}/registrations/notices")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 session changed; 4 people will be emailed." in html
    assert ('Room: <span class="change-before"><span class="visually-hidden">was </span>Room A</span> → '
            '<strong><span class="visually-hidden">now </span>Room B</strong>') in html
    response = client.post(f"/staff/meetings/{meeting.id}/registrations/notices/send")
    assert response.status_code == 302
    assert len(outbox()) == 4
    assert "No session changes are waiting to be emailed." in client.get(f"/staff/meetings/{meeting.id}/registrations/notices").get_data(as_text=True)
