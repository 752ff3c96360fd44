"""Datastore downloads: CSV, TSV, JSON, GeoJSON and Parquet, streamed.

Rows are read from the database ``CHUNK_ROWS`` at a time and written out as they come, so a
million-row table never sits in memory; Parquet is written one row group per chunk. CSV is
UTF-8 *with* a byte-order mark (``utf-8-sig``): Excel, which most Indonesian offices open CSV
files with, otherwise shows "Pontianak Timur" right but "Sungai Jawi Dalam" columns of
accented names as mojibake; every CSV reader we know skips the mark (Python's ``csv`` with
``utf-8-sig``, pandas, LibreOffice). TSV has no mark.

GeoJSON is offered when the table has longitude/latitude columns (``lon``/``lng``/
``longitude``/``bujur`` with ``lat``/``latitude``/``lintang``) or a geometry column
(``geometry``/``geom``/``the_geom``/``geojson``) holding GeoJSON text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from pontive.core.errors import DomainError
from pontive.opendata.choices import FieldType
from pontive.opendata.datastore_query import as_int, convert_row, select_rows
from pontive.opendata.datastore_schema import from_storage, marker
from pontive.opendata.models import DatastoreTable

CHUNK_ROWS = 5000
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "json": ("application/json", "json"),
    "geojson": ("application/geo+json", "geojson"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}
LON_NAMES = ("lon", "lng", "long", "longitude", "bujur")
LAT_NAMES = ("lat", "latitude", "lintang")
GEOMETRY_NAMES = ("geometry", "geom", "the_geom", "geojson")


class DumpRefused(DomainError):
    """A download that cannot be made (unknown format, no geometry for GeoJSON)."""

    status_code = 400
    code = "dump_refused"
    default_id = "Unduhan tidak dapat dibuat."
    default_en = "The download cannot be made."


def geometry_columns(fields: list[dict[str, Any]]) -> tuple[str, str] | str | None:
    """``(lon, lat)`` column names, a geometry column name, or None."""
    by_lower = {f["id"].lower(): f["id"] for f in fields}
    lon = next((by_lower[n] for n in LON_NAMES if n in by_lower), None)
    lat = next((by_lower[n] for n in LAT_NAMES if n in by_lower), None)
    if lon and lat:
        return lon, lat
    return next((by_lower[n] for n in GEOMETRY_NAMES if n in by_lower), None)


def check_format(table: DatastoreTable, file_format: str) -> str:
    """The format, or ``DumpRefused`` with a clear reason."""
    file_format = (file_format or "csv").lower()
    if file_format not in FORMATS:
        raise DumpRefused(
            f"Format '{file_format}' tidak dikenal; pilih csv, tsv, json, geojson atau parquet.",
            f"Unknown format '{file_format}'; choose csv, tsv, json, geojson or parquet.",
        )
    if file_format == "geojson" and geometry_columns(table.fields) is None:
        raise DumpRefused(
            "GeoJSON hanya tersedia untuk tabel dengan kolom bujur/lintang (longitude/latitude) "
            "atau kolom geometri.",
            "GeoJSON is only available for tables with longitude/latitude (bujur/lintang) "
            "columns or a geometry column.",
        )
    return file_format


def iter_rows(
    session: Session, table: DatastoreTable, params: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], Iterator[list[list[Any]]]]:
    """The fields and the matching rows (JSON values) in chunks."""
    chosen = select_rows(session, table, params)
    limit = as_int(params.get("limit"), "limit", -1)
    offset = as_int(params.get("offset"), "offset", 0)
    dialect = session.get_bind().dialect.name
    sql = f"{chosen.select}{chosen.order}"
    values = list(chosen.params)
    if limit >= 0 or offset:
        sql += f" LIMIT {marker(dialect)} OFFSET {marker(dialect)}"
        values += [limit if limit >= 0 else (2**62), offset]
    converters = [from_storage(FieldType(f["type"])) for f in chosen.fields]

    def chunks() -> Iterator[list[list[Any]]]:
        # Per statement: Connection.execution_options() would change the session's
        # connection for good (a later SAVEPOINT would be sent through a server cursor).
        result = session.connection().exec_driver_sql(
            sql, tuple(values), execution_options={"stream_results": True}
        )
        try:
            while rows := result.fetchmany(CHUNK_ROWS):
                yield [convert_row(row, converters) for row in rows]
        finally:
            result.close()

    return chosen.fields, chunks()


def write(
    file_format: str, fields: list[dict[str, Any]], chunks: Iterator[list[list[Any]]]
) -> Iterator[bytes]:
    """The download's bytes, chunk by chunk."""
    writers = {"csv": _csv, "tsv": _csv, "json": _json, "geojson": _geojson, "parquet": _parquet}
    return writers[file_format](file_format, fields, chunks)


