"""Export the platform's history to Parquet for the analysis workspace (``pontive analytics
export``, the nightly ``analytics.export`` job, the demo's last step).

Each declared table (``workspace_catalog.TABLES`` and the public registries) is read in
batches through its SQLAlchemy table — personal columns are never selected
(``workspace_rule``) — and written with pyarrow as Hive-partitioned Parquet into a new
snapshot folder, which becomes ``current`` only when whole (``workspace_manifest``).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.dataset as ds  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import JSON, BigInteger, Column, ColumnElement, UnicodeText, select, type_coerce
from sqlalchemy import Enum as Enum_
from sqlalchemy.orm import Session

from pontive import __version__
from pontive.analytics import workspace_registries
from pontive.analytics.workspace_catalog import TABLES, Derived, ExportContext, ExportTable, Text
from pontive.analytics.workspace_glossary import describe
from pontive.analytics.workspace_manifest import (
    CURRENT,
    MANIFEST,
    SNAPSHOTS,
    ColumnInfo,
    Manifest,
    TableInfo,
    manifest_json,
)
from pontive.analytics.workspace_rule import arrow_type, is_exportable, is_instant, sql_type_name
from pontive.core.timeutil import utcnow

log = logging.getLogger(__name__)

BATCH_ROWS = 50_000
KEEP_SNAPSHOTS = 2  # the current export and the one before (for queries still running)
STALE_WORK = timedelta(days=1)  # a hidden work folder this old was left by a crashed export


@dataclass(frozen=True, slots=True)
class _Output:
    """One written column: a read column (``derived`` is None) or a computed one."""

    name: str
    type: pa.DataType
    description: Text
    derived: Derived | None = None


def all_tables() -> list[ExportTable]:
    """Every table the export writes."""
    return [*TABLES, *workspace_registries.tables()]


def read_columns(spec: ExportTable) -> list[Column[Any]]:
    """The columns read from the database for ``spec``: never one the rule refuses."""
    return [
        column
        for column in spec.table.columns
        if is_exportable(column)
        and column.name not in spec.omit
        and (spec.only is None or column.name in spec.only)
    ]


def _outputs(spec: ExportTable, columns: Sequence[Column[Any]]) -> list[_Output]:
    derived = {item.name: item for item in spec.derived}
    outputs = []
    for column in columns:
        if column.name in spec.hidden:
            continue
        if (replacement := derived.pop(column.name, None)) is not None:
            outputs.append(
                _Output(column.name, replacement.type, replacement.description, replacement)
            )
            continue
        description = describe(spec.name, column.name, spec.descriptions)
        outputs.append(_Output(column.name, arrow_type(column.type), description))
    for item in derived.values():  # partition columns last, as readers add them
        outputs.append(_Output(item.name, item.type, item.description, item))
    return outputs


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _selected(column: Column[Any], dialect: str) -> ColumnElement[Any]:
    # SQLite keeps sensor instants as integer microseconds and JSON as its text: read both
    # as stored and let Arrow convert a whole batch at once (a Python datetime or a parsed
    # document per value is most of the cost of a large table).
    if dialect == "sqlite" and is_instant(column.type):
        return type_coerce(column, BigInteger).label(column.name)
    if dialect == "sqlite" and isinstance(column.type, JSON):
        return type_coerce(column, UnicodeText).label(column.name)
    return column


def _to_arrow(
    values: Sequence[Any], column: Column[Any], target: pa.DataType, dialect: str
) -> pa.Array:
    if dialect == "sqlite" and is_instant(column.type):
        return pa.array(values, type=pa.int64()).cast(target)
    if isinstance(column.type, JSON):
        if dialect == "sqlite":
            return pa.array(values, type=target)  # already JSON text
        return pa.array([_json_text(value) for value in values], type=target)
    if isinstance(column.type, Enum_):
        return pa.array([_plain(value) for value in values], type=target)
    return pa.array(values, type=target)


def _json_text(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _records(
    columns: Sequence[Column[Any]], values: Sequence[Sequence[Any]], read: Mapping[str, pa.Array]
) -> list[dict[str, Any]]:
    """The batch's rows as the database gave them (instants as datetimes), for ``row``."""
    plain = {
        column.name: _as_python(column, column_values, read[column.name])
        for column, column_values in zip(columns, values, strict=True)
    }
    return [dict(zip(plain, row, strict=True)) for row in zip(*plain.values(), strict=True)]


def _as_python(column: Column[Any], values: Sequence[Any], array: pa.Array) -> Sequence[Any]:
    if is_instant(column.type):
        return array.to_pylist()  # type: ignore[no-any-return]
    if isinstance(column.type, JSON):
        return [None if text is None else orjson.loads(text) for text in array.to_pylist()]
    return values


