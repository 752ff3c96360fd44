"""``pontive demo load`` for sensors: every station registered through the service with its
place, streams, thresholds and derived indices, a month of history within physical bounds,
rollups and indices rebuilt, and devices in every health state the pages show."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.sensors import demo
from pontive.sensors.choices import DeviceHealth, FloodDatum, Quantity
from pontive.sensors.demo_stations import DEMO_KEY, StationKind, demo_stations
from pontive.sensors.health import health_of
from pontive.sensors.models import (
    Datastream,
    FloodThreshold,
    Location,
    Observation,
    Rollup,
    Thing,
    thing_locations,
)
from tests.conftest import BOUNDARIES, DemoDatabase

# What the model may produce at all (bounds from ../shared/specs/pontianak.md).
BOUNDS = {
    Quantity.WATER_LEVEL: (0.0, 420.0),  # cm on a staff gauge (metres checked apart)
    Quantity.RAINFALL: (0.0, 60.0),  # mm in ten minutes
    Quantity.PM25: (0.0, 800.0),
    Quantity.PM10: (0.0, 1000.0),
    Quantity.CO: (0.0, 15_000.0),
    Quantity.O3: (0.0, 400.0),
    Quantity.NO2: (0.0, 300.0),
    Quantity.SO2: (0.0, 200.0),
    Quantity.HC: (0.0, 300.0),
}


@pytest.fixture(scope="module")
def kelurahan_shapes() -> dict[str, object]:
    """The kelurahan polygons, to check each station stands inside its own."""
    if not BOUNDARIES.exists():
        pytest.skip(f"no boundaries at {BOUNDARIES}")
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    return {f["properties"]["kode"]: shape(f["geometry"]) for f in data["features"]}


def test_demo_stations_stand_inside_their_kelurahan(kelurahan_shapes: dict[str, object]) -> None:
    for station in demo_stations():
        polygon = kelurahan_shapes[station.kelurahan_kode]
        assert polygon.contains(Point(station.lon, station.lat)), station.key  # type: ignore[attr-defined]


def test_the_demo_registers_every_station_with_a_month_of_history(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    session = demo_session
    stations = demo_stations()
    assert demo_database.summary["sensors"].startswith(f"{len(stations)} stasiun")

    things = {
        t.properties[DEMO_KEY]: t
        for t in session.scalars(select(Thing))
        if t.properties and DEMO_KEY in t.properties
    }
    assert set(things) == {s.key for s in stations}
    _check_places(session, things)
    _check_streams(session, things)
    _check_history(session, things, demo_database.loaded_at)
    _check_health(session, things, demo_database.loaded_at)
    actions = Counter(session.scalars(select(AuditEvent.action)))
    assert actions["sensors.thing.create"] == len(stations)
    assert actions["sensors.flood_threshold.set"] == sum(1 for s in stations if s.thresholds)


def _check_places(session: Session, things: dict[str, Thing]) -> None:
    rows = session.execute(
        select(thing_locations.c.thing_id, Location.lon, Location.lat, Location.location).join(
            Location, Location.id == thing_locations.c.location_id
        )
    ).all()
    by_thing = {thing_id: (lon, lat, geo) for thing_id, lon, lat, geo in rows}
    for station in demo_stations():
        lon, lat, geo = by_thing[things[station.key].id]
        assert (lon, lat) == (station.lon, station.lat)
        assert geo == {"type": "Point", "coordinates": [station.lon, station.lat]}
        thing = things[station.key]
        assert thing.expected_interval_seconds == station.interval_minutes * 60
        assert thing.pd_kode == station.pd_kode


def _check_streams(session: Session, things: dict[str, Thing]) -> None:
    for station in demo_stations():
        streams = session.scalars(
            select(Datastream).where(Datastream.thing_id == things[station.key].id)
        ).all()
        measured = {s.quantity for s in streams if s.derived_from_id is None}
        derived = {
            s.quantity for s in streams if s.quantity in (Quantity.ISPU, Quantity.FLOOD_STATUS)
        }
        assert set(station.quantities) <= measured
        if station.kind is StationKind.AIR_STATION:
            assert Quantity.ISPU in derived
            units = {
                s.unit_of_measurement["symbol"] for s in streams if s.quantity in station.quantities
            }
            assert units == {"µg/m³"}
        if station.kind is StationKind.WATER_GAUGE:
            assert Quantity.FLOOD_STATUS in derived
            level = next(s for s in streams if s.quantity is Quantity.WATER_LEVEL)
            threshold = session.get(FloodThreshold, level.id)
            assert threshold is not None
            assert (threshold.waspada, threshold.siaga, threshold.awas) == station.thresholds
            expected = "m" if threshold.datum is FloodDatum.TIDE_M else "cm"
            assert level.unit_of_measurement["symbol"] == expected


def _check_history(session: Session, things: dict[str, Thing], loaded_at: datetime) -> None:
    units = {
        stream_id: unit
        for stream_id, unit in session.execute(
            select(Datastream.id, Datastream.unit_of_measurement)
        )
    }
    rows = session.execute(
        select(
            Datastream.id,
            Datastream.quantity,
            func.count(Observation.id),
            func.min(Observation.result_number),
            func.max(Observation.result_number),
            func.min(Observation.phenomenon_time),
            func.count(Observation.feature_of_interest_id),
        )
        .join(Observation, Observation.datastream_id == Datastream.id)
        .where(Datastream.derived_from_id.is_(None), Datastream.quantity != Quantity.ISPU)
        .group_by(Datastream.id, Datastream.quantity)
    ).all()
    assert len(rows) == sum(len(s.quantities) for s in demo_stations())
    for stream_id, quantity, count, low, high, first, with_feature in rows:
        assert count >= 29 * 24 * 4 - 300  # every 10-15 min for 30 days (silent ones less)
        assert with_feature == count  # every reading has its FeatureOfInterest
        assert first >= loaded_at - timedelta(days=demo.HISTORY_DAYS, minutes=20)
        assert quantity is not None
        assert low is not None
        assert high is not None
        bounds = (0.0, 4.0) if units[stream_id]["symbol"] == "m" else BOUNDS[quantity]
        assert bounds[0] <= low <= high <= bounds[1], (quantity, low, high)
    hourly = session.scalar(select(func.count()).select_from(Rollup).where(Rollup.interval == "1h"))
    assert hourly
    assert hourly > 30 * 24 * 30
    ispu = session.scalars(select(Datastream).where(Datastream.quantity == Quantity.ISPU)).all()
    assert all(isinstance(s.last_result, int | float) and 0 < s.last_result < 500 for s in ispu)
    statuses = session.scalars(
        select(Datastream.last_result).where(Datastream.quantity == Quantity.FLOOD_STATUS)
    ).all()
    assert set(statuses) <= {"normal", "waspada", "siaga", "awas"}
    assert len(statuses) == sum(1 for s in demo_stations() if s.thresholds)


def _check_health(session: Session, things: dict[str, Thing], loaded_at: datetime) -> None:
    states = {
        key: health_of(
            last_seen_at=t.last_seen_at,
            expected_interval_seconds=t.expected_interval_seconds,
            now=loaded_at,  # as the demo left them (the test may run minutes later)
        )
        for key, t in things.items()
    }
    assert states["tanjung-hulu"] is DeviceHealth.OFFLINE
    assert states["udara-pontianak-barat"] is DeviceHealth.STALE
    assert states["hujan-pal-lima"] is DeviceHealth.STALE
    assert Counter(states.values())[DeviceHealth.ONLINE] == len(things) - 3
    assert things["kapuas-indah"].battery_percent == 88
    assert things["kapuas-indah"].signal_dbm == -72
