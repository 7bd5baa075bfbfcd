"""The stage of every room over HTTP: staff-only control, private display and speaker links (minted
by a POST, revocable, erased with their owner), messages that never reach public state, running late
on the meeting's live JSON for the late room only, feeds untouched, and the CSV report."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mipevents.core.timeutil import to_local, utcnow
from mipevents.extensions import db


@pytest.fixture
def two_rooms(app, make_meeting, make_room, make_item, make_showcase):
    """Today's meeting: room A a panel that began 6 minutes ago and the session after it; room B a
    showcase and the session after it, each planned back to back."""
    now = utcnow()
    # A zone where now is well inside the day, so the sessions around it share one local day.
    zone = next(z for z in ("America/New_York", "Asia/Tokyo", "Europe/London") if 1 <= to_local(now, z).hour <= 21)
    today = to_local(now, zone).date()
    meeting = make_meeting(starts_on=today, ends_on=today, timezone=zone)
    room_a, room_b = make_room(meeting, name="Room A"), make_room(meeting, name="Room B")
    local = to_local(now, zone).replace(tzinfo=None)
    panel = make_item(meeting, at=local - timedelta(minutes=6), minutes=30, room=room_a, title="Housing panel")
    after_a = make_item(meeting, at=local + timedelta(minutes=24), minutes=30, room=room_a, title="After the panel")
    _, showcase, _ = make_showcase(meeting, at=local, minutes=30, room_id=room_b.id)
    after_b = make_item(meeting, at=local + timedelta(minutes=30), minutes=30, room=room_b, title="After the showcase")
    db.session.commit()
    return {"meeting": meeting, "today": today, "a": room_a, "b": room_b, "panel": panel, "after_a": after_a,
            "showcase": showcase, "after_b": after_b}


def control_url(setup, room, tail=""):
    return f"/staff/stage/{setup['meeting'].id}/{setup['today'].isoformat()}/{room.id}{tail}"


def mint(client, setup, room):
    page = client.post(control_url(setup, room, "/links")).get_data(as_text=True)
    display = re.search(r'id="display-link" readonly value="[^"]*(/stage/[^"]+)"', page).group(1)
    speaker = re.search(r'id="speaker-link" readonly value="[^"]*(/speaker/[^"]+)"', page).group(1)
    return display, speaker


def test_the_control_page_and_its_actions_are_for_staff_only(client, two_rooms):
    assert client.get(control_url(two_rooms, two_rooms["a"])).status_code == 302
    assert client.post(control_url(two_rooms, two_rooms["a"], "/start")).status_code in (302, 400)
    assert client.get(control_url(two_rooms, two_rooms["a"], "/state.json")).status_code == 302


def test_a_staff_start_runs_the_rooms_first_session_and_records_its_actual_start(app, client, login_as, two_rooms):
    from mipevents.showcase.models import SessionTiming, StageRun

    login_as("staff")
    page = client.get(control_url(two_rooms, two_rooms["a"]))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    response = client.post(control_url(two_rooms, two_rooms["a"], "/start"), headers={"Accept": "application/json"})
    state = response.get_json()
    assert (response.status_code, state["status"], state["slot"]["presenter"], state["next"]["presenter"]) == (
        200, "running", "Housing panel", "After the panel")
    run = db.session.execute(select(StageRun)).scalar_one()
    assert state["deadline_ms"] == round(run.deadline_at.timestamp() * 1000, 3)
    timing = db.session.execute(select(SessionTiming)).scalar_one()
    assert (timing.item_id, timing.actual_started_at is not None) == (two_rooms["panel"].id, True)
    again = client.post(control_url(two_rooms, two_rooms["a"], "/resume"), headers={"Accept": "application/json"})
    assert again.status_code == 409


def test_links_are_minted_by_a_post_never_by_a_get_and_open_the_rooms_stage(client, login_as, two_rooms):
    from mipevents.people.models import Token

    login_as("staff")
    client.get(control_url(two_rooms, two_rooms["a"]))
    assert db.session.execute(select(func.count(Token.id))).scalar() == 0
    display, speaker = mint(client, two_rooms, two_rooms["a"])
    purposes = sorted(db.session.execute(select(Token.purpose, Token.subject_id)).all())
    assert purposes == [("display", two_rooms["a"].id), ("speaker_view", two_rooms["a"].id)]
    client.post("/staff/logout")
    anonymous = client.application.test_client()
    for url in (display, speaker):
        page = anonymous.get(url)
        assert (page.status_code, page.headers["Cache-Control"], page.headers["Referrer-Policy"]) == (
            200, "no-store", "no-referrer")
        assert "Housing panel" in page.get_data(as_text=True)
    # A display link is not a speaker link, and the other way round.
    assert anonymous.get(display.replace("/stage/", "/speaker/")).status_code == 404
    assert anonymous.get(speaker.replace("/speaker/", "/stage/")).status_code == 404


def test_a_message_reaches_token_displays_only_never_the_public_state_json(client, login_as, two_rooms):
    from mipevents.accounts.models import AuditEntry

    login_as("staff")
    display, speaker = mint(client, two_rooms, two_rooms["b"])
    client.post(control_url(two_rooms, two_rooms["b"], "/message"), data={"text": "Wrap up, please"})
    client.post(control_url(two_rooms, two_rooms["b"], "/toggle/hide-timer"), data={"on": "1"})
    client.post(control_url(two_rooms, two_rooms["b"], "/toggle/blackout"), data={"on": "1"})
    anonymous = client.application.test_client()
    for url in (display, speaker):
        state = anonymous.get(url + "/state.json").get_json()
        assert (state["message"], state["blackout"], state["hide_timer"]) == ("Wrap up, please", True, True)
    public = anonymous.get(f"/meetings/{two_rooms['meeting'].slug}/showcase/state.json")
    assert public.status_code == 200 and "Wrap up" not in public.get_data(as_text=True)
    assert "message" not in public.get_json()
    live = anonymous.get(f"/meetings/{two_rooms['meeting'].slug}/live.json").get_data(as_text=True)
    assert "Wrap up" not in live
    actions = db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-3:] == ["stage_message", "stage_is_timer_hidden", "stage_is_blackout"]
    client.post(control_url(two_rooms, two_rooms["b"], "/message"), data={"clear": "1"})
    assert anonymous.get(display + "/state.json").get_json()["message"] == ""


def test_a_message_too_long_or_empty_is_refused_with_a_422(client, login_as, two_rooms):
    login_as("staff")
    assert client.post(control_url(two_rooms, two_rooms["a"], "/message"), data={"text": "x" * 141}).status_code == 422
    assert client.post(control_url(two_rooms, two_rooms["a"], "/message"), data={"text": "  "}).status_code == 422


def test_an_unchanged_display_state_answers_304(client, login_as, two_rooms):
    login_as("staff")
    display, _ = mint(client, two_rooms, two_rooms["a"])
    anonymous = client.application.test_client()
    first = anonymous.get(display + "/state.json")
    again = anonymous.get(display + "/state.json", headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.headers["X-Server-Time-Ms"] != "") == (304, True)
    client.post(control_url(two_rooms, two_rooms["a"], "/start"))
    moved = anonymous.get(display + "/state.json", headers={"If-None-Match": first.headers["ETag"]})
    assert (moved.status_code, moved.get_json()["status"]) == (200, "running")


def test_revoked_links_answer_404(client, login_as, two_rooms):
    login_as("staff")
    display, speaker = mint(client, two_rooms, two_rooms["a"])
    client.post(control_url(two_rooms, two_rooms["a"], "/links/revoke"))
    anonymous = client.application.test_client()
    assert [anonymous.get(u).status_code for u in (display, display + "/state.json", speaker)] == [404, 404, 404]


def test_erasing_the_staff_member_who_made_the_links_ends_them(client, login_as, two_rooms):
    from mipevents.people.models import Person
    from mipevents.workflows.erasure import erase_person

    user = login_as("staff")
    display, _ = mint(client, two_rooms, two_rooms["a"])
    person = db.session.execute(select(Person).where(Person.email == user.email)).scalar_one()
    erase_person(person, actor=None)
    db.session.commit()
    assert client.application.test_client().get(display).status_code == 404


def test_a_late_room_shows_on_the_live_json_for_its_next_session_only_and_feeds_do_not_change(client, login_as,
                                                                                              two_rooms):
    slug = two_rooms["meeting"].slug
    feed_before = client.get(f"/meetings/{slug}/agenda.ics").get_data()
    assert client.get(f"/meetings/{slug}/live.json").get_json() == {"sessions": {}}
    login_as("staff")
    client.post(control_url(two_rooms, two_rooms["a"], "/start"))      # began 6 minutes after its planned time
    client.post(control_url(two_rooms, two_rooms["b"], "/start"))      # on time
    live = client.get(f"/meetings/{slug}/live.json").get_json()
    after_a = str(two_rooms["after_a"].id)
    assert sorted(live["sessions"]) == sorted([str(two_rooms["panel"].id), after_a])
    assert live["sessions"][after_a]["words"] == "Running about 6 minutes late"
    expected = datetime.fromtimestamp(live["sessions"][after_a]["expected_start_ms"] / 1000, UTC)
    assert abs(expected - (two_rooms["after_a"].starts_at + timedelta(minutes=6))) < timedelta(seconds=5)
    assert client.get(f"/meetings/{slug}/agenda.ics").get_data() == feed_before
    client.post(control_url(two_rooms, two_rooms["a"], "/next"))
    client.post(control_url(two_rooms, two_rooms["a"], "/next"))       # the run of room A is over
    assert client.get(f"/meetings/{slug}/live.json").get_json() == {"sessions": {}}


def test_the_live_json_of_a_meeting_the_public_cannot_see_is_404(client, make_meeting):
    meeting = make_meeting(status="draft")
    db.session.commit()
    assert client.get(f"/meetings/{meeting.slug}/live.json").status_code == 404


def test_the_report_csv_lists_planned_and_actual_with_formulas_guarded(client, login_as, two_rooms):
    two_rooms["panel"].title = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    login_as("staff")
    client.post(control_url(two_rooms, two_rooms["a"], "/start"))
    client.post(control_url(two_rooms, two_rooms["a"], "/next"))
    response = client.get(f"/staff/stage/{two_rooms['meeting'].id}/{two_rooms['today'].isoformat()}/report.csv")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == ("room,session,kind,planned_start,planned_seconds,actual_start,actual_end,actual_seconds,"
                        "start_delay_seconds,over_seconds")
    assert lines[1].startswith("Room A,\"'=HYPERLINK(\"\"http://x\"\")\",panel,")
    actual, delay, over = lines[1].split(",")[-3:]
    assert (actual, over) == ("0", "-1800")
    assert 360 <= int(delay) <= 365          # it began 6 minutes late, give or take the test's own run
    assert client.get(f"/staff/stage/{two_rooms['meeting'].id}/{two_rooms['today'].isoformat()}/report").status_code == 200


def test_a_day_outside_the_meeting_or_a_room_of_another_meeting_is_404(client, login_as, two_rooms, make_meeting,
                                                                        make_room):
    other = make_room(make_meeting(), name="Elsewhere")
    db.session.commit()
    login_as("staff")
    meeting_id = two_rooms["meeting"].id
    assert client.get(f"/staff/stage/{meeting_id}/not-a-day/{two_rooms['a'].id}").status_code == 404
    assert client.get(f"/staff/stage/{meeting_id}/1999-01-01/{two_rooms['a'].id}").status_code == 404
    assert client.get(control_url(two_rooms, other)).status_code == 404
    assert client.get(f"/staff/stage/{meeting_id}/").status_code == 200


def test_a_display_link_runs_the_stage_of_a_draft_meeting_the_public_cannot_see(client, login_as, two_rooms):
    two_rooms["meeting"].status = "draft"
    db.session.commit()
    login_as("staff")
    display, _ = mint(client, two_rooms, two_rooms["a"])
    client.post(control_url(two_rooms, two_rooms["a"], "/start"))
    anonymous = client.application.test_client()
    assert anonymous.get(f"/meetings/{two_rooms['meeting'].slug}/agenda").status_code == 404
    assert anonymous.get(display + "/state.json").get_json()["status"] == "running"


def test_running_late_clears_when_the_day_is_over(client, login_as, two_rooms):
    from mipevents.showcase import stage_services

    login_as("staff")
    client.post(control_url(two_rooms, two_rooms["a"], "/start"))
    meeting = two_rooms["meeting"]
    assert sorted(stage_services.meeting_live(meeting)["sessions"]) == sorted(
        [str(two_rooms["panel"].id), str(two_rooms["after_a"].id)])
    assert stage_services.meeting_live(meeting, now=utcnow() + timedelta(days=1)) == {"sessions": {}}


def test_a_display_poll_that_changed_nothing_costs_two_queries(client, login_as, two_rooms, count_queries):
    login_as("staff")
    display, _ = mint(client, two_rooms, two_rooms["a"])
    anonymous = client.application.test_client()
    etag = anonymous.get(display + "/state.json").headers["ETag"]
    with count_queries() as queries:
        assert anonymous.get(display + "/state.json", headers={"If-None-Match": etag}).status_code == 304
    assert queries.count == 2


def test_the_public_showcase_state_tells_a_delay_from_its_room_without_messages(client, login_as, two_rooms,
                                                                               make_showcase):
    from mipevents.showcase.models import StageRun

    meeting, room_a = two_rooms["meeting"], two_rooms["a"]
    local = to_local(two_rooms["after_a"].ends_at, meeting.timezone).replace(tzinfo=None)
    _, showcase, _ = make_showcase(meeting, at=local, minutes=30, room_id=room_a.id)
    db.session.commit()
    url = f"/meetings/{meeting.slug}/showcase/state.json?session={showcase.id}"
    before = client.get(url)
    assert before.get_json()["room_run"] is None
    login_as("staff")
    client.post(control_url(two_rooms, room_a, "/start"))
    client.post(control_url(two_rooms, room_a, "/message"), data={"text": "Wrap up"})
    anonymous = client.application.test_client()
    again = anonymous.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200 and "Wrap up" not in again.get_data(as_text=True)
    run = db.session.execute(select(StageRun)).scalar_one()
    ms = lambda instant: round(instant.timestamp() * 1000, 3)  # noqa: E731
    assert again.get_json()["room_run"] == {
        "status": "running", "deadline_ms": ms(run.deadline_at), "remaining_ms": None,
        "cue_planned_start_ms": ms(two_rooms["panel"].starts_at), "floor_ms": ms(showcase.starts_at),
        "after_ms": 1_800_000.0, "planned_start_ms": ms(showcase.starts_at)}
