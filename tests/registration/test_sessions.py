"""A registrant's session picks: the service's rules (capacity, overlap, confirmed only, all or
nothing) and the private page at /manage/<token>/sessions."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.people.services import mint_token
from mipevents.registration import services, sessions
from mipevents.registration.models import Registration, SessionChoice

TODAY = datetime.now(UTC).date()


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
         "title": "Mayor", "organization": f"City {n}", "city": "Madison", "state": "WI", "consent": True}
    v.update(over)
    return v


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(starts_on=TODAY + timedelta(days=20), ends_on=TODAY + timedelta(days=21), timezone="America/Chicago")


def day(meeting, hour, minute=0):
    d = meeting.starts_on
    return datetime(d.year, d.month, d.day, hour, minute)


def register(meeting, n, **over):
    registration = services.register(meeting, values(n, **over)).registration
    db.session.commit()
    return registration


def picks(registration):
    return sorted(db.session.execute(select(SessionChoice.item_id).where(SessionChoice.registration_id == registration.id)).scalars())


def test_picks_are_saved_changed_and_removed(meeting, make_item):
    a = make_item(meeting, at=day(meeting, 9), kind="panel")
    b = make_item(meeting, at=day(meeting, 11), kind="workshop")
    c = make_item(meeting, at=day(meeting, 14), kind="tour")
    db.session.commit()
    registration = register(meeting, 1)
    result = sessions.set_choices(registration, [a.id, b.id])
    db.session.commit()
    assert (result.added, result.removed, picks(registration)) == ([a.id, b.id], [], [a.id, b.id])
    result = sessions.set_choices(registration, [b.id, c.id])
    db.session.commit()
    assert (result.added, result.removed, picks(registration)) == ([c.id], [a.id], [b.id, c.id])


def test_a_full_breakout_refuses_and_nothing_is_written(meeting, make_item):
    full = make_item(meeting, at=day(meeting, 9), kind="workshop", capacity=1, title="Small workshop")
    other = make_item(meeting, at=day(meeting, 11), kind="panel")
    db.session.commit()
    first, second = register(meeting, 1), register(meeting, 2)
    sessions.set_choices(first, [full.id])
    db.session.commit()
    with pytest.raises(sessions.ChoiceRefused) as refused:
        sessions.set_choices(second, [full.id, other.id])
    db.session.rollback()
    assert (refused.value.problems, refused.value.is_full) == ({full.id: "“Small workshop” is full."}, True)
    assert picks(second) == []
    assert sessions.taken([full.id]) == {full.id: 1}


def test_a_cancelled_registrants_pick_frees_the_seat(meeting, make_item):
    workshop = make_item(meeting, at=day(meeting, 9), kind="workshop", capacity=1)
    db.session.commit()
    first, second = register(meeting, 1), register(meeting, 2)
    sessions.set_choices(first, [workshop.id])
    db.session.commit()
    services.cancel(first)
    db.session.commit()
    sessions.set_choices(second, [workshop.id])
    db.session.commit()
    assert sessions.taken([workshop.id]) == {workshop.id: 1}


def test_two_sessions_at_the_same_time_are_refused(meeting, make_item):
    a = make_item(meeting, at=day(meeting, 9), minutes=60, kind="panel", title="Housing")
    b = make_item(meeting, at=day(meeting, 9, 30), minutes=60, kind="panel", title="Transit")
    db.session.commit()
    registration = register(meeting, 1)
    with pytest.raises(sessions.ChoiceRefused) as refused:
        sessions.set_choices(registration, [a.id, b.id])
    db.session.rollback()
    assert refused.value.problems == {b.id: "“Transit” is at the same time as “Housing”: pick one of them."}


def test_only_choosable_published_sessions_of_the_meeting_are_accepted(meeting, make_meeting, make_item):
    plenary = make_item(meeting, kind="plenary")
    draft = make_item(meeting, kind="panel", status="draft", at=day(meeting, 13))
    elsewhere = make_item(make_meeting(), kind="panel")
    db.session.commit()
    registration = register(meeting, 1)
    for item in (plenary, draft, elsewhere):
        with pytest.raises(sessions.ChoiceRefused):
            sessions.set_choices(registration, [item.id])
        db.session.rollback()
    assert picks(registration) == []


def test_a_waitlisted_registrant_cannot_pick(make_meeting, make_item):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=20), ends_on=TODAY + timedelta(days=21), capacity=0)
    item = make_item(meeting, kind="panel")
    db.session.commit()
    registration = register(meeting, 1)
    assert registration.status == "waitlisted"
    with pytest.raises(sessions.NotConfirmed):
        sessions.set_choices(registration, [item.id])
    db.session.rollback()


# ---------------------------------------------------------------------------------------------- the page

def manage_token(registration):
    token = mint_token(registration.person, "manage", registration.id)
    db.session.commit()
    return token


def test_the_page_lists_breakouts_with_places_left_and_saves_picks(client, meeting, make_item, make_room):
    room = make_room(meeting, "Room A")
    a = make_item(meeting, at=day(meeting, 9), kind="workshop", capacity=20, room=room, title="Budgeting workshop")
    b = make_item(meeting, at=day(meeting, 11), kind="panel", title="Housing panel")
    make_item(meeting, at=day(meeting, 8), kind="plenary", title="Opening plenary")
    db.session.commit()
    registration = register(meeting, 1)
    token = manage_token(registration)
    page = client.get(f"/manage/{token}/sessions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert (page.headers["Cache-Control"], page.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    assert "Budgeting workshop" in html and "Room A · 20 of 20 places left" in html
    assert "9:00 AM–10:00 AM CT" in html
    assert "Opening plenary" in html      # listed under "for everyone", not pickable
    assert f'value="{a.id}"' in html and 'name="sessions" value="' + str(b.id) + '"' in html
    response = client.post(f"/manage/{token}/sessions", data={"sessions": [str(a.id), str(b.id)]})
    assert (response.status_code, response.headers["Location"]) == (303, f"/manage/{token}/sessions")
    assert picks(registration) == [a.id, b.id]
    assert "Room A · 19 of 20 places left" in client.get(f"/manage/{token}/sessions").get_data(as_text=True)


def test_the_page_says_full_and_answers_409_when_the_last_place_went(client, meeting, make_item):
    workshop = make_item(meeting, at=day(meeting, 9), kind="workshop", capacity=1, title="Tiny workshop")
    db.session.commit()
    first, second = register(meeting, 1), register(meeting, 2)
    token = manage_token(second)
    sessions.set_choices(first, [workshop.id])
    db.session.commit()
    response = client.post(f"/manage/{token}/sessions", data={"sessions": [str(workshop.id)]})
    assert response.status_code == 409
    assert "“Tiny workshop” is full." in response.get_data(as_text=True)
    assert picks(second) == []


def test_an_unknown_or_revoked_link_is_not_found(client, meeting):
    db.session.commit()
    registration = register(meeting, 1)
    token = manage_token(registration)
    from mipevents.people.services import revoke_tokens
    revoke_tokens(registration.person, "manage")
    db.session.commit()
    assert client.get(f"/manage/{token}/sessions").status_code == 404
    assert client.get("/manage/not-a-token/sessions").status_code == 404


def test_the_page_has_a_constant_number_of_queries(client, meeting, make_item, count_queries):
    for hour in range(8, 18):
        make_item(meeting, at=day(meeting, hour), minutes=50, kind="workshop", capacity=30)
    db.session.commit()
    registration = register(meeting, 1)
    token = manage_token(registration)
    client.get(f"/manage/{token}/sessions")
    with count_queries() as few:
        client.get(f"/manage/{token}/sessions")
    for hour in range(8, 18):
        make_item(meeting, at=day(meeting, hour, 30), minutes=20, kind="panel")
    db.session.commit()
    client.get(f"/manage/{token}/sessions")
    with count_queries() as many:
        client.get(f"/manage/{token}/sessions")
    assert few.count == many.count, "\n".join(few.statements) + "\n=====\n" + "\n".join(many.statements)
    assert db.session.execute(select(func.count()).select_from(Registration)).scalar_one() == 1


def test_a_site_visit_ticked_on_the_form_is_pointed_out_until_it_is_picked(client, meeting, make_item):
    tour = make_item(meeting, at=day(meeting, 15), kind="tour", title="Site visit", capacity=12)
    db.session.commit()
    registration = register(meeting, 1, extras=[tour.id])
    token = manage_token(registration)
    hint = "You said yes to this on the registration form: tick it here too to hold a place."
    assert hint in client.get(f"/manage/{token}/sessions").get_data(as_text=True)
    client.post(f"/manage/{token}/sessions", data={"sessions": [str(tour.id)]})
    assert hint not in client.get(f"/manage/{token}/sessions").get_data(as_text=True)
    assert picks(registration) == [tour.id]
