"""The native sensor history API (``/api/v1/datastreams/{id}/…``): aggregates and raw readings.

Sensor data is public (``publik``), so these answer anyone and may be shared by caches for a
short while. Aggregates come from the rollups (``rollups.py``), never from the raw table, so
a month of hourly means costs one index range of 720 rows however many observations lie
beneath. Bodies are serialised once with orjson; the response models below describe them in
the OpenAPI document. Bad parameters answer 422 with field errors (``{"detail","errors"}``).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

import orjson
from fastapi import Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from pontive.core.errors import InvalidInput
from pontive.core.timeutil import utcnow
from pontive.sensors import history, rollups
from pontive.web.deps import DbSession, Lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1", tags=["sensors"])

# WIB as a fixed offset: what the rollups' day buckets use, and orjson writes "+07:00".
WIB_FIXED = timezone(timedelta(hours=7), "WIB")
AGGREGATE_SECONDS = 60  # Cache-Control max-age: a 15-minute bucket fills over minutes
LATEST_SECONDS = 10
WINDOW_SECONDS = 30
MAX_LIMIT = 10_000
_JSON_OPTIONS = orjson.OPT_UTC_Z
_PLUS_AS_SPACE = re.compile(r" (\d{2}:?\d{2})$")


class Interval(StrEnum):
    """Bucket size: 15 minutes and 1 hour (UTC-aligned), or 1 day (a WIB calendar day)."""

    MINUTES_15 = "15m"
    HOUR = "1h"
    DAY = "1d"


class Stat(StrEnum):
    """The statistic per bucket."""

    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    COUNT = "count"


class Format(StrEnum):
    """Output format of raw readings."""

    JSON = "json"
    CSV = "csv"


# (default window, longest window) per interval: about 100 to 2,200 buckets at most.
WINDOWS = {
    Interval.MINUTES_15: (timedelta(hours=24), timedelta(days=14)),
    Interval.HOUR: (timedelta(days=7), timedelta(days=93)),
    Interval.DAY: (timedelta(days=30), timedelta(days=1830)),
}
RAW_WINDOW = (timedelta(hours=24), timedelta(days=31))


class Unit(BaseModel):
    """SensorThings unitOfMeasurement."""

    model_config = ConfigDict(extra="allow")
    name: str | None = None
    symbol: str | None = None
    definition: str | None = None


class AggregateBucket(BaseModel):
    """One bucket: its start in UTC and WIB, the statistic, and how many readings it holds."""

    start: datetime
    start_wib: datetime
    value: float | None
    count: int


class AggregateRead(BaseModel):
    """Buckets of one datastream starting in [from, to), oldest first; empty ones omitted."""

    model_config = ConfigDict(populate_by_name=True)
    datastream_id: int
    interval: Interval
    stat: Stat
    from_: datetime = Field(alias="from")
    to: datetime
    unit: Unit
    buckets: list[AggregateBucket]


class ReadingRead(BaseModel):
    """One raw observation: a number, or any other JSON result."""

    id: int
    phenomenon_time: datetime
    phenomenon_time_wib: datetime
    result: Any


class LatestRead(BaseModel):
    """The newest observation of a datastream (``reading`` is null when there is none)."""

    datastream_id: int
    unit: Unit
    reading: ReadingRead | None


class ReadingWindow(BaseModel):
    """Raw observations with phenomenon time in [from, to), oldest first."""

    model_config = ConfigDict(populate_by_name=True)
    datastream_id: int
    from_: datetime = Field(alias="from")
    to: datetime
    unit: Unit
    is_truncated: bool  # more readings lie in the window than ``limit``
    readings: list[ReadingRead]


FromParam = Annotated[
    str | None,
    Query(
        alias="from",
        description="ISO 8601 instant with offset (2026-11-29T00:00:00+07:00), or a date "
        "(00:00 WIB of that day).",
    ),
]
ToParam = Annotated[str | None, Query(description="End (exclusive), same forms as `from`.")]


@router.get("/datastreams/{datastream_id}/aggregate", response_model=AggregateRead)
def read_aggregate(
    datastream_id: int,
    session: DbSession,
    lang: Lang,
    interval: Interval = Interval.HOUR,
    stat: Stat = Stat.MEAN,
    from_: FromParam = None,
    to: ToParam = None,
) -> Response:
    """Mean, minimum, maximum or count per 15 minutes, hour or WIB day, from the rollups."""
    bucket_size = rollups.INTERVALS[interval.value]
    start, end = _window(from_, to, *WINDOWS[interval], lang=lang)
    start = bucket_size.floor(start)
    unit = history.get_unit(session=session, datastream_id=datastream_id)
    buckets = rollups.read_buckets(
        session=session, datastream_id=datastream_id, interval=bucket_size, start=start, end=end
    )
    body = {
        "datastream_id": datastream_id,
        "interval": interval.value,
        "stat": stat.value,
        "from": start,
        "to": end,
        "unit": unit,
        "buckets": _bucket_items(stat, buckets),
    }
    return _json(body, AGGREGATE_SECONDS)


@router.get("/datastreams/{datastream_id}/latest", response_model=LatestRead)
def read_latest(datastream_id: int, session: DbSession) -> Response:
    """The newest observation of a datastream by phenomenon time."""
    unit = history.get_unit(session=session, datastream_id=datastream_id)
    reading = history.latest_reading(session=session, datastream_id=datastream_id)
    body = {
        "datastream_id": datastream_id,
        "unit": unit,
        "reading": _reading(reading) if reading else None,
    }
    return _json(body, LATEST_SECONDS)


@router.get(
    "/datastreams/{datastream_id}/observations",
    response_model=ReadingWindow,
    responses={200: {"content": {"text/csv": {}}}},
)
def read_observations(
    datastream_id: int,
    session: DbSession,
    lang: Lang,
    from_: FromParam = None,
    to: ToParam = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 1_000,
    format_: Annotated[Format, Query(alias="format")] = Format.JSON,
) -> Response:
    """Raw observations in a window (default the last 24 h, at most 31 days), as JSON or CSV."""
    start, end = _window(from_, to, *RAW_WINDOW, lang=lang)
    unit = history.get_unit(session=session, datastream_id=datastream_id)
    readings = history.reading_window(
        session=session, datastream_id=datastream_id, start=start, end=end, limit=limit + 1
    )
    is_truncated = len(readings) > limit
    readings = readings[:limit]
    if format_ is Format.CSV:
        return _csv(datastream_id, readings)
    body = {
        "datastream_id": datastream_id,
        "from": start,
        "to": end,
        "unit": unit,
        "is_truncated": is_truncated,
        "readings": [_reading(r) for r in readings],
    }
    return _json(body, WINDOW_SECONDS)


# --- helpers -------------------------------------------------------------------------------


def _bucket_items(stat: Stat, buckets: list[rollups.Bucket]) -> list[dict[str, Any]]:
    """The buckets as JSON objects; mean = total / count (rollups keep both)."""
    if stat is Stat.MEAN:
        return [
            {"start": _utc(s), "start_wib": _wib(s), "value": total / n, "count": n}
            for s, n, total, _low, _high in buckets
        ]
    column = {Stat.COUNT: 1, Stat.MIN: 3, Stat.MAX: 4}[stat]
    return [
        {"start": _utc(b[0]), "start_wib": _wib(b[0]), "value": b[column], "count": b[1]}
        for b in buckets
    ]


# Every stream shares the same bucket starts, so their texts are made once and kept: a year
# of hours is 8,760 entries (about a megabyte for both caches).
@lru_cache(maxsize=32_768)
def _utc(seconds: int) -> str:
    """ISO 8601 in UTC ("…Z") of Unix ``seconds``."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=32_768)