def _batches(
    session: Session,
    spec: ExportTable,
    columns: Sequence[Column[Any]],
    outputs: Sequence[_Output],
    context: ExportContext,
    schema: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    connection = session.connection()
    dialect = connection.dialect.name
    statement = select(*(_selected(column, dialect) for column in columns))
    if spec.where is not None:
        statement = statement.where(spec.where(context))
    if spec.order_by:
        statement = statement.order_by(*(spec.table.c[name] for name in spec.order_by))
    # Per statement: Connection.execution_options would change the session's connection for
    # good, and every later statement (INSERTs too) would become a server-side cursor.
    result = connection.execute(statement, execution_options={"yield_per": BATCH_ROWS})
    types = {output.name: output.type for output in outputs}
    needs_rows = any(output.derived and output.derived.row for output in outputs)
    for rows in result.partitions(BATCH_ROWS):
        values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
        read = {
            column.name: _to_arrow(
                column_values, column, types.get(column.name) or arrow_type(column.type), dialect
            )
            for column, column_values in zip(columns, values, strict=True)
        }
        records = _records(columns, values, read) if needs_rows else []
        arrays = []
        for output in outputs:
            item = output.derived
            if item is None:
                arrays.append(read[output.name])
            elif item.vector is not None:
                arrays.append(pa.array(item.vector(read, context), type=output.type))
            elif item.row is not None:
                computed = [item.row(record, context) for record in records]
                arrays.append(pa.array(computed, type=output.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_table(
    session: Session, spec: ExportTable, work: Path, context: ExportContext
) -> TableInfo:
    """Write one table into ``work/<name>/``; its manifest entry."""
    columns = read_columns(spec)
    outputs = _outputs(spec, columns)
    schema = pa.schema([pa.field(output.name, output.type) for output in outputs])
    folder = work / spec.name
    written: list[Path] = []
    batches = _batches(session, spec, columns, outputs, context, schema)
    partitioning = (
        ds.partitioning(
            pa.schema([schema.field(name) for name in spec.partition_by]), flavor="hive"
        )
        if spec.partition_by
        else None
    )
    ds.write_dataset(
        batches,
        folder,
        schema=schema,
        format="parquet",
        partitioning=partitioning,
        basename_template="part-{i}.parquet",
        max_rows_per_file=2_000_000,
        file_visitor=lambda file: written.append(Path(file.path)),
        existing_data_behavior="error",
    )
    if not written and not spec.partition_by:  # an empty table is still a readable table
        folder.mkdir(parents=True, exist_ok=True)
        empty = folder / "part-0.parquet"
        pq.write_table(schema.empty_table(), empty)
        written.append(empty)
    folder.mkdir(parents=True, exist_ok=True)
    rows = sum(pq.ParquetFile(path).metadata.num_rows for path in written)
    return TableInfo(
        name=spec.name,
        path=spec.name,
        source=spec.table.name,
        description_id=spec.description[0],
        description_en=spec.description[1],
        partitioned_by=spec.partition_by,
        rows=rows,
        files=len(written),
        bytes=sum(path.stat().st_size for path in written),
        columns=tuple(
            ColumnInfo(
                name=output.name,
                type=sql_type_name(output.type),
                arrow_type=str(output.type),
                description_id=output.description[0],
                description_en=output.description[1],
                is_partition=output.name in spec.partition_by,
            )
            for output in outputs
        ),
    )


def export(
    session: Session,
    analytics_dir: Path,
    *,
    tables: Sequence[ExportTable] | None = None,
    now: datetime | None = None,
) -> Manifest:
    """Write a whole export and make it current; its manifest."""
    context = ExportContext(now or utcnow())
    snapshots = analytics_dir / SNAPSHOTS
    snapshots.mkdir(parents=True, exist_ok=True)
    name = f"{context.now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    work, final = snapshots / f".work-{name}", snapshots / name
    work.mkdir()
    started = time.perf_counter()
    try:
        infos = tuple(write_table(session, spec, work, context) for spec in tables or all_tables())
        manifest = Manifest(
            snapshot=final,
            generated_at=context.now.isoformat(),
            platform_version=__version__,
            source=f"pontive database ({session.get_bind().dialect.name})",
            seconds=round(time.perf_counter() - started, 3),
            tables=infos,
        )
        text = json.dumps(manifest_json(manifest), ensure_ascii=False, indent=2)
        (work / MANIFEST).write_text(text + "\n", encoding="utf-8")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _make_current(analytics_dir, final)
    _prune(snapshots, final)
    log.info(
        "analytics export written",
        extra={"snapshot": str(final), "rows": manifest.total_rows, "seconds": manifest.seconds},
    )
    return manifest


def _make_current(analytics_dir: Path, snapshot: Path) -> None:
    # A new link beside the old one, renamed over it: rename(2) replaces it atomically.
    link = analytics_dir / CURRENT
    staged = analytics_dir / f".{CURRENT}-{secrets.token_hex(4)}"
    staged.symlink_to(Path(SNAPSHOTS) / snapshot.name, target_is_directory=True)
    try:
        os.replace(staged, link)
    except OSError:
        staged.unlink(missing_ok=True)
        raise


def _finished_at(snapshot: Path) -> int:
    # When its manifest (written last) was written: names may share a second.
    manifest = snapshot / MANIFEST
    return manifest.stat().st_mtime_ns if manifest.exists() else 0


def _prune(snapshots: Path, current: Path) -> None:
    finished = sorted(
        (path for path in snapshots.iterdir() if path.is_dir() and not path.name.startswith(".")),
        key=_finished_at,
        reverse=True,
    )
    for old in finished[KEEP_SNAPSHOTS:]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    cutoff = time.time() - STALE_WORK.total_seconds()
    for work in snapshots.glob(".work-*"):
        if work.stat().st_mtime < cutoff:
            shutil.rmtree(work, ignore_errors=True)
