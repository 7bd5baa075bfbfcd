"""The seat count the database keeps (models.SeatCount, kept by triggers on registrations): it equals
the confirmed registrations of every event after every kind of change, whoever makes it, and a new
registration costs the same statements however full its event is."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, inspect, select, update

from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.registration import services
from mipevents.registration.models import Registration, SeatCount
from mipevents.workflows.erasure import erase_person


def values(n, **over):
    v = {"first_name": f"First{n}", "last_name": f"Last{n}", "email": f"seat{n}@example.org", "role": "mayor",
         "title": "Mayor", "organization": f"City {n}", "city": "Madison", "state": "WI", "consent": True}
    v.update(over)
    return v


def kept():
    """{(meeting_id, webinar_id): confirmed} as the database keeps it (rows at zero left out)."""
    db.session.flush()
    return {(r.meeting_id, r.webinar_id): r.confirmed
            for r in db.session.execute(select(SeatCount)).scalars() if r.confirmed}


def counted():
    """The same, counted from the registrations themselves."""
    db.session.flush()
    return {(m, w): n for m, w, n in db.session.execute(
        select(Registration.meeting_id, Registration.webinar_id, func.count())
        .where(Registration.status == "confirmed").group_by(Registration.meeting_id, Registration.webinar_id))}


def test_the_count_follows_registering_cancelling_promoting_and_reviving(make_webinar):
    webinar = make_webinar(capacity=2)
    db.session.commit()
    first, second, third = (services.register(webinar, values(n)).registration for n in range(3))
    db.session.commit()
    assert (kept(), counted()) == ({(None, webinar.id): 2}, {(None, webinar.id): 2})
    assert services.cancel(first) == [third]          # the first in line takes the freed seat
    db.session.commit()
    assert kept() == counted() == {(None, webinar.id): 2}
    services.cancel(second)
    db.session.commit()
    assert kept() == counted() == {(None, webinar.id): 1}
    revived = services.register(webinar, values(0))   # the first person again: a revival takes the free seat
    db.session.commit()
    assert (revived.registration.id, revived.status) == (first.id, "confirmed")
    assert kept() == counted() == {(None, webinar.id): 2}


def test_the_count_follows_approving_declining_and_a_raised_capacity(make_meeting, make_webinar):
    soon = datetime.now(UTC).date() + timedelta(days=30)
    meeting = make_meeting(capacity=1, approval_roles=["partner"], starts_on=soon, ends_on=soon + timedelta(days=1))
    db.session.commit()
    partner = services.register(meeting, values(1, role="partner")).registration
    mayor = services.register(meeting, values(2)).registration
    waiting = services.register(meeting, values(3)).registration
    db.session.commit()
    assert [r.status for r in (partner, mayor, waiting)] == ["pending", "confirmed", "waitlisted"]
    services.decline(waiting)
    services.approve(partner)                         # no seat left: the waitlist
    db.session.commit()
    assert kept() == counted() == {(meeting.id, None): 1}
    meeting.capacity = 3
    db.session.commit()
    assert [r.id for r in services.promote_waitlist(meeting)] == [partner.id]
    db.session.commit()
    assert kept() == counted() == {(meeting.id, None): 2}


def test_the_count_follows_writers_outside_the_registration_core(make_webinar, make_person):
    """Imports, staff tools and cascades write registrations directly: the database keeps count."""
    one, two = make_webinar(capacity=None), make_webinar(capacity=None)
    people = [make_person() for _ in range(4)]
    db.session.add_all([Registration(person_id=p.id, webinar_id=one.id, status="confirmed") for p in people[:3]]
                       + [Registration(person_id=people[3].id, webinar_id=one.id, status="waitlisted")])
    db.session.commit()
    assert kept() == counted() == {(None, one.id): 3}
    db.session.execute(update(Registration).where(Registration.person_id == people[0].id)
                       .values(webinar_id=two.id))                      # moved to another event
    db.session.execute(update(Registration).where(Registration.person_id == people[3].id)
                       .values(status="confirmed"))
    db.session.commit()
    assert kept() == counted() == {(None, one.id): 3, (None, two.id): 1}
    erase_person(people[1], actor=None)               # the webinar is to come: their seat is given up
    db.session.execute(delete(Person).where(Person.id == people[2].id))   # a cascade deletes the registration
    db.session.commit()
    assert kept() == counted() == {(None, one.id): 1, (None, two.id): 1}
    db.session.delete(two)                            # the event goes, and its count with it
    db.session.commit()
    assert db.session.execute(select(SeatCount.webinar_id)).scalars().all() == [one.id]


def test_a_new_registration_costs_the_same_statements_however_full_the_event(make_webinar, make_person,
                                                                             count_queries):
    empty, busy = make_webinar(capacity=500), make_webinar(capacity=500)
    db.session.add_all([Registration(person_id=make_person().id, webinar_id=busy.id, status="confirmed")
                        for _ in range(200)])
    db.session.commit()
    db.session.refresh(empty)
    with count_queries() as on_empty:
        assert services.register(empty, values(1)).status == "confirmed"
    db.session.commit()
    db.session.refresh(busy)
    with count_queries() as on_busy:
        assert services.register(busy, values(2)).status == "confirmed"
    db.session.commit()
    # The person, the pending registration, its links, the lock, the seat decision, the outbox row.
    assert (on_empty.count, on_busy.count) == (6, 6)
    assert all("count(" not in statement.lower() for statement in on_busy.statements)
    assert kept() == counted() == {(None, empty.id): 1, (None, busy.id): 201}


def test_the_migration_counts_the_registrations_already_there_then_keeps_counting(empty_database_url):
    from flask_migrate import downgrade, upgrade

    from mipevents import create_app
    from mipevents.webinars.models import Webinar
    from tests.conftest import _settings

    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade()
        starts = datetime.now(UTC) + timedelta(days=7)
        webinar = Webinar(slug="counted", title="Counted", status="published", starts_at=starts,
                          ends_at=starts + timedelta(hours=1), capacity=10)
        people = [Person(email=f"m{n}@example.org") for n in range(3)]
        db.session.add_all([webinar, *people])
        db.session.flush()
        db.session.add_all([Registration(person_id=p.id, webinar_id=webinar.id, status=s)
                            for p, s in zip(people, ["confirmed", "confirmed", "waitlisted"], strict=True)])
        db.session.commit()
        downgrade(revision="0001")       # as before this revision: registrations and no count
        assert "seat_counts" not in inspect(db.engine).get_table_names()
        upgrade()
        assert kept() == {(None, webinar.id): 2}
        db.session.execute(update(Registration).where(Registration.status == "waitlisted").values(status="confirmed"))
        db.session.commit()
        assert kept() == counted() == {(None, webinar.id): 3}
        db.session.remove()
        db.engine.dispose()
