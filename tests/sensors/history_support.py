"""Factories shared by the history tests: datastreams, raw observations, expected rollups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from pontive.sensors import partitions
from pontive.sensors.models import Datastream, Observation, ObservedProperty, Rollup, Sensor, Thing
from pontive.sensors.rollups import INTERVALS

Stats = tuple[int, float, float, float]


@pytest.fixture(autouse=True)
def _forget_partitions() -> Iterator[None]:
    """Partitions made inside a rolled-back test transaction are gone afterwards."""
    partitions.forget_partitions()
    yield
    partitions.forget_partitions()


def make_stream(session: Session, *, name: str = "Tinggi muka air", **fields: Any) -> int:
    """A datastream (with its Thing, Sensor and ObservedProperty); returns its id."""
    thing = Thing(name=f"Pos {name}", description="")
    sensor = Sensor(name="Sensor tekanan", encoding_type="text/plain")
    prop = ObservedProperty(name=name, definition="https://example.org/water-level")
    session.add_all([thing, sensor, prop])
    session.flush()
    stream = Datastream(
        name=name,
        unit_of_measurement={"name": "centimetre", "symbol": "cm", "definition": "ucum:cm"},
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        thing_id=thing.id,
        sensor_id=sensor.id,
        observed_property_id=prop.id,
        **fields,
    )
    session.add(stream)
    session.flush()
    return stream.id


def add_observations(
    session: Session, datastream_id: int, readings: Iterable[tuple[datetime, Any]]
) -> list[int]:
    """Insert raw observations (numbers go to result_number, anything else to result_json)."""
    rows: list[dict[str, Any]] = []
    for when, result in readings:
        is_number = isinstance(result, int | float) and not isinstance(result, bool)
        rows.append(
            {
                "datastream_id": datastream_id,
                "phenomenon_time": when,
                "result_number": float(result) if is_number else None,
                "result_json": None if is_number else result,
            }
        )
    if not rows:
        return []
    months = {partitions.month_of(row["phenomenon_time"]) for row in rows}
    partitions.ensure_partitions(session.connection(), months)
    ids = session.scalars(insert(Observation).returning(Observation.id), rows).all()
    return list(ids)


def delete_observations(session: Session, ids: Sequence[int]) -> None:
    """Delete raw observations by id."""
    session.execute(delete(Observation).where(Observation.id.in_(list(ids))))


def stored_rollups(session: Session, datastream_id: int) -> dict[tuple[str, datetime], Stats]:
    """Every rollup of a stream: (interval, bucket start) → (count, total, min, max)."""
    rows = session.execute(
        select(
            Rollup.interval,
            Rollup.bucket_start,
            Rollup.count,
            Rollup.total,
            Rollup.minimum,
            Rollup.maximum,
        ).where(Rollup.datastream_id == datastream_id)
    )
    return {(r[0], r[1]): (r[2], round(r[3], 6), r[4], r[5]) for r in rows}


def expected_rollups(
    readings: Iterable[tuple[datetime, float]],
) -> dict[tuple[str, datetime], Stats]:
    """The rollups computed the slow way, straight from the readings."""
    groups: dict[tuple[str, datetime], list[float]] = {}
    for when, value in readings:
        for interval in INTERVALS.values():
            groups.setdefault((interval.name, interval.floor(when)), []).append(value)
    return {
        key: (len(values), round(sum(values), 6), min(values), max(values))
        for key, values in groups.items()
    }


def raw_readings(session: Session, datastream_id: int) -> list[tuple[datetime, float]]:
    """The numeric raw readings of a stream as stored."""
    rows = session.execute(
        select(Observation.phenomenon_time, Observation.result_number).where(
            Observation.datastream_id == datastream_id, Observation.result_number.is_not(None)
        )
    )
    return [(when, value) for when, value in rows if value is not None]
