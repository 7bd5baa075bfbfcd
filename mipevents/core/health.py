"""/healthz's database check: the database answers, and it can still write (a heartbeat row)."""
import logging
import threading
import time

from sqlalchemy import Column, Integer, String, select, update
from sqlalchemy.exc import SQLAlchemyError

from mipevents.core.database import insert_or_ignore
from mipevents.core.db_types import UTCDateTime
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db

log = logging.getLogger("mipevents")

# A write proves more than SELECT 1: a read-only or full database still answers reads.
WRITE_EVERY = 10.0   # seconds; at most one heartbeat per process in that time, never a queue of writers

# One row (id 1): when and by which process the database last took a write. Nothing reads it but
# people looking into an outage.
heartbeats = db.Table(
    "heartbeats", db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("process", String(100), nullable=False),
    Column("beat_at", UTCDateTime, nullable=False),
)


class ProcessHealth:
    """What this process last learned about the database's writes, and when (per app)."""

    def __init__(self, process: str):
        self.process = process[:100]
        self.lock = threading.Lock()
        self.checked_at: float | None = None
        self.writable = True

    def database_problem(self, engine) -> str | None:
        """None when the database answers and (checked at most every WRITE_EVERY seconds) takes a
        write; else "unreachable" or "read-only" (a read-only, full or otherwise refusing database)."""
        try:
            with engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return "unreachable"
        with self.lock:
            now = time.monotonic()
            if self.checked_at is None or now - self.checked_at >= WRITE_EVERY:
                self.writable = self._beat(engine)
                self.checked_at = now
            return None if self.writable else "read-only"

    def _beat(self, engine) -> bool:
        values = {"process": self.process, "beat_at": utcnow()}
        try:
            with engine.begin() as conn:
                if not conn.execute(update(heartbeats).where(heartbeats.c.id == 1).values(**values)).rowcount:
                    conn.execute(insert_or_ignore(heartbeats, ["id"], conn.dialect.name).values(id=1, **values))
        except SQLAlchemyError as exc:
            log.error("healthz: the database refused the heartbeat: %s", exc)
            return False
        return True
