"""The SQL of the rollups (``rollups.py``): one statement text per dialect and interval.

Each text is built once from constants (compiled and prepared once by the driver); every
value is bound. The spans to recompute arrive as one parameter: three arrays unnested on
PostgreSQL, a JSON array walked with ``json_each`` on SQLite (instants there are integer
microseconds).

PostgreSQL reads each span through a ``LATERAL`` subquery: a join on ``time >= lo AND time <
hi`` would be estimated at a third of the table per inequality (tens of thousands of rows
for ten spans), which on ten million observations turned the empty-bucket check into a hash
anti-join over every partition and woke the JIT compiler — two seconds per batch instead of
a few milliseconds. Inside the subquery the range is recognised as one (0.5 % by default),
the plan is a parameterised index scan with run-time partition pruning, and the empty-bucket
probe is a ``LIMIT 1`` index lookup per bucket.

S608 (SQL built from strings) is silenced where the text is built: only this module's
constants and the interval's own fields go into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ColumnElement, TextClause, literal_column, text

if TYPE_CHECKING:
    from pontive.sensors.rollups import Interval

MICROS = 1_000_000
WIB_OFFSET_SECONDS = 7 * 3600
_PG_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)
_COLUMNS = "datastream_id, interval, bucket_start, count, total, minimum, maximum"
_PG_SPANS = (
    "unnest(CAST(:ds AS integer[]), CAST(:lo AS timestamptz[]), CAST(:hi AS timestamptz[]))"
    " AS s(ds, lo, hi)"
)
# json_each over [[datastream, start, end], …] in integer microseconds.
_SQLITE_SPANS = (
    "(SELECT json_extract(value, '$[0]') AS ds, json_extract(value, '$[1]') AS lo,"
    " json_extract(value, '$[2]') AS hi FROM json_each(:spans)) AS s"
)
_SET_CHANGED = (
    "ON CONFLICT (datastream_id, interval, bucket_start) DO UPDATE SET"
    " count = excluded.count, total = excluded.total,"
    " minimum = excluded.minimum, maximum = excluded.maximum"
    " WHERE sensor_rollups.count <> excluded.count OR sensor_rollups.total <> excluded.total"
    " OR sensor_rollups.minimum <> excluded.minimum"
    " OR sensor_rollups.maximum <> excluded.maximum"  # an unchanged bucket is not rewritten
)


def _bucket(dialect: str, interval: Interval, column: str) -> str:
    if dialect == "postgresql":
        origin = _PG_ORIGIN - timedelta(seconds=interval.offset_seconds)
        return (
            f"date_bin(INTERVAL '{interval.seconds} seconds', {column}, "
            f"TIMESTAMPTZ '{origin.isoformat()}')"
        )
    # ((x + offset) % w + w) % w is a floor modulo for negative x too.
    offset, width = interval.offset_seconds * MICROS, interval.width
    return f"({column} - (({column} + {offset}) % {width} + {width}) % {width})"


def _plus_width(dialect: str, interval: Interval, column: str) -> str:
    if dialect == "postgresql":
        return f"{column} + INTERVAL '{interval.seconds} seconds'"
    return f"{column} + {interval.width}"


def _source(dialect: str, interval: Interval, lo: str, hi: str) -> tuple[str, str, str]:
    """(table, condition, bucket expression) of the rows that make buckets in [lo, hi)."""
    if interval.source is None:
        condition = (
            f"o.datastream_id = s.ds AND o.phenomenon_time >= {lo} AND o.phenomenon_time < {hi}"
            " AND o.result_number IS NOT NULL"
        )
        bucket = _bucket(dialect, interval, "o.phenomenon_time")
        return "sensor_observations AS o", condition, bucket
    condition = (
        f"f.datastream_id = s.ds AND f.interval = '{interval.source}'"
        f" AND f.bucket_start >= {lo} AND f.bucket_start < {hi}"
    )
    return "sensor_rollups AS f", condition, _bucket(dialect, interval, "f.bucket_start")


def _aggregates(interval: Interval) -> str:
    if interval.source is None:
        value = "o.result_number"
        return f"count({value}), sum({value}), min({value}), max({value})"
    return "sum(f.count), sum(f.total), min(f.minimum), max(f.maximum)"


@cache
def statements(dialect: str, interval: Interval) -> tuple[TextClause, ...]:
    """The statements that upsert the refilled and delete the emptied buckets of
    ``interval``. Made once per process and kind: making a ``text()`` parses its SQL."""
    name, stats = interval.name, _aggregates(interval)
    table, condition, bucket = _source(dialect, interval, "s.lo", "s.hi")
    end = _plus_width(dialect, interval, "r.bucket_start")
    _table, probe, _bucket_expr = _source(dialect, interval, "r.bucket_start", end)
    if dialect == "postgresql":
        insert = (
            f"INSERT INTO sensor_rollups ({_COLUMNS}) SELECT s.ds, '{name}', b.bucket, b.n,"  # noqa: S608
            f" b.total, b.low, b.high FROM {_PG_SPANS} CROSS JOIN LATERAL"
            f" (SELECT {bucket}, {stats} FROM {table} WHERE {condition} GROUP BY 1)"
            f" AS b (bucket, n, total, low, high) {_SET_CHANGED}"
        )
        # One round trip: the emptied buckets and the refilled ones are disjoint rows.
        return (
            text(
                f"WITH emptied AS (DELETE FROM sensor_rollups AS d USING {_PG_SPANS}"  # noqa: S608
                " CROSS JOIN LATERAL (SELECT r.bucket_start FROM sensor_rollups AS r"
                f" WHERE r.datastream_id = s.ds AND r.interval = '{name}'"
                " AND r.bucket_start >= s.lo AND r.bucket_start < s.hi) AS r"
                f" LEFT JOIN LATERAL (SELECT 1 AS hit FROM {table} WHERE {probe} LIMIT 1) AS x"
                f" ON true WHERE x.hit IS NULL AND d.datastream_id = s.ds"
                f" AND d.interval = '{name}' AND d.bucket_start = r.bucket_start) {insert}"
            ),
        )
    # The SELECT has a WHERE clause: SQLite needs one to parse INSERT … SELECT … ON CONFLICT.
    insert = (
        f"INSERT INTO sensor_rollups ({_COLUMNS}) SELECT s.ds, '{name}', {bucket}, {stats}"  # noqa: S608
        f" FROM {_SQLITE_SPANS} JOIN {table} ON {condition} WHERE true"
        f" GROUP BY s.ds, {bucket} {_SET_CHANGED}"
    )
    delete = (
        f"DELETE FROM sensor_rollups WHERE rowid IN (SELECT r.rowid FROM {_SQLITE_SPANS}"  # noqa: S608
        f" JOIN sensor_rollups AS r ON r.datastream_id = s.ds AND r.interval = '{name}'"
        " AND r.bucket_start >= s.lo AND r.bucket_start < s.hi"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {probe}))"
    )
    return text(insert), text(delete)


@cache
def add_statement(dialect: str) -> str:
    """The upsert that adds a batch's own aggregates to stored buckets (``add_readings``),
    made once per process, for the driver: on PostgreSQL the rows as seven array literals
    (bucket starts in integer microseconds, exact below 2**53), on SQLite one row per
    ``executemany`` parameter set."""
    if dialect == "postgresql":
        least, greatest = "LEAST", "GREATEST"
        source = (
            "SELECT r.ds, r.iv, TIMESTAMPTZ 'epoch' + r.b * INTERVAL '1 microsecond', r.n, r.t,"
            " r.lo, r.hi FROM unnest(CAST(%s AS integer[]), CAST(%s AS varchar[]),"
            " CAST(%s AS bigint[]), CAST(%s AS integer[]), CAST(%s AS double precision[]),"
            " CAST(%s AS double precision[]), CAST(%s AS double precision[]))"
            " AS r (ds, iv, b, n, t, lo, hi)"
        )
    else:  # min() and max() with two arguments are SQLite's scalar functions
        least, greatest = "min", "max"
        source = "VALUES (?, ?, ?, ?, ?, ?, ?)"
    return (
        f"INSERT INTO sensor_rollups ({_COLUMNS}) {source}"
        " ON CONFLICT (datastream_id, interval, bucket_start) DO UPDATE SET"
        " count = sensor_rollups.count + excluded.count,"
        " total = sensor_rollups.total + excluded.total,"
        f" minimum = {least}(sensor_rollups.minimum, excluded.minimum),"
        f" maximum = {greatest}(sensor_rollups.maximum, excluded.maximum)"
    )


def array_literal(values: Iterable[object]) -> str:
    """A PostgreSQL array literal of numbers or plain words (``{1,2.5,15m}``): built with one
    ``join``, where the driver would adapt a list element by element in Python. ``str`` of a
    float is its shortest exact form, which PostgreSQL reads back to the same double."""
    return "{" + ",".join(map(str, values)) + "}"


def epoch_seconds(dialect: str) -> ColumnElement[int]:
    """SQL for ``bucket_start`` in whole Unix seconds."""
    if dialect == "postgresql":
        return literal_column("CAST(extract(epoch FROM bucket_start) AS bigint)", BigInteger)
    return literal_column(f"bucket_start / {MICROS}", BigInteger)  # integer microseconds
