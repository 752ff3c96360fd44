"""Leases: one worker at a time runs a singleton service, the others stand by.

Several ``pontive worker`` processes share one database. A service that must not run twice
(the alert rule evaluator, alert distribution, the camera health rounds, MQTT ingest without
a shared subscription) runs under a lease named after it:

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) held on a connection
  of its own, in autocommit (never "idle in transaction"). The server releases it when that
  connection ends, so a worker that dies or loses the database gives the lease up by itself;
- SQLite: an exclusive ``flock`` on ``<database file>.<name>.lease`` (released by the kernel
  when the process ends); an in-memory database has one process only, so its lease is always
  granted.

``still_held`` is asked every few seconds by the holder: a lost connection means the lock may
already be another worker's, so the service is stopped at once (``core/worker.py``).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import IO, Any, Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from pontive.core.db import Database

log = logging.getLogger(__name__)


class Lease(Protocol):
    """A named lock one process holds at a time."""

    name: str

    def try_acquire(self) -> bool:
        """Take the lease if it is free; never waits."""

    def still_held(self) -> bool:
        """Whether this process still holds it (False once its connection is gone)."""

    def release(self) -> None:
        """Give it up (idempotent)."""


def lock_key(name: str) -> int:
    """The signed 64-bit advisory lock key of a lease name (stable across processes)."""
    digest = hashlib.sha256(f"pontive.lease.{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLease:
    """A session advisory lock on a connection of its own."""

    def __init__(self, database: Database, name: str) -> None:
        self.name = name
        self.key = lock_key(name)
        self._database = database
        self._connection: Any = None

    def try_acquire(self) -> bool:
        self.release()
        try:
            connection = self._database.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        except SQLAlchemyError as error:
            log.warning("lease %s: database unavailable: %s", self.name, error)
            return False
        try:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar_one()
        except SQLAlchemyError as error:
            log.warning("lease %s: could not ask for the lock: %s", self.name, error)
            connection.invalidate()
            connection.close()
            return False
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid()"
                    " AND classid = ((:key >> 32) & 4294967295)::bigint::oid"
                    " AND objid = (:key & 4294967295)::bigint::oid AND objsubid = 1"
                ),
                {"key": self.key},
            ).scalar_one()
        except SQLAlchemyError as error:
            log.error("lease %s lost with its database connection: %s", self.name, error)
            self._drop(invalidate=True)
            return False
        return bool(held)

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except SQLAlchemyError:
            self._drop(invalidate=True)  # the server released it with the session
            return
        self._drop(invalidate=False)

    def _drop(self, *, invalidate: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if invalidate:
                connection.invalidate()
            connection.close()
        except SQLAlchemyError as error:  # a connection already gone; nothing left to free
            log.debug("lease %s: closing its connection: %s", self.name, error)


class FileLease:
    """An exclusive ``flock`` on a file beside the SQLite database."""

    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        self.path = path
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        self.release()
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        return True

    def still_held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


class ProcessLease:
    """An in-memory SQLite database lives in one process: the lease is always granted."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._held = False

    def try_acquire(self) -> bool:
        self._held = True
        return True

    def still_held(self) -> bool:
        return self._held

    def release(self) -> None:
        self._held = False


def lease_for(database: Database, name: str) -> Lease:
    """The lease called ``name`` on ``database``'s backend."""
    if not database.is_sqlite:
        return PostgresLease(database, name)
    path = database.engine.url.database or ""
    if not path or path == ":memory:" or path.startswith("file:"):
        return ProcessLease(name)
    return FileLease(Path(f"{path}.{name}.lease"), name)
