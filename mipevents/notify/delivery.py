"""Delivering the outbox: claim a row atomically, build the message from its context, hand it to
SMTP (or write it to instance/mail/ in local use), mark it sent; on failure retry with backoff,
never drop it. A row is claimed by exactly one sender, and one sender per installation delivers
(SenderLock), so a claim is only ever swept back by the one process that could have made it."""
import fcntl
import logging
import os
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, NotSupportedError, ProgrammingError

from mipevents.core.database import lock_row
from mipevents.core.text import clean_text
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BUILDERS, BuiltMessage

log = logging.getLogger("mipevents.notify")

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# Recording an acceptance is retried this often (doubling) until it is written: never re-sent.
RECORD_RETRY_FIRST, RECORD_RETRY_LONGEST = 0.05, 5.0
LOCK_FILE = "outbox-sender.lock"


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    deferred: int = 0


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling up to an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


class SenderLock:
    """One sender per installation: an exclusive lock on instance/outbox-sender.lock (flock), held
    for as long as its process delivers. The kernel drops it when that process ends, however it
    ends, so another process takes over without a stale lease to expire. flock locks belong to the
    open file, so two threads of one process exclude each other too."""

    def __init__(self, instance_path: str):
        self.path = Path(instance_path) / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other sender holds it; True when this sender now holds it."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _release_stale_claims(now: datetime) -> None:
    """Offer again the rows of a sender that died between claiming and recording. Only the holder
    of the SenderLock delivers, and it records every acceptance before its next pass, so a claim
    older than MAIL_STALE_CLAIM_SECONDS is never one whose acceptance is still being recorded."""
    stale = timedelta(seconds=float(current_app.config["MAIL_STALE_CLAIM_SECONDS"]))
    # A `sending` row without a claim is one the server accepted and the database refused to
    # record in any other way (_record_unrecordable): never offered again.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at.is_not(None),
               OutboxMessage.claimed_at < now - stale)
        .values(status="pending", next_attempt_at=now)
    )


def _claim(message_id: int, now: datetime) -> bool:
    """Take the row for this sender; False when another sender took it first."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def message_id_for(msg: OutboxMessage) -> str:
    """Stable across retries, so a receiver that got it twice can tell."""
    host = urlparse(current_app.config["MIPEVENTS_BASE_URL"]).hostname or "mipevents.local"
    # Derived from the row alone (make_msgid adds the time and randomness, so a retry after a
    # connection lost past the server's "250 OK" would have carried a different id).
    return msg.message_id or f"<outbox.{msg.id}.{int(msg.created_at.timestamp())}@{host}>"


def compose(msg: OutboxMessage, built: BuiltMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = msg.to_email
    email["Subject"] = clean_text(built.subject)   # one line whatever the data it was built from
    email["Date"] = format_datetime(msg.created_at)
    email["Message-ID"] = message_id_for(msg)
    if built.reply_to:
        email["Reply-To"] = built.reply_to
    for name, value in built.headers.items():
        email[name] = value
    email.set_content(built.text)
    if built.html:
        email.add_alternative(built.html, subtype="html")
    for attachment in built.attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, _, params = rest.partition(";")
        email.add_attachment(attachment.data, maintype=maintype, subtype=subtype.strip(),
                             filename=attachment.filename)
        if params.strip():
            part = email.get_payload()[-1]
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                if key:
                    part.set_param(key, value)
    return email


def _transport(email: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "file":
        folder = Path(config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        name = email["Message-ID"].strip("<>").replace("/", "_").replace("@", "_at_")
        (folder / f"{name}.eml").write_bytes(bytes(email))
        log.info("email to %s written to %s: %s", email["To"], folder, email["Subject"])
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _scrub(context: dict) -> dict:
    """The outbox keeps a private link only until its message is sent."""
    return {k: v for k, v in context.items() if not k.endswith("_token")}


def deliver(msg: OutboxMessage, now: datetime) -> bool:
    """Build and send one claimed message; True if the server accepted it."""
    builder = BUILDERS.get(msg.kind)
    try:
        if builder is None:
            raise LookupError(f"no message builder for {msg.kind!r}")
        built = builder(msg)
        # The private links the builder made exist before the email that carries them leaves (an
        # attempt that then fails leaves links nobody ever received).
        db.session.commit()
        email = compose(msg, built)
        _transport(email)
    except Exception as exc:  # every failure is recorded on the row and retried
        db.session.rollback()
        msg = db.session.get(OutboxMessage, msg.id)
        msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if msg.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            msg.status = "failed"
            log.error("email %s to %s failed for good: %s", msg.id, msg.to_email, msg.last_error)
        else:
            msg.status = "pending"
            msg.next_attempt_at = now + retry_delay(msg.attempts)
            log.warning("email %s to %s will be retried: %s", msg.id, msg.to_email, msg.last_error)
        db.session.commit()
        return False
    _record_sent(msg.id, subject=clean_text(built.subject)[:300], message_id=email["Message-ID"])
    return True


def is_transient(exc: BaseException) -> bool:
    """Whether a failure to write may pass if tried again: a locked or busy database, a lost
    connection, a failover's read-only moment, a serialisation conflict. A refused value (too long,
    a constraint, a type the column cannot hold) or a bug fails the same way every time."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    return not isinstance(exc, (DataError, IntegrityError, ProgrammingError, NotSupportedError))


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except DBAPIError:   # the connection itself is gone: the next attempt takes a new one
        db.session.remove()


