"""A person's key: one normal form of an address that the code and the database's check agree on,
and addresses the mail server cannot deliver to refused at the form."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mipevents.core.text import ascii_domain, email_key
from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.people.services import person_for_email
from mipevents.registration.models import Registration

TODAY = datetime.now(UTC).date()


@pytest.mark.parametrize(("address", "key"), [
    (" Mayor@Town.GOV ", "mayor@town.gov"),
    ("ana@Bücher.de", "ana@xn--bcher-kva.de"),
    ("ana@xn--bcher-kva.de", "ana@xn--bcher-kva.de"),
    ("Ᏸ@example.org", "ᏸ@example.org"),            # Cherokee: casefold() would give the capital
    ("Ꮿ@example.org", "ꮿ@example.org"),
    ("Straße@example.org", "strasse@example.org"),
    ("e\u0301@example.org", "é@example.org"),
    ("not an address", "not an address"),
])
def test_email_key_is_one_normal_form(address, key):
    assert email_key(address) == key
    assert email_key(key) == key


def test_ascii_domain_leaves_a_domain_that_is_no_name_alone():
    assert ascii_domain("a@exa mple.org") == "a@exa mple.org"


def test_the_database_check_accepts_every_key_the_code_makes(app):
    people = [person_for_email(address) for address in ("Ᏸ@example.org", "İ@example.org", "ΣΑΣ@example.org")]
    db.session.flush()
    stored = db.session.execute(select(Person.email).where(Person.id.in_([p.id for p in people]))).scalars().all()
    assert sorted(stored) == sorted(email_key(a) for a in ("Ᏸ@example.org", "İ@example.org", "ΣΑΣ@example.org"))


def _register(client, meeting, address):
    return client.post(f"/meetings/{meeting.slug}/register", data={
        "type": "mayor", "first_name": "Ana", "last_name": "Ruiz", "city": "Town", "state": "WI", "email": address,
        "consent": "y"})


def _meeting(make_meeting):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31))
    db.session.commit()
    return meeting


def test_without_smtputf8_an_address_with_letters_outside_ascii_before_the_at_is_refused(client, make_meeting):
    meeting = _meeting(make_meeting)

    response = _register(client, meeting, "ü@bücher.de")

    assert response.status_code == 422
    assert "We cannot send email to an address with accented or non-Latin letters before the @" in \
        response.get_data(as_text=True)
    assert db.session.execute(select(Registration)).scalars().all() == []


def test_an_internationalised_domain_is_accepted_and_kept_in_idna(client, make_meeting):
    meeting = _meeting(make_meeting)

    assert _register(client, meeting, "Ana@Bücher.de").status_code == 303

    row = db.session.execute(select(Registration)).scalar_one()
    assert (row.email, row.person.email) == ("Ana@xn--bcher-kva.de", "ana@xn--bcher-kva.de")


def test_with_smtputf8_an_internationalised_address_is_kept_under_one_key(make_app, make_meeting):
    app = make_app(MAIL_SMTPUTF8=True)
    with app.app_context():
        meeting = _meeting(make_meeting)
        client = app.test_client()

        assert _register(client, meeting, "Ᏸ@bücher.de").status_code == 303
        assert _register(client, meeting, "ᏸ@xn--bcher-kva.de").status_code == 303

        rows = db.session.execute(select(Registration)).scalars().all()
        assert [r.person.email for r in rows] == ["ᏸ@xn--bcher-kva.de"]


def test_staff_find_a_person_to_erase_whatever_letters_their_address_has(client, login_as, make_person):
    person = make_person(email="Ü@Bücher.de")
    db.session.commit()
    login_as("admin")

    response = client.post("/staff/people/erase", data={"email": " ü@bücher.DE "})

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/people/{person.id}/erase")
