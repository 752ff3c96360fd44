"""Factories shared by the index and health tests: stations, streams, stored readings, events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pontive.sensors import partitions
from pontive.sensors.choices import Quantity
from pontive.sensors.indices_cache import forget_index_cache
from pontive.sensors.models import Datastream, Observation, ObservedProperty, Sensor, Thing

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Partitions and cached stream ids made in a rolled-back test are gone afterwards."""
    partitions.forget_partitions()
    forget_index_cache()
    yield
    partitions.forget_partitions()
    forget_index_cache()


@dataclass(frozen=True, slots=True)
class Stored:
    """What ingest hands to ``on_observations`` (``ingest.StoredObservation``'s fields)."""

    id: int
    datastream_id: int
    phenomenon_time: datetime
    result: Any


def make_thing(session: Session, name: str, **fields: Any) -> Thing:
    """A Thing (station) with the given columns."""
    thing = Thing(name=name, description="", **fields)
    session.add(thing)
    session.flush()
    return thing


def make_stream(
    session: Session, thing: Thing, quantity: Quantity | None, unit: str | None, name: str = ""
) -> Datastream:
    """A datastream of ``quantity`` in ``unit`` on ``thing``."""
    sensor = Sensor(name="Sensor uji", encoding_type="text/plain")
    prop = ObservedProperty(name=name or str(quantity), definition=f"urn:test:{quantity}")
    session.add_all([sensor, prop])
    session.flush()
    stream = Datastream(
        name=name or f"{thing.name} {quantity}",
        unit_of_measurement={"name": unit, "symbol": unit, "definition": None},
        observation_type=OM_MEASUREMENT,
        thing_id=thing.id,
        sensor_id=sensor.id,
        observed_property_id=prop.id,
        quantity=quantity,
    )
    session.add(stream)
    session.flush()
    return stream


def store(
    session: Session, stream_id: int, readings: Iterable[tuple[datetime, Any]]
) -> list[Stored]:
    """Insert raw observations as ingest does; returns what ingest passes to the indices."""
    readings = list(readings)
    rows: list[dict[str, Any]] = []
    for when, result in readings:
        is_number = isinstance(result, int | float) and not isinstance(result, bool)
        rows.append(
            {
                "datastream_id": stream_id,
                "phenomenon_time": when,
                "result_number": float(result) if is_number else None,
                "result_json": None if is_number else result,
            }
        )
    months = {partitions.month_of(row["phenomenon_time"]) for row in rows}
    partitions.ensure_partitions(session.connection(), months)
    ids = session.scalars(
        insert(Observation).returning(Observation.id, sort_by_parameter_order=True), rows
    ).all()
    return [
        Stored(obs_id, stream_id, when, result)
        for obs_id, (when, result) in zip(ids, readings, strict=True)
    ]


def derived_rows(session: Session, stream_id: int) -> list[Observation]:
    """The observations of a (derived) stream in time order."""
    session.expire_all()
    return list(
        session.scalars(
            select(Observation)
            .where(Observation.datastream_id == stream_id)
            .order_by(Observation.phenomenon_time)
        )
    )
