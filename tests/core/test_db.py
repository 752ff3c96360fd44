"""Database layer: models match migrations, SQLite pragmas and write gate, aware UTC instants."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from pontive.core import migrate
from pontive.core.db import Database, normalise_url
from pontive.core.models import ApiKey
from pontive.core.roles import Role


def test_models_and_migrations_agree(database: Database) -> None:
    # `alembic check`: a model change without a migration fails here.
    migrate.check(database.engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("SQLite pragmas only apply to the embedded backend")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_instants_come_back_aware_in_utc(session: Session) -> None:
    wib = timezone(timedelta(hours=7))
    created = datetime(2026, 12, 8, 9, 45, tzinfo=wib)
    key = ApiKey(
        name="gauge", prefix="pk_x", key_hash="0" * 64, role=Role.OPERATOR, created_at=created
    )
    session.add(key)
    session.flush()
    session.expire_all()
    stored = session.get(ApiKey, key.id)
    assert stored is not None
    assert stored.created_at == created
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(session: Session) -> None:
    key = ApiKey(
        name="naive",
        prefix="pk_y",
        key_hash="1" * 64,
        role=Role.OPERATOR,
        created_at=datetime(2026, 1, 1),  # noqa: DTZ001 - a naive value is the point here
    )
    session.add(key)
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    key = ApiKey(
        name="bad-pd",
        prefix="pk_z",
        key_hash="2" * 64,
        role=Role.PETUGAS_PD,
        pd_kode="tidak-ada",
        created_at=datetime.now(UTC),
    )
    session.add(key)
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        session.flush()


def test_plain_postgresql_urls_use_psycopg() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def _gate_of(database: Database) -> threading.Lock:
    with database.engine.connect() as connection:
        dbapi_connection = connection.connection.dbapi_connection
        gate = getattr(dbapi_connection, "gate", None)
    assert isinstance(gate, type(threading.Lock()))
    return gate


def test_sqlite_writers_in_one_process_share_a_gate_held_only_inside_a_write(
    tmp_path: Path,
) -> None:
    first = Database(f"sqlite:///{tmp_path / 'gate.db'}")
    second = Database(f"sqlite:///{tmp_path / 'gate.db'}")
    try:
        gate = _gate_of(first)
        assert _gate_of(second) is gate
        with first.session(write=False) as reader:
            reader.execute(text("SELECT 1"))
            assert not gate.locked()  # readers never queue at the gate
        with first.begin() as writer:
            writer.execute(text("CREATE TABLE t (n INTEGER)"))
            assert gate.locked()
        assert not gate.locked()  # released by the commit
        with first.session() as writer:
            writer.execute(text("INSERT INTO t VALUES (1)"))
            assert gate.locked()
            writer.rollback()
            assert not gate.locked()  # released by the rollback
        with second.session() as writer:
            writer.execute(text("INSERT INTO t VALUES (2)"))
            assert gate.locked()
        assert not gate.locked()  # released when the session closes without committing
        with first.session(write=False) as reader:
            assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    finally:
        first.dispose()
        second.dispose()


def test_concurrent_sqlite_writers_all_commit(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'busy.db'}")
    with database.begin() as session:
        session.execute(text("CREATE TABLE t (thread INTEGER, n INTEGER)"))

    def write(thread: int) -> None:
        for n in range(25):
            with database.begin() as session:
                session.execute(text("INSERT INTO t VALUES (:t, :n)"), {"t": thread, "n": n})

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(write, range(8)))
        with database.session(write=False) as session:
            assert session.execute(text("SELECT count(*) FROM t")).scalar_one() == 200
    finally:
        database.dispose()


def test_dispose_waits_for_a_connection_still_out_then_closes_it(tmp_path: Path) -> None:
    # A request's session is closed after its response is sent, maybe after shutdown began.
    database = Database(f"sqlite:///{tmp_path / 'late.db'}")
    session = database.session(write=False)
    session.execute(text("SELECT 1"))
    raw = session.connection().connection.driver_connection
    late = threading.Timer(0.2, session.close)
    late.start()
    database.dispose(wait_seconds=5.0)
    late.join()
    assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not left for the collector
        raw.execute("SELECT 1")


def test_a_connection_returned_after_dispose_is_closed_and_the_engine_goes_on(
    tmp_path: Path,
) -> None:
    # A streamed response's session may close after shutdown closed the pool: its connection
    # must close then, not wait in the old pool for the garbage collector.
    database = Database(f"sqlite:///{tmp_path / 'after.db'}")
    session = database.session(write=False)
    session.execute(text("SELECT 1"))
    raw = session.connection().connection.driver_connection
    database.dispose()  # no wait: the connection is still out
    raw.execute("SELECT 1")  # still usable by its session until it is returned
    session.close()
    with pytest.raises(sqlite3.ProgrammingError):
        raw.execute("SELECT 1")
    with database.session(write=False) as again:  # the fresh pool keeps its connections open
        again.execute(text("SELECT 1"))
        kept = again.connection().connection.driver_connection
    kept.execute("SELECT 1")
    database.dispose()


def test_fifteen_concurrent_sqlite_sessions_reuse_their_connections(tmp_path: Path) -> None:
    # Fifteen requests at once (a load test's connections) each hold a session; when they
    # come back the pool keeps their connections instead of closing all but five, so the
    # next fifteen open none (opening one runs four PRAGMAs: dearer than the usual query).
    with Database(f"sqlite:///{tmp_path / 'busy.db'}") as database:
        opened: list[object] = []
        event.listen(database.engine, "connect", lambda connection, _record: opened.append(1))
        barrier = threading.Barrier(15)

        def request() -> None:
            with database.session(write=False) as session:
                session.execute(text("SELECT 1"))
                barrier.wait(timeout=10)  # all fifteen hold their connection at once

        for _wave in range(2):
            with ThreadPoolExecutor(max_workers=15) as pool:
                for future in [pool.submit(request) for _ in range(15)]:
                    future.result()
        assert len(opened) == 15


def test_an_in_memory_sqlite_database_keeps_one_connection_per_thread() -> None:
    # SQLAlchemy's pool for an in-memory database takes no pool size: none is passed.
    with Database("sqlite://") as database, database.session(write=False) as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
