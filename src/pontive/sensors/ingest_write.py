"""The writes of one ingest batch: observation rows, Datastream summaries, Things last seen.

Observations are the hot path (DESIGN.md, performance facts), so rows go to the database
through the driver in bulk, not through per-row ORM or Core bind processing:

- SQLite: multi-row ``INSERT … VALUES (…), (…)`` statements of plain values (times as
  integer microseconds, as ``InstantColumn`` stores them) that name only the columns some row
  of the batch fills — usually four of eleven: binding a parameter, NULL or not, is most of
  the driver's cost per row, so this is about twice as fast as an ``executemany`` of every
  column (measured). The ids are ``last_insert_rowid() - n + 1 … last``: the caller holds
  the write lock (``BEGIN IMMEDIATE``) and SQLite gives a row without an explicit rowid "one
  larger than the largest ROWID in the table prior to the insert" (SQLite docs, "ROWIDs and
  the INTEGER PRIMARY KEY"), so the batch's rows get consecutive ids.
- PostgreSQL: ``COPY … FROM STDIN`` in the binary format (the driver formats it in C, a
  fifth of the text format's cost) with ids drawn beforehand from the table's identity
  sequence in one query (``nextval`` n times), so the ids are known without ``RETURNING``.

Each Datastream touched gets one ``UPDATE`` per batch (periods and latest observation, kept
monotonic in SQL so concurrent batches cannot move them backwards), its Thing one
``last_seen_at``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from pontive.core.db import UTCDateTime, copy_rows
from pontive.sensors import health
from pontive.sensors.ingest_batch import COLUMNS, Batch, json_text

# Parameters per statement: larger statements stop paying off; SQLite's own limit may be lower.
_SQLITE_PARAMETERS = 4000
_PG_SEQUENCE = text("SELECT pg_get_serial_sequence('sensor_observations', 'id')")
_pg_sequences: dict[str, str] = {}  # database URL → the id sequence's qualified name
# The binary COPY's column types; JSON columns go as their text (the same bytes in binary).
_PG_TYPE = {"id": "int8", "datastream_id": "int4", "feature_of_interest_id": "int4"}
_PG_TYPE |= {"result_number": "float8", "result_json": "text", "result_quality": "text"}
_PG_TYPE |= {"parameters": "text"}
_PG_TYPES = tuple(_PG_TYPE.get(column, "timestamptz") for column in ("id", *COLUMNS))
# Reporting is not editing the Thing: updated_at (its column ``onupdate``) stays.
_THING_SEEN = {
    "sqlite": "UPDATE sensor_things SET last_seen_at = :at WHERE id = :id"
    " AND (last_seen_at IS NULL OR last_seen_at < :at)",
    "postgresql": "UPDATE sensor_things SET last_seen_at = %(at)s WHERE id = %(id)s"
    " AND (last_seen_at IS NULL OR last_seen_at < %(at)s)",
}


def insert_rows(session: Session, batch: Batch) -> list[int]:
    """Insert the batch in bulk; the new ids, in order."""
    if not batch.items:
        return []
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        return _insert_sqlite(cast(sqlite3.Connection, driver), batch)
    if connection.dialect.name == "postgresql":
        ids = _next_ids(connection, len(batch))
        values = zip(ids, batch.postgresql_values(), strict=True)
        rows = ((i, *r) for i, r in values)
        copy_rows(connection, "sensor_observations", ("id", *COLUMNS), rows, binary_types=_PG_TYPES)
        return ids
    raise NotImplementedError(f"no bulk insert for {connection.dialect.name}")


def _next_ids(connection: Connection, count: int) -> list[int]:
    """``count`` new ids from the identity sequence, in one query.

    The sequence is named once per process: ``pg_get_serial_sequence`` in the query itself
    would run for every row (measured: half the cost of the insert).
    """
    key = connection.engine.url.render_as_string(hide_password=True)
    sequence = _pg_sequences.get(key)
    if sequence is None:
        sequence = _pg_sequences.setdefault(key, str(connection.execute(_PG_SEQUENCE).scalar_one()))
    # S608: the name comes from the catalogue, a literal cast to regclass; count is bound.
    query = text(f"SELECT nextval('{sequence}'::regclass) FROM generate_series(1, :n)")  # noqa: S608
    return [int(i) for i in connection.execute(query, {"n": count}).scalars()]


@lru_cache(maxsize=256)
def _sqlite_insert(columns: tuple[int, ...], rows: int) -> str:
    """``INSERT`` of ``rows`` rows naming the ``COLUMNS`` at these positions."""
    names = ", ".join(COLUMNS[index] for index in columns)
    row = f"({', '.join('?' * len(columns))})"
    return f"INSERT INTO sensor_observations ({names}) VALUES {', '.join([row] * rows)}"  # noqa: S608


def _insert_sqlite(driver: sqlite3.Connection, batch: Batch) -> list[int]:
    columns = batch.sqlite_columns()
    used = tuple(i for i, column in enumerate(columns) if column is not None)
    limit = min(_SQLITE_PARAMETERS, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    per_statement = max(1, limit // len(used))
    rows = list(zip(*(cast(list[Any], columns[i]) for i in used), strict=True))
    cursor = driver.cursor()
    try:
        for first in range(0, len(rows), per_statement):
            chunk = rows[first : first + per_statement]
            cursor.execute(_sqlite_insert(used, len(chunk)), list(chain.from_iterable(chunk)))
        last = int(cursor.execute("SELECT last_insert_rowid()").fetchone()[0])
    finally:
        cursor.close()
    return list(range(last - len(batch) + 1, last + 1))


# --- Datastream summaries ------------------------------------------------------------------

# One statement per dialect, executed through the driver (``exec_driver_sql``) with values
# converted once here: a Core statement would bind-process each repeated parameter again.
# Every SET expression reads the row as it was, so the latest-observation test is the same
# in all three ``last_*`` columns.
_SUMMARY_SQL = """UPDATE sensor_datastreams SET
 phenomenon_time_start = CASE WHEN phenomenon_time_start IS NOT NULL
  AND phenomenon_time_start <= {p0} THEN phenomenon_time_start ELSE {p0} END,
 phenomenon_time_end = CASE WHEN phenomenon_time_end IS NOT NULL
  AND phenomenon_time_end >= {p1} THEN phenomenon_time_end ELSE {p1} END,
 result_time_start = CASE WHEN result_time_start IS NOT NULL
  AND ({r0} IS NULL OR result_time_start <= {r0}) THEN result_time_start ELSE {r0} END,
 result_time_end = CASE WHEN result_time_end IS NOT NULL
  AND ({r1} IS NULL OR result_time_end >= {r1}) THEN result_time_end ELSE {r1} END,
 last_observation_id = CASE WHEN last_phenomenon_time IS NULL
  OR last_phenomenon_time <= {lt} THEN {lid} ELSE last_observation_id END,
 last_result = CASE WHEN last_phenomenon_time IS NULL
  OR last_phenomenon_time <= {lt} THEN {lres} ELSE last_result END,
 last_phenomenon_time = CASE WHEN last_phenomenon_time IS NULL
  OR last_phenomenon_time <= {lt} THEN {lt} ELSE last_phenomenon_time END
