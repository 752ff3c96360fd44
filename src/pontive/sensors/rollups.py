"""Rollups: count, total, minimum and maximum of a datastream's numeric results per bucket.

Three intervals are kept in ``sensor_rollups``: 15 minutes and 1 hour, aligned in UTC, and
1 day, a calendar day in WIB: the city reads days in WIB, so a day bucket starts at 00:00
WIB, stored as 17:00 UTC of the day before. WIB is taken as a fixed UTC+7 (Asia/Pontianak
has had no other offset since 1988 and keeps no daylight saving). An hour is whole in both
zones, so every bucket nests exactly in the next one.

Ingest adds (:func:`add_readings`): every row it stores is new, so the batch's own count,
total, minimum and maximum per bucket are added to the stored bucket, all three intervals in
one upsert. Deletes and edits recompute (:func:`update_rollups`): they name the times they
touched, and the 15-minute buckets holding them are recomputed from the raw rows, then the
hours from the 15-minute rollups and the WIB days from the hourly ones (exact: counts and
totals add up, minima and maxima nest), each with one grouped ``INSERT … SELECT … ON
CONFLICT DO UPDATE`` for all streams, and buckets left without rows are deleted. Raw rows
deleted by the retention policy (``history.py``) leave their rollups in place, and a
recompute skips times older than a stream's retention cut-off, which would erase that kept
history; a late reading from then is still added by ingest.

Added rather than recomputed on ingest by measurement (1,000 rows across 10 streams, a
shared 2-core machine): under ``bench/ingest.py``'s requests the recompute took 2 ms a batch
on SQLite and 14-15 ms on PostgreSQL, which alone kept ``CreateObservations`` under half the
speed of a raw insert there; on ``bench/sta_query.py``'s 10 million rows adding takes 0.7 and
2 ms, recomputing 3.3 and 6.4 ms. Either way the charts are current once a reading is
committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.sensors import rollups_sql
from pontive.sensors.models import Datastream, Observation, Rollup, from_micros, to_micros
from pontive.sensors.rollups_sql import MICROS, WIB_OFFSET_SECONDS

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Interval:
    """A bucket size: its name in the API and table, width, alignment and source."""

    name: str
    seconds: int
    offset_seconds: int  # buckets start where (instant + offset) is a multiple of the width
    source: str | None  # the finer interval it is computed from; None: the raw rows

    @property
    def width(self) -> int:
        """The width in microseconds."""
        return self.seconds * MICROS

    @property
    def step(self) -> timedelta:
        """The width as a timedelta."""
        return timedelta(seconds=self.seconds)

    def floor_micros(self, micros: int) -> int:
        """The start of the bucket holding ``micros`` (microseconds since the epoch)."""
        return micros - (micros + self.offset_seconds * MICROS) % self.width

    def floor(self, instant: datetime) -> datetime:
        """The start of the bucket holding ``instant``."""
        return from_micros(self.floor_micros(to_micros(instant)))


FIFTEEN_MINUTES = Interval("15m", 900, 0, None)
HOUR = Interval("1h", 3600, 0, "15m")
DAY = Interval("1d", 86_400, WIB_OFFSET_SECONDS, "1h")  # a WIB calendar day
INTERVALS: Mapping[str, Interval] = {i.name: i for i in (FIFTEEN_MINUTES, HOUR, DAY)}


class Span(NamedTuple):
    """Buckets of one datastream starting in [start, end) (microseconds since the epoch)."""

    datastream_id: int
    start: int
    end: int


# One stored rollup as read back: (start in Unix seconds, count, total, minimum, maximum).
Bucket = tuple[int, int, float, float, float]


def retention_cutoff(*, now: datetime, days: int) -> datetime:
    """Raw rows before this instant are expired: ``days`` back, down to 00:00 WIB.

    Whole WIB days expire at once, so every rollup bucket is wholly raw or wholly expired.
    """
    return DAY.floor(now - timedelta(days=days))


def update_rollups(*, session: Session, touched: Mapping[int, Sequence[datetime]]) -> None:
    """Recompute the 15m, 1h and 1d buckets holding the given times of each datastream."""
    streams = sorted(ds for ds, times in touched.items() if times)
    if not streams:
        return
    retention = dict(_lock_streams(session, streams))
    _recompute(session, _touched_quarters(touched, retention))


def add_readings(
    *,
    session: Session,
    streams: Sequence[int],
    micros: Sequence[int],
    values: Sequence[float | None],
) -> None:
    """Add rows just inserted (ingest) to their buckets: ``streams[i]``, ``micros[i]`` (the
    phenomenon time in microseconds) and ``values[i]`` (``None``: not a number, not rolled
    up) describe one row. The batch's own count, total, minimum and maximum per bucket are
    added to what is stored, in one upsert for all three intervals.

    Exact, because every row ingest inserts is new (a redelivered MQTT message is recognised
    and not stored again, ``ingest_dedupe.py``) and the buckets already hold every earlier
    row; under concurrency each upsert adds its own batch under the bucket's row lock, so
    nothing a concurrent batch adds is lost. A late reading older than the stream's
    retention is added too: its bucket is kept history, and the reading belongs in it."""
    rows = bucket_increments(streams, micros, values)
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect.name
    statement = rollups_sql.add_statement(dialect)
    if dialect == "postgresql":  # one statement: the rows as seven arrays
        columns = tuple(map(rollups_sql.array_literal, zip(*rows, strict=True)))
        connection.exec_driver_sql(statement, columns)
    else:
        connection.exec_driver_sql(statement, rows)


# One row of sensor_rollups as ingest adds it: (datastream, interval, bucket start in
# microseconds, count, total, minimum, maximum).
Increment = tuple[int, str, int, int, float, float, float]


def bucket_increments(
    streams: Sequence[int], micros: Sequence[int], values: Sequence[float | None]
) -> list[Increment]:
    """The count, total, minimum and maximum of the numeric rows per bucket, interval by
    interval (15m, 1h, 1d), each in (datastream, bucket) order."""
    width = FIFTEEN_MINUTES.width  # aligned in UTC: the floor is the plain modulo
    buckets: dict[tuple[int, int], list[Any]] = {}
    for stream, at, value in zip(streams, micros, values, strict=True):
        if value is None:
            continue
        key = (stream, at - at % width)
        held = buckets.get(key)
        if held is None:
            buckets[key] = [1, value, value, value]
            continue
        held[0] += 1
        held[1] += value
        if value < held[2]:
            held[2] = value
        elif value > held[3]:
            held[3] = value
    rows: list[Increment] = []
    for interval in INTERVALS.values():  # 15m, 1h, 1d: each nests in the next
        if interval is not FIFTEEN_MINUTES:
            buckets = _coarser(buckets, interval)
        rows += [
            (ds, interval.name, start, *stats) for (ds, start), stats in sorted(buckets.items())
        ]
    return rows


def _coarser(
    finer: Mapping[tuple[int, int], list[Any]], interval: Interval
) -> dict[tuple[int, int], list[Any]]:
    """The buckets of ``interval`` summed up from those of the interval nested in it."""
    coarse: dict[tuple[int, int], list[Any]] = {}
    for (stream, start), (count, total, low, high) in finer.items():
        key = (stream, interval.floor_micros(start))
        held = coarse.get(key)
        if held is None:
            coarse[key] = [count, total, low, high]
            continue
        held[0] += count
        held[1] += total
        held[2] = min(held[2], low)
        held[3] = max(held[3], high)
    return coarse


def _recompute(session: Session, quarters: Mapping[int, set[int]]) -> None:
    if not quarters:
        return
    for interval in INTERVALS.values():
        spans = []
        for ds in sorted(quarters):
            starts = {interval.floor_micros(q) for q in quarters[ds]}
            spans += merge_spans(ds, starts, interval)
        refresh_spans(session, interval, spans)


def rebuild_rollups(*, session: Session, datastream_id: int) -> None:
    """Recompute every bucket of one datastream from the raw rows it still holds.

    Rollups older than its first raw row (expired by retention) are kept as they are.
    """
    first = session.scalar(
        select(Observation.phenomenon_time)
        .where(Observation.datastream_id == datastream_id)
        .order_by(Observation.phenomenon_time)
        .limit(1)
    )
    if first is None:
        return
    _lock_streams(session, [datastream_id])
    for interval in INTERVALS.values():
        start = interval.floor_micros(to_micros(first))
        refresh_spans(session, interval, [Span(datastream_id, start, to_micros(FAR_FUTURE))])


def read_buckets(
    *, session: Session, datastream_id: int, interval: Interval, start: datetime, end: datetime
) -> list[Bucket]:
    """The stored buckets of one stream starting in [start, end), oldest first.

    Starts come as Unix seconds: a month of hours is 720 rows on a hot read path, and a
    datetime made per row would cost more than the query.
    """
    table = Rollup.__table__
    column = table.c.bucket_start
    seconds = rollups_sql.epoch_seconds(session.get_bind().dialect.name)
    query = (
        select(seconds, table.c.count, table.c.total, table.c.minimum, table.c.maximum)
        .where(
            table.c.datastream_id == datastream_id,
            table.c.interval == interval.name,
            column >= start,
            column < end,
        )
        .order_by(column)
    )
    return [tuple(row) for row in session.connection().execute(query).all()]


def merge_spans(datastream_id: int, starts: Iterable[int], interval: Interval) -> list[Span]:
    """Contiguous runs of bucket starts (microseconds) as spans, one index range each."""
    spans: list[Span] = []
    for start in sorted(starts):
        if spans and spans[-1].end == start:
            spans[-1] = spans[-1]._replace(end=start + interval.width)
        else:
            spans.append(Span(datastream_id, start, start + interval.width))
    return spans


def refresh_spans(session: Session, interval: Interval, spans: Sequence[Span]) -> None:
    """Upsert the recomputed buckets of ``spans`` and delete those left empty."""
    if not spans:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        params: dict[str, Any] = {
            "ds": [s.datastream_id for s in spans],
            "lo": [from_micros(s.start) for s in spans],
            "hi": [from_micros(s.end) for s in spans],
        }
    else:  # SQLite stores instants as integer microseconds
        params = {"spans": orjson.dumps([tuple(span) for span in spans]).decode()}
    connection = session.connection()  # plain SQL: the ORM's execute adds nothing here
    for statement in rollups_sql.statements(dialect, interval):
        connection.execute(statement, params)


# --- helpers -------------------------------------------------------------------------------


def _touched_quarters(
    touched: Mapping[int, Sequence[datetime]], retention: Mapping[int, int | None]
) -> dict[int, set[int]]:
    """Per stream, the 15-minute buckets touched, minus those older than its retention."""
    now = utcnow()
    quarters: dict[int, set[int]] = {}
    width = FIFTEEN_MINUTES.seconds
    for ds, times in touched.items():
        days = retention.get(ds)
        cutoff = None if days is None else to_micros(retention_cutoff(now=now, days=days))
        # Float seconds floor exactly here: boundaries are whole seconds, and doubles keep
        # sub-microsecond precision for centuries around now.
        floors = {int(t.timestamp() // width) * width * MICROS for t in times}
        kept = floors if cutoff is None else {q for q in floors if q >= cutoff}
        if kept:
            quarters[ds] = kept
    return quarters


def _lock_streams(session: Session, datastream_ids: Sequence[int]) -> list[tuple[int, int | None]]:
    """The streams' retention days; on PostgreSQL their rows are locked in id order.

    Under READ COMMITTED a recompute that started before a concurrent batch of the same
    stream committed would miss that batch's rows; with the row lock (the one an UPDATE of
    the stream's ``last_*`` columns takes anyway) the later batch waits and then sees them.
    Id order means two batches never deadlock here; SQLite serialises writers already.
    """
    query = (
        select(Datastream.id, Datastream.retention_days)
        .where(Datastream.id.in_(list(datastream_ids)))
        .order_by(Datastream.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(key_share=True)
    return [(ds, days) for ds, days in session.execute(query)]
