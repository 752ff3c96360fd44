"""``pontive backup create``: one archive from a consistent snapshot, while the platform runs.

Every table is read inside one transaction — ``REPEATABLE READ, READ ONLY`` on PostgreSQL, one
read transaction (a WAL snapshot) on SQLite — so the archive holds the database as it was at
one instant, however long the copy takes and whatever is written meanwhile. Each table is
streamed (one server-side cursor per statement on PostgreSQL), never held in memory.

Media is listed *after* the snapshot began. A file is written (and fsynced) before the row
that names it commits (``core/storage.py``), so every file a row of the snapshot names is on
disk by then; files written later are copied too, and harmless.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Column, Connection, MetaData, Table, inspect, select, text
from sqlalchemy.types import NullType

from pontive import __version__
from pontive.backup import archive, columns
from pontive.backup.archive import Manifest, TableEntry
from pontive.backup.errors import BackupError
from pontive.core.db import Base, Database
from pontive.core.timeutil import utcnow
from pontive.domains import load_models
from pontive.sensors import partitions

BATCH = 5000
SYSTEM_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True)
class TablePlan:
    """How one table is read: its columns (as stored) and their kinds."""

    table: Table
    kinds: list[str]
    datastore: dict[str, Any] | None = None


@dataclass(frozen=True)
class BackupResult:
    """What ``create_backup`` wrote."""

    path: Path
    manifest: Manifest
    size: int


def create_backup(
    *,
    database: Database,
    data_key: str,
    media_dir: Path | None,
    output: Path,
    exclude: tuple[Path, ...] = (),
) -> BackupResult:
    """Write the archive to ``output`` (a ``.part`` file renamed at the end)."""
    load_models()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    manifest = Manifest(
        pontive_version=__version__,
        alembic_revision="",
        created_at=utcnow().isoformat(),
        source_engine=database.engine.dialect.name,
        key_fingerprint=archive.key_fingerprint(data_key),
        has_media=media_dir is not None,
    )
    try:
        with tarfile.open(partial, "w:", format=tarfile.PAX_FORMAT) as tar:
            with _snapshot(database) as connection:
                manifest.alembic_revision = _current_revision(connection)
                plans, manifest.skipped_tables = _plan(connection)
                manifest.partitions = partitions.list_partitions(connection)
                with tempfile.TemporaryDirectory(dir=output.parent) as scratch:
                    for number, plan in enumerate(plans, start=1):
                        entry, sha256 = _write_table(tar, connection, plan, number, scratch)
                        manifest.tables.append(entry)
                        manifest.members[entry.member] = sha256
            # Media is listed after the snapshot began (see the module's docstring).
            if media_dir is not None:
                _write_media(tar, media_dir, manifest, exclude)
            archive.add_bytes(tar, archive.MANIFEST, manifest.as_bytes())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(output, manifest, output.stat().st_size)


class _Snapshot:
    """One read-only transaction over every table."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.connection: Connection | None = None

    def __enter__(self) -> Connection:
        engine = self.database.engine
        if engine.dialect.name == "postgresql":
            connection = engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        else:
            connection = engine.connect()
        self.connection = connection
        connection.begin()
        # SQLite's snapshot starts at the first read: take it now.
        connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one()
        return connection

    def __exit__(self, *_exc: object) -> None:
        if self.connection is not None:
            self.connection.rollback()
            self.connection.close()


def _snapshot(database: Database) -> _Snapshot:
    return _Snapshot(database)


def _current_revision(connection: Connection) -> str:
    from pontive.backup.restore import code_head  # late: restore imports this module

    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = code_head(connection.engine)
    if revision != head:
        raise BackupError(
            f"Basis data pada revisi {revision}, kode pada {head}: jalankan "
            "`pontive db upgrade` dahulu.",
            f"The database is at revision {revision}, the code at {head}: run "
            "`pontive db upgrade` first.",
        )
    return str(revision)


