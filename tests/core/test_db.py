"""Database layer: migrations match the models, SQLite pragmas, aware UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
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
