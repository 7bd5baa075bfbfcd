"""Database plumbing: SQLite made safe for several processes, and row locks that work on both
SQLite and PostgreSQL."""
import contextvars

from sqlalchemy import event, select

from mipevents.extensions import db

# When set, the next transaction SQLite begins is BEGIN IMMEDIATE (takes the write lock up front).
_immediate_next = contextvars.ContextVar("sqlite_immediate_next", default=False)


def configure_engine(engine) -> None:
    """WAL, a busy timeout and foreign keys for SQLite; transactions begun by us, not by pysqlite
    (whose implicit BEGIN would read outside the transaction and let two processes oversell)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if _immediate_next.get():
            _immediate_next.set(False)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def lock_row(model, row_id):
    """Begin holding the write lock for `model` row `row_id` and return the row, fresh.

    PostgreSQL: SELECT … FOR UPDATE inside the current transaction. SQLite has no row locks: the
    transaction so far must hold only reads, and is ended so that a new one starts with
    BEGIN IMMEDIATE, which serialises writers across processes. Call it before writing anything."""
    if is_sqlite():
        if db.session.new or db.session.dirty or db.session.deleted:
            raise RuntimeError("lock_row on SQLite must come before any write in the transaction")
        db.session.commit()   # ends the read-only transaction; nothing is written
        _immediate_next.set(True)
        row = db.session.execute(
            select(model).where(model.id == row_id).execution_options(populate_existing=True)
        ).scalar_one_or_none()
        return row
    return db.session.execute(
        select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
