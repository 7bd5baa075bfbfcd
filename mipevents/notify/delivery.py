"""Delivering the outbox: claim a row atomically, build the message from its context, hand it to
SMTP (or write it to instance/mail/ in local use), mark it sent; on failure retry with backoff,
never drop it. Any number of senders may run: a row is claimed by exactly one."""
import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app
from sqlalchemy import select, update

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BUILDERS, BuiltMessage

log = logging.getLogger("mipevents.notify")

# A claim older than this belongs to a sender that died mid-way: the row is offered again.
STALE_CLAIM = timedelta(minutes=10)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    deferred: int = 0


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling up to an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM)
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
    email["Subject"] = built.subject
    email["Date"] = format_datetime(msg.created_at)
    email["Message-ID"] = message_id_for(msg)
    if built.reply_to:
        email["Reply-To"] = built.reply_to
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
    msg.status = "sent"
    msg.sent_at = utcnow()
    msg.subject = built.subject[:300]
    msg.message_id = email["Message-ID"]
    msg.context = _scrub(msg.context)
    msg.last_error = ""
    db.session.commit()
    return True


def send_pending(limit: int = 500, now: datetime | None = None) -> DeliveryResult:
    """Deliver what is due, once each; returns counts."""
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


def run_worker(interval: float = 5.0, stop: threading.Event | None = None) -> None:
    """Deliver until stopped: at once while there is work, every `interval` seconds when idle."""
    from mipevents.registration.notices import queue_due_change_notices

    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            queue_due_change_notices()
            result = send_pending()
        except Exception:  # a database hiccup must not end the worker
            log.exception("outbox pass failed")
            db.session.rollback()
            result = DeliveryResult()
        db.session.remove()
        if not (result.sent or result.failed):
            stop.wait(interval)


def start_background(app, interval: float = 2.0) -> threading.Thread:
    """For `make run`: deliver from a daemon thread of the web process."""
    def loop():
        with app.app_context():
            run_worker(interval=interval)

    thread = threading.Thread(target=loop, name="outbox-delivery", daemon=True)
    thread.start()
    return thread
