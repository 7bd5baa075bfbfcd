"""Migration 0013 turns each webinar's presenters text into speaker profiles: matched by email where an
entry gives one, a new profile otherwise, never merged by name; the text keeps no email."""
from datetime import UTC, datetime, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from mipevents import create_app
from mipevents.extensions import db
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar, WebinarPresenter
from tests.conftest import _settings

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def test_presenter_text_becomes_profiles_by_email_never_by_name(empty_database_url):
    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade(revision="0012_canonical_zones")
        with db.engine.begin() as conn:
            known = conn.execute(text("INSERT INTO speakers (honorific, name, position, organization, city, state, bio,"
                                      " email, photo_version, photo_alt, created_at, updated_at) VALUES ('Mayor',"
                                      " 'Kim Norton', 'Mayor of Tacoma, WA', '', '', '', '', 'kim@tacoma.example', 0, '',"
                                      " :now, :now) RETURNING id"), {"now": NOW}).scalar_one()
            namesake = conn.execute(text("INSERT INTO speakers (honorific, name, position, organization, city, state, bio,"
                                         " photo_version, photo_alt, created_at, updated_at) VALUES ('', 'Ramón Ortiz',"
                                         " '', '', '', '', '', 0, '', :now, :now) RETURNING id"), {"now": NOW}).scalar_one()
            for slug, presenters in (("w1", "Mayor Elena Rivera (Dubuque, IA); Ramón Ortiz, Flood Finance Institute\n"
                                            "K. Norton <KIM@Tacoma.example>"),
                                     ("w2", "Ramón Ortiz, Flood Finance Institute"), ("w3", "")):
                conn.execute(text("INSERT INTO webinars (slug, title, description, presenters, starts_at, ends_at,"
                                  " timezone, join_url, status, sequence, version, created_at, updated_at) VALUES"
                                  " (:slug, 'W', '', :p, :s, :e, 'America/Chicago', '', 'published', 0, 1, :s, :s)"),
                             {"slug": slug, "p": presenters, "s": NOW, "e": NOW + timedelta(hours=1)})

        upgrade()

        webinars = {w.slug: w for w in db.session.execute(select(Webinar)).scalars()}
        linked = {slug: [(link.speaker_id, link.position) for link in w.presenter_links] for slug, w in webinars.items()}
        first = [db.session.get(Speaker, speaker_id) for speaker_id, _ in linked["w1"]]
        assert [(s.honorific, s.name, s.position) for s in first] == [
            ("Mayor", "Elena Rivera", "Dubuque, IA"), ("", "Ramón Ortiz", "Flood Finance Institute"),
            ("Mayor", "Kim Norton", "Mayor of Tacoma, WA")]
        assert first[2].id == known                                    # matched by email, any case
        assert namesake not in [s.id for s in first]                   # never merged by name
        second = linked["w2"][0][0]
        assert second not in (namesake, first[1].id)                   # each nameless entry its own profile
        assert linked["w3"] == []
        assert webinars["w1"].presenters == ("Mayor Elena Rivera, Dubuque, IA\nRamón Ortiz, Flood Finance Institute\n"
                                             "Mayor Kim Norton, Mayor of Tacoma, WA")
        assert "@" not in webinars["w1"].presenters
        db.session.remove()

        downgrade(revision="0012_canonical_zones")
        assert "webinar_presenters" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
        assert WebinarPresenter.__tablename__ == "webinar_presenters"
