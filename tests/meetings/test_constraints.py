"""The database itself refuses what must never be wrong."""
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from mipevents.extensions import db
from mipevents.registration.models import Registration


def test_a_session_cannot_end_before_it_starts(make_meeting, make_item):
    meeting = make_meeting()
    item = make_item(meeting)
    item.ends_at = item.starts_at - timedelta(minutes=1)
    with pytest.raises(IntegrityError, match="ends_after_start"):
        db.session.flush()


def test_a_meeting_cannot_end_before_it_starts(make_meeting):
    with pytest.raises(IntegrityError, match="ends_after_start"):
        make_meeting(starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 21))


def test_slugs_are_unique(make_meeting):
    make_meeting(slug="winter-2025")
    with pytest.raises(IntegrityError, match="slug"):
        make_meeting(slug="winter-2025")


def test_capacity_cannot_be_negative(make_webinar):
    with pytest.raises(IntegrityError, match="capacity_not_negative"):
        make_webinar(capacity=-1)


def test_one_registration_per_person_and_event(make_webinar, make_person):
    webinar, person = make_webinar(), make_person()
    db.session.add(Registration(person_id=person.id, webinar_id=webinar.id, status="confirmed"))
    db.session.flush()
    db.session.add(Registration(person_id=person.id, webinar_id=webinar.id, status="waitlisted"))
    with pytest.raises(IntegrityError, match="person_id"):
        db.session.flush()


def test_a_registration_is_for_exactly_one_event(make_webinar, make_meeting, make_person):
    person = make_person()
    db.session.add(Registration(person_id=person.id, webinar_id=make_webinar().id, meeting_id=make_meeting().id))
    with pytest.raises(IntegrityError, match="one_event"):
        db.session.flush()


def test_unknown_time_zones_are_refused(make_meeting):
    with pytest.raises(ValueError, match="unknown time zone"):
        make_meeting(timezone="America/Atlantis")
