"""Staff pages for webinars and their registrants: create and edit in the webinar's own zone,
publish, cancel, registrants with search and counts, CSV export, the attendance import from the
platform's report, and a message to every registrant through the outbox."""
import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration
from mipevents.webinars.models import Webinar

# The layout of the platform's attendee report: a summary, then host, panelist and attendee sections;
# a rejoin is a second row, emails come in any case, a device joins with no name or email, and a
# walk-in never registered here.
REPORT = Path(__file__).resolve().parent / "attendance-report.csv"


def person(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
         "organization": f"City {n}", "consent": True}
    v.update(over)
    return v


def webinar_form(**over):
    data = {"title": "Housing first", "slug": "housing-first", "day": "2031-02-10", "starts": "12:00", "ends": "13:00",
            "timezone": "America/Chicago", "description": "Why.", "presenters": "Mayor A", "capacity": "50",
            "join_url": "https://meet.example.org/j/1", "closes_day": "", "closes_time": ""}
    data.update(over)
    return data


def test_staff_pages_need_a_staff_sign_in(client, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    for url in ("/staff/webinars/", "/staff/webinars/new", f"/staff/webinars/{webinar.id}/edit",
                f"/staff/webinars/{webinar.id}/registrants", f"/staff/webinars/{webinar.id}/registrants.csv",
                f"/staff/webinars/{webinar.id}/attendance", f"/staff/webinars/{webinar.id}/message",
                "/staff/registrations/"):
        response = client.get(url)
        assert (url, response.status_code) == (url, 302)
        assert "/staff/login" in response.headers["Location"]


def test_reviewers_are_refused(client, login_as, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    login_as("reviewer")
    assert client.get(f"/staff/webinars/{webinar.id}/registrants").status_code == 403


def test_creating_a_webinar_takes_local_time_in_its_zone_and_starts_as_a_draft(client, login_as):
    login_as("staff")
    response = client.post("/staff/webinars/new", data=webinar_form(closes_day="2031-02-09", closes_time="17:00"))
    assert response.status_code == 303
    webinar = db.session.execute(select(Webinar)).scalar_one()
    assert (webinar.status, webinar.starts_at, webinar.ends_at, webinar.registration_closes_at, webinar.capacity) == (
        "draft", datetime(2031, 2, 10, 18, 0, tzinfo=UTC), datetime(2031, 2, 10, 19, 0, tzinfo=UTC),
        datetime(2031, 2, 9, 23, 0, tzinfo=UTC), 50)
    assert client.get("/webinars/housing-first/").status_code == 404
    assert client.post(f"/staff/webinars/{webinar.id}/publish").status_code == 303
    assert client.get("/webinars/housing-first/").status_code == 200


def test_bad_webinar_input_is_422_next_to_the_field(client, login_as, make_webinar):
    taken = make_webinar(slug="taken")
    db.session.commit()
    login_as("staff")
    ends_first = client.post("/staff/webinars/new", data=webinar_form(ends="11:00"))
    assert ends_first.status_code == 422
    assert "The webinar must end after it starts (same day)." in ends_first.get_data(as_text=True)
    same_slug = client.post("/staff/webinars/new", data=webinar_form(slug=taken.slug))
    assert same_slug.status_code == 422
    assert "The address /webinars/taken/ is already used by another webinar." in same_slug.get_data(as_text=True)
    assert db.session.execute(select(Webinar.slug)).scalars().all() == ["taken"]


def test_editing_a_published_webinar_raises_its_sequence_and_cancel_keeps_it_visible(client, login_as, make_webinar):
    webinar = make_webinar(slug="budget", starts_at=datetime(2031, 2, 10, 18, 0, tzinfo=UTC))
    db.session.commit()
    before = webinar.sequence
    login_as("staff")
    form = client.get(f"/staff/webinars/{webinar.id}/edit").get_data(as_text=True)
    assert 'value="12:00"' in form and 'value="2031-02-10"' in form
    moved = client.post(f"/staff/webinars/{webinar.id}/edit",
                        data=webinar_form(slug="budget", title=webinar.title, starts="13:00", ends="14:00"))
    assert moved.status_code == 303
    db.session.refresh(webinar)
    assert (webinar.starts_at, webinar.sequence) == (datetime(2031, 2, 10, 19, 0, tzinfo=UTC), before + 1)
    assert client.post(f"/staff/webinars/{webinar.id}/cancel").status_code == 303
    db.session.refresh(webinar)
    assert (webinar.status, webinar.sequence) == ("cancelled", before + 2)
    assert "This webinar is cancelled." in client.get("/webinars/budget/").get_data(as_text=True)


def test_registrants_with_counts_search_and_waitlist_places(client, login_as, make_webinar):
    webinar = make_webinar(capacity=2)
    db.session.commit()
    for n in range(5):
        services.register(webinar, person(n, organization="Dubuque" if n == 3 else f"City {n}"))
        db.session.commit()
    first = db.session.execute(select(Registration).order_by(Registration.id)).scalars().first()
    services.cancel(first)
    db.session.commit()
    login_as("staff")
    page = client.get(f"/staff/webinars/{webinar.id}/registrants").get_data(as_text=True)
    assert "<li><strong>2</strong> confirmed</li>" in page
    assert "<li><strong>2</strong> waitlisted</li>" in page
    assert "<li><strong>1</strong> cancelled</li>" in page
    assert "Waitlisted (#1)" in page and "Waitlisted (#2)" in page
    found = client.get(f"/staff/webinars/{webinar.id}/registrants?q=dubuque").get_data(as_text=True)
    assert "person3@example.org" in found and "person4@example.org" not in found
    assert "Waitlisted (#1)" in found


def test_the_csv_export_has_everyone_and_no_formula(client, login_as, make_webinar):
    webinar = make_webinar(capacity=1, slug="export-me")
    db.session.commit()
    services.register(webinar, person(1, organization="=HYPERLINK(\"http://x\")"))
    db.session.commit()
    services.register(webinar, person(2, role="city_staff"))
    db.session.commit()
    login_as("staff")
    response = client.get(f"/staff/webinars/{webinar.id}/registrants.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="export-me-registrants.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["email"], r["status"], r["waitlist_position"], r["role"], r["organization"]) for r in rows] == [
        ("person1@example.org", "Confirmed", "", "Mayor", "'=HYPERLINK(\"http://x\")"),
        ("person2@example.org", "Waitlisted", "1", "City staff", "City 2")]


def test_attendance_import_on_the_platform_report(client, login_as, make_webinar):
    webinar = make_webinar(capacity=50)
    db.session.commit()
    for n in (0, 9, 18, 27, 36, 45):
        services.register(webinar, person(n))
        db.session.commit()
    login_as("staff")
    data = REPORT.read_bytes()
    response = client.post(f"/staff/webinars/{webinar.id}/attendance",
                           data={"report": (io.BytesIO(data), "attendance-report.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Read 8 attendee rows. Matched <strong>5</strong> registrants; <strong>2</strong> rows matched nobody." in page
    assert "<td>(no name)</td>" not in page and "<td>Galaxy Tab</td><td>(no email)</td><td>6</td>" in page
    assert "<td>Drop-in Visitor</td><td>dropin@example.net</td><td>57</td>" in page
    minutes = dict(db.session.execute(
        select(Registration.email, Registration.attended_minutes).order_by(Registration.id)).all())
    assert minutes == {"person0@example.org": 59, "person9@example.org": 60, "person18@example.org": 24,
                       "person27@example.org": 0, "person36@example.org": 59, "person45@example.org": None}
    # The same report again gives the same numbers (rejoins are summed once, not added up twice).
    client.post(f"/staff/webinars/{webinar.id}/attendance",
                data={"report": (io.BytesIO(data), "attendance-report.csv")}, content_type="multipart/form-data")
    again = dict(db.session.execute(select(Registration.email, Registration.attended_minutes)).all())
    assert again == minutes


def test_a_file_that_is_not_a_report_is_422_and_changes_nothing(client, login_as, make_webinar):
    webinar = make_webinar()
    db.session.commit()
    login_as("staff")
    response = client.post(f"/staff/webinars/{webinar.id}/attendance",
                           data={"report": (io.BytesIO(b"name,email\nA,a@b.org\n"), "other.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "We could not read this file" in response.get_data(as_text=True)
    assert client.post(f"/staff/webinars/{webinar.id}/attendance", data={}).status_code == 422


def test_a_message_to_all_registrants_goes_through_the_outbox(client, login_as, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    for n in range(3):
        services.register(webinar, person(n))
        db.session.commit()
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    login_as("staff")
    url = f"/staff/webinars/{webinar.id}/message"
    message = {"subject": "New link", "body": "The link changed.\n\nSee you soon."}
    preview = client.post(url, data={**message, "action": "send"})        # no key yet: a preview, nothing sent
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Preview: 1 person gets this email" in page
    assert "The link changed.\n\nSee you soon." in page and "[their own private link]" in page
    assert db.session.execute(select(OutboxMessage)).scalars().all() == []
    key = re.search(r'name="send_key" type="hidden" value="([^"]+)"', page).group(1)
    edited = client.post(url, data={**message, "include_waitlisted": "y", "send_key": key, "action": "send"})
    assert "The message changed since its last preview" in edited.get_data(as_text=True)
    for _ in range(2):                                                      # a double submit sends it once
        response = client.post(url, data={**message, "send_key": key, "action": "send"})
        assert response.status_code == 303
    rows = db.session.execute(select(OutboxMessage)).scalars().all()
    assert [(m.kind, m.to_email, m.context["subject"]) for m in rows] == [
        ("registration_message", "person0@example.org", "New link")]
    both = client.post(url, data={"subject": "Waitlist too", "body": "Hello.", "include_waitlisted": "y"})
    assert "Preview: 3 people get this email" in both.get_data(as_text=True)
    client.post(url, data={"subject": "Waitlist too", "body": "Hello.", "include_waitlisted": "y", "action": "send",
                           "send_key": re.search(r'name="send_key" type="hidden" value="([^"]+)"',
                                                 both.get_data(as_text=True)).group(1)})
    assert len(db.session.execute(select(OutboxMessage)).scalars().all()) == 4
    assert client.post(url, data={"subject": "", "body": ""}).status_code == 422


def test_the_registrants_page_takes_a_constant_number_of_queries(client, login_as, make_webinar, count_queries):
    small = make_webinar(capacity=100)
    big = make_webinar(capacity=100)
    db.session.commit()
    services.register(small, person(0))
    for n in range(1, 25):
        services.register(big, person(n))
    db.session.commit()
    login_as("staff")
    urls = [f"/staff/webinars/{w.id}/registrants" for w in (small, big)]
    counts = []
    for url in urls:
        with count_queries() as q:
            assert client.get(url).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]




def test_more_seats_move_the_first_in_line_up(client, login_as, make_webinar):
    webinar = make_webinar(slug="grow", capacity=1, starts_at=datetime(2031, 2, 10, 18, 0, tzinfo=UTC))
    db.session.commit()
    for n in range(4):
        services.register(webinar, person(n))
        db.session.commit()
    login_as("staff")
    response = client.post(f"/staff/webinars/{webinar.id}/edit",
                           data=webinar_form(slug="grow", title=webinar.title, capacity="3"))
    assert response.status_code == 303
    statuses = db.session.execute(select(Registration.status).order_by(Registration.queued_at, Registration.id)).scalars().all()
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    kinds = [m.kind for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
    assert kinds[-2:] == ["registration_promoted", "registration_promoted"]


def test_every_staff_page_renders_for_staff(client, login_as, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    services.register(webinar, person(1))
    db.session.commit()
    login_as("staff")
    pages = ["/staff/webinars/", "/staff/webinars/new", f"/staff/webinars/{webinar.id}/edit",
             f"/staff/webinars/{webinar.id}/registrants", f"/staff/webinars/{webinar.id}/attendance",
             f"/staff/webinars/{webinar.id}/message", "/staff/registrations/"]
    assert [(url, client.get(url).status_code) for url in pages] == [(url, 200) for url in pages]
    listing = client.get("/staff/webinars/").get_data(as_text=True)
    assert f'href="/staff/webinars/{webinar.id}/registrants"' in listing


def test_staff_cancel_a_registrant_and_the_next_in_line_moves_up(client, login_as, make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    first = services.register(webinar, person(1)).registration
    db.session.commit()
    second = services.register(webinar, person(2)).registration
    db.session.commit()
    first_id, second_id = first.id, second.id
    login_as("staff")
    assert client.post(f"/staff/registrations/{second_id + 100}/cancel", data={"confirm": "yes"}).status_code == 404
    response = client.post(f"/staff/registrations/{first_id}/cancel",
                           data={"next": f"/staff/webinars/{webinar.id}/registrants", "confirm": "yes"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/staff/webinars/{webinar.id}/registrants")
    assert [db.session.get(Registration, i).status for i in (first_id, second_id)] == ["cancelled", "confirmed"]
    cancelled = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "registration_cancelled")).scalar_one()
    assert (cancelled.to_email, cancelled.context["by_staff"]) == ("person1@example.org", True)
    again = client.post(f"/staff/registrations/{first_id}/cancel", data={"confirm": "yes"}, follow_redirects=True)
    assert "This registration is already cancelled." in again.get_data(as_text=True)


def test_a_report_with_nul_surrogate_bytes_and_huge_minutes_is_read_not_a_500(client, login_as, make_webinar):
    webinar = make_webinar()
    services.register(webinar, person(1))
    db.session.commit()
    login_as("staff")
    report = ("Attendee Details\nAttended,User Name (Original Name),Email,Time in Session (minutes)\n"
              "Yes,Eve\x00,person1@example.org\x00,99999999999999999999\n"
              "Yes,A\u2028B,x\x00@example.org,\u00b2\n").encode() + b"Yes,\xed\xa0\x80,y@example.org,5\n"

    response = client.post(f"/staff/webinars/{webinar.id}/attendance",
                           data={"report": (io.BytesIO(report), "report.csv")}, content_type="multipart/form-data")

    assert response.status_code == 200
    assert "Matched <strong>1</strong> registrants" in response.get_data(as_text=True)
    assert db.session.execute(select(Registration.attended_minutes)).scalar_one() == 0
