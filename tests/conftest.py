"""The fixtures every area's tests reuse: the app on SQLite or PostgreSQL, a clean database per test,
factories, login_as, a query counter, a live gunicorn server, an in-process SMTP server, and a
Playwright page with an axe check (tests/browser/conftest.py)."""
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from itertools import count
from pathlib import Path

import pytest
from flask import g, request_started
from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("MIPEVENTS_TEST_DATABASE_URL", "").strip()
REQUIRE_PG = os.environ.get("MIPEVENTS_REQUIRE_POSTGRES") == "1"
BASE_URL = "http://mipevents.test"
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
TEST_TOKEN_KEY = "dGVzdC10b2tlbi1rZXktMzItYnl0ZXMtbG9uZy0wMDA="   # a Fernet key for tests only

os.environ.setdefault("MIPEVENTS_INSTANCE_PATH", str(ROOT / "instance" / "test"))


def pytest_collection_modifyitems(config, items):
    """Database-specific tests are deselected (not skipped) on the other database."""
    on_pg = bool(PG_URL)
    keep, drop = [], []
    for item in items:
        if (item.get_closest_marker("postgres") and not on_pg) or (item.get_closest_marker("sqlite_only") and on_pg):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if PG_URL:
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def is_postgres(database_url):
    return database_url.startswith("postgres")


@pytest.fixture
def empty_database_url(database_url, tmp_path, request):
    """An empty database for a migration test: a SQLite file, or on PostgreSQL a schema of the suite's
    database created here and dropped after, first on the connections' search path (dropping a
    schema is immediate; dropping a database waits for a checkpoint). Named after the test's module,
    so two modules never share one."""
    from sqlalchemy import create_engine

    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = "empty_" + request.module.__name__.rsplit(".", 1)[-1]
    admin = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {name}"))
    yield f"{database_url}?options=-csearch_path%3D{name}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


def _settings(database_url, **overrides):
    settings = {
        "TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET,
        "MIPEVENTS_TOKEN_KEY": TEST_TOKEN_KEY, "MIPEVENTS_BASE_URL": BASE_URL, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "CACHE_TYPE": "SimpleCache", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1,
        "MAIL_BACKGROUND": False, "MIPEVENTS_PRINT_BACKGROUND": False, "SERVER_NAME": None,
        "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024,
    }
    settings.update(overrides)
    return settings


_WRITES = {"dirty": True}


