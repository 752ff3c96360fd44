"""Run one read-only query over the current export with DuckDB, contained.

Each query gets a fresh in-memory DuckDB connection. The export's tables are registered as
Arrow datasets that *we* open from the snapshot folder (pyarrow reads the Parquet files), so
DuckDB itself never needs the file system: once the tables are in, the connection is locked
down — ``enable_external_access = false`` (no file, URL, ``COPY``, ``ATTACH``, extension
install or load, nor a Python variable looked up by name), no spill folder
(``temp_directory = ''``), then ``lock_configuration = true`` so that no statement can change
a setting back. ``memory_limit`` and ``threads`` bound what one query takes, and a timer
interrupts the connection after ``timeout_seconds``. The statement guard
(``workspace_guard``) runs first and explains refusals. Times come out in WIB
(``TimeZone = 'Asia/Pontianak'``).
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.dataset as ds  # type: ignore[import-untyped]

from pontive.analytics import workspace_guard
from pontive.analytics.workspace_guard import refuse
from pontive.analytics.workspace_manifest import Manifest, TableInfo, current_manifest
from pontive.core.errors import Conflict


@dataclass(frozen=True, slots=True)
class Limits:
    """What one query may take."""

    timeout_seconds: float = 30.0
    memory_limit: str = "1GB"
    threads: int = 2
    max_rows: int = 1_000  # rows shown and returned by the API
    max_csv_rows: int = 100_000  # rows in a CSV download


DEFAULT_LIMITS = Limits()
_BATCH_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class ResultColumn:
    """A column of a result: its name and DuckDB type."""

    name: str
    type: str


@dataclass(frozen=True)
class QueryResult:
    """The first ``max_rows`` rows of a result, and how many there were in all."""

    columns: tuple[ResultColumn, ...]
    rows: list[tuple[Any, ...]]
    row_count: int
    truncated: bool
    elapsed_ms: float
    export_generated_at: str

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts (column name → value)."""
        names = [column.name for column in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


class NoExport(Conflict):
    """There is no export to query yet."""

    code = "no_export"
    default_id = "Belum ada ekspor. Jalankan `pontive analytics export` terlebih dahulu."
    default_en = "There is no export yet. Run `pontive analytics export` first."


def require_manifest(analytics_dir: Path) -> Manifest:
    """The current export's manifest, or ``NoExport``."""
    manifest = current_manifest(analytics_dir)
    if manifest is None:
        raise NoExport
    return manifest


@lru_cache(maxsize=256)
def _dataset(snapshot: Path, table: TableInfo) -> ds.Dataset:
    # A snapshot never changes once current, so its datasets are opened once per process.
    partitioning = (
        ds.partitioning(table.partition_schema(), flavor="hive") if table.partitioned_by else None
    )
    return ds.dataset(
        snapshot / table.path,
        schema=table.arrow_schema(),
        format="parquet",
        partitioning=partitioning,
    )


def connect(manifest: Manifest, limits: Limits = DEFAULT_LIMITS) -> duckdb.DuckDBPyConnection:
    """A locked-down in-memory connection with the export's tables (see the module doc)."""
    connection = duckdb.connect(
        ":memory:",
        config={
            "threads": limits.threads,
            "memory_limit": limits.memory_limit,
            "temp_directory": "",
            "python_enable_replacements": False,
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
        },
    )
    try:
        connection.execute("SET TimeZone = 'Asia/Pontianak'")
        for table in manifest.tables:
            connection.register(table.name, _dataset(manifest.snapshot, table))
        connection.execute("SET enable_external_access = false")
        connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


def _timed_out(limits: Limits) -> workspace_guard.QueryRefused:
    return refuse(
        f"Kueri dihentikan: melebihi batas waktu {limits.timeout_seconds:g} detik.",
        f"Query stopped: it ran longer than the {limits.timeout_seconds:g} s limit.",
    )


def _failed(error: duckdb.Error) -> workspace_guard.QueryRefused:
    message = str(error)
    return refuse(f"Kueri gagal: {message}", f"Query failed: {message}")


def _batches(
    manifest: Manifest, sql: str, limits: Limits
) -> Iterator[tuple[tuple[ResultColumn, ...], pa.RecordBatch | None]]:
    """Run ``sql`` (guarded) and yield its batches, each with the result's columns (first a
    ``None`` batch, so that a result without rows still says its columns)."""
    text = workspace_guard.check(sql, (table.name for table in manifest.tables))
    connection = connect(manifest, limits)
    timer = threading.Timer(limits.timeout_seconds, connection.interrupt)
    timer.start()
    try:
        relation = connection.sql(text)
        columns = tuple(
            ResultColumn(name, str(kind))
            for name, kind in zip(relation.columns, relation.types, strict=True)
        )
        yield columns, None
        for batch in relation.to_arrow_reader(_BATCH_ROWS):
            yield columns, batch
    except duckdb.InterruptException as error:
        raise _timed_out(limits) from error
    except duckdb.Error as error:
        raise _failed(error) from error
    finally:
        timer.cancel()
        connection.close()


def run(manifest: Manifest, sql: str, limits: Limits = DEFAULT_LIMITS) -> QueryResult:
    """Run ``sql``: its first ``limits.max_rows`` rows and its row count."""
    started = time.perf_counter()
    columns: tuple[ResultColumn, ...] = ()
    rows: list[tuple[Any, ...]] = []
    count = 0
    for found, batch in _batches(manifest, sql, limits):
        columns = found
        if batch is None:
            continue
        room = limits.max_rows - len(rows)
        if room > 0:
            kept = batch.slice(0, room).to_pydict()
            rows.extend(zip(*kept.values(), strict=True))
        count += batch.num_rows
    return QueryResult(
        columns=columns,
        rows=rows,
        row_count=count,
        truncated=count > len(rows),
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        export_generated_at=manifest.generated_at,
    )


def csv_bytes(manifest: Manifest, sql: str, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, bool]:
    """The whole result as CSV (UTF-8, header first), at most ``limits.max_csv_rows`` rows;
    and whether it was cut there."""
    out = io.BytesIO()
    written = 0
    truncated = False
    schema: pa.Schema | None = None
    for columns, batch in _batches(manifest, sql, limits):
        if batch is None:
            schema = pa.schema([pa.field(column.name, pa.string()) for column in columns])
            continue
        room = limits.max_csv_rows - written
        if room <= 0:
            truncated = True
            break
        part = batch.slice(0, room)
        options = pacsv.WriteOptions(include_header=written == 0)
        pacsv.write_csv(pa.Table.from_batches([part]), out, write_options=options)
        written += part.num_rows
        truncated = batch.num_rows > room
    if written == 0 and schema is not None:  # no rows: the header alone
        pacsv.write_csv(schema.empty_table(), out)
    return out.getvalue(), truncated
