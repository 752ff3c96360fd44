"""Migrations upgrade a database that already holds data, on every backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from pontive.core import migrate
from pontive.core.db import Database
from tests.conftest import _fresh_database_url


@pytest.fixture
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    for url in _fresh_database_url(tmp_path_factory, "migrate"):
        database = Database(url)
        yield database
        database.dispose()


def test_upgrading_keeps_rows_that_point_at_altered_tables(empty_database: Database) -> None:
    engine = empty_database.engine
    migrate.upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO perangkat_daerah (kode, singkatan, nama, jenis, is_active) "
                "VALUES ('pupr', 'PUPR', 'Dinas PUPR', 'dinas', true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO users (username, full_name, password_hash, role, pd_kode, "
                "is_active, created_at, failed_logins) VALUES ('budi', 'Budi', 'x', "
                "'petugas_pd', 'pupr', true, '2026-11-01 00:00:00+00:00', 0)"
            )
        )
    # 0003 adds a column to perangkat_daerah, which SQLite does by copying the table.
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pd_kode FROM users")).scalar_one() == "pupr"
        if empty_database.is_sqlite:
            # Enforcement is back on for whoever gets this pooled connection next.
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    migrate.check(engine)
