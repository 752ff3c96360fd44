"""Keeping a Datastream's summary true when its observations change other than by ingest.

Ingest maintains each Datastream's phenomenon/result periods and latest observation
(``last_*``) and the rollups as observations arrive. When observations are deleted (one,
or all of a FeatureOfInterest), edited or moved between Datastreams through SensorThings,
this module recomputes what they touched: the rollup buckets of their times
(``rollups.update_rollups``), and the latest observation and periods of each Datastream
(one indexed ``ORDER BY … LIMIT 1`` and one aggregate per Datastream).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, func, select, update
from sqlalchemy.orm import Session

from pontive.sensors import rollups
from pontive.sensors.models import Datastream, Observation

_OBS = cast(Table, Observation.__table__)
_STREAMS = cast(Table, Datastream.__table__)
_BUCKET_MICROS = 15 * 60 * 1_000_000  # the finest rollup bucket: one time per bucket is enough


def numeric_times(session: Session, condition: ColumnElement[bool]) -> dict[int, list[datetime]]:
    """Phenomenon times of the numeric observations matching ``condition``, by Datastream,
    one per 15-minute bucket (what ``update_rollups`` needs to recompute them)."""
    query = (
        select(_OBS.c.datastream_id, _OBS.c.phenomenon_time)
        .where(condition, _OBS.c.result_number.is_not(None))
        .execution_options(yield_per=10_000)
    )
    seen: dict[int, dict[int, datetime]] = defaultdict(dict)
    for datastream_id, instant in session.execute(query):
        bucket = int(instant.timestamp() * 1_000_000) // _BUCKET_MICROS
        seen[datastream_id].setdefault(bucket, instant)
    return {stream: list(times.values()) for stream, times in seen.items()}


def merge_times(*parts: Mapping[int, Sequence[datetime]]) -> dict[int, list[datetime]]:
    """Union of several ``datastream id → times`` mappings."""
    merged: dict[int, list[datetime]] = defaultdict(list)
    for part in parts:
        for stream, times in part.items():
            merged[stream].extend(times)
    return dict(merged)


def _latest(session: Session, datastream_id: int) -> Any:
    query = (
        select(_OBS.c.id, _OBS.c.phenomenon_time, _OBS.c.result_number, _OBS.c.result_json)
        .where(_OBS.c.datastream_id == datastream_id)
        .order_by(_OBS.c.phenomenon_time.desc(), _OBS.c.id.desc())
        .limit(1)
    )
    return session.execute(query).first()


def _periods(session: Session, datastream_id: int) -> Any:
    query = select(
        func.min(_OBS.c.phenomenon_time),
        func.max(func.coalesce(_OBS.c.phenomenon_time_end, _OBS.c.phenomenon_time)),
        func.min(_OBS.c.result_time),
        func.max(_OBS.c.result_time),
    ).where(_OBS.c.datastream_id == datastream_id)
    return session.execute(query).one()


def refresh_datastreams(session: Session, datastream_ids: Iterable[int]) -> None:
    """Recompute the periods and latest observation of each Datastream from its rows."""
    for datastream_id in sorted(set(datastream_ids)):
        latest = _latest(session, datastream_id)
        start, end, result_start, result_end = _periods(session, datastream_id)
        values: dict[str, Any] = {
            "phenomenon_time_start": start,
            "phenomenon_time_end": end,
            "result_time_start": result_start,
            "result_time_end": result_end,
            "last_observation_id": None,
            "last_phenomenon_time": None,
            "last_result": None,
        }
        if latest is not None:
            number = latest.result_number
            values["last_observation_id"] = latest.id
            values["last_phenomenon_time"] = latest.phenomenon_time
            values["last_result"] = number if number is not None else latest.result_json
        session.execute(update(_STREAMS).where(_STREAMS.c.id == datastream_id).values(**values))


def observations_changed(
    session: Session,
    *,
    touched: Mapping[int, Sequence[datetime]],
    datastream_ids: Iterable[int],
) -> None:
    """After observations were deleted, edited or moved: rollups and Datastream summaries."""
    if touched:
        rollups.update_rollups(session=session, touched=touched)
    refresh_datastreams(session, datastream_ids)
