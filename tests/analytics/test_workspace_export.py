"""The Parquet export: Hive partitions, the manifest, and the atomic swap of ``current``."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Column, Integer, MetaData, Table
from sqlalchemy.orm import Session

from pontive import __version__
from pontive.analytics import workspace_engine, workspace_export
from pontive.analytics.workspace_catalog import TABLES, ExportTable
from pontive.analytics.workspace_manifest import (
    CURRENT,
    SNAPSHOTS,
    current_manifest,
    current_snapshot,
    load_manifest,
)
from pontive.core.timeutil import utcnow
from tests.analytics.test_workspace_support import add_complaint, export_to


def test_export_writes_hive_partitions_and_a_manifest(session: Session, tmp_path: Path) -> None:
    add_complaint(session, 1)
    manifest = export_to(session, tmp_path)
    year = utcnow().year if utcnow().month > 1 else None  # the report is ten days old
    complaints = manifest.table("complaints")
    assert complaints is not None
    assert complaints.partitioned_by == ("year",)
    parts = sorted(
        p.relative_to(manifest.snapshot)
        for p in (manifest.snapshot / "complaints").rglob("*.parquet")
    )
    assert len(parts) == 1
    assert parts[0].parts[1].startswith("year=")
    if year is not None:
        assert parts[0] == Path("complaints", f"year={year}", "part-0.parquet")
    assert complaints.rows == 1
    raw = json.loads((manifest.snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert raw["platform_version"] == __version__
    assert raw["source"] == "pontive database (sqlite)" or raw["source"].startswith(
        "pontive database"
    )
    assert raw["generated_at"] == manifest.generated_at
    assert {table["name"] for table in raw["tables"]} >= {spec.name for spec in TABLES}
    types = {c["name"]: c["type"] for c in raw["tables"][0]["columns"]}
    assert types["created_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["due_on"] == "DATE"
    assert types["is_overdue"] == "BOOLEAN"
    assert types["year"] == "INTEGER"


def test_every_exported_column_and_table_is_described(session: Session, tmp_path: Path) -> None:
    manifest = export_to(session, tmp_path)
    missing = [
        f"{table.name}.{column.name}"
        for table in manifest.tables
        for column in table.columns
        if not column.description_id or not column.description_en
    ]
    assert missing == []
    assert all(table.description_id and table.description_en for table in manifest.tables)


def test_a_table_without_rows_is_still_a_readable_table(session: Session, tmp_path: Path) -> None:
    manifest = export_to(session, tmp_path)
    usage = manifest.table("opendata_usage")
    assert usage is not None
    assert usage.rows == 0
    result = workspace_engine.run(manifest, "SELECT count(*) AS n FROM opendata_usage")
    assert result.rows == [(0,)]
    hourly = manifest.table("observations_hourly")  # partitioned, and empty in this database
    assert hourly is not None
    assert hourly.rows == 0
    assert workspace_engine.run(manifest, "SELECT * FROM observations_hourly").row_count == 0


def test_overdue_and_sla_are_computed_as_of_the_export(session: Session, tmp_path: Path) -> None:
    add_complaint(session, 1, due_days=-2)  # open, past due
    add_complaint(session, 2, due_days=5)  # open, not yet due
    manifest = export_to(session, tmp_path)
    result = workspace_engine.run(
        manifest, "SELECT tracking_number, is_overdue FROM complaints ORDER BY 1"
    )
    assert result.rows == [("PTK-T-000001", True), ("PTK-T-000002", False)]


def test_a_new_export_becomes_current_and_the_one_before_stays_for_readers(
    session: Session, tmp_path: Path
) -> None:
    first = export_to(session, tmp_path)
    assert current_snapshot(tmp_path) == first.snapshot
    assert (tmp_path / CURRENT).is_symlink()
    second = export_to(session, tmp_path)
    assert current_snapshot(tmp_path) == second.snapshot != first.snapshot
    # A query that resolved the first export before the swap still reads it whole.
    assert workspace_engine.run(
        load_manifest(first.snapshot), "SELECT count(*) FROM kelurahan"
    ).rows
    third = export_to(session, tmp_path)
    kept = sorted(p.name for p in (tmp_path / SNAPSHOTS).iterdir())
    assert kept == sorted([second.snapshot.name, third.snapshot.name])


def test_the_session_is_left_as_it_was_for_the_writes_after_it(
    session: Session, tmp_path: Path
) -> None:
    # The demo writes after the export in the same session: were the batches' streaming option
    # left on the connection, every later INSERT on PostgreSQL would become a server cursor.
    export_to(session, tmp_path)
    assert "yield_per" not in session.connection().get_execution_options()
    assert "stream_results" not in session.connection().get_execution_options()


def test_a_failed_export_leaves_the_current_one_and_no_half_written_folder(
    session: Session, tmp_path: Path
) -> None:
    good = export_to(session, tmp_path)
    missing = Table("no_such_table", MetaData(), Column("id", Integer, primary_key=True))
    broken = [*TABLES[:3], ExportTable("broken", missing, ("Rusak", "Broken"))]
    with pytest.raises(Exception, match="no_such_table"):
        workspace_export.export(session, tmp_path, tables=broken)
    session.rollback()
    assert current_snapshot(tmp_path) == good.snapshot
    assert [p.name for p in (tmp_path / SNAPSHOTS).iterdir()] == [good.snapshot.name]
    manifest = current_manifest(tmp_path)
    assert manifest is not None
    assert manifest.generated_at == good.generated_at


def test_export_files_are_plain_parquet_for_other_engines(session: Session, tmp_path: Path) -> None:
    add_complaint(session, 1)
    manifest = export_to(session, tmp_path)
    # What Spark or Trino do: read the folder with Hive partition discovery.
    table = pq.read_table(manifest.snapshot / "complaints")
    assert table.num_rows == 1
    assert "year" in table.column_names
