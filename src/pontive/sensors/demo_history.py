"""The demo's month of history: readings from the simulator's model, stored quickly.

The oldest and the newest reading of every stream go through the sensors service (ingest:
the FeatureOfInterest generated from the Location, the stream's periods and latest value,
the device's battery and signal); the tens of thousands in between are bulk-inserted with
Core (DESIGN.md, performance facts) with the same FeatureOfInterest. Then the rollups are
rebuilt, the derived ISPU and flood-status streams recomputed from that history, and device
health refreshed, exactly as the worker would leave them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session

from pontive.core.db import copy_table_rows
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors import health, indices, partitions, rollups, service
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import Station
from pontive.sensors.ingest import ObservationIn
from pontive.sensors.models import Datastream, Observation, Thing
from pontive.sensors.simulate_city import CityModel, Reading

CHUNK = 20_000  # rows per bulk insert statement
_OBSERVATIONS = cast(Table, Observation.__table__)


@dataclass(frozen=True, slots=True)
class DemoThing:
    """A registered demo station: its Thing and its source Datastreams by quantity."""

    station: Station
    thing_id: int
    streams: dict[Quantity, int]


def _vitals(thing: DemoThing) -> dict[str, Any] | None:
    station = thing.station
    values = {"battery": station.battery_percent, "rssi": station.signal_dbm}
    present = {key: value for key, value in values.items() if value is not None}
    return present or None


def _ended(reading: Reading) -> datetime:
    return reading.phenomenon_time_end or reading.phenomenon_time


def _item(stream_id: int, reading: Reading, parameters: dict[str, Any] | None) -> ObservationIn:
    return ObservationIn(
        datastream_id=stream_id,
        phenomenon_time=reading.phenomenon_time,
        phenomenon_time_end=reading.phenomenon_time_end,
        result=reading.result,
        result_time=reading.phenomenon_time_end or reading.phenomenon_time,
        parameters=parameters,
    )


_ROW_COLUMNS = (
    "datastream_id",
    "phenomenon_time",
    "phenomenon_time_end",
    "result_time",
    "result_number",
    "feature_of_interest_id",
)


def _row(stream_id: int, reading: Reading, feature_id: int | None) -> dict[str, Any]:
    # Only the columns that hold something: the others stay NULL, and every bound column
    # costs a type conversion per row.
    return {
        "datastream_id": stream_id,
        "phenomenon_time": reading.phenomenon_time,
        "phenomenon_time_end": reading.phenomenon_time_end,
        "result_time": reading.phenomenon_time_end or reading.phenomenon_time,
        "result_number": float(reading.result),
        "feature_of_interest_id": feature_id,
    }


def _readings(
    model: CityModel, thing: DemoThing, start: datetime, end: datetime
) -> dict[int, list[Reading]]:
    # A silent device stopped reporting ``silent_minutes`` before the end.
    last = end - timedelta(minutes=thing.station.silent_minutes)
    by_stream: dict[int, list[Reading]] = {stream: [] for stream in thing.streams.values()}
    for reading in model.history(thing.station, start, last + timedelta(seconds=1)):
        by_stream[thing.streams[reading.quantity]].append(reading)
    return by_stream


def _features(session: Session, ids: Sequence[int]) -> dict[int, int | None]:
    rows = session.execute(
        select(Observation.datastream_id, Observation.feature_of_interest_id).where(
            Observation.id.in_(ids)
        )
    )
    return {stream_id: feature_id for stream_id, feature_id in rows}


def _bulk_rows(
    plans: dict[int, list[Reading]], features: dict[int, int | None]
) -> Iterator[dict[str, Any]]:
    for stream_id, readings in plans.items():
        for reading in readings[1:-1]:
            yield _row(stream_id, reading, features.get(stream_id))


def _bulk_insert(
    session: Session, rows: Iterator[dict[str, Any]], months: set[tuple[int, int]]
) -> int:
    connection = session.connection()
    partitions.ensure_partitions(connection, months)
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            _insert(connection, chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        _insert(connection, chunk)
        count += len(chunk)
    return count


def _insert(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if connection.dialect.name == "postgresql":  # COPY: a fraction of the INSERTs' time
        copy_table_rows(connection, _OBSERVATIONS, rows, columns=_ROW_COLUMNS)
    else:
        connection.execute(insert(_OBSERVATIONS), rows)


def _months(start: datetime, end: datetime) -> set[tuple[int, int]]:
    months, day = set(), start
    while day <= end:
        months.add(partitions.month_of(day))
        day += timedelta(days=1)
    return months | {partitions.month_of(end)}


def _mark_last_seen(
    session: Session, things: Sequence[DemoThing], newest: dict[int, datetime]
) -> None:
    # The device was last heard when it sent its newest reading (silent ones: long ago).
    for thing in things:
        seen = max((newest[s] for s in thing.streams.values() if s in newest), default=None)
        if seen is not None:
            session.execute(
                update(Thing).where(Thing.id == thing.thing_id).values(last_seen_at=seen)
            )


def load_history(
    session: Session,
    actor: Actor,
    model: CityModel,
    things: Sequence[DemoThing],
    *,
    start: datetime,
    end: datetime,
) -> int:
    """Store every demo reading in [start, end]; returns how many observations were stored."""
    plans: dict[int, list[Reading]] = {}
    vitals: dict[int, dict[str, Any] | None] = {}
    for thing in things:
        for stream_id, readings in _readings(model, thing, start, end).items():
            if readings:
                plans[stream_id] = readings
                vitals[stream_id] = _vitals(thing)
    first = [_item(s, readings[0], None) for s, readings in plans.items()]
    first_ids = service.create_observations(session=session, actor=actor, items=first)
    stored = len(first_ids)
    stored += _bulk_insert(
        session, _bulk_rows(plans, _features(session, first_ids)), _months(start, end)
    )
    newest = [_item(s, r[-1], vitals[s]) for s, r in plans.items() if len(r) > 1]
    stored += len(service.create_observations(session=session, actor=actor, items=newest))
    _mark_last_seen(session, things, {s: _ended(r[-1]) for s, r in plans.items()})
    _recompute(session, things, start)
    session.commit()
    return stored


def _recompute(session: Session, things: Sequence[DemoThing], start: datetime) -> None:
    # One pass over the whole history per Thing: the demo's month fits in memory easily.
    whole = utcnow() - start + timedelta(days=1)
    for thing in things:
        indices.recompute_indices(
            session=session, thing_id=thing.thing_id, since=start, chunk=whole
        )
    stream_ids = session.scalars(
        select(Datastream.id).where(Datastream.thing_id.in_([t.thing_id for t in things]))
    ).all()
    for stream_id in stream_ids:
        rollups.rebuild_rollups(session=session, datastream_id=stream_id)
    health.refresh_health(session=session)
