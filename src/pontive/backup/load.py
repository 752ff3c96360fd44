"""Loading an archive's rows into a freshly migrated database, in one transaction.

Rows go in batches in the archive's dependency order. A column that points at its own table
(a complaint's ``duplicate_of_id``) is set after all of the table's rows are in, so the order
of rows never matters. Datastore tables are created from the archive's description for the
target engine. On PostgreSQL the monthly observation partitions are created first and every
identity sequence is moved past the largest restored id, and rows go in by ``COPY`` (a
fraction of the time of batched ``INSERT``s for the observations).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, bindparam, inspect, text, update
from sqlalchemy.types import TypeEngine

from pontive.backup import columns
from pontive.backup.archive import ArchiveReader, TableEntry, damaged
from pontive.backup.errors import BackupError
from pontive.core.db import Base, copy_table_rows
from pontive.opendata import datastore, datastore_schema
from pontive.sensors import partitions

BATCH = 2000
OBSERVATIONS = partitions.PARENT


def load_tables(reader: ArchiveReader, connection: Connection) -> dict[str, int]:
    """Insert every table of the archive; returns rows inserted per table."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # Checked at commit: a table's rows may name rows of tables loaded later.
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    existing = set(inspect(connection).get_table_names())
    partitions.ensure_partitions(connection, reader.manifest.partitions)
    counts: dict[str, int] = {}
    for entry in reader.manifest.tables:
        if entry.datastore is not None:
            _create_datastore_table(connection, entry)
        elif entry.name not in existing:
            raise BackupError(
                f"Tabel {entry.name} dari arsip tidak ada pada revisi basis data ini.",
                f"Table {entry.name} of the archive does not exist at this revision.",
            )
        counts[entry.name] = _load_table(reader, connection, entry)
    if dialect == "postgresql":
        _advance_sequences(connection, [entry.name for entry in reader.manifest.tables])
    return counts


def _load_table(reader: ArchiveReader, connection: Connection, entry: TableEntry) -> int:
    dialect = connection.dialect.name
    table = _target_table(entry, connection)
    decoders = [columns.decoder(kind, dialect) for _name, kind in entry.columns]
    names = [name for name, _kind in entry.columns]
    self_refs = _self_references(table) if entry.datastore is None else []
    late: list[dict[str, Any]] = []  # self-references, set after the rows are in
    is_observations = entry.name == OBSERVATIONS and dialect == "postgresql"
    count = 0
    for batch in _batches(reader.table_rows(entry)):
        rows = [_decode(values, names, decoders) for values in batch]
        for row in rows:
            for column, key in self_refs:
                if row[column] is not None:
                    late.append({"_key": row[key], "_ref": row[column], "_col": column})
                    row[column] = None
        if is_observations:
            times: Iterable[datetime] = (row["phenomenon_time"] for row in rows)
            partitions.ensure_partitions(connection, {partitions.month_of(t) for t in times})
        if dialect == "postgresql":
            copy_table_rows(connection, table, rows)
        else:
            connection.execute(table.insert(), rows)
        count += len(rows)
    for column, key in self_refs:
        _set_self_references(connection, table, column, key, late)
    return count


def _decode(values: list[Any], names: list[str], decoders: list[Any]) -> dict[str, Any]:
    if len(values) != len(names):
        raise damaged("baris dengan jumlah kolom salah", "a row with the wrong column count")
    return {
        name: value if value is None or decode is None else decode(value)
        for name, value, decode in zip(names, values, decoders, strict=True)
    }


def _batches(rows: Iterator[list[Any]]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _target_table(entry: TableEntry, connection: Connection) -> Table:
    """The table to insert into: the model's storage types for columns the code knows, the
    archive's kinds for the rest (an older revision's columns)."""
    model = Base.metadata.tables.get(entry.name) if entry.datastore is None else None
    known = {c.name: c for c in model.columns} if model is not None else {}
    target_columns = {c["name"] for c in inspect(connection).get_columns(entry.name)}
    missing = [name for name, _kind in entry.columns if name not in target_columns]
    if missing:
        raise BackupError(
            f"Kolom {entry.name}.{missing[0]} dari arsip tidak ada pada basis data tujuan.",
            f"Column {entry.name}.{missing[0]} of the archive is missing in the target.",
        )
    built = []
    for name, kind in entry.columns:
        kind_type: TypeEngine[Any] = columns.canonical_type(kind)
        column_type = columns.storage_type(known[name].type) if name in known else kind_type
        if name in known and columns.kind_of(column_type) != kind:
            column_type = kind_type  # the column changed kind since: trust the archive
        built.append(Column(name, column_type))
    return Table(entry.name, MetaData(), *built)


def _self_references(table: Table) -> list[tuple[str, str]]:
    """(column, key column) of single-column foreign keys from a table to itself."""
    model = Base.metadata.tables.get(table.name)
    if model is None:
        return []
    refs = []
    for key in model.foreign_keys:
        if key.column.table is model and key.parent.name in table.c:
            refs.append((key.parent.name, key.column.name))
    return refs


def _set_self_references(
    connection: Connection, table: Table, column: str, key: str, late: list[dict[str, Any]]
) -> None:
    rows = [{"_key": r["_key"], "_ref": r["_ref"]} for r in late if r["_col"] == column]
    statement = (
        update(table).where(table.c[key] == bindparam("_key")).values({column: bindparam("_ref")})
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(statement, rows[start : start + BATCH])


def _create_datastore_table(connection: Connection, entry: TableEntry) -> None:
    spec = entry.datastore or {}
    fields = spec["fields"]
    datastore_schema.ddl(
        connection, datastore.create_sql(entry.name, fields, connection.dialect.name)
    )
    datastore.create_indexes(
        connection,
        entry.name,
        fields,
        primary_key=spec.get("primary_key") or (),
        indexes=spec.get("indexes") or (),
    )


def _advance_sequences(connection: Connection, names: list[str]) -> None:
    """Move every identity/serial sequence past the largest id restored (PostgreSQL)."""
    for name in names:
        quoted = datastore_schema.quote(name)
        for column in inspect(connection).get_pk_constraint(name)["constrained_columns"]:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": quoted, "column": column},
            ).scalar()
            if sequence is None:
                continue
            biggest = connection.exec_driver_sql(
                f"SELECT max({datastore_schema.quote(column)}) FROM {quoted}"  # noqa: S608 - quoted names
            ).scalar()
            if biggest is not None:
                connection.execute(
                    text("SELECT setval(CAST(:sequence AS regclass), :value)"),
                    {"sequence": sequence, "value": int(biggest)},
                )
