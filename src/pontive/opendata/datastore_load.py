"""Loading an uploaded CSV or XLSX into the datastore: streamed, validated, all or nothing.

``load_upload`` reads the file a row at a time (never whole), infers the column types from
the first rows (or takes the caller's), validates every row, and writes into a staging table
in transactions of ``BATCH_ROWS`` rows, updating ``DatastoreTable`` progress in the same
short commit (a page polls it; on SQLite the write lock is held for one batch at a time,
never for the whole load). Only when every row is valid is the staging table indexed and
swapped in, in one transaction; otherwise it is dropped, the report says why (row as the
user sees it — the header is row 1 —, column, value, message in id and en), and the old
table, if any, is untouched.

Who runs it: the web layer marks the table PENDING (``queue_load``) and ``pontive worker``'s
``opendata.datastore_load`` job (``jobs.py``) loads it; ``claim`` makes sure only one
process loads a given table.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import update
from sqlalchemy.orm import Session

from pontive.core.db import Database, copy_rows
from pontive.core.timeutil import utcnow
from pontive.opendata import datastore
from pontive.opendata.choices import FieldType, LoadState
from pontive.opendata.datastore_read import (
    SAMPLE_ROWS,
    Inferred,
    TableSource,
    infer_column,
    open_source,
)
from pontive.opendata.datastore_schema import (
    MAX_NAME,
    ValueRefused,
    ddl,
    parse_numeric,
    quote,
    staging_name,
    table_name,
    to_storage,
)
from pontive.opendata.models import DatastoreTable, Resource

log = logging.getLogger(__name__)

BATCH_ROWS = 5000
MAX_REPORTED = 100  # errors listed in the report; the total is always counted


class Report:
    """The validation report of one load."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: int, column: str, value: Any, message_id: str, message_en: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_REPORTED:
            shown = None if value is None else str(value)[:200]
            self.errors.append(
                {
                    "row": row,
                    "column": column,
                    "value": shown,
                    "message_id": message_id,
                    "message_en": message_en,
                }
            )

    def as_json(self, rows: int) -> dict[str, Any]:
        return {"errors": self.errors, "error_count": self.count, "rows": rows}


def queue_load(session: Session, resource: Resource) -> DatastoreTable:
    """Mark the resource's table PENDING, for the worker to load its current file."""
    table = session.get(DatastoreTable, resource.id)
    if table is None:
        table = DatastoreTable(resource_id=resource.id, table_name=table_name(resource.id))
        session.add(table)
    table.state, table.rows_read, table.bytes_read, table.report = LoadState.PENDING, 0, 0, {}
    session.flush()
    return table


def claim(database: Database, resource_id: str, bytes_total: int | None) -> bool:
    """Take the load of ``resource_id`` (PENDING, or new) for this process."""
    with database.begin() as session:
        table = session.get(DatastoreTable, resource_id)
        if table is None:
            session.add(
                DatastoreTable(
                    resource_id=resource_id,
                    table_name=table_name(resource_id),
                    state=LoadState.LOADING,
                    bytes_total=bytes_total,
                    started_at=utcnow(),
                )
            )
            return True
        if table.state is LoadState.LOADING:
            return False
        session.execute(
            update(DatastoreTable)
            .where(DatastoreTable.resource_id == resource_id)
            .values(
                state=LoadState.LOADING,
                rows_read=0,
                bytes_read=0,
                bytes_total=bytes_total,
                report={},
                started_at=utcnow(),
                finished_at=None,
            )
        )
        return True