def _wib(seconds: int) -> str:
    """ISO 8601 in WIB ("…+07:00") of Unix ``seconds``."""
    return datetime.fromtimestamp(seconds, WIB_FIXED).isoformat()


def _reading(reading: history.Reading) -> dict[str, Any]:
    return {
        "id": reading.id,
        "phenomenon_time": reading.phenomenon_time,
        "phenomenon_time_wib": reading.phenomenon_time.astimezone(WIB_FIXED),
        "result": reading.result,
    }


def _json(body: dict[str, Any], max_age: int) -> Response:
    return Response(
        orjson.dumps(body, option=_JSON_OPTIONS),
        media_type="application/json",
        headers={"Cache-Control": f"public, max-age={max_age}"},
    )


def _csv(datastream_id: int, readings: list[history.Reading]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "phenomenon_time", "phenomenon_time_wib", "result"])
    for r in readings:
        number = isinstance(r.result, float)
        result = repr(r.result) if number else orjson.dumps(r.result).decode()
        utc = r.phenomenon_time.astimezone(UTC)
        writer.writerow([r.id, utc.isoformat(), utc.astimezone(WIB_FIXED).isoformat(), result])
    disposition = f'attachment; filename="datastream-{datastream_id}.csv"'
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Cache-Control": f"public, max-age={WINDOW_SECONDS}",
            "Content-Disposition": disposition,
        },
    )


def _window(
    given_from: str | None,
    given_to: str | None,
    default: timedelta,
    longest: timedelta,
    *,
    lang: str,
) -> tuple[datetime, datetime]:
    """[from, to) from the parameters: default ``to`` now, ``from`` ``default`` before it."""
    errors: dict[str, list[str]] = {}
    end = _instant(given_to, "to", errors, lang)
    start = _instant(given_from, "from", errors, lang)
    if errors:
        raise InvalidInput(errors=errors)
    end = end or (start + default if start else utcnow())
    start = start or end - default
    if start >= end:
        errors["from"] = [translate("sensors.history.from_after_to", lang)]
    elif end - start > longest:
        days = int(longest.total_seconds() // 86_400)
        errors["from"] = [translate("sensors.history.window_too_long", lang, days=days)]
    if errors:
        raise InvalidInput(errors=errors)
    return start, end


def _instant(
    value: str | None, field: str, errors: dict[str, list[str]], lang: str
) -> datetime | None:
    """An aware instant from ISO 8601, or a date read as 00:00 WIB; errors noted by field."""
    if value is None or not value.strip():
        return None
    # An unencoded "+07:00" arrives as " 07:00" (a plus in a query string is a space).
    text = _PLUS_AS_SPACE.sub(r"+\1", value.strip())
    try:
        if len(text) == 10:  # YYYY-MM-DD
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=WIB_FIXED).astimezone(UTC)
        instant = datetime.fromisoformat(text)
    except ValueError:
        errors[field] = [translate("sensors.history.bad_time", lang)]
        return None
    if instant.tzinfo is None:
        errors[field] = [translate("sensors.history.time_needs_offset", lang)]
        return None
    return instant.astimezone(UTC)
