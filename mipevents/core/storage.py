"""Where uploaded files are kept. By default in the database, on the row that describes the file, so
every app host serves it; with MIPEVENTS_UPLOAD_DIR set, in that directory (a volume every host
mounts), the row keeping only a key. A key names its backend ("fs:<name>"), so rows written under
one setting stay readable after a change: an object store is one more backend with its own prefix
(put, get, delete), listed in BACKENDS.

Files follow the database transaction that records them: one written for a transaction that rolls
back is deleted, and one whose row is removed is deleted only once that removal is committed."""
import logging
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("mipevents.storage")

IN_THE_ROW = ""   # the key of a file kept on its own row (the database backend)


class StorageProblem(RuntimeError):
    """A stored key names a backend this installation has not configured, or its file is gone."""


class Backend(Protocol):
    prefix: str

    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class FilesystemBackend:
    """Files under one directory, named by 128 random bits (never by anything a person typed), in 256
    subdirectories; written to a temporary name first, so a reader never sees half a file."""

    prefix = "fs"
    NAME = re.compile(r"^[0-9a-f]{32}$")

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        prefix, _, name = key.partition(":")
        if prefix != self.prefix or not self.NAME.match(name):
            raise StorageProblem(f"not a key of this store: {key!r}")
        return self.root / name[:2] / name

    def put(self, data: bytes) -> str:
        name = secrets.token_hex(16)
        folder = self.root / name[:2]
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return f"{self.prefix}:{name}"

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StorageProblem(f"the file {key!r} is missing from {self.root}") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


BACKENDS = {"fs": lambda config: FilesystemBackend(config["MIPEVENTS_UPLOAD_DIR"])
            if config.get("MIPEVENTS_UPLOAD_DIR") else None}


def _backend(prefix: str) -> Backend:
    make = BACKENDS.get(prefix)
    backend = make(current_app.config) if make is not None else None
    if backend is None:
        raise StorageProblem(f"files stored under “{prefix}:” need that store configured "
                             "(MIPEVENTS_UPLOAD_DIR for “fs:”)")
    return backend


def configured() -> str:
    """The backend new files go to: "fs" with MIPEVENTS_UPLOAD_DIR, else the database."""
    return "fs" if current_app.config.get("MIPEVENTS_UPLOAD_DIR") else "db"


def put(data: bytes, session: Session) -> str:
    """Keep `data` and return its key: IN_THE_ROW when the database holds files (the caller puts the
    bytes on its row), else the backend's key, the file deleted again if `session` rolls back."""
    if configured() == "db":
        return IN_THE_ROW
    key = _backend(configured()).put(data)
    session.info.setdefault("storage_written", []).append(key)
    return key


def get(key: str) -> bytes:
    return _backend(key.partition(":")[0]).get(key)


def delete_when_committed(key: str, session: Session) -> None:
    """Delete the file of `key` once `session` commits the removal of its row (nothing for IN_THE_ROW)."""
    if key != IN_THE_ROW:
        session.info.setdefault("storage_doomed", []).append(key)


def _delete_quietly(keys) -> None:
    """After the transaction has ended, a file that cannot be deleted is left behind (and logged):
    what the database now says stands either way."""
    for key in keys:
        try:
            _backend(key.partition(":")[0]).delete(key)
        except (StorageProblem, OSError) as problem:
            log.warning("could not delete the stored file %s: %s", key, problem)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    session.info.pop("storage_written", None)
    doomed = session.info.pop("storage_doomed", [])
    if doomed and has_app_context():
        _delete_quietly(doomed)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop("storage_doomed", None)
    written = session.info.pop("storage_written", [])
    if written and has_app_context():
        _delete_quietly(written)