def load_upload(
    database: Database,
    resource_id: str,
    source: str | Path | BinaryIO,
    *,
    fields: Sequence[Mapping[str, Any]] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> DatastoreTable:
    """Load a CSV/XLSX into the resource's datastore table; the table's bookkeeping after
    (state DONE, or FAILED with ``report``). ``fields`` may set types and labels by id."""
    if isinstance(source, str | Path):
        with open(source, "rb") as file:
            return load_upload(database, resource_id, file, fields=fields, batch_rows=batch_rows)
    total = _size(source)
    if not claim(database, resource_id, total):  # another process is loading it
        with database.session(write=False) as session:
            current = session.get(DatastoreTable, resource_id)
            if current is None:
                raise LookupError(resource_id)
            session.expunge(current)
            return current
    loader = _Loader(database, resource_id, batch_rows)
    try:
        try:
            loader.run(open_source(source), fields)
        except UnicodeDecodeError:  # not UTF-8 after all: read it again as Windows-1252
            loader.reset()
            loader.run(open_source(source, encoding="cp1252"), fields)
    except Exception as error:  # recorded for the page, then raised to the worker
        loader.fail_with(f"{type(error).__name__}: {error}")
        raise
    return loader.finish()


def _size(file: BinaryIO) -> int | None:
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, AttributeError):  # io.UnsupportedOperation is an OSError
        position = file.tell()
        size = file.seek(0, os.SEEK_END)
        file.seek(position)
        return size