def _plan(connection: Connection) -> tuple[list[TablePlan], list[str]]:
    """Every model table in dependency order, then every datastore table."""
    existing = set(inspect(connection).get_table_names())
    plans = [_model_plan(table) for table in Base.metadata.sorted_tables if table.name in existing]
    known = {plan.table.name for plan in plans}
    plans += _datastore_plans(connection, existing)
    known |= {plan.table.name for plan in plans} | SYSTEM_TABLES
    skipped = sorted(
        name
        for name in existing - known
        if not partitions.is_partition_name(name) and not name.startswith("dsst_")
    )
    return plans, skipped


def _model_plan(model: Table) -> TablePlan:
    stored = [Column(c.name, columns.storage_type(c.type)) for c in model.columns]
    table = Table(model.name, MetaData(), *stored)
    kinds = [columns.kind_of(c.type) for c in table.columns]
    return TablePlan(table, kinds)


def _datastore_plans(connection: Connection, existing: set[str]) -> list[TablePlan]:
    from pontive.opendata.models import DatastoreTable

    rows = connection.execute(
        select(DatastoreTable.table_name, DatastoreTable.fields, DatastoreTable.primary_key)
        .where(DatastoreTable.table_name.in_(existing))
        .order_by(DatastoreTable.table_name)
    )
    inspector = inspect(connection)
    plans = []
    for name, fields, primary_key in rows:
        indexes = [
            list(index["column_names"])
            for index in inspector.get_indexes(name)
            if not index["unique"] and all(index["column_names"])
        ]
        names = ["_id", *(f["id"] for f in fields)]
        table = Table(name, MetaData(), *(Column(n, NullType()) for n in names))
        kinds = ["int", *(columns.datastore_kind(f["type"]) for f in fields)]
        spec = {"fields": fields, "primary_key": primary_key, "indexes": indexes}
        plans.append(TablePlan(table, kinds, spec))
    return plans


def _rows(connection: Connection, plan: TablePlan) -> Iterator[bytes]:
    """The table's rows as JSON lines, in primary-key order (parents before children)."""
    table = plan.table
    order = [table.c[c.name] for c in _primary_key(table)] or list(table.columns)
    encoders = [columns.encoder(kind) for kind in plan.kinds]
    result = connection.execute(select(table).order_by(*order).execution_options(yield_per=BATCH))
    try:
        for row in result:
            values = [
                value if value is None or encode is None else encode(value)
                for value, encode in zip(row, encoders, strict=True)
            ]
            yield orjson.dumps(values) + b"\n"
    finally:
        result.close()


def _primary_key(table: Table) -> list[Column[Any]]:
    model = Base.metadata.tables.get(table.name)
    if model is None:  # a datastore table
        return [table.c["_id"]]
    return [table.c[c.name] for c in model.primary_key.columns]


def _write_table(
    tar: tarfile.TarFile, connection: Connection, plan: TablePlan, number: int, scratch: str
) -> tuple[TableEntry, str]:
    """Stage one table's rows compressed in ``scratch``, then append them to the archive."""
    name = plan.table.name
    entry = TableEntry(
        name=name,
        member=f"db/{number:04d}-{name}.jsonl.gz",
        columns=[(c.name, kind) for c, kind in zip(plan.table.columns, plan.kinds, strict=True)],
        datastore=plan.datastore,
    )
    content = hashlib.sha256()
    staged = Path(scratch) / f"{number:04d}.jsonl.gz"
    with staged.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=5) as out:
        for line in _rows(connection, plan):
            content.update(line)
            out.write(line)
            entry.rows += 1
    entry.content_sha256 = content.hexdigest()
    with staged.open("rb") as handle:
        sha256 = archive.add_file(tar, entry.member, handle, staged.stat().st_size)
    staged.unlink()
    return entry, sha256


def _write_media(
    tar: tarfile.TarFile, media_dir: Path, manifest: Manifest, exclude: tuple[Path, ...]
) -> None:
    root = media_dir.resolve()
    skipped = [path.resolve() for path in exclude]
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if (here / d).resolve() not in skipped)
        for filename in sorted(files):
            path = here / filename
            if filename.endswith(".part") or path.is_symlink():
                continue  # a file being written (renamed when complete), or not ours
            key = path.relative_to(root).as_posix()
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                continue  # deleted since the listing: its row is gone from later snapshots
            with handle:
                size = os.fstat(handle.fileno()).st_size
                member = f"media/{key}"
                manifest.members[member] = archive.add_file(tar, member, handle, size)