WHERE id = {sid}"""
_TIMES = ("p0", "p1", "r0", "r1", "lt")
_SUMMARY = {
    "sqlite": _SUMMARY_SQL.format(**{n: f":{n}" for n in (*_TIMES, "lid", "lres", "sid")}),
    "postgresql": _SUMMARY_SQL.format(
        **{n: f"CAST(%({n})s AS timestamptz)" for n in _TIMES},
        lid="CAST(%(lid)s AS bigint)",
        lres="CAST(%(lres)s AS json)",
        sid="%(sid)s",
    ),
}


def update_streams(
    session: Session, batch: Batch, ids: Sequence[int], newest: Mapping[int, int]
) -> None:
    """Widen each Datastream's phenomenon/result periods and move its latest observation."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in _SUMMARY:
        raise NotImplementedError(f"no summary update for {dialect.name}")
    instant = UTCDateTime().bind_processor(dialect) or (lambda value: value)
    params = []
    for stream, span in sorted(batch.spans().items()):  # id order: rows lock in one order
        index = newest[stream]
        times = [*span, batch.times[index]]
        values: dict[str, Any] = {
            name: instant(value) for name, value in zip(_TIMES, times, strict=True)
        }
        result = json_text(batch.items[index].result)
        values |= {"sid": stream, "lid": ids[index], "lres": result}
        params.append(values)
    connection.exec_driver_sql(_SUMMARY[dialect.name], params)


def mark_things_seen(session: Session, thing_ids: Iterable[int], now: datetime) -> None:
    """Set ``last_seen_at`` of the Things that just reported (device health reads it)."""
    connection = session.connection()
    instant = UTCDateTime().bind_processor(connection.dialect) or (lambda value: value)
    at = instant(now)
    params = [{"id": thing_id, "at": at} for thing_id in sorted(set(thing_ids))]
    if params:
        connection.exec_driver_sql(_THING_SEEN[connection.dialect.name], params)


def update_vitals(session: Session, batch: Batch, thing_of: Mapping[int, int]) -> None:
    """Battery and signal from the newest observation with ``parameters`` of each Thing."""
    newest: dict[int, int] = {}
    for index, item in enumerate(batch.items):
        if not item.parameters:
            continue
        thing_id = thing_of[item.datastream_id]
        held = newest.get(thing_id)
        if held is None or batch.times[index] >= batch.times[held]:
            newest[thing_id] = index
    for thing_id in sorted(newest):
        health.update_device_vitals(
            session=session, thing_id=thing_id, parameters=batch.items[newest[thing_id]].parameters
        )
