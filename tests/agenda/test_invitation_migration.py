"""Migration 0011: an invitation names its speaker and role itself (filled from its session role), and
going back removes only the invitations that have no session to hang on."""
from datetime import UTC, date, datetime, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from mipevents import create_app
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.speakers.models import Speaker
from tests.conftest import _settings

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def _insert(conn, model, **values):
    return conn.execute(model.__table__.insert().values(**values)).inserted_primary_key[0]


def test_invitations_get_their_speaker_and_role_and_downgrade_keeps_session_ones(empty_database_url):
    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade(revision="0013_webinar_presenters")
        with db.engine.begin() as conn:
            speaker = _insert(conn, Speaker, name="Kim")
            meeting = _insert(conn, Meeting, slug="m", name="M", kind="winter", status="draft", timezone="America/Chicago",
                              starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 5))
            item = _insert(conn, AgendaItem, meeting_id=meeting, title="Panel", kind="panel", status="draft",
                           starts_at=NOW, ends_at=NOW + timedelta(hours=1))
            link = _insert(conn, SessionSpeaker, item_id=item, speaker_id=speaker, role="moderator", position=0)
            conn.execute(text("INSERT INTO speaker_invitations (link_id, status, note, reason, invited_at) VALUES"
                              " (:l, 'invited', '', '', :now)"), {"l": link, "now": NOW})
        upgrade()
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT speaker_id, role FROM speaker_invitations")).one() == (speaker, "moderator")
            conn.execute(text("INSERT INTO speaker_invitations (speaker_id, role, status, note, reason, invited_at)"
                              " VALUES (:s, 'presenter', 'invited', '', '', :now)"), {"s": speaker, "now": NOW})
        downgrade(revision="0013_webinar_presenters")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT link_id FROM speaker_invitations")).scalars().all() == [link]
        db.engine.dispose()
