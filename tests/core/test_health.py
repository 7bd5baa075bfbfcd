"""/healthz: healthy only while the database answers and takes writes; the write at most every 10 s."""
import os
from contextlib import contextmanager

from sqlalchemy import event, select

from mipevents.core.health import WRITE_EVERY, heartbeats
from mipevents.extensions import db


@contextmanager
def _read_only(engine):
    """Every new connection to the database refuses writes, as a read-only replica or volume does."""
    def refuse_writes(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()
        cursor.close()

    engine.dispose()
    event.listen(engine, "connect", refuse_writes)
    try:
        yield
    finally:
        event.remove(engine, "connect", refuse_writes)
        engine.dispose()


def test_healthz_writes_a_heartbeat_and_answers_ok(app, client):
    response = client.get("/healthz")

    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "database": "ok"})
    rows = db.session.execute(select(heartbeats.c.id, heartbeats.c.process)).all()
    assert [row.id for row in rows] == [1]
    assert rows[0].process.endswith(f":{os.getpid()}")


def test_healthz_answers_503_while_the_database_refuses_writes(app, client):
    with _read_only(db.engine):
        response = client.get("/healthz")

    assert (response.status_code, response.get_json()) == (503, {"status": "error", "database": "read-only"})


def test_healthz_writes_at_most_once_every_ten_seconds_per_process(app, client, count_queries):
    assert client.get("/healthz").status_code == 200
    with count_queries() as soon:
        assert client.get("/healthz").status_code == 200
    app.extensions["mipevents_health"].checked_at -= WRITE_EVERY   # ten seconds later
    with count_queries() as later:
        assert client.get("/healthz").status_code == 200

    assert [s.split()[0] for s in soon.statements] == ["SELECT"]
    assert [s.split()[0] for s in later.statements] == ["SELECT", "UPDATE"]