def _csv(
    kind: str, fields: list[dict[str, Any]], chunks: Iterator[list[list[Any]]]
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if kind == "csv" else "\t", lineterminator="\r\n")
    writer.writerow([f["id"] for f in fields])
    prefix = "\ufeff" if kind == "csv" else ""
    yield (prefix + buffer.getvalue()).encode()
    for rows in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_text(v) for v in row] for row in rows)
        yield buffer.getvalue().encode()


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _json(
    _kind: str, fields: list[dict[str, Any]], chunks: Iterator[list[list[Any]]]
) -> Iterator[bytes]:
    yield b'{"fields": ' + json.dumps(fields).encode() + b', "records": ['
    first = True
    for rows in chunks:
        body = ", ".join(json.dumps(row, ensure_ascii=False) for row in rows)
        if body:
            yield (body if first else ", " + body).encode()
            first = False
    yield b"]}\n"


def _geojson(
    _kind: str, fields: list[dict[str, Any]], chunks: Iterator[list[list[Any]]]
) -> Iterator[bytes]:
    geometry = geometry_columns(fields)
    names = [f["id"] for f in fields]
    used = set(geometry) if isinstance(geometry, tuple) else {geometry}
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for rows in chunks:
        features = []
        for row in rows:
            record = dict(zip(names, row, strict=True))
            shape = _shape(record, geometry)
            properties = {k: v for k, v in record.items() if k not in used}
            features.append(json.dumps(
                {"type": "Feature", "geometry": shape, "properties": properties},
                ensure_ascii=False,
            ))  # fmt: skip
        if features:
            yield (("" if first else ", ") + ", ".join(features)).encode()
            first = False
    yield b"]}\n"


def _shape(record: dict[str, Any], geometry: tuple[str, str] | str | None) -> Any:
    if isinstance(geometry, tuple):
        lon, lat = record.get(geometry[0]), record.get(geometry[1])
        if lon is None or lat is None:
            return None
        try:
            return {"type": "Point", "coordinates": [float(lon), float(lat)]}
        except (TypeError, ValueError):
            return None
    value = record.get(geometry or "")
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


class _Drain(io.RawIOBase):
    """A write-only sink whose bytes are taken out after each row group."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _parquet(
    _kind: str, fields: list[dict[str, Any]], chunks: Iterator[list[list[Any]]]
) -> Iterator[bytes]:
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    types = {
        "text": pa.string(), "int": pa.int64(), "numeric": pa.float64(), "bool": pa.bool_(),
        "date": pa.date32(), "timestamp": pa.timestamp("us"),
    }  # fmt: skip
    schema = pa.schema([pa.field(f["id"], types[f["type"]]) for f in fields])
    sink = _Drain()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        for rows in chunks:
            columns = [
                _arrow_column([row[i] for row in rows], f["type"], types[f["type"]])
                for i, f in enumerate(fields)
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            yield sink.take()
    finally:
        writer.close()
    yield sink.take()


def _arrow_column(values: list[Any], field_type: str, arrow_type: Any) -> Any:
    import pyarrow as pa

    if field_type == "date":
        return pa.array([None if v is None else date.fromisoformat(v) for v in values], arrow_type)
    if field_type == "timestamp":
        return pa.array([None if v is None else v for v in values], pa.string()).cast(arrow_type)
    if field_type == "numeric":
        return pa.array([None if v is None else float(v) for v in values], arrow_type)
    return pa.array(values, arrow_type)
