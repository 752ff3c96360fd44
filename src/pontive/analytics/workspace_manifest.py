"""The export's layout on disk and its manifest, for the writer and every reader.

::

    <analytics_dir>/
      current -> snapshots/20261130T190000Z-3f2a1c      (a symbolic link, swapped atomically)
      snapshots/20261130T190000Z-3f2a1c/
        manifest.json
        complaints/year=2026/part-0.parquet
        observations_hourly/year=2026/month=11/part-0.parquet
        kelurahan/part-0.parquet
        …

An export is written into a hidden folder under ``snapshots/``, renamed to its final name
once complete (``manifest.json`` last), and only then does ``current`` point at it: a reader
resolves ``current`` once and sees one whole export, never half of one. The previous export
stays on disk until the next one, so a query that began before the swap finishes on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from pontive.analytics.workspace_rule import PARTITION_TYPE, parse_arrow_type

CURRENT = "current"
SNAPSHOTS = "snapshots"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """One column of an exported table."""

    name: str
    type: str  # SQL type as readers see it
    arrow_type: str
    description_id: str
    description_en: str
    is_partition: bool = False

    def description(self, lang: str) -> str:
        """The description in ``lang``."""
        return self.description_en if lang == "en" else self.description_id


@dataclass(frozen=True, slots=True)
class TableInfo:
    """One exported table: its folder, partitions, size and columns."""

    name: str
    path: str  # relative to the snapshot
    source: str  # the platform table it comes from
    description_id: str
    description_en: str
    partitioned_by: tuple[str, ...]
    rows: int
    files: int
    bytes: int
    columns: tuple[ColumnInfo, ...]

    def description(self, lang: str) -> str:
        """The description in ``lang``."""
        return self.description_en if lang == "en" else self.description_id

    def arrow_schema(self) -> pa.Schema:
        """The table's Arrow schema, partition columns included (last)."""
        return pa.schema(
            [pa.field(column.name, parse_arrow_type(column.arrow_type)) for column in self.columns]
        )

    def partition_schema(self) -> pa.Schema:
        """The Hive partition columns' schema."""
        return pa.schema([pa.field(name, PARTITION_TYPE) for name in self.partitioned_by])


@dataclass(frozen=True, slots=True)
class Manifest:
    """What one export holds."""

    snapshot: Path
    generated_at: str
    platform_version: str
    source: str
    seconds: float
    tables: tuple[TableInfo, ...]

    def table(self, name: str) -> TableInfo | None:
        """The table called ``name``."""
        return next((table for table in self.tables if table.name == name), None)

    @property
    def generated(self) -> datetime:
        """When the export was made (an aware instant)."""
        return datetime.fromisoformat(self.generated_at)

    @property
    def total_rows(self) -> int:
        """Rows across every table."""
        return sum(table.rows for table in self.tables)


def current_snapshot(analytics_dir: Path) -> Path | None:
    """The folder of the export readers use now (``None`` before the first export)."""
    link = analytics_dir / CURRENT
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if (target / MANIFEST).is_file() else None


def load_manifest(snapshot: Path) -> Manifest:
    """The manifest of the export in ``snapshot``."""
    raw = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
    return Manifest(
        snapshot=snapshot,
        generated_at=raw["generated_at"],
        platform_version=raw["platform_version"],
        source=raw["source"],
        seconds=float(raw["seconds"]),
        tables=tuple(_table(item) for item in raw["tables"]),
    )


def current_manifest(analytics_dir: Path) -> Manifest | None:
    """The manifest of the current export (``None`` before the first export)."""
    snapshot = current_snapshot(analytics_dir)
    return load_manifest(snapshot) if snapshot is not None else None


def _table(raw: dict[str, Any]) -> TableInfo:
    return TableInfo(
        name=raw["name"],
        path=raw["path"],
        source=raw["source"],
        description_id=raw["description"]["id"],
        description_en=raw["description"]["en"],
        partitioned_by=tuple(raw["partitioned_by"]),
        rows=int(raw["rows"]),
        files=int(raw["files"]),
        bytes=int(raw["bytes"]),
        columns=tuple(
            ColumnInfo(
                name=column["name"],
                type=column["type"],
                arrow_type=column["arrow_type"],
                description_id=column["description"]["id"],
                description_en=column["description"]["en"],
                is_partition=bool(column.get("partition", False)),
            )
            for column in raw["columns"]
        ),
    )


def table_json(table: TableInfo) -> dict[str, Any]:
    """A table as the manifest (and the API) writes it."""
    return {
        "name": table.name,
        "path": table.path,
        "source": table.source,
        "description": {"id": table.description_id, "en": table.description_en},
        "partitioned_by": list(table.partitioned_by),
        "rows": table.rows,
        "files": table.files,
        "bytes": table.bytes,
        "columns": [
            {
                "name": column.name,
                "type": column.type,
                "arrow_type": column.arrow_type,
                "description": {"id": column.description_id, "en": column.description_en},
                "partition": column.is_partition,
            }
            for column in table.columns
        ],
    }


def manifest_json(manifest: Manifest) -> dict[str, Any]:
    """The whole manifest as written to ``manifest.json``."""
    return {
        "format_version": FORMAT_VERSION,
        "format": "parquet",
        "partitioning": "hive",
        "generated_at": manifest.generated_at,
        "platform": "pontive",
        "platform_version": manifest.platform_version,
        "source": manifest.source,
        "seconds": manifest.seconds,
        "personal_data": (
            "excluded by rule: sealed (EncryptedText) columns, blind indexes, credentials and "
            "columns marked personal are never exported (analytics/workspace_rule.py)"
        ),
        "tables": [table_json(table) for table in manifest.tables],
    }
