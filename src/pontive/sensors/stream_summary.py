"""A Datastream's summary read again from its rows: its phenomenon and result periods and its
latest observation (``last_*``), which ingest otherwise keeps as observations arrive. One
indexed ``ORDER BY … LIMIT 1`` and one aggregate per Datastream."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from pontive.sensors.models import Datastream, Observation

_OBS = cast(Table, Observation.__table__)
_STREAMS = cast(Table, Datastream.__table__)


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
