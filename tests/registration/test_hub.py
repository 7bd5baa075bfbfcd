"""Staff's registrations hub: meetings and webinars together, a search across every registrant
(server-side, paginated), per-person actions on both kinds of event, and an email to a meeting's
registrants by status and type through the outbox."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from mipevents.accounts.models import AuditEntry
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration
from tests.support.hostile import PROPERTY, form_body, kept, spoiled, text

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
    # One click only asks: the confirmation page says what happens, and only its own button cancels.
    for asked in (client.get(f"/staff/registrations/{first.id}/cancel?next=/staff/registrations/%3Fq%3Dfirst"),
                  client.post(f"/staff/registrations/{first.id}/cancel", data={"next": "/staff/registrations/?q=first"})):
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "<h1>Cancel the registration of First1 Last01?</h1>" in page
        assert '<input type="hidden" name="confirm" value="yes">' in page and 'href="/staff/registrations/?q=first">No, keep it' in page
    assert statuses() == ["confirmed", "confirmed", "waitlisted"]
    response = client.post(f"/staff/registrations/{first.id}/cancel", data={"next": "/staff/registrations/?q=first",
                                                                           "confirm": "yes"})
    assert (response.status_code, response.headers["Location"]) == (303, "/staff/registrations/?q=first")
    already = client.get(f"/staff/registrations/{first.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "The registration of First1 Last01 is already cancelled." in already
    assert statuses() == ["cancelled", "confirmed", "confirmed"]
    assert kinds()[-2:] == [("registration_cancelled", "p1@example.org"), ("registration_promoted", "p3@example.org")]
    assert client.post(f"/staff/registrations/{third.id}/resend").status_code == 303
    resent = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    assert (resent.kind, resent.to_email, resent.context["resent"]) == ("registration_received", "p3@example.org", True)
    refused = client.post(f"/staff/registrations/{first.id}/resend", follow_redirects=True).get_data(as_text=True)
    assert "A cancelled or declined registration has no confirmation to resend." in refused
    assert client.post("/staff/registrations/99999/cancel", data={"confirm": "yes"}).status_code == 404
    assert [e.action for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
            if e.action.startswith("registration.")] == ["registration.cancel", "registration.resend"]


def test_a_cancelled_or_declined_registration_is_reinstated_from_the_hub(client, login_as, meeting):
    first, _, _ = register(meeting, 1), register(meeting, 2), register(meeting, 3)
    partner = register(meeting, 4, role="partner")
    login_as("staff")
    client.post(f"/staff/registrations/{first.id}/cancel", data={"confirm": "yes"})
    services.decline(db.session.get(Registration, partner.id))
    db.session.commit()
    assert statuses() == ["cancelled", "confirmed", "confirmed", "declined"]      # the third moved up
    page = client.get(f"/staff/meetings/{meeting.id}/registrations/?status=cancelled").get_data(as_text=True)
    assert f'action="/staff/registrations/{first.id}/reinstate"' in page
    # Registration has closed since: staff still reinstate (a cancellation by mistake).
    db.session.get(Meeting, meeting.id).registration_closes_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    done = client.post(f"/staff/registrations/{first.id}/reinstate", data={"next": "/staff/registrations/?q=first"})
    assert (done.status_code, done.headers["Location"]) == (303, "/staff/registrations/?q=first")
    assert "First1 Last01 is registered again: waitlisted. They were emailed." in client.get("/staff/registrations/?q=first") \
        .get_data(as_text=True)
    assert statuses() == ["waitlisted", "confirmed", "confirmed", "declined"]     # the seat they held went on
    assert kinds()[-1] == ("registration_received", "p1@example.org")
    client.post(f"/staff/registrations/{partner.id}/reinstate")
    assert statuses() == ["waitlisted", "confirmed", "confirmed", "pending"]      # their role still needs approval
    again = client.post(f"/staff/registrations/{first.id}/reinstate", follow_redirects=True).get_data(as_text=True)
    assert "This registration is not cancelled." in again
    assert statuses() == ["waitlisted", "confirmed", "confirmed", "pending"]
    assert [e.summary for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
            if e.action == "registration.reinstate"] == ["Reinstated the registration of First1 Last01 (waitlisted)",
                                                         "Reinstated the registration of First4 Last04 (awaiting approval)"]
    assert client.post("/staff/registrations/99999/reinstate").status_code == 404


def test_seating_from_the_waitlist_never_passes_the_capacity_silently(client, login_as, meeting):
    register(meeting, 1), register(meeting, 2)
    waiting, next_in_line = register(meeting, 3), register(meeting, 4)
    login_as("staff")
    refused = client.post(f"/staff/registrations/{waiting.id}/promote", data={"next": "/staff/registrations/?q=first"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "All 2 seats are taken, so First3 Last03 stays on the waitlist." in page
    assert '<input type="hidden" name="capacity" value="3">' in page
    assert "Raise the capacity to 3 and seat First3 Last03</button>" in page
    assert statuses() == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    raised = client.post(f"/staff/registrations/{waiting.id}/promote", data={"capacity": "3"}, follow_redirects=True)
    assert "First3 Last03 is confirmed and was emailed. The capacity is now 3." in raised.get_data(as_text=True)
    assert statuses() == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert db.session.get(Meeting, meeting.id).capacity == 3
    assert kinds()[-1] == ("registration_promoted", "p3@example.org")
    # The same "raise to 3" sent again (a stale page, another tab) seats nobody past the capacity.
    stale = client.post(f"/staff/registrations/{next_in_line.id}/promote", data={"capacity": "3"})
    assert stale.status_code == 409 and "raise the capacity to 4" in stale.get_data(as_text=True)
    assert statuses() == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert db.session.get(Meeting, meeting.id).capacity == 3
    again = client.post(f"/staff/registrations/{waiting.id}/promote", follow_redirects=True).get_data(as_text=True)
    assert "Only a waitlisted registration can be moved into a seat." in again
    audit = [(e.action, e.before, e.after) for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
             if e.action in ("registration.capacity", "registration.promote")]
    assert audit == [("registration.capacity", {"capacity": 2}, {"capacity": 3}), ("registration.promote", None, None)]


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


def send_key(html):
    return re.search(r'name="send_key" type="hidden" value="([^"]+)"', html).group(1)


def test_email_a_meetings_registrants_is_previewed_then_sent_once(client, login_as, meeting):
    register(meeting, 1), register(meeting, 2, role="city_staff")
    register(meeting, 3, scheduler_email="aide@elm.gov")       # waitlisted, registered by her aide
    register(meeting, 4, role="partner")       # pending
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/message"
    assert client.get(url).status_code == 200
    before = len(kinds())
    empty = client.post(url, data={"subject": "Hotel", "body": "Book by Friday."})
    assert empty.status_code == 422 and "Choose who gets it." in empty.get_data(as_text=True)
    chosen = {"subject": "Hotel", "body": "Book by Friday.", "statuses": ["confirmed", "waitlisted"], "types": ["mayor"]}
    preview = client.post(url, data={**chosen, "action": "send"})          # no key yet: a preview, nothing sent
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and len(kinds()) == before
    assert "Preview: 2 people get this email" in page
    assert "<p>To: First1 Last01 &lt;p1@example.org&gt;, First3 Last03 &lt;p3@example.org&gt;.</p>" in re.sub(r"\s+", " ", page)
    assert "Dear First1,\n\nBook by Friday.\n" in page and "[their own private link]" in page
    key = send_key(page)
    # Edited after the preview: previewed again, not sent.
    edited = client.post(url, data={**chosen, "body": "Book by Thursday.", "send_key": key, "action": "send"})
    assert edited.status_code == 200 and "The message changed since its last preview" in edited.get_data(as_text=True)
    assert len(kinds()) == before
    sent = client.post(url, data={**chosen, "send_key": key, "action": "send"}, follow_redirects=True)
    assert "Your message is queued for 2 people." in sent.get_data(as_text=True)
    assert kinds()[before:] == [("registration_message", "p1@example.org"), ("registration_message", "p3@example.org")]
    twice = client.post(url, data={**chosen, "send_key": key, "action": "send"}, follow_redirects=True)
    assert "This message was already sent: it was not sent again." in twice.get_data(as_text=True)
    assert len(kinds()) == before + 2
    # The same message again, now with a copy to each scheduler: a new preview, a new key.
    with_aides = client.post(url, data={**chosen, "to_schedulers": "y"}).get_data(as_text=True)
    assert "And a copy to 1 scheduler, who read it addressed to them" in with_aides
    client.post(url, data={**chosen, "to_schedulers": "y", "send_key": send_key(with_aides), "action": "send"})
    copies = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()[-3:]
    assert [(m.to_email, m.context.get("to_scheduler", False)) for m in copies] == [
        ("p1@example.org", False), ("p3@example.org", False), ("aide@elm.gov", True)]
    aide = db.session.execute(select(Registration).where(Registration.email == "p3@example.org")).scalar_one()
    assert copies[-1].person_id == aide.scheduler_person_id is not None
    from mipevents.registration.emails import build_registration_message
    built = build_registration_message(copies[-1])
    assert (built.subject, "gave your address as their scheduler" in built.text, "/manage/" in built.text) == (
        "Hotel", True, True)
    pending = client.post(url, data={"subject": "Approval", "body": "Soon.", "statuses": ["pending"]}).get_data(as_text=True)
    client.post(url, data={"subject": "Approval", "body": "Soon.", "statuses": ["pending"], "send_key": send_key(pending),
                           "action": "send"})
    assert kinds()[-1] == ("registration_message", "p4@example.org")
    assert [e.summary for e in db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "meeting.message_registrants").order_by(AuditEntry.id)).scalars()] == [
        "Emailed 2 registrants: Hotel", "Emailed 3 registrants: Hotel", "Emailed 1 registrants: Approval"]


def test_staff_edit_a_meeting_registration_but_never_its_email(client, login_as, meeting):
    rosa = register(meeting, 1, first_name="Rosa", last_name="Alvarez")
    login_as("staff")
    url = f"/staff/registrations/{rosa.id}/edit"
    form = client.get(url + "?next=/staff/registrations/%3Fq%3Drosa").get_data(as_text=True)
    assert 'name="first_name" required type="text" value="Rosa"' in form and 'name="dietary_needs"' in form
    assert 'name="question"' not in form and 'name="email"' not in form
    changes = {"role": "city_staff", "first_name": "Rosa", "last_name": "Álvarez", "title": "Deputy mayor",
               "organization": "City 1", "city": "Elm", "state": "IA", "phone": "+1 555 0100", "dietary_needs": "Vegan",
               "accessibility_needs": "", "email": "someone@else.org", "next": "/staff/registrations/?q=rosa"}
    saved = client.post(url, data=changes)
    assert (saved.status_code, saved.headers["Location"]) == (303, "/staff/registrations/?q=rosa")
    db.session.expire_all()
    rosa = db.session.get(Registration, rosa.id)
    assert (rosa.role, rosa.last_name, rosa.title, rosa.phone, rosa.dietary_needs, rosa.email, rosa.status) == (
        "city_staff", "Álvarez", "Deputy mayor", "+1 555 0100", "Vegan", "p1@example.org", "confirmed")
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "registration.edit")).scalar_one()
    assert entry.before == {"role": "mayor", "last_name": "Alvarez", "title": "Mayor", "phone": "", "dietary_needs": ""}
    for elsewhere in ("//evil.example/", "/\\evil.example", "/staff/\r\nSet-Cookie: x=1", "https://evil.example/"):
        away = client.post(url, data={**changes, "next": elsewhere})
        assert (away.status_code, away.headers["Location"]) == (303, "/staff/registrations/")
    bad = client.post(url, data={**changes, "first_name": "", "last_name": "Al\nvarez", "role": "emperor"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Enter the first name." in page and "Not a valid choice." in page
    db.session.expire_all()
    assert db.session.get(Registration, rosa.id).first_name == "Rosa"


def test_staff_edit_a_webinar_registration(client, login_as, make_webinar):
    webinar = make_webinar(title="Heat webinar")
    db.session.commit()
    lind = register(webinar, 2, first_name="Rosa", last_name="Lind")
    login_as("staff")
    form = client.get(f"/staff/registrations/{lind.id}/edit").get_data(as_text=True)
    assert 'name="question"' in form and 'name="dietary_needs"' not in form
    client.post(f"/staff/registrations/{lind.id}/edit", data={"role": "partner", "first_name": "Rosa", "last_name": "Lind",
                                                               "question": "Slides?"})
    db.session.expire_all()
    assert (db.session.get(Registration, lind.id).role, db.session.get(Registration, lind.id).question) == ("partner", "Slides?")


def test_the_hub_filters_by_status_type_and_kind_with_bounded_pages(client, login_as, meeting, make_webinar):
    webinar = make_webinar(title="Heat webinar", capacity=None)
    db.session.commit()
    register(meeting, 1), register(meeting, 2), register(meeting, 3), register(meeting, 4, role="partner")
    register(webinar, 5, role="city_staff")
    login_as("staff")

    def names(query):
        page = client.get("/staff/registrations/?" + query)
        assert page.status_code == 200
        return re.findall(r"<td><strong>([^<]+)</strong>", page.get_data(as_text=True))
    assert names("status=waitlisted") == ["First3 Last03"]
    assert names("status=pending") == ["First4 Last04"]
    assert names("kind=webinar") == ["First5 Last05"]
    assert names("type=city_staff&kind=meeting") == []
    assert names("q=first&type=mayor&status=confirmed") == ["First2 Last02", "First1 Last01"]
    assert names("status=nonsense") == []       # an unknown filter is no filter: the list is not shown
    for page in ("0", "-1", "abc", "99999999999999999999", "7"):
        assert names(f"q=first&page={page}") == [f"First{n} Last0{n}" for n in (5, 4, 3, 2, 1)]


def test_the_hub_is_for_staff_only(client, login_as, meeting):
    first, waiting = register(meeting, 1), None
    register(meeting, 2)
    waiting = register(meeting, 3)
    posts = [(f"/staff/registrations/{first.id}/cancel", {"confirm": "yes"}), (f"/staff/registrations/{first.id}/resend", {}),
             (f"/staff/registrations/{waiting.id}/promote", {"capacity": "9"}),
             (f"/staff/registrations/{waiting.id}/approve", {}),
             (f"/staff/registrations/{first.id}/reinstate", {}),
             (f"/staff/registrations/{first.id}/edit", {"first_name": "X", "last_name": "Y", "role": "guest"}),
             (f"/staff/meetings/{meeting.id}/registrations/message", {"subject": "S", "body": "B", "statuses": ["confirmed"]})]
    before = len(kinds())
    for url, data in posts:
        response = client.post(url, data=data)
        assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/staff/login"), url
    assert client.get("/staff/registrations/?q=first").status_code == 302
    login_as("reviewer")
    assert client.get("/staff/registrations/?q=first").status_code == 403
    assert client.get(f"/staff/registrations/{first.id}/edit").status_code == 403
    for url, data in posts:
        assert client.post(url, data=data).status_code == 403, url
    assert statuses() == ["confirmed", "confirmed", "waitlisted"] and len(kinds()) == before
    assert db.session.get(Meeting, meeting.id).capacity == 2
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action.like("registration%"))).first() is None


def test_the_hub_actions_need_their_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from mipevents.accounts.services import create_user
        meeting = Meeting(slug="csrf", name="Csrf", kind="summer", status="published", starts_on=TODAY + timedelta(days=9),
                          ends_on=TODAY + timedelta(days=10), timezone="America/Chicago", capacity=1)
        db.session.add(meeting)
        create_user("csrf@mipevents.test", "correct horse battery staple", role="staff", name="Staff")
        db.session.commit()
        first, waiting = register(meeting, 1), register(meeting, 2)
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True))
        assert client.post("/staff/login", data={"email": "csrf@mipevents.test", "password": "correct horse battery staple",
                                                 "csrf_token": token.group(1)}).status_code == 302
        for url, data in [(f"/staff/registrations/{first.id}/cancel", {"confirm": "yes"}), (f"/staff/registrations/{waiting.id}/promote",
                                                                            {"capacity": "2"}),
                          (f"/staff/registrations/{first.id}/resend", {}),
                          (f"/staff/registrations/{first.id}/reinstate", {}),
                          (f"/staff/registrations/{first.id}/edit", {"first_name": "X", "last_name": "Y", "role": "guest"}),
                          (f"/staff/meetings/{meeting.id}/registrations/{waiting.id}/badge", {})]:
            assert client.post(url, data=data).status_code == 400, url
        assert statuses() == ["confirmed", "waitlisted"]
        assert db.session.get(Meeting, meeting.id).capacity == 1


@settings(PROPERTY, max_examples=20)
@given(st.data())
def test_hostile_values_in_the_staff_edit_form_answer_4xx_or_read_back(client, login_as, meeting, data):
    if not hasattr(client, "rosa"):
        client.rosa = register(meeting, 1, first_name="Rosa", last_name="Alvarez")
        login_as("staff")
    rosa = client.rosa
    valid = {"role": "mayor", "first_name": "Rosa", "last_name": "Alvarez", "title": "Mayor", "organization": "City",
             "city": "Elm", "state": "IA", "phone": "+1 555 0100", "dietary_needs": "Vegan", "accessibility_needs": ""}
    values = spoiled(data, valid, {name: text() for name in valid if name != "role"} | {"role": text()})
    response = client.post(f"/staff/registrations/{rosa.id}/edit", data=form_body(values),
                           content_type="application/x-www-form-urlencoded")
    event(f"answered {response.status_code}")
    assert response.status_code in (303, 422)
    db.session.expire_all()
    saved = db.session.get(Registration, rosa.id)
    if response.status_code == 303:
        assert (saved.first_name, saved.last_name, saved.organization, saved.dietary_needs) == (
            kept(values["first_name"]).strip(), kept(values["last_name"]).strip(), kept(values["organization"]).strip(),
            kept(values["dietary_needs"], multiline=True).strip())
        page = client.get("/staff/registrations/?status=confirmed").get_data(as_text=True)
        assert str(escape(saved.name)) in page
    assert saved.email == "p1@example.org" and saved.status == "confirmed"


def test_a_webinars_list_is_paged_by_the_database_with_places_in_line(client, login_as, make_webinar):
    from sqlalchemy import insert

    from mipevents.people.models import Person
    webinar = make_webinar(title="Heat webinar", capacity=1)
    db.session.commit()
    register(webinar, 1), register(webinar, 2), register(webinar, 3)
    people = db.session.execute(insert(Person).returning(Person.id), [
        {"email": f"crowd{n}@example.org", "name": f"Crowd {n}"} for n in range(99)]).scalars().all()
    db.session.execute(insert(Registration), [
        {"person_id": pid, "webinar_id": webinar.id, "status": "confirmed", "role": "guest", "first_name": "Crowd",
         "last_name": f"{n:02d}", "email": f"crowd{n}@example.org"} for n, pid in enumerate(people)])
    db.session.commit()
    login_as("staff")
    url = f"/staff/webinars/{webinar.id}/registrants"
    first = client.get(url).get_data(as_text=True)
    assert first.count("Confirmed</td>") == 100 and "Waitlisted" not in first and "Page 1 of 2 (1–100 of 102)" in first
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert re.findall(r"<td>(First\d) Last0\d<", second) == ["First2", "First3"]
    assert "Waitlisted (#1)" in second and "Waitlisted (#2)" in second
    assert client.get(url + "?page=9").get_data(as_text=True).count("Waitlisted (#") == 2
    found = client.get(url + "?q=first3").get_data(as_text=True)
    assert re.findall(r"<td>(First\d) Last0\d<", found) == ["First3"] and "Waitlisted (#2)" in found
