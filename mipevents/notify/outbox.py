"""Queueing email: every message is an outbox row written in the caller's transaction.

Each `kind` has a builder, `build(msg: OutboxMessage) -> BuiltMessage`, listed in one table
(workflows.emails.BUILDERS) that create_app installs here. The builder runs at delivery time, from
the row's `context` (ids, raw link tokens), so the request that queues a message stays fast and
the message shows the state at sending."""
from dataclasses import dataclass, field

from sqlalchemy import insert

from mipevents.core.database import execute, insert_or_ignore, prebuilt
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person


@dataclass
class Attachment:
    filename: str
    content_type: str          # "text/calendar; method=PUBLISH"
    data: bytes


@dataclass
class BuiltMessage:
    subject: str
    text: str
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    reply_to: str = ""
    # Further headers, e.g. List-Unsubscribe on follow-up and bulk email.
    headers: dict = field(default_factory=dict)


# kind -> builder: the table of workflows.emails, installed by create_app (install_builders).
BUILDERS: dict = {}


def install_builders(table: dict) -> None:
    BUILDERS.update(table)


def enqueue(kind: str, to_email: str, context: dict | None = None, *, person: Person | None = None,
            dedupe_key: str | None = None) -> OutboxMessage:
    """Queue one message in the current transaction (flushed; the caller commits)."""
    msg = OutboxMessage(kind=kind, to_email=to_email, context=context or {},
                        person_id=person.id if person is not None else None, dedupe_key=dedupe_key)
    db.session.add(msg)
    db.session.flush()
    return msg


@dataclass
class Queued:
    """One message for enqueue_many: what enqueue takes, with the person by id."""
    kind: str
    to_email: str
    context: dict
    person_id: int | None = None
    # A message that must exist once only (per key): a second one with the same key is dropped.
    dedupe_key: str | None = None


@prebuilt
def _insert_messages(dialect_name: str):
    return insert(OutboxMessage.__table__)


@prebuilt
def _insert_message_once(dialect_name: str):
    return insert_or_ignore(OutboxMessage.__table__, ["dedupe_key"], dialect_name)


def enqueue_many(messages: list[Queued]) -> None:
    """Queue messages in the current transaction with one statement and no ORM objects (the caller
    commits): for hot paths that do not need the rows back."""
    if not messages:
        return
    now = utcnow()
    rows = [{"kind": m.kind, "to_email": m.to_email, "context": m.context, "person_id": m.person_id,
             "dedupe_key": m.dedupe_key, "status": "pending", "attempts": 0, "next_attempt_at": now,
             "claimed_at": None, "last_error": "", "message_id": "", "subject": "", "created_at": now, "sent_at": None}
            for m in messages]
    once = [row for row in rows if row["dedupe_key"] is not None]
    rows = [row for row in rows if row["dedupe_key"] is None]
    for row in once:
        execute(_insert_message_once, row)
    if rows:
        execute(_insert_messages, rows[0] if len(rows) == 1 else rows)   # one row: no executemany round trip