def _until_written(write: Callable[[], None], row_id: int, what: str) -> BaseException | None:
    """Run `write` (one transaction, committed inside it) until it succeeds, waiting out a locked or
    unreachable database (a busy SQLite, a PostgreSQL failover) with doubling pauses. Returns the
    failure that trying again cannot cure (the database refuses what is written), else None."""
    wait = RECORD_RETRY_FIRST
    while True:
        try:
            db.session.rollback()
            write()
            return None
        except Exception as exc:  # noqa: BLE001 (sorted here: retried, or handed back to the caller)
            _rollback_quietly()
            if not is_transient(exc):
                return exc
            log.warning("email %s was accepted; %s failed (%s), retrying in %.2f s", row_id, what,
                        type(exc.orig).__name__ if exc.orig is not None else exc, wait)
            time.sleep(wait)
            wait = min(wait * 2, RECORD_RETRY_LONGEST)


def _record_sent(row_id: int, *, subject: str, message_id: str) -> None:
    """The server accepted the message: write that down, however long the database stays locked
    or unreachable. Giving up would leave the row `sending` for the stale-claim sweep to send
    again; only a crash here may cause one resend, with the same Message-ID. Each attempt is a
    fresh transaction taking the write lock first (BEGIN IMMEDIATE on SQLite), so it cannot fail to
    upgrade a read snapshot.

    A failure that trying again cannot cure (the database refuses what is written) ends the loop:
    the row is marked `failed` with the reason, so it is neither retried forever nor sent again."""
    def write():
        msg = lock_row(OutboxMessage, row_id)
        if msg is None:   # erased while it was on its way: nothing is left to record or resend
            db.session.rollback()
            return
        msg.status = "sent"
        msg.sent_at = utcnow()
        msg.subject = subject
        msg.message_id = message_id
        msg.context = _scrub(msg.context)
        msg.last_error = ""
        db.session.commit()

    refused = _until_written(write, row_id, "recording it")
    if refused is not None:
        _record_unrecordable(row_id, refused)


def _record_unrecordable(row_id: int, exc: BaseException) -> None:
    """The server accepted the message but the database refuses its record: mark the row `failed`
    (terminal: no sender takes it again) with the reason, in the smallest write there is, itself
    retried while the database is only unavailable. If even that is refused, the row only loses
    its claim (a nullable column no constraint reads): it stays `sending` with no claim, which the
    stale-claim sweep never offers again."""
    reason = (f"accepted by the mail server but not recorded as sent: {type(exc).__name__}: "
              f"{str(exc).splitlines()[0] if str(exc) else ''}")[:2000]
    log.error("email %s was accepted; recording it is refused for good: %s", row_id, reason)

    def mark_failed():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id)
                           .values(status="failed", sent_at=utcnow(), last_error=reason))
        db.session.commit()

    again = _until_written(mark_failed, row_id, "recording its failure")
    if again is not None:
        log.error("email %s: even its failure cannot be recorded (%s); it keeps no claim, so it "
                  "is never sent again", row_id, again)
        _drop_claim(row_id)


def _drop_claim(row_id: int) -> None:
    """The last resort of _record_unrecordable: clear the row's claim and nothing else, retried
    while the database is only unavailable."""
    def clear_claim():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(claimed_at=None))
        db.session.commit()

    again = _until_written(clear_claim, row_id, "clearing its claim")
    if again is not None:
        log.critical("email %s was accepted and nothing about it can be recorded: the stale-claim "
                     "sweep may send it again: %s", row_id, again)


def send_pending(limit: int = 500, now: datetime | None = None) -> DeliveryResult:
    """Deliver what is due, once each; returns counts. Call it as the installation's one sender
    (holding the SenderLock: run_worker and `notify send` do), since it sweeps stale claims."""
    now = now or utcnow()
    result = DeliveryResult()
    _release_stale_claims(now)
    db.session.commit()
    due = db.session.execute(
        select(OutboxMessage.id).where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)
    ).scalars().all()
    for message_id in due:
        if not _claim(message_id, now):
            continue
        msg = db.session.get(OutboxMessage, message_id)
        if deliver(msg, now):
            result.sent += 1
        elif msg.status == "failed":
            result.failed += 1
        else:
            result.deferred += 1
    return result


def run_worker(interval: float = 5.0, stop: threading.Event | None = None, *,
               before_each_pass: Callable[[], object] | None = None) -> None:
    """Deliver until stopped: at once while there is work, every `interval` seconds when idle.
    Only while holding the installation's SenderLock; until then it waits for it (another process
    delivers), and takes over when that process ends. `before_each_pass` queues what is due first
    (the caller's choice: session change notices, workflows.change_notices)."""
    stop = stop or threading.Event()
    lock = SenderLock(current_app.instance_path)
    try:
        while not stop.is_set():
            if not lock.acquire():
                stop.wait(interval)
                continue
            try:
                if before_each_pass is not None:
                    before_each_pass()
                result = send_pending()
            except Exception:  # a database hiccup must not end the worker
                log.exception("outbox pass failed")
                db.session.rollback()
                result = DeliveryResult()
            db.session.remove()
            if not (result.sent or result.failed):
                stop.wait(interval)
    finally:
        lock.release()


def start_background(app, interval: float = 2.0, stop: threading.Event | None = None, *,
                     before_each_pass: Callable[[], object] | None = None) -> threading.Thread:
    """For `make run`: a daemon thread in each web process; the SenderLock lets one of them deliver."""
    def loop():
        with app.app_context():
            run_worker(interval=interval, stop=stop, before_each_pass=before_each_pass)

    thread = threading.Thread(target=loop, name="outbox-delivery", daemon=True)
    thread.start()
    return thread
