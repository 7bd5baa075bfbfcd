"""Staff pages for a meeting's registrations: filters by type and status, counts per type and per
session, approve/decline, the CSV for the venue, and the registration settings (capacity raises
promote the waitlist)."""
import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from mipevents.accounts.models import AuditEntry
from mipevents.core.timeutil import wall_clock_to_utc
from mipevents.extensions import db
from mipevents.registration import services, sessions
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()


def values(n, role="mayor", **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n:02d}", "email": f"p{n}@example.org", "role": role, "city": "Elm",
         "state": "IA", "title": "Mayor", "organization": f"City {n}"}
    v.update(over)
    return v


@pytest.fixture
def meeting(make_meeting):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=10), ends_on=TODAY + timedelta(days=11), capacity=3,
                           approval_roles=["partner"])
    db.session.commit()
    return meeting


def register(meeting, n, **over):
    registration = services.register(meeting, values(n, **over)).registration
    db.session.commit()
    return registration


def listed(html):
    return [cell.split("</strong>")[0] for cell in html.split("<td><strong>")[1:]]


def test_the_list_filters_by_type_and_status_and_counts_per_type(client, login_as, meeting):
    register(meeting, 1)
    register(meeting, 2, role="city_staff")
    register(meeting, 3, role="partner")
    register(meeting, 4)
    register(meeting, 5)                       # the fourth seat-taker: waitlisted
    login_as("staff")
    base = f"/staff/meetings/{meeting.id}/registrations/"
    page = client.get(base).get_data(as_text=True)
    assert listed(page) == ["First1 Last01", "First2 Last02", "First3 Last03", "First4 Last04", "First5 Last05"]
    assert '<tr><th scope="row">Mayor</th><td class="num">0</td><td class="num">2</td><td class="num">1</td>' in page
    assert "3 confirmed of 3 seats (0 left)." in page
    assert listed(client.get(base + "?type=mayor").get_data(as_text=True)) == ["First1 Last01", "First4 Last04", "First5 Last05"]
    assert listed(client.get(base + "?status=pending").get_data(as_text=True)) == ["First3 Last03"]
    assert listed(client.get(base + "?type=mayor&status=waitlisted").get_data(as_text=True)) == ["First5 Last05"]


def test_counts_per_session_show_picks_and_who_joins_a_reception(client, login_as, meeting, make_item):
    workshop = make_item(meeting, kind="workshop", capacity=10, title="Budget workshop")
    reception = make_item(meeting, kind="reception", title="Evening reception",
                          at=datetime.combine(meeting.starts_on, time(18, 0)))
    db.session.commit()
    one = register(meeting, 1, extras=[reception.id], extras_asked=True)   # said yes
    register(meeting, 2, extras=[], extras_asked=True)                      # declined
    register(meeting, 3)                                                    # never asked: joins them all
    sessions.set_choices(one, [workshop.id])
    db.session.commit()
    login_as("staff")
    page = client.get(f"/staff/meetings/{meeting.id}/registrations/").get_data(as_text=True)
    assert '<td class="num">1</td><td class="num">10</td><td class="num">—</td>' in page      # the workshop
    assert '<td class="num">0</td><td class="num">—</td><td class="num">2</td>' in page       # the reception


def test_approve_and_decline(client, login_as, meeting):
    partner = register(meeting, 1, role="partner")
    other = register(meeting, 2, role="partner")
    login_as("staff")
    client.post(f"/staff/registrations/{partner.id}/approve",
                data={"next": f"/staff/meetings/{meeting.id}/registrations/?status=pending"})
    response = client.post(f"/staff/meetings/{meeting.id}/registrations/{other.id}/decline", data={"next": "//evil.example/"})
    assert response.headers["Location"] == f"/staff/meetings/{meeting.id}/registrations/"
    db.session.expire_all()
    assert (partner.status, other.status) == ("confirmed", "declined")
    again = client.post(f"/staff/registrations/{other.id}/approve", follow_redirects=True)
    assert "Only a registration awaiting approval can be approved." in again.get_data(as_text=True)
    assert [e.action for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
            if e.action.endswith("_registration")] == ["approve_registration", "decline_registration"]


def test_the_csv_has_needs_sessions_and_is_safe_in_a_spreadsheet(client, login_as, meeting, make_item):
    tour = make_item(meeting, kind="tour", title="Site visit")
    db.session.commit()
    first = register(meeting, 1, dietary_needs="Vegan", accessibility_needs="Step-free access", extras=[tour.id],
                     phone="608 555 0100", scheduler_email="sched@example.org")
    register(meeting, 2, first_name="=HYPERLINK(\"http://x\")")
    sessions.set_choices(first, [tour.id])
    db.session.commit()
    login_as("staff")
    response = client.get(f"/staff/meetings/{meeting.id}/registrations/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{meeting.slug}-registrations.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["first_name"], r["type"], r["status"], r["dietary_needs"], r["accessibility_needs"],
             r["receptions_and_site_visits"], r["sessions"], r["phone"], r["scheduler_email"]) for r in rows] == [
        ("First1", "Mayor", "Confirmed", "Vegan", "Step-free access", "Site visit", "Site visit", "608 555 0100", "sched@example.org"),
        ("'=HYPERLINK(\"http://x\")", "Mayor", "Confirmed", "", "", "", "", "", ""),
    ]


def test_settings_save_in_the_meetings_zone_and_more_seats_promote_the_waitlist(client, login_as, meeting):
    for n in range(1, 6):
        register(meeting, n)
    assert [r.status for r in db.session.execute(select(Registration).order_by(Registration.id)).scalars()] == [
        "confirmed"] * 3 + ["waitlisted"] * 2
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/settings"
    assert client.get(url).status_code == 200
    closes = TODAY + timedelta(days=8)
    response = client.post(url, data={"capacity": "4", "opens_at": "", "closes_at": f"{closes.isoformat()}T17:00",
                                      "approval_roles": ["partner", "guest"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert (meeting.capacity, meeting.approval_roles) == (4, ["partner", "guest"])
    assert meeting.registration_closes_at == wall_clock_to_utc(closes, time(17, 0), "America/New_York")
    assert [r.status for r in db.session.execute(select(Registration).order_by(Registration.id)).scalars()] == [
        "confirmed"] * 4 + ["waitlisted"]


def test_settings_refuse_a_deadline_before_the_opening(client, login_as, meeting):
    login_as("staff")
    response = client.post(f"/staff/meetings/{meeting.id}/registrations/settings",
                           data={"capacity": "-1", "opens_at": "2030-01-10T09:00", "closes_at": "2030-01-09T09:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The deadline must be after registration opens." in html and "Enter 0 or more." in html
    db.session.expire_all()
    assert meeting.capacity == 3


def test_the_list_has_a_constant_number_of_queries(client, login_as, meeting, make_item, count_queries):
    workshop = make_item(meeting, kind="workshop", capacity=50)
    db.session.commit()
    login_as("staff")
    url = f"/staff/meetings/{meeting.id}/registrations/"

    def add(first, last):
        for n in range(first, last):
            registration = register(meeting, n, role="guest" if n % 2 else "mayor", dietary_needs="Vegan")
            if registration.status == "confirmed":
                sessions.set_choices(registration, [workshop.id])
                db.session.commit()

    add(1, 3)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    add(3, 20)
    client.get(url)
    with count_queries() as many:
        client.get(url)
    assert few.count == many.count
