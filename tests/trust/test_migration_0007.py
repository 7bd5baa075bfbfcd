"""Migration 0007 on a database holding the old shapes: feed links already sent keep working, links that
also went to a scheduler are revoked and their owners (and schedulers) are emailed their own, no raw
link stays in the outbox; and it downgrades."""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from mipevents import create_app
from mipevents.extensions import db
from mipevents.people.services import token_hash
from tests.conftest import _settings

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _insert(conn, table_name: str, **values) -> int:
    """One row with every NOT NULL column filled (the models' defaults live in Python, not the schema)."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    row = {}
    for column in table.columns:
        if column.name == "id" or column.nullable or column.name in values:
            continue
        python_type = getattr(column.type, "python_type", str) if not isinstance(column.type, sa.JSON) else dict
        row[column.name] = {str: "x", int: 0, bool: False, dict: {}, datetime: NOW}.get(python_type, NOW)
    row.update(values)
    return conn.execute(table.insert().values(**row).returning(table.c.id)).scalar_one()


def _old_shapes(conn) -> dict:
    ids = {}
    ids["owner"] = _insert(conn, "people", email="owner@elm.gov", name="Owner")
    ids["scheduled"] = _insert(conn, "people", email="mayor@elm.gov", name="Mayor")
    webinar = _insert(conn, "webinars", slug="w", title="Water rates", status="published", timezone="America/Chicago",
                      starts_at=NOW, ends_at=NOW + timedelta(hours=1), join_url="https://meet.example.org/j/1", cohort_id=None)
    own = _insert(conn, "registrations", person_id=ids["owner"], webinar_id=webinar, meeting_id=None,
                  status="confirmed", role="mayor", email="owner@elm.gov", scheduler_email="", source="web")
    ids["scheduled_registration"] = _insert(
        conn, "registrations", person_id=ids["scheduled"], webinar_id=webinar, meeting_id=None, status="confirmed",
        role="mayor", first_name="Rosa", email="mayor@elm.gov", scheduler_email="aide@elm.gov", source="web")
    for raw, person, purpose, subject in (("owners-feed", ids["owner"], "feed", None),
                                          ("owners-manage", ids["owner"], "manage", own),
                                          ("mayors-feed-sent-to-aide", ids["scheduled"], "feed", None),
                                          ("mayors-manage-sent-to-aide", ids["scheduled"], "manage",
                                           ids["scheduled_registration"])):
        _insert(conn, "tokens", person_id=person, purpose=purpose, subject_id=subject, token_hash=token_hash(raw),
                created_at=NOW, revoked_at=None)
    ids["waiting"] = _insert(conn, "outbox_messages", kind="registration_received", to_email="owner@elm.gov",
                             person_id=ids["owner"], status="pending", dedupe_key=None, claimed_at=None, sent_at=None,
                             context={"registration_id": own, "status": "confirmed", "manage_token": "owners-manage",
                                      "feed_token": "owners-feed"})
    return ids


def test_links_that_went_to_a_scheduler_are_revoked_and_the_rest_keep_working(empty_database_url):
    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            ids = _old_shapes(conn)
        upgrade(revision="0007")
        with db.engine.connect() as conn:
            live = set(conn.execute(sa.text("SELECT token_hash FROM tokens WHERE revoked_at IS NULL")).scalars())
            assert live == {token_hash("owners-feed"), token_hash("owners-manage")}
            queued = conn.execute(sa.text(
                "SELECT to_email, kind, context FROM outbox_messages WHERE id > :id ORDER BY id"), {"id": ids["waiting"]}).all()
            waiting = conn.execute(sa.text("SELECT context FROM outbox_messages WHERE id = :id"),
                                   {"id": ids["waiting"]}).scalar_one()
            aide = conn.execute(sa.text("SELECT id FROM people WHERE email = 'aide@elm.gov'")).scalar_one()
            approval = conn.execute(sa.text("SELECT person_id, scheduler_id, approved_at FROM scheduler_approvals")).one()
        parse = (lambda value: value) if isinstance(waiting, dict) else __import__("json").loads
        assert parse(waiting) == {"registration_id": 1, "status": "confirmed"}   # no raw link waits
        assert [(to, kind, parse(context)) for to, kind, context in queued] == [
            ("mayor@elm.gov", "registration_repeat",
             {"registration_id": ids["scheduled_registration"], "status": "confirmed", "resent": True,
              "links_revoked": True}),
            ("aide@elm.gov", "registration_repeat",
             {"registration_id": ids["scheduled_registration"], "status": "confirmed", "to_scheduler": True,
              "links_revoked": True})]
        assert tuple(approval) == (ids["scheduled"], aide, None)   # the scheduler starts unapproved
        downgrade(revision="0006")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("tokens")}
            assert "secret" not in columns and "scheduler_approvals" not in sa.inspect(conn).get_table_names()
        db.engine.dispose()


def test_the_owner_of_what_a_scheduler_held_before_gets_an_approval_request_of_its_own(empty_database_url, smtp_server):
    """Revision 0010: each owner whose registration or application had a scheduler under the old rule is
    asked, in an email of its own, whether to approve that scheduler (one click from the link in it);
    a second run asks no one twice."""
    from mipevents.notify import delivery
    from tests.trust.helpers import links_in

    settings = _settings(empty_database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    app = create_app(settings)
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            ids = _old_shapes(conn)
            applicant = _insert(conn, "people", email="chief@oak.gov", name="Chief")
            meeting = _insert(conn, "meetings", slug="summer", name="Summer Meeting", kind="summer", status="published",
                              timezone="America/Chicago", cohort_id=None)
            call = _insert(conn, "calls", slug="showcase", title="Showcase proposals", kind="showcase", cohort_id=None,
                           meeting_id=meeting, status="published", opens_at=NOW - timedelta(days=9),
                           deadline_at=NOW + timedelta(days=9), decisions_released_at=None)
            ids["application"] = _insert(conn, "applications", call_id=call, person_id=applicant, email="chief@oak.gov",
                                         mayor_name="Mayor Oak", scheduler_email="Clerk@Oak.gov", status="submitted",
                                         submitted_at=NOW, withdrawn_at=None, decided_at=None,
                                         decision_released_at=None, showcase_slot_id=None)
        upgrade(revision="0014_invitation_subjects")
        with db.engine.connect() as conn:
            before = conn.execute(sa.text("SELECT max(id) FROM outbox_messages")).scalar_one()
        upgrade(revision="0015_trust_consent")
        downgrade(revision="0014_invitation_subjects")
        upgrade(revision="0015_trust_consent")      # the second run asks no one again
        with db.engine.connect() as conn:
            queued = conn.execute(sa.text("SELECT to_email, kind FROM outbox_messages WHERE id > :id ORDER BY id"),
                                  {"id": before}).all()
            waiting = conn.execute(sa.text(
                "SELECT p.email, s.email, a.registration_id, a.application_id FROM scheduler_approvals a "
                "JOIN people p ON p.id = a.person_id JOIN people s ON s.id = a.scheduler_id ORDER BY a.id")).all()
        assert [tuple(row) for row in queued] == [("mayor@elm.gov", "scheduler_request"),
                                                  ("chief@oak.gov", "calls.scheduler_request")]
        assert [tuple(row) for row in waiting] == [("mayor@elm.gov", "aide@elm.gov", ids["scheduled_registration"], None),
                                                   ("chief@oak.gov", "clerk@oak.gov", None, ids["application"])]
        delivery.send_pending()
        db.session.remove()
        db.engine.dispose()
    [to_mayor] = smtp_server.to("mayor@elm.gov")[-1:]
    [to_chief] = smtp_server.to("chief@oak.gov")[-1:]
    assert to_mayor["Subject"] == "Do you approve your scheduler? Water rates"
    assert to_chief["Subject"] == "Do you approve your scheduler? Showcase proposals"
    for message in (to_mayor, to_chief):
        [consent] = [link for link in links_in([message]) if "/consent/" in link]
        with app.test_client() as client:
            page = client.get(consent.removeprefix(settings["MIPEVENTS_BASE_URL"]))
            assert page.status_code == 200
