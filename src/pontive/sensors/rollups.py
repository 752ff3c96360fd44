"""Rollups: count, total, minimum and maximum of a datastream's numeric results per bucket.

Three intervals are kept in ``sensor_rollups``: 15 minutes and 1 hour, aligned in UTC, and
1 day, a calendar day in WIB: the city reads days in WIB, so a day bucket starts at 00:00
WIB, stored as 17:00 UTC of the day before. WIB is taken as a fixed UTC+7 (Asia/Pontianak
has had no other offset since 1988 and keeps no daylight saving). An hour is whole in both
zones, so every bucket nests exactly in the next one.

Buckets are recomputed, never incremented: ingest (and any delete) names the times it
touched, and :func:`update_rollups` recomputes those 15-minute buckets from the raw rows, then
the hours from the 15-minute rollups and the WIB days from the hourly ones (exact: counts
and totals add up, minima and maxima nest), each with one grouped ``INSERT … SELECT … ON
CONFLICT DO UPDATE`` for all streams of the batch, and deletes buckets left without rows.
Late, out-of-order and deleted observations are therefore handled alike. Ingest calls
:func:`update_rollups_of_inserts`, the same recompute told what ingest knows already (each
stream's retention, its row locked) and without the deletes, since added rows cannot empty a
bucket: four statements a batch instead of eight on SQLite. Raw rows deleted by
the retention policy (``history.py``) leave their rollups in place, and times older than a
stream's retention cut-off are not recomputed, which would erase that kept history.

Recomputed per ingest batch, not marked dirty for a job, by measurement (``bench/
sta_query.py`` on 10 million rows, a shared 2-core machine): 1,000 observations across 10
streams cost 5-9 ms of ``update_rollups`` on SQLite (about half its bulk insert) and 15-21 ms
on PostgreSQL (a quarter of its insert), so charts are current once a reading is committed.
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
    _recompute(session, _touched_quarters(touched, retention), may_empty=True)


def update_rollups_of_inserts(
    *,
    session: Session,
    touched: Mapping[int, Sequence[datetime]],
    retention: Mapping[int, int | None],
) -> None:
    """:func:`update_rollups` for rows just inserted (ingest), from what ingest knows already:
    ``retention`` days of each stream, and its row locked by the caller's summary ``UPDATE``
    (stronger than the lock :func:`update_rollups` takes). Adding rows cannot empty a bucket,
    so the statements that delete emptied buckets are left out."""
    _recompute(session, _touched_quarters(touched, retention), may_empty=False)


def _recompute(session: Session, quarters: Mapping[int, set[int]], *, may_empty: bool) -> None:
    if not quarters:
        return
    for interval in INTERVALS.values():
        spans = []
        for ds in sorted(quarters):
            starts = {interval.floor_micros(q) for q in quarters[ds]}
            spans += merge_spans(ds, starts, interval)
        refresh_spans(session, interval, spans, may_empty=may_empty)


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


def refresh_spans(
    session: Session, interval: Interval, spans: Sequence[Span], *, may_empty: bool = True
) -> None:
    """Upsert the recomputed buckets of ``spans`` and (``may_empty``) delete those left empty."""
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
    for statement in rollups_sql.statements(dialect, interval, may_empty=may_empty):
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
