"""Migration 0008 puts every stored address in the one normal form of a person's key and merges the
people who become one: everything of the later row moves to the earlier, and where the earlier
already has the one row a constraint allows (a registration for the same event, a speaker profile),
the later's gives way."""
from datetime import UTC, date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import select

from mipevents import create_app
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.people.models import Person, Token
from mipevents.registration.models import Registration
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar
from tests.conftest import _settings

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def _insert(conn, model, **values):
    return conn.execute(model.__table__.insert().values(**values)).inserted_primary_key[0]


def test_people_who_become_one_are_merged_and_every_key_is_normal(empty_database_url):
    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            ana = _insert(conn, Person, email="ana@bücher.de", name="Ana")
            ana_idna = _insert(conn, Person, email="ana@xn--bcher-kva.de", name="Ana R.")
            decomposed = _insert(conn, Person, email="e\u0301@example.org", name="")
            composed = _insert(conn, Person, email="é@example.org", name="Eve")
            webinar = _insert(conn, Webinar, slug="w", title="W", timezone="America/Chicago", starts_at=NOW,
                              ends_at=NOW + timedelta(hours=1), status="published")
            meeting = _insert(conn, Meeting, slug="m", name="M", kind="winter", status="published",
                              timezone="America/Chicago", starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 6))
            kept_seat = _insert(conn, Registration, person_id=ana, webinar_id=webinar, email="ana@bücher.de")
            _insert(conn, Registration, person_id=ana_idna, webinar_id=webinar, email="ana@xn--bcher-kva.de")
            moved = _insert(conn, Registration, person_id=ana_idna, meeting_id=meeting, email="ana@xn--bcher-kva.de")
            _insert(conn, Token, person_id=ana_idna, purpose="feed", token_hash="a" * 64)
            first_profile = _insert(conn, Speaker, person_id=ana, name="Ana", email="ana@bücher.de")
            second_profile = _insert(conn, Speaker, person_id=ana_idna, name="Ana R.", email="ana@xn--bcher-kva.de")
            _insert(conn, Registration, person_id=composed, webinar_id=webinar, email="é@example.org")

        upgrade()

        people = {p.id: p.email for p in db.session.execute(select(Person)).scalars()}
        assert people == {ana: "ana@xn--bcher-kva.de", decomposed: "é@example.org"}
        registrations = {r.id: (r.person_id, r.webinar_id, r.meeting_id)
                         for r in db.session.execute(select(Registration)).scalars()}
        assert registrations[kept_seat] == (ana, webinar, None)
        assert registrations[moved] == (ana, None, meeting)
        assert set(registrations.values()) == {(ana, webinar, None), (ana, None, meeting), (decomposed, webinar, None)}
        assert len(registrations) == 3
        assert db.session.execute(select(Token.person_id)).scalars().all() == [ana]
        speakers = {s.id: (s.person_id, s.email) for s in db.session.execute(select(Speaker)).scalars()}
        assert speakers == {first_profile: (ana, "ana@xn--bcher-kva.de"), second_profile: (None, "ana@xn--bcher-kva.de")}
        db.session.remove()
        db.engine.dispose()
