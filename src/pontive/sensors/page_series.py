"""The data behind a station page's charts: raw readings for a day, rollups for longer.

Raw readings come through ``history.reading_window`` and buckets from the ``sensor_rollups``
rows (15 minutes, hours, WIB days) that ``/api/v1/datastreams/{id}/aggregate`` serves, so a
chart, the aggregate API and a CSV download never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.sensors import history, rollups
from pontive.sensors.choices import Quantity
from pontive.sensors.indices_quality import flags_of
from pontive.sensors.models import Observation, Rollup
from pontive.sensors.page_views import StreamView

RAW_LIMIT = 5_000  # a day of one-minute readings fits; a chart needs far fewer


class Span(StrEnum):
    """The chart ranges a visitor can pick (Indonesian slugs)."""

    DAY = "hari"
    WEEK = "minggu"
    MONTH = "bulan"

    @property
    def length(self) -> timedelta:
        """How far back the range reaches from now."""
        return {Span.DAY: timedelta(hours=24), Span.WEEK: timedelta(days=7)}.get(
            self, timedelta(days=30)
        )


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a chart: a reading, or a bucket's mean (or total) with its extremes."""

    start: datetime
    value: float
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class FlaggedPoint:
    """A reading carrying data-quality flags in its ``resultQuality`` (``indices_quality``)."""

    start: datetime
    value: float
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """A stream's points over a span, and how they were made."""

    stream: StreamView
    span: Span
    start: datetime
    end: datetime
    source: str  # "raw" or a rollup interval ("15m", "1h", "1d")
    is_total: bool  # rain: bars of amounts per bucket, not a line of means
    points: tuple[Point, ...]
    flagged: tuple[FlaggedPoint, ...] = ()  # readings the quality checks flagged


def plan(quantity: Quantity | None, span: Span) -> tuple[str, bool]:
    """(source, is_total) for a stream of ``quantity`` over ``span``.

    Rain is summed per hour (per WIB day over a month); water levels keep hourly detail over
    a month so the tides stay visible; the hourly ISPU is drawn as computed; other streams go
    raw for a day, hourly for a week and daily for a month.
    """
    if quantity is Quantity.RAINFALL:
        return ("1d" if span is Span.MONTH else "1h"), True
    if quantity is Quantity.ISPU or span is Span.DAY:
        return "raw", False
    if quantity is Quantity.WATER_LEVEL or span is Span.WEEK:
        return "1h", False
    return "1d", False


def load_series(session: Session, stream: StreamView, span: Span, *, now: datetime) -> Series:
    """The points of ``stream`` over the ``span`` ending ``now``."""
    source, is_total = plan(stream.quantity, span)
    end, start = now, now - span.length
    if source == "raw":
        readings = history.reading_window(
            session=session, datastream_id=stream.id, start=start, end=end, limit=RAW_LIMIT
        )
        points = tuple(
            Point(r.phenomenon_time, float(r.result))
            for r in readings
            if isinstance(r.result, int | float) and not isinstance(r.result, bool)
        )
    else:
        interval = rollups.INTERVALS[source]
        start = interval.floor(start)
        points = _buckets(session, stream.id, source, start, end, is_total=is_total)
    flagged = flagged_readings(session, stream.id, start, end)
    return Series(stream, span, start, end, source, is_total, points, flagged)


def flagged_readings(
    session: Session, stream_id: int, start: datetime, end: datetime
) -> tuple[FlaggedPoint, ...]:
    """The stream's numeric readings in [start, end) that carry Pontive quality flags.

    Unflagged readings have no ``resultQuality`` at all (the common case), so the index range
    scan returns few rows; a client's own ``resultQuality`` without our flags is skipped here.
    """
    rows = session.execute(
        select(Observation.phenomenon_time, Observation.result_number, Observation.result_quality)
        .where(
            Observation.datastream_id == stream_id,
            Observation.phenomenon_time >= start,
            Observation.phenomenon_time < end,
            Observation.result_quality.is_not(None),
            Observation.result_number.is_not(None),
        )
        .order_by(Observation.phenomenon_time)
        .limit(RAW_LIMIT)
    )
    found = []
    for when, number, quality in rows:
        kinds = tuple(flags_of(quality))
        if kinds and number is not None:
            found.append(FlaggedPoint(when, float(number), kinds))
    return tuple(found)


def _buckets(
    session: Session,
    stream_id: int,
    interval: str,
    start: datetime,
    end: datetime,
    *,
    is_total: bool,
) -> tuple[Point, ...]:
    # The sensor_rollups rows behind the aggregate API, read as datetimes for drawing.
    rows = session.execute(
        select(Rollup.bucket_start, Rollup.count, Rollup.total, Rollup.minimum, Rollup.maximum)
        .where(
            Rollup.datastream_id == stream_id,
            Rollup.interval == interval,
            Rollup.bucket_start >= start,
            Rollup.bucket_start < end,
        )
        .order_by(Rollup.bucket_start)
    )
    return tuple(
        Point(begins, total if is_total else total / count, low, high)
        for begins, count, total, low, high in rows
        if count
    )


def download_url(stream_id: int, series: Series) -> str:
    """The native API's CSV of the raw readings behind a chart."""
    query = urlencode(
        {
            "from": series.start.isoformat(),
            "to": series.end.isoformat(),
            "format": "csv",
            "limit": 10_000,
        }
    )
    return f"/api/v1/datastreams/{stream_id}/observations?{query}"