@pytest.fixture(scope="session")
def _schema(database_url):
    """Build the schema once for the session from the models (migrations have their own tests)."""
    from mipevents import create_app
    from mipevents.extensions import db

    app = create_app(_settings(database_url))
    with app.app_context():
        if database_url.startswith("postgres"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        db.engine.dispose()
    return tables


def _clean(engine, tables, is_pg):
    with engine.begin() as conn:
        if is_pg:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def make_app(database_url, _schema):
    """create_app() with the test settings plus overrides; the database is cleaned after the test."""
    from mipevents import create_app
    from mipevents.core import http_cache
    from mipevents.extensions import cache, db

    apps = []

    def factory(**overrides):
        app = create_app(_settings(database_url, **overrides))

        @event.listens_for(_engine(app), "before_cursor_execute")
        def _mark(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                _WRITES["dirty"] = True

        # The `app` fixture keeps one app context for a whole test and Flask reuses it for the test
        # client's requests, so `g` (where Flask-Login caches the signed-in user) would outlive a
        # request: each request loads its user from its own cookie, as in production.
        request_started.connect(_forget_login, app)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            if _WRITES["dirty"]:
                _clean(db.engine, _schema, database_url.startswith("postgres"))
                _WRITES["dirty"] = False
            cache.clear()
            http_cache.forget_local()
            db.engine.dispose()


def _forget_login(sender, **extra):
    g.pop("_login_user", None)


def _engine(app):
    from mipevents.extensions import db

    with app.app_context():
        return db.engine


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_session(app):
    from mipevents.extensions import db

    return db.session


# ---------------------------------------------------------------------------------------------- factories

_seq = count(1)


@pytest.fixture
def make_person(app):
    from mipevents.people.services import person_for_email

    def factory(email=None, name="Pat Example"):
        return person_for_email(email or f"person{next(_seq)}@example.org", name)
    return factory


@pytest.fixture
def make_meeting(app):
    from mipevents.extensions import db
    from mipevents.meetings.models import Meeting

    def factory(**over):
        n = next(_seq)
        values = {"slug": f"meeting-{n}", "name": f"Test Meeting {n}", "kind": "winter", "status": "published",
                  "starts_on": date(2025, 1, 22), "ends_on": date(2025, 1, 24), "timezone": "America/New_York",
                  "city": "Washington", "state": "DC", "venue": "Conference Center", "address": "1 Main St"}
        values.update(over)
        meeting = Meeting(**values)
        db.session.add(meeting)
        db.session.flush()
        return meeting
    return factory


@pytest.fixture
def make_room(app):
    from mipevents.extensions import db
    from mipevents.meetings.models import Room

    def factory(meeting, name=None, **over):
        room = Room(meeting_id=meeting.id, name=name or f"Room {next(_seq)}", **over)
        db.session.add(room)
        db.session.flush()
        return room
    return factory


@pytest.fixture
def make_item(app):
    """An agenda session: `at` is the local wall-clock start in the meeting's zone."""
    from mipevents.agenda.models import AgendaItem, SessionSpeaker
    from mipevents.core.timeutil import wall_clock_to_utc
    from mipevents.extensions import db

    def factory(meeting, at=None, minutes=60, speakers=(), room=None, **over):
        at = at or datetime(meeting.starts_on.year, meeting.starts_on.month, meeting.starts_on.day, 9, 0)
        starts = wall_clock_to_utc(at.date(), at.time(), meeting.timezone)
        values = {"kind": "panel", "title": f"Session {next(_seq)}", "status": "published",
                  "starts_at": starts, "ends_at": starts + timedelta(minutes=minutes),
                  "room_id": room.id if room is not None else None}
        values.update(over)
        item = AgendaItem(meeting_id=meeting.id, **values)
        db.session.add(item)
        db.session.flush()
        for position, entry in enumerate(speakers):
            speaker, role = entry if isinstance(entry, tuple) else (entry, "speaker")
            db.session.add(SessionSpeaker(item_id=item.id, speaker_id=speaker.id, role=role, position=position))
        db.session.flush()
        return item
    return factory


@pytest.fixture
def make_speaker(app):
    from mipevents.extensions import db
    from mipevents.people.services import person_for_email
    from mipevents.speakers.models import Speaker

    def factory(name=None, email=None, **over):
        n = next(_seq)
        email = email or f"speaker{n}@example.org"
        values = {"name": name or f"Speaker {n}", "honorific": "Mayor", "position": "Mayor of Testville",
                  "city": "Testville", "state": "WI", "email": email, "person": person_for_email(email)}
        values.update(over)
        speaker = Speaker(**values)
        db.session.add(speaker)
        db.session.flush()
        return speaker
    return factory


@pytest.fixture
def make_webinar(app):
    from mipevents.extensions import db
    from mipevents.webinars.models import Webinar

    def factory(**over):
        n = next(_seq)
        starts = over.pop("starts_at", None) or (datetime.now(UTC) + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
        values = {"slug": f"webinar-{n}", "title": f"Webinar {n}", "status": "published", "starts_at": starts,
                  "ends_at": starts + timedelta(hours=1), "timezone": "America/Chicago", "capacity": 50,
                  "join_url": f"https://meet.example.org/j/{n}00000"}
        values.update(over)
        webinar = Webinar(**values)
        db.session.add(webinar)
        db.session.flush()
        return webinar
    return factory


@pytest.fixture
def login_as(app, client):
    """Sign `client` in as a new staff user with `role`; returns the user."""
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db

    def do(role="staff", email=None, password="correct horse battery staple"):
        user = create_user(email or f"{role}{next(_seq)}@mipevents.test", password, role=role, name=role.title())
        db.session.commit()
        response = client.post("/staff/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user
    return do


# ---------------------------------------------------------------------------------------------- measuring

class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: ...; q.count` — SQL statements sent (transaction control excluded)."""
    from mipevents.extensions import db

    @contextmanager
    def counter():
        found = QueryCounter()

        def listener(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")):
                found.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield found
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return counter


# ---------------------------------------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPRecorder:
    """An in-process SMTP server (aiosmtpd) that keeps what it receives; stop() takes it down.
    `on_accept(msg)`, when set, runs as each message is accepted, before the client hears "250"."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.messages = []
        self.on_accept = None
        recorder = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.original_content, policy=policy.default)
                recorder.messages.append((envelope.rcpt_tos, msg))
                if recorder.on_accept is not None:
                    recorder.on_accept(msg)
                return "250 OK"

        self._controller_class = Controller
        self._handler = Handler()
        self.controller = None

    def start(self):
        self.controller = self._controller_class(self._handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        return [m for rcpts, m in self.messages if address.lower() in [r.lower() for r in rcpts]]


@pytest.fixture
def smtp_server():
    server = SMTPRecorder()
    server.start()
    yield server
    server.stop()


class LiveServer:
    def __init__(self, url, process):
        self.url = url
        self.process = process


@pytest.fixture
def start_server(database_url, _schema, tmp_path, make_app):
    """Start the app under gunicorn on a free loopback port: start_server(workers=2, **env).

    Rows it commits come from other processes, so the database is cleaned after the test."""
    import urllib.request

    make_app()  # registers the post-test cleanup
    servers = []

    def start(workers=2, threads=1, **env):
        port = free_port()
        environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET,
                       "MIPEVENTS_TOKEN_KEY": TEST_TOKEN_KEY, "MIPEVENTS_BASE_URL": f"http://127.0.0.1:{port}", "RATELIMIT_ENABLED": "false",
                       "MAIL_BACKEND": "file", "MAIL_FILE_DIR": str(tmp_path / "mail"),
                       "MIPEVENTS_INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONUNBUFFERED": "1",
                       # compiled templates shared by every server of the run, as a host's workers share them
                       "MIPEVENTS_TEMPLATE_CACHE_DIR": str(Path(os.environ["MIPEVENTS_INSTANCE_PATH"]) / "template-cache")}
        environment.update({k: str(v) for k, v in env.items()})
        log = open(tmp_path / f"gunicorn-{port}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "2"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError("gunicorn did not start: " + (tmp_path / f"gunicorn-{port}.log").read_text()[-3000:]) from None
                time.sleep(0.1)  # polling for readiness, not synchronising the test's assertions
        _WRITES["dirty"] = True
        server = LiveServer(url, process)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
    _WRITES["dirty"] = True


@pytest.fixture
def live_server(start_server):
    return start_server()
