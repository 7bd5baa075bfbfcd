"""The registration core: capacity, waitlist order, promotion, idempotence, approval, deadlines."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services
from mipevents.registration.models import Registration


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"person{n}@example.org", "role": "mayor",
         "title": "Mayor", "organization": f"City {n}", "city": "Madison", "state": "WI", "consent": True}
    v.update(over)
    return v


def kinds():
    return [m.kind for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def test_seats_fill_then_the_waitlist_in_order(make_webinar):
    webinar = make_webinar(capacity=2)
    db.session.commit()
    statuses = []
    for n in range(4):
        outcome = services.register(webinar, values(n))
        db.session.commit()
        statuses.append((outcome.registration.status, outcome.position))
    assert statuses == [("confirmed", None), ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]


def test_cancelling_a_confirmed_seat_promotes_the_first_in_line(make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    first = services.register(webinar, values(1)).registration
    db.session.commit()
    second = services.register(webinar, values(2)).registration
    db.session.commit()
    promoted = services.cancel(first)
    db.session.commit()
    assert [r.id for r in promoted] == [second.id]
    assert (db.session.get(Registration, first.id).status, db.session.get(Registration, second.id).status) == ("cancelled", "confirmed")
    assert kinds() == ["registration_received", "registration_received", "registration_cancelled", "registration_promoted"]


def test_registering_twice_is_idempotent_and_case_insensitive(make_webinar):
    webinar = make_webinar(capacity=10)
    db.session.commit()
    first = services.register(webinar, values(1)).registration
    db.session.commit()
    again = services.register(webinar, values(1, email="PERSON1@Example.org", first_name="Changed"))
    db.session.commit()
    assert again.repeat is True
    assert again.registration.id == first.id
    assert again.registration.first_name == "First1"
    assert db.session.execute(select(Registration)).scalars().all() == [first]
    assert kinds() == ["registration_received", "registration_repeat"]


def test_a_cancelled_registration_registered_again_by_its_owner_joins_the_end_of_the_queue(make_webinar):
    webinar = make_webinar(capacity=1)
    db.session.commit()
    first = services.register(webinar, values(1)).registration
    db.session.commit()
    services.cancel(first)
    db.session.commit()
    services.register(webinar, values(2))
    db.session.commit()
    revived = services.register_again(first)
    db.session.commit()
    assert (revived.registration.id, revived.registration.status, revived.position) == (first.id, "waitlisted", 1)


def test_a_public_post_never_revives_a_cancelled_registration(make_webinar):
    webinar = make_webinar(capacity=5)
    db.session.commit()
    first = services.register(webinar, values(1, phone="608 555 0100")).registration
    db.session.commit()
    services.cancel(first)
    db.session.commit()
    again = services.register(webinar, values(1, first_name="Mallory", scheduler_email="mallory@evil.example"))
    db.session.commit()
    db.session.refresh(first)
    assert (again.repeat, first.status, first.first_name, first.phone, first.scheduler_email) == (
        True, "cancelled", "First1", "608 555 0100", "")


def test_roles_needing_approval_wait_and_hold_no_seat(make_meeting):
    meeting = make_meeting(capacity=1, approval_roles=["partner"], starts_on=datetime.now(UTC).date() + timedelta(days=30),
                           ends_on=datetime.now(UTC).date() + timedelta(days=31))
    db.session.commit()
    partner = services.register(meeting, values(1, role="partner")).registration
    db.session.commit()
    mayor = services.register(meeting, values(2, role="mayor")).registration
    db.session.commit()
    assert (partner.status, mayor.status) == ("pending", "confirmed")
    approved = services.approve(partner)
    db.session.commit()
    assert approved.status == "waitlisted"


def test_registration_closes_at_the_deadline(make_webinar):
    starts = datetime.now(UTC) + timedelta(days=2)
    webinar = make_webinar(starts_at=starts, registration_closes_at=datetime.now(UTC) - timedelta(minutes=1))
    db.session.commit()
    with pytest.raises(services.RegistrationClosed):
        services.register(webinar, values(1))
    db.session.rollback()
    assert db.session.execute(select(Registration)).scalars().all() == []


def test_a_scheduler_of_a_new_registration_gets_their_copy_and_no_row_holds_a_link(make_webinar):
    webinar = make_webinar(capacity=5)
    db.session.commit()
    services.register(webinar, values(1, scheduler_email="scheduler@example.org"))
    db.session.commit()
    rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [m.to_email for m in rows] == ["person1@example.org", "scheduler@example.org"]
    assert [sorted(m.context) for m in rows] == [["registration_id", "status"],
                                                  ["registration_id", "status", "to_scheduler"]]
