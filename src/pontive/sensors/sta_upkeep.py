"""Keeping a Datastream's summary true when its observations change other than by ingest.

Ingest maintains each Datastream's phenomenon/result periods and latest observation
(``last_*``) and the rollups as observations arrive. When observations are deleted (one,
or all of a FeatureOfInterest), edited or moved between Datastreams through SensorThings,
this module recomputes what they touched: the rollup buckets of their times
(``rollups.update_rollups``), the latest observation and periods of each Datastream
(``stream_summary``), and the derived flood status and ISPU (``indices_refresh``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.orm import Session

from pontive.sensors import rollups
from pontive.sensors.indices_refresh import refresh_indices
from pontive.sensors.models import Observation
from pontive.sensors.stream_summary import refresh_datastreams

__all__ = ["merge_times", "numeric_times", "observations_changed", "refresh_datastreams"]

_OBS = cast(Table, Observation.__table__)
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


def observations_changed(
    session: Session,
    *,
    touched: Mapping[int, Sequence[datetime]],
    datastream_ids: Iterable[int],
) -> None:
    """After observations were deleted, edited or moved: rollups, Datastream summaries and
    the flood status and ISPU they feed."""
    if touched:
        rollups.update_rollups(session=session, touched=touched)
    refresh_datastreams(session, datastream_ids)
    if touched:
        refresh_indices(session, touched)
