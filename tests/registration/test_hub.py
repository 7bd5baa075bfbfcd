"""Staff's registrations hub: meetings and webinars together, a search across every registrant
(server-side, paginated), per-person actions on both kinds of event, and an email to a meeting's
registrants by status and type through the outbox."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mipevents.accounts.models import AuditEntry
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n:02d}", "email": f"p{n}@example.org", "role": "mayor",
         "city": "Elm", "state": "IA", "title": "Mayor", "organization": f"City {n}", "consent": True}
    v.update(over)
    return v


@pytest.fixture
def meeting(make_meeting):
    meeting = make_meeting(name="Winter Meeting", starts_on=TODAY + timedelta(days=10),
                           ends_on=TODAY + timedelta(days=11), capacity=2, approval_roles=["partner"])
    db.session.commit()
    return meeting


def register(event, n, **over):
    registration = services.register(event, values(n, **over)).registration
    db.session.commit()
    return registration


def statuses():
    db.session.expire_all()
    return [r.status for r in db.session.execute(select(Registration).order_by(Registration.id)).scalars()]


def kinds():
    return [(m.kind, m.to_email) for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def test_the_hub_lists_meetings_and_webinars_and_finds_registrants_of_both(client, login_as, meeting, make_webinar):
    webinar = make_webinar(title="Heat webinar")
    db.session.commit()
    register(meeting, 1, first_name="Rosa", last_name="Alvarez")
    register(webinar, 2, first_name="Rosa", last_name="Lind")
    register(meeting, 3, first_name="Tom", last_name="Berg")
    login_as("staff")
    page = client.get("/staff/registrations/").get_data(as_text=True)
    assert ">Winter Meeting</a>" in page and ">Heat webinar</a>" in page
    found = client.get("/staff/registrations/?q=rosa").get_data(as_text=True)
    assert "2 registrations match “rosa”" in found
    assert "Rosa Alvarez" in found and "Rosa Lind" in found and "Tom Berg" not in found
    assert "Cancel<span class=\"visually-hidden\"> the registration of Rosa Lind</span>" in found
    assert "1 registration matches “rosa alv”" in client.get("/staff/registrations/?q=rosa+alv").get_data(as_text=True)
    assert "0 registrations match “50%”" in client.get("/staff/registrations/?q=50%25").get_data(as_text=True)


def test_the_hub_search_is_paginated_on_the_server(client, login_as, make_meeting):
    big = make_meeting(starts_on=TODAY + timedelta(days=10), ends_on=TODAY + timedelta(days=11), capacity=None)
    db.session.commit()
    for n in range(1, 53):
        services.register(big, values(n))
    db.session.commit()
    login_as("staff")
    first = client.get("/staff/registrations/?q=first").get_data(as_text=True)
    assert "52 registrations match" in first and "Page 1 of 2" in first
    assert first.count("Resend confirmation<span") == 50
    second = client.get("/staff/registrations/?q=first&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count("Resend confirmation<span") == 2


def test_the_meeting_list_searches_on_the_server(client, login_as, meeting):
    register(meeting, 1, first_name="Rosa", last_name="Alvarez")
    register(meeting, 2, first_name="Tom", last_name="Berg", email="tom@berg.gov")
    login_as("staff")
    page = client.get(f"/staff/meetings/{meeting.id}/registrations/?q=berg.gov").get_data(as_text=True)
    assert "1 registration match." in page and "Tom Berg" in page and "Rosa Alvarez" not in page


def test_cancel_and_resend_from_the_hub(client, login_as, meeting):
    first, _, third = register(meeting, 1), register(meeting, 2), register(meeting, 3)
    assert statuses() == ["confirmed", "confirmed", "waitlisted"]
    login_as("staff")
    response = client.post(f"/staff/registrations/{first.id}/cancel", data={"next": "/staff/registrations/?q=first"})
    assert (response.status_code, response.headers["Location"]) == (303, "/staff/registrations/?q=first")
    assert statuses() == ["cancelled", "confirmed", "confirmed"]
    assert kinds()[-2:] == [("registration_cancelled", "p1@example.org"), ("registration_promoted", "p3@example.org")]
    assert client.post(f"/staff/registrations/{third.id}/resend").status_code == 303
    resent = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    assert (resent.kind, resent.to_email, resent.context["resent"]) == ("registration_received", "p3@example.org", True)
    refused = client.post(f"/staff/registrations/{first.id}/resend", follow_redirects=True).get_data(as_text=True)
    assert "A cancelled or declined registration has no confirmation to resend." in refused
    assert client.post("/staff/registrations/99999/cancel").status_code == 404
    assert [e.action for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
            if e.action.startswith("registration.")] == ["registration.cancel", "registration.resend"]


def test_seating_from_the_waitlist_never_passes_the_capacity_silently(client, login_as, meeting):
    register(meeting, 1), register(meeting, 2)
    waiting = register(meeting, 3)
    login_as("staff")
    refused = client.post(f"/staff/registrations/{waiting.id}/promote", follow_redirects=True).get_data(as_text=True)
    assert "2 of 2 seats are taken: raise the capacity to seat them." in refused
    assert statuses() == ["confirmed", "confirmed", "waitlisted"]
    raised = client.post(f"/staff/registrations/{waiting.id}/promote", data={"raise_capacity": "1"},
                         follow_redirects=True).get_data(as_text=True)
    assert "First3 Last03 is confirmed and was emailed. The capacity is now 3." in raised
    assert statuses() == ["confirmed"] * 3
    assert db.session.get(Meeting, meeting.id).capacity == 3
    assert kinds()[-1] == ("registration_promoted", "p3@example.org")
    again = client.post(f"/staff/registrations/{waiting.id}/promote", follow_redirects=True).get_data(as_text=True)
    assert "Only a waitlisted registration can be moved into a seat." in again


def test_a_free_seat_takes_a_waitlisted_person_without_raising(client, login_as, meeting):
    register(meeting, 1), register(meeting, 2)
    waiting = register(meeting, 3)
    meeting = db.session.get(Meeting, meeting.id)
    meeting.capacity = 3   # raised elsewhere without filling the seat
    db.session.commit()
    login_as("staff")
    client.post(f"/staff/registrations/{waiting.id}/promote")
    assert statuses() == ["confirmed"] * 3 and db.session.get(Meeting, meeting.id).capacity == 3


def test_approve_from_the_hub(client, login_as, meeting):
    partner = register(meeting, 1, role="partner")
    assert statuses() == ["pending"]
    login_as("staff")
    page = client.get(f"/staff/meetings/{meeting.id}/registrations/").get_data(as_text=True)
    assert f'action="/staff/registrations/{partner.id}/approve"' in page
    client.post(f"/staff/registrations/{partner.id}/approve")
    assert statuses() == ["confirmed"]


def test_email_a_meetings_registrants_by_status_and_type(client, login_as, meeting):
    register(meeting, 1), register(meeting, 2, role="city_staff")
    register(meeting, 3)                       # waitlisted
    register(meeting, 4, role="partner")       # pending
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/message"
    assert client.get(url).status_code == 200
    before = len(kinds())
    empty = client.post(url, data={"subject": "Hotel", "body": "Book by Friday."})
    assert empty.status_code == 422 and "Choose who gets it." in empty.get_data(as_text=True)
    response = client.post(url, data={"subject": "Hotel", "body": "Book by Friday.",
                                      "statuses": ["confirmed", "waitlisted"], "types": ["mayor"]})
    assert response.status_code == 303
    assert kinds()[before:] == [("registration_message", "p1@example.org"), ("registration_message", "p3@example.org")]
    client.post(url, data={"subject": "Approval", "body": "Soon.", "statuses": ["pending"]})
    assert kinds()[-1] == ("registration_message", "p4@example.org")


def test_the_hub_is_for_staff_only(client, meeting):
    registration = register(meeting, 1)
    assert client.get("/staff/registrations/?q=first").status_code == 302
    assert client.post(f"/staff/registrations/{registration.id}/cancel").status_code in (302, 400)
    assert statuses() == ["confirmed"]