class _Loader:
    def __init__(self, database: Database, resource_id: str, batch_rows: int) -> None:
        self.database = database
        self.resource_id = resource_id
        self.batch_rows = batch_rows
        self.dialect = database.engine.dialect.name
        self.staging = staging_name(resource_id)
        self.reset()

    def reset(self) -> None:
        self.report = Report()
        self.rows = 0
        self.fields: list[dict[str, Any]] = []
        self.failure: str | None = None

    # -- reading --

    def run(self, source: TableSource, given: Sequence[Mapping[str, Any]] | None) -> None:
        if not self._check_header(source.header):
            return
        sample: list[list[str | None]] = []
        for row in source.rows:
            sample.append(row)
            if len(sample) >= SAMPLE_ROWS:
                break
        inferred = [
            infer_column([c for r in sample if i < len(r) and (c := r[i]) is not None])
            for i in range(len(source.header))
        ]
        self.fields, parsers = self._fields(source.header, inferred, given)
        if self.report.count:
            return
        self._create_staging()
        batch: list[tuple[Any, ...]] = []
        width = len(self.fields)
        for row in _chain(sample, source.rows):
            self.rows += 1
            line = self.rows + 1  # the header is row 1
            if all(cell is None for cell in row):
                continue
            values = self._parse(row, line, width, parsers)
            if values is not None and not self.report.count:
                batch.append(values)
            if self.rows % self.batch_rows == 0:
                self._write(batch, source)
                batch = []
        self._write(batch, source)

    def _check_header(self, header: Sequence[str]) -> bool:
        seen: set[str] = set()
        for number, name in enumerate(header, start=1):
            problem = None
            if not name:
                problem = (f"Kolom {number} tidak bernama.", f"Column {number} has no name.")
            elif name.startswith("_"):
                problem = ("Nama kolom tidak boleh diawali '_'.", "A name may not start with '_'.")
            elif len(name) > MAX_NAME:
                problem = (f"Nama lebih dari {MAX_NAME} karakter.", f"Longer than {MAX_NAME}.")
            elif '"' in name or "\x00" in name:
                problem = ("Nama memuat karakter terlarang.", "Forbidden character in name.")
            elif name in seen:
                problem = ("Nama kolom ganda.", "Duplicate column name.")
            if problem:
                self.report.add(1, name, name, *problem)
            seen.add(name)
        if not header:
            self.report.add(1, "", None, "Berkas kosong.", "The file is empty.")
        return not self.report.count

    def _fields(
        self,
        header: Sequence[str],
        inferred: Sequence[Inferred],
        given: Sequence[Mapping[str, Any]] | None,
    ) -> tuple[list[dict[str, Any]], list[Any]]:
        by_id = {str(f.get("id")): f for f in given or ()}
        for name in set(by_id) - set(header):
            self.report.add(1, name, None, "Kolom tidak ada di berkas.", "Not in the file.")
        fields = []
        parsers = []
        for name, guess in zip(header, inferred, strict=True):
            chosen = by_id.get(name, {})
            info = chosen.get("info") or {}
            field_type = FieldType(chosen.get("type") or guess.type)
            fields.append(
                {
                    "id": name,
                    "type": field_type.value,
                    "info": {"label": info.get("label", ""), "notes": info.get("notes", "")},
                }
            )
            parsers.append(_parser(field_type, guess.decimal_comma, self.dialect))
        return fields, parsers

    def _parse(
        self, row: list[str | None], line: int, width: int, parsers: list[Any]
    ) -> tuple[Any, ...] | None:
        if len(row) != width:
            if len(row) > width and all(c is None for c in row[width:]):
                row = row[:width]
            elif len(row) < width:
                row = row + [None] * (width - len(row))
            else:
                self.report.add(
                    line, "", None,
                    f"Baris berisi {len(row)} nilai, seharusnya {width}.",
                    f"The row has {len(row)} values, expected {width}.",
                )  # fmt: skip
                return None
        values = []
        ok = True
        for cell, parse, field in zip(row, parsers, self.fields, strict=True):
            try:
                values.append(None if cell is None else parse(cell))
            except (ValueRefused, ValueError) as error:
                ok = False
                message_id = getattr(error, "message_id", "Nilai tidak valid.")
                self.report.add(line, field["id"], cell, message_id, str(error))
        return tuple(values) if ok else None

    # -- writing --

    def _create_staging(self) -> None:
        with self.database.begin() as session:
            connection = session.connection()
            ddl(connection, f"DROP TABLE IF EXISTS {quote(self.staging)}")
            ddl(connection, datastore.create_sql(self.staging, self.fields, self.dialect))

    def _write(self, batch: list[tuple[Any, ...]], source: TableSource) -> None:
        """One short transaction: a batch into staging, and the progress."""
        with self.database.begin() as session:
            if batch:
                _insert(session, self.staging, [f["id"] for f in self.fields], batch)
            read = source.bytes_read()
            session.execute(
                update(DatastoreTable)
                .where(DatastoreTable.resource_id == self.resource_id)
                .values(rows_read=self.rows, **({} if read is None else {"bytes_read": read}))
            )

    def fail_with(self, message: str) -> None:
        self.failure = message
        self.finish()

    def finish(self) -> DatastoreTable:
        with self.database.begin() as session:
            table = session.get(DatastoreTable, self.resource_id)
            resource = session.get(Resource, self.resource_id)
            if table is None or resource is None:
                raise LookupError(f"resource {self.resource_id} vanished during its load")
            connection = session.connection()
            if self.report.count or self.failure:
                ddl(connection, f"DROP TABLE IF EXISTS {quote(self.staging)}")
                table.state = LoadState.FAILED
                report = self.report.as_json(self.rows)
                if self.failure:
                    report["failure"] = self.failure
                table.report = report
            else:
                keep = [c for c in table.primary_key if c in {f["id"] for f in self.fields}]
                datastore.create_indexes(connection, self.staging, self.fields, primary_key=keep)
                datastore.swap_in(connection, self.resource_id)
                datastore.analyse(connection, table.table_name)
                table.fields, table.primary_key = self.fields, keep
                table.row_count = datastore.count_rows(connection, table.table_name)
                table.state, table.report = LoadState.DONE, {}
                resource.datastore_active = True
            table.rows_read = self.rows
            if table.bytes_total is not None:
                table.bytes_read = table.bytes_total
            table.finished_at = utcnow()
            session.flush()
            session.expunge(table)
        return table


def _chain(first: list[list[str | None]], rest: Any) -> Any:
    yield from first
    yield from rest


def _parser(field_type: FieldType, decimal_comma: bool, dialect: str) -> Any:
    if field_type is FieldType.NUMERIC and decimal_comma:

        def parse_comma(text: str) -> Any:
            return to_storage(parse_numeric(text.strip(), decimal_comma=True), field_type, dialect)

        return parse_comma

    def parse(text: str) -> Any:
        return to_storage(text, field_type, dialect)

    return parse


def _insert(session: Session, name: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        copy_rows(connection, name, columns, rows)
        return
    connection.exec_driver_sql(datastore.insert_sql(name, columns, "sqlite"), rows)
