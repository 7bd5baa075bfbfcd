"""Database plumbing: SQLite made safe for several processes, and row locks that work on both
SQLite and PostgreSQL."""
import contextvars

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite

from mipevents.extensions import db

# When set, the next transaction SQLite begins is BEGIN IMMEDIATE (takes the write lock up front).
_immediate_next = contextvars.ContextVar("sqlite_immediate_next", default=False)
# Set on a SQLite connection whose transaction began IMMEDIATE: it holds the database's write lock.
WRITE_LOCKED = "mipevents_write_locked"


def configure_engine(engine) -> None:
    """WAL, a busy timeout, foreign keys and a lower() for every letter for SQLite; transactions begun
    by us, not by pysqlite (whose implicit BEGIN would read outside the transaction and let two
    processes oversell)."""
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
        # SQLite's own lower() folds ASCII letters only; PostgreSQL's folds every letter. The same
        # searches (the check-in desk, speakers) and matches (erasure by address) on both.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if _immediate_next.get():
            _immediate_next.set(False)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.info[WRITE_LOCKED] = True
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn):
        conn.info.pop(WRITE_LOCKED, None)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _holds_write_lock() -> bool:
    session = db.session()
    return session.in_transaction() and bool(session.connection().info.get(WRITE_LOCKED))


def lock_row(model, row_id, *, allow_children: bool = False):
    """Begin holding the write lock for `model` row `row_id` and return the row, fresh.

    PostgreSQL: SELECT … FOR UPDATE inside the current transaction; with `allow_children`, FOR NO
    KEY UPDATE, the lock an UPDATE of the row takes: lockers still queue one at a time, but it
    does not wait for transactions that only inserted rows pointing at this one (their foreign key
    check holds a KEY SHARE lock). A caller that inserts such a row before locking must use it, or
    two of them deadlock. SQLite has no row locks: the transaction so far must hold only reads, and
    is ended so that a new one starts with BEGIN IMMEDIATE, which serialises writers across
    processes. Call it before writing anything there; once a transaction holds that lock, further
    calls in it (other rows, other events) only read the row."""
    if is_sqlite() and _holds_write_lock():
        return db.session.execute(
            select(model).where(model.id == row_id).execution_options(populate_existing=True)
        ).scalar_one_or_none()
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
        select(model).where(model.id == row_id).with_for_update(key_share=allow_children)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def insert_or_ignore(table, index_elements: list[str], dialect_name: str | None = None):
    """INSERT … ON CONFLICT (index_elements) DO NOTHING, on SQLite and PostgreSQL alike: a row that
    already exists (or is being inserted by a concurrent transaction, which this one waits for) is
    left alone, and `.returning()` then yields no row."""
    dialect = postgresql if (dialect_name or db.engine.dialect.name) == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=index_elements)


def prebuilt(build):
    """Decorate `build(dialect_name) -> statement` for a hot path: the Core statement is built once
    per database dialect and reused, which skips building it and computing its cache key on every
    request. Run it with `execute()` below."""
    built = {}

    def statement(dialect_name: str):
        if dialect_name not in built:
            built[dialect_name] = build(dialect_name)
        return built[dialect_name]
    return statement


def execute(statement, params=None):
    """Run a prebuilt statement (see `prebuilt`) on the session's connection, in its transaction.

    It bypasses the ORM: nothing is autoflushed first and objects already loaded are not updated,
    so use it for rows the session holds no objects of (flush first when it might)."""
    connection = db.session.connection()
    return connection.execute(statement(connection.dialect.name), params)
