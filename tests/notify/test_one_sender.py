"""At most once: an acceptance is recorded through a locked database instead of being sent again,
and one sender per installation delivers (the SenderLock), in threads and in gunicorn workers."""
import logging
import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event, select

from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BUILDERS, BuiltMessage, enqueue


def _builder(msg):
    return BuiltMessage(subject=f"Hello {msg.context['name']}", text="See you there.")


class _Seen(logging.Handler):
    """Sets `event` when the delivery log says an acceptance could not be recorded yet."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.event = threading.Event()

    def emit(self, record):
        if "recording it failed" in record.getMessage():
            self.event.set()


def _wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        pause.wait(0.05)   # polling a condition, not standing in for one


@pytest.mark.sqlite_only
def test_two_background_senders_send_each_message_once_though_the_database_locks_after_acceptance(
        make_app, smtp_server, database_url):
    BUILDERS["test_hello"] = _builder
    # A claim is stale at once: a sender that swept while another waited to record would resend.
    settings = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
                "MAIL_STALE_CLAIM_SECONDS": 0}
    senders = [make_app(**settings), make_app(**settings)]
    for app in senders:
        with app.app_context():
            # Fail fast on the lock instead of waiting 30 s, so the retry loop is what gets through.
            @event.listens_for(db.engine, "connect")
            def _short_busy_timeout(dbapi_connection, _record):
                dbapi_connection.execute("PRAGMA busy_timeout=50")
    with senders[0].app_context():
        for name in ("Ada", "Bo", "Cy"):
            enqueue("test_hello", f"{name.lower()}@city.gov", {"name": name})
        db.session.commit()

    # The moment the server accepts the first message, another connection takes the write lock.
    locker = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None,
                             check_same_thread=False, timeout=10)
    locked = threading.Event()

    def lock_the_database(msg):
        if not locked.is_set():
            locker.execute("BEGIN EXCLUSIVE")
            locked.set()

    smtp_server.on_accept = lock_the_database
    seen = _Seen()
    notify_log = logging.getLogger("mipevents.notify")
    # An in-process `db upgrade` earlier in the suite (Alembic's fileConfig) disables existing loggers.
    was_disabled, notify_log.disabled = notify_log.disabled, False
    notify_log.addHandler(seen)
    stop = threading.Event()
    threads = [delivery.start_background(app, interval=0.05, stop=stop) for app in senders]
    try:
        assert seen.event.wait(30), "the sender never met the locked database"
        with senders[1].app_context():
            assert db.session.execute(select(OutboxMessage.status).order_by(OutboxMessage.id)).scalars().all() == [
                "sending", "pending", "pending"]
        locker.execute("ROLLBACK")

        def all_sent():
            with senders[1].app_context():
                statuses = db.session.execute(select(OutboxMessage.status)).scalars().all()
                db.session.remove()
                return statuses == ["sent"] * 3
        _wait_until(all_sent)
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        notify_log.removeHandler(seen)
        notify_log.disabled = was_disabled
        locker.close()
        smtp_server.on_accept = None

    received = Counter(m["Message-ID"] for _rcpts, m in smtp_server.messages)
    with senders[0].app_context():
        rows = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
        assert received == {row.message_id: 1 for row in rows}
        assert [(r.to_email, r.status, r.attempts) for r in rows] == [
            ("ada@city.gov", "sent", 1), ("bo@city.gov", "sent", 1), ("cy@city.gov", "sent", 1)]


def test_one_sender_lock_per_installation_taken_over_when_released(tmp_path):
    first, second = delivery.SenderLock(tmp_path), delivery.SenderLock(tmp_path)
    assert (first.acquire(), second.acquire()) == (True, False)
    assert (tmp_path / "outbox-sender.lock").read_text() == f"{os.getpid()}\n"
    first.release()
    assert (second.acquire(), first.acquire()) == (True, False)
    second.release()


def test_notify_send_does_nothing_while_another_sender_delivers(app, smtp_server):
    BUILDERS["test_hello"] = _builder
    app.config.update(MAIL_PORT=smtp_server.port)
    enqueue("test_hello", "ada@city.gov", {"name": "Ada"})
    db.session.commit()
    other = delivery.SenderLock(app.instance_path)
    assert other.acquire()
    try:
        result = app.test_cli_runner().invoke(args=["notify", "send"])
        assert result.output == "another sender of this installation is delivering; nothing to do\n"
        assert smtp_server.messages == []
    finally:
        other.release()
    result = app.test_cli_runner().invoke(args=["notify", "send"])
    assert result.output == "sent 1, failed 0, retrying later 0\n"


def _lock_holder(instance: Path) -> int:
    text = (instance / "outbox-sender.lock").read_text() if (instance / "outbox-sender.lock").exists() else ""
    return int(text) if text.strip() else 0


def _parent(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


def test_two_gunicorn_workers_run_one_sender_and_another_takes_over(start_server, tmp_path):
    server = start_server(workers=2, MAIL_BACKGROUND="1")
    instance = tmp_path / "instance"
    _wait_until(lambda: _lock_holder(instance) != 0)
    holder = _lock_holder(instance)
    assert _parent(holder) == server.process.pid           # a worker holds it, not the master
    assert delivery.SenderLock(instance).acquire() is False
    os.kill(holder, signal.SIGKILL)                          # the delivering worker dies
    _wait_until(lambda: _lock_holder(instance) not in (0, holder))
    assert _parent(_lock_holder(instance)) == server.process.pid
