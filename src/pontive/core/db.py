"""Database engine, sessions, declarative base and shared column types.

SQLite (the embedded default) runs in WAL mode with foreign keys on; write transactions
start with ``BEGIN IMMEDIATE`` so that two writers queue instead of failing on upgrade.
Inside one process, writers to a file also queue on a lock (a "write gate") before that
``BEGIN``: SQLite's own busy handler would put a waiting writer to sleep for 1 to 100 ms at a
time, so concurrent writers in threads idled far longer than the transactions they waited for.
PostgreSQL runs from the very same Alembic migrations.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    MetaData,
    Table,
    create_engine,
    event,
    make_url,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import QueuePool
from sqlalchemy.types import TypeDecorator

# Stable constraint names let Alembic diff and drop constraints on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_OPTION = "pontive_write"
# How long a writer waits at the gate before it tries SQLite anyway (which then waits on its
# own busy timeout): a same-thread nested writer fails as it did without the gate.
GATE_TIMEOUT_SECONDS = 30.0


class Base(DeclarativeBase):
    """Declarative base for every Pontive table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def choice_column(cls: type[Any], length: int = 20) -> SAEnum:
    """A column type storing an enum's values (not its member names) as plain strings."""
    return SAEnum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class UTCDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC; SQLite's lost zone is restored on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware instants only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _prepare_sqlite_file(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)


_GATES: dict[str, threading.Lock] = {}
_GATES_LOCK = threading.Lock()


def _write_gate(database: str) -> threading.Lock | None:
    """The process-wide write gate of one SQLite file (none for in-memory databases)."""
    if not database or database == ":memory:" or "mode=memory" in database:
        return None
    key = str(Path(database).resolve()) if not database.startswith("file:") else database
    with _GATES_LOCK:
        return _GATES.setdefault(key, threading.Lock())


class _GatedConnection(sqlite3.Connection):
    """A pysqlite connection that opens its file's write gate when its transaction ends."""

    gate: threading.Lock | None = None
    holds_gate = False

    def enter_gate(self) -> None:
        if self.gate is None or self.holds_gate:
            return
        self.holds_gate = self.gate.acquire(timeout=GATE_TIMEOUT_SECONDS)

    def leave_gate(self) -> None:
        if self.holds_gate and self.gate is not None:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self.leave_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_gate()


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """Create the engine for ``url`` with the per-backend settings Pontive relies on."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        connect_args = {"check_same_thread": False, "timeout": 30, "factory": _GatedConnection}
        # Opening a connection (four PRAGMAs) costs more than the usual query, and the pool
        # closes every connection beyond its size when it comes back: with SQLAlchemy's
        # default of 5, sixteen concurrent requests opened a connection for most of them
        # (bench/opendata.py: 2.5 ms of server CPU a request instead of 1.5). An idle one
        # costs only its page cache, so the pool keeps three times the PostgreSQL size. (An
        # in-memory database has SQLAlchemy's one connection per thread, no such pool.)
        parsed = make_url(url)
        dialect = cast(type[DefaultDialect], parsed.get_dialect())
        queued = dialect.get_pool_class(parsed) is QueuePool
        pooled = {"pool_size": pool_size * 3, "max_overflow": pool_size * 2} if queued else {}
        engine = create_engine(url, connect_args=connect_args, **pooled)
        _configure_sqlite(engine, _write_gate(engine.url.database or ""))
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, gate: threading.Lock | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints work).
        dbapi_connection.isolation_level = None
        if isinstance(dbapi_connection, _GatedConnection):
            dbapi_connection.gate = gate
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN")
            return
        dbapi_connection = connection.connection.dbapi_connection
        gated = isinstance(dbapi_connection, _GatedConnection)
        if gated:
            dbapi_connection.enter_gate()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if gated:
                dbapi_connection.leave_gate()
            raise


class Database:
    """An engine plus the session factories for reading and for writing."""

    def __init__(self, url: str, *, pool_size: int = 5) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, pool_size=pool_size)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        # Ending a session on a SQLite file is local work of microseconds (a rollback that
        # writes nothing, the connection back to its pool): a request need not pay a trip to
        # the thread pool for it. Not so for a server's round trip, nor for an in-memory
        # database, whose pool holds one connection per thread.
        self.ends_in_place = self.is_sqlite and isinstance(self.engine.pool, QueuePool)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite backend."""
        return self.engine.dialect.name == "sqlite"

    def session(self, *, write: bool = True) -> Session:
        """A new session; ``write=False`` for read-only work that never queues behind writers."""
        return self._write() if write else self._read()

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A write session in one transaction, committed on success, rolled back on error."""
        with self.session(write=True) as session, session.begin():
            yield session

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        """``with Database(url) as database:`` closes its connections at the end (a command
        run in-process, in tests, must not leave them to the garbage collector)."""
        self.dispose()

    def dispose(self, *, wait_seconds: float = 0.0) -> None:
        """Close every pooled connection. With ``wait_seconds``, first give connections still
        checked out (a request finishing its clean-up) that long to come back; one that comes
        back later is closed as it does."""
        deadline = time.monotonic() + wait_seconds
        checked_out = getattr(self.engine.pool, "checkedout", None)
        while checked_out is not None and checked_out() > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        closed = self.engine.pool
        self.engine.dispose()  # the engine goes on with a fresh pool (it copies the listeners)
        # A connection still out of the closed pool is closed when it comes back instead of
        # waiting in that pool until the garbage collector finds it (psycopg's ResourceWarning,
        # at a random later moment); the second dispose closes any that came back meanwhile.
        event.listen(closed, "checkin", _close_on_checkin)
        closed.dispose()


def _close_on_checkin(_dbapi_connection: Any, record: Any) -> None:
    """Pool listener: close a connection returned to a pool that was closed."""
    record.close()


def copy_rows(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    binary_types: Sequence[str] | None = None,
) -> None:
    """``rows`` into ``table`` by PostgreSQL's ``COPY … FROM STDIN``, in the connection's
    transaction: many times faster than ``INSERT``s for bulk loads. Values go to the driver as
    they are (no SQLAlchemy type processing: the caller gives what the columns store).

    With ``binary_types`` (a PostgreSQL type name per column) the rows go in the binary
    format, which the driver writes in C: about a fifth of the client's CPU of the text
    format for rows of numbers and instants (measured: 2,000 rows, 1 against 5 ms). A ``json``
    column may be declared ``text`` and given JSON text: both are the same bytes in binary."""
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    if binary_types is not None:
        statement += " (FORMAT BINARY)"
    driver: Any = connection.connection.driver_connection  # psycopg's connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        if binary_types is not None:
            copy.set_types(list(binary_types))
        for row in rows:
            copy.write_row(row)


def copy_table_rows(
    connection: Connection,
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
) -> None:
    """``rows`` into ``table`` by ``COPY``: a value for each of ``columns`` (default: all the
    table's), each through its column type's bind processing, as an ``INSERT`` would take it."""
    chosen = [table.c[name] for name in columns] if columns is not None else list(table.columns)
    processors = [column.type.bind_processor(connection.dialect) for column in chosen]
    copy_rows(
        connection,
        table.name,
        [column.name for column in chosen],
        (
            [
                value if process is None or value is None else process(value)
                for value, process in zip(
                    (row[column.name] for column in chosen), processors, strict=True
                )
            ]
            for row in rows
        ),
    )
