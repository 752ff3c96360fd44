"""Sensor factories for every sensors test: a Thing with its Location, a Sensor, an
ObservedProperty, a Datastream, and Observations written with Core inserts.

Import them where needed (``from tests.sensors.conftest import sta_thing, datastream``);
they write in the test's rolled-back session and flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.sensors import partitions, rollups
from pontive.sensors.choices import Quantity
from pontive.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
    historical_location_locations,
    thing_locations,
)
from pontive.sensors.sta_auth import forget_basic_credentials
from pontive.sensors.sta_upkeep import refresh_datastreams

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
# Pos duga air Kapuas near Jembatan Kapuas I (Pontianak Kota / Pontianak Timur).
KAPUAS = (109.3425, -0.0264)
UNITS = {
    "cm": {"name": "centimetre", "symbol": "cm", "definition": "http://unitsofmeasure.org/ucum.html#cm"},
    "mm": {"name": "millimetre", "symbol": "mm", "definition": "http://unitsofmeasure.org/ucum.html#mm"},
    "ug/m3": {"name": "microgram per cubic metre", "symbol": "µg/m³",
              "definition": "http://unitsofmeasure.org/ucum.html#ug/m3"},
    "Cel": {"name": "degree Celsius", "symbol": "°C",
            "definition": "http://unitsofmeasure.org/ucum.html#Cel"},
}  # fmt: skip


@pytest.fixture(autouse=True)
def _sensor_process_state() -> Iterator[None]:
    """Partitions made and Basic checks cached inside a rolled-back test must not linger."""
    partitions.forget_partitions()
    forget_basic_credentials()
    yield
    partitions.forget_partitions()
    forget_basic_credentials()


def sta_thing(
    session: Session,
    *,
    name: str = "Pos duga air Kapuas",
    lon: float | None = KAPUAS[0],
    lat: float | None = KAPUAS[1],
    description: str = "Stasiun pengamat tinggi muka air",
    properties: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Thing:
    """A Thing; with ``lon``/``lat`` also its Location (a GeoJSON Point, kelurahan resolved)
    and the HistoricalLocation of that placement (at ``at``, default now)."""
    thing = Thing(name=name, description=description, properties=properties)
    session.add(thing)
    session.flush()
    if lon is None or lat is None:
        return thing
    place = reference.resolve_location(session=session, lon=lon, lat=lat)
    location = Location(
        name=f"Lokasi {name}",
        description="",
        encoding_type="application/geo+json",
        location={"type": "Point", "coordinates": [lon, lat]},
        lon=lon,
        lat=lat,
        kelurahan_kode=place.kelurahan_kode,
    )
    session.add(location)
    session.flush()
    session.execute(insert(thing_locations).values(thing_id=thing.id, location_id=location.id))
    history = HistoricalLocation(thing_id=thing.id, time=at or utcnow())
    session.add(history)
    session.flush()
    session.execute(
        insert(historical_location_locations).values(
            historical_location_id=history.id, location_id=location.id
        )
    )
    return thing


def sensor(
    session: Session, *, name: str = "Sensor tekanan", encoding_type: str = "text/html"
) -> Sensor:
    """A Sensor."""
    row = Sensor(
        name=name, description="", encoding_type=encoding_type, metadata_="https://contoh.id"
    )
    session.add(row)
    session.flush()
    return row


def observed_property(
    session: Session, *, name: str = "Tinggi muka air", definition: str = "https://contoh.id/tma"
) -> ObservedProperty:
    """An ObservedProperty."""
    row = ObservedProperty(name=name, definition=definition, description="")
    session.add(row)
    session.flush()
    return row


def datastream(
    session: Session,
    *,
    thing: Thing,
    quantity: Quantity | None = Quantity.WATER_LEVEL,
    unit: str = "cm",
    name: str | None = None,
    observation_type: str = OM_MEASUREMENT,
    sensor_row: Sensor | None = None,
    prop: ObservedProperty | None = None,
    **fields: Any,
) -> Datastream:
    """A Datastream of ``thing`` (its Sensor and ObservedProperty made unless given)."""
    label = quantity.label("id") if quantity is not None else "Pengukuran"
    sensor_row = sensor_row or sensor(session)
    prop = prop or observed_property(session, name=label)
    row = Datastream(
        name=name or f"{label} {thing.name}",
        description="",
        unit_of_measurement=UNITS.get(unit, {"name": unit, "symbol": unit, "definition": ""}),
        observation_type=observation_type,
        thing_id=thing.id,
        sensor_id=sensor_row.id,
        observed_property_id=prop.id,
        quantity=quantity,
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def feature_of_interest(session: Session, *, thing: Thing | None = None, name: str = "") -> int:
    """A FeatureOfInterest: the one generated from ``thing``'s Location (made once, as ingest
    does), or a free-standing point feature."""
    location = None
    if thing is not None:
        location = session.scalar(
            select(Location)
            .join(thing_locations, thing_locations.c.location_id == Location.id)
            .where(thing_locations.c.thing_id == thing.id)
        )
    if location is not None:
        existing = session.scalar(
            select(FeatureOfInterest.id).where(
                FeatureOfInterest.generated_from_location_id == location.id
            )
        )
        if existing is not None:
            return int(existing)
    feature = FeatureOfInterest(
        name=name or (location.name if location else "Titik pengamatan"),
        description="",
        encoding_type="application/geo+json",
        feature=location.location if location else {"type": "Point", "coordinates": KAPUAS},
        generated_from_location_id=location.id if location else None,
    )
    session.add(feature)
    session.flush()
    return feature.id


def observations(
    session: Session,
    *,
    datastream: Datastream,
    values: Sequence[tuple[datetime, Any]],
    feature_of_interest_id: int | None = None,
) -> list[int]:
    """Observations inserted with one Core statement (numbers in ``result_number``, other
    results in ``result_json``) about ``feature_of_interest_id`` (default: the feature of the
    Thing's Location); the Datastream's periods, latest value and rollups follow."""
    if feature_of_interest_id is None:
        thing = session.get(Thing, datastream.thing_id)
        feature_of_interest_id = feature_of_interest(session, thing=thing)
    table = cast(Table, Observation.__table__)
    rows = []
    for when, result in values:
        is_number = isinstance(result, int | float) and not isinstance(result, bool)
        rows.append(
            {
                "datastream_id": datastream.id,
                "phenomenon_time": when,
                "phenomenon_time_end": None,
                "result_time": None,
                "result_number": float(result) if is_number else None,
                "result_json": None if is_number else result,
                "feature_of_interest_id": feature_of_interest_id,
            }
        )
    if not rows:
        return []
    partitions.ensure_partitions(
        session.connection(), {partitions.month_of(when) for when, _ in values}
    )
    ids = list(session.scalars(insert(table).returning(table.c.id), rows))
    refresh_datastreams(session, [datastream.id])
    numeric = [
        when
        for (when, _), row in zip(values, rows, strict=True)
        if row["result_number"] is not None
    ]
    if numeric:
        rollups.update_rollups(session=session, touched={datastream.id: numeric})
    session.expire(datastream)
    return ids
