"""The query engine: results over the export, and a connection that can read nothing else,
write nothing, attach nothing and change no setting, even when the guard is bypassed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pontive.analytics import workspace_engine
from pontive.analytics.workspace_engine import Limits
from pontive.analytics.workspace_guard import QueryRefused
from pontive.analytics.workspace_manifest import Manifest
from pontive.core.db import Database
from tests.analytics.test_workspace_support import export_to


@pytest.fixture(scope="module")
def manifest(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """An export of the run's seeded database (reference lists, categories)."""
    with database.session(write=False) as session:
        return export_to(session, tmp_path_factory.mktemp("export"))


@pytest.fixture
def connection(manifest: Manifest) -> Iterator[duckdb.DuckDBPyConnection]:
    """The engine's locked-down connection itself, for statements the guard would refuse."""
    connection = workspace_engine.connect(manifest)
    yield connection
    connection.close()


def test_a_query_returns_columns_rows_count_and_time(manifest: Manifest) -> None:
    result = workspace_engine.run(
        manifest,
        "SELECT k.nama_umum AS kecamatan, count(*) AS kelurahan FROM kelurahan l "
        "JOIN kecamatan k ON k.kode = l.kecamatan_kode GROUP BY 1 ORDER BY 1",
    )
    assert [(c.name, c.type) for c in result.columns] == [
        ("kecamatan", "VARCHAR"),
        ("kelurahan", "BIGINT"),
    ]
    assert result.row_count == len(result.rows) == 6
    assert sum(n for _name, n in result.rows) == 29
    assert not result.truncated
    assert result.elapsed_ms > 0
    assert result.export_generated_at == manifest.generated_at


def test_only_the_first_rows_are_kept_but_all_are_counted(manifest: Manifest) -> None:
    result = workspace_engine.run(manifest, "SELECT * FROM range(2500) r", Limits(max_rows=1000))
    assert len(result.rows) == 1000
    assert result.row_count == 2500
    assert result.truncated


def test_times_come_out_in_wib(manifest: Manifest) -> None:
    result = workspace_engine.run(manifest, "SELECT TIMESTAMPTZ '2026-11-30 17:30:00+00' AS t")
    (moment,) = result.rows[0]
    assert moment.isoformat() == "2026-12-01T00:30:00+07:00"


def test_a_query_past_its_time_limit_is_stopped(manifest: Manifest) -> None:
    with pytest.raises(QueryRefused, match="Query stopped") as refused:
        workspace_engine.run(
            manifest,
            "SELECT count(*) FROM range(1000000000) a, range(1000000) b",
            Limits(timeout_seconds=0.3),
        )
    assert "0.3 s limit" in refused.value.message_en


def test_an_error_of_the_engine_is_shown(manifest: Manifest) -> None:
    with pytest.raises(QueryRefused, match='Referenced column "nope" not found'):
        workspace_engine.run(manifest, "SELECT nope FROM kelurahan")


def test_csv_holds_the_whole_result_up_to_its_cap(manifest: Manifest) -> None:
    body, cut = workspace_engine.csv_bytes(
        manifest, "SELECT kode, nama_umum FROM kecamatan ORDER BY kode"
    )
    lines = body.decode().splitlines()
    assert lines[0] == '"kode","nama_umum"'
    assert len(lines) == 7
    assert not cut
    body, cut = workspace_engine.csv_bytes(
        manifest, "SELECT * FROM range(50) r", Limits(max_csv_rows=20)
    )
    assert len(body.decode().splitlines()) == 21
    assert cut


def test_it_cannot_read_a_file_outside_the_export(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, manifest: Manifest
) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("secret\n42\n", encoding="utf-8")
    # Paths of the test's own folders, put into SQL on purpose.
    for sql in (
        f"SELECT * FROM read_csv('{outside}')",  # noqa: S608 - the test's own path
        f"SELECT * FROM '{outside}'",  # noqa: S608 - the test's own path
        f"SELECT * FROM read_text('{outside}')",  # noqa: S608 - the test's own path
        f"SELECT * FROM glob('{tmp_path}/*')",  # noqa: S608 - the test's own path
        # Not even the export's own files by path: only through the registered tables.
        f"SELECT * FROM read_parquet('{manifest.snapshot}/kelurahan/*.parquet')",  # noqa: S608 - the test's own path
    ):
        with pytest.raises(duckdb.PermissionException):
            connection.execute(sql).fetchall()


def test_it_cannot_write_a_file(
    connection: duckdb.DuckDBPyConnection, tmp_path: Path, manifest: Manifest
) -> None:
    for target in (tmp_path / "out.csv", manifest.snapshot / "kelurahan" / "extra.parquet"):
        with pytest.raises(duckdb.PermissionException):
            connection.execute(f"COPY (SELECT 1) TO '{target}'")
        assert not target.exists()


def test_it_cannot_attach_the_platform_database(
    connection: duckdb.DuckDBPyConnection, database: Database
) -> None:
    path = database.engine.url.database or "pontive.db"
    with pytest.raises(duckdb.PermissionException):
        connection.execute(f"ATTACH '{path}' AS platform (TYPE sqlite)")
    attempt = f"SELECT * FROM sqlite_scan('{path}', 'users')"  # noqa: S608 - the run's DB
    with pytest.raises((duckdb.PermissionException, duckdb.CatalogException)):
        connection.execute(attempt).fetchall()


def test_it_cannot_change_a_setting_or_load_an_extension(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    for sql in (
        "SET enable_external_access = true",
        "SET memory_limit = '100GB'",
        "SET threads = 64",
        "SET lock_configuration = false",
        "RESET enable_external_access",
    ):
        with pytest.raises(duckdb.InvalidInputException, match="configuration has been locked"):
            connection.execute(sql)
    with pytest.raises(duckdb.PermissionException):
        connection.execute("INSTALL httpfs")
    with pytest.raises(duckdb.PermissionException):
        connection.execute("LOAD httpfs")
    settings = dict(
        connection.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('enable_external_access', 'lock_configuration', 'threads', 'temp_directory')"
        ).fetchall()
    )
    assert settings == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "threads": "2",
        "temp_directory": "",
    }


def test_it_cannot_reach_python_objects_by_name(connection: duckdb.DuckDBPyConnection) -> None:
    import pyarrow as pa

    leaked = pa.table({"secret": [42]})  # a replacement scan would find this local by name
    assert leaked.num_rows == 1
    with pytest.raises(duckdb.CatalogException):
        connection.execute("SELECT * FROM leaked").fetchall()


def test_no_export_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(workspace_engine.NoExport) as refused:
        workspace_engine.require_manifest(tmp_path)
    assert "pontive analytics export" in refused.value.message_en
