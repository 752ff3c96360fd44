"""Factories for the forecast's database tests: a demo water gauge and its nearest rain gauges
registered in the test's session, fed with the sensors simulator's readings through the
sensors service (real ingest: rollups, stream summaries, the bus event)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from pontive.core.identity import system_actor
from pontive.sensors import flood
from pontive.sensors import service as sensors
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import Station, StationKind, demo_stations, station_by_key
from pontive.sensors.ingest import ObservationIn
from pontive.sensors.models import Datastream
from pontive.sensors.simulate_city import DEFAULT_SEED, CityModel
from tests.sensors.conftest import datastream, sta_thing

ACTOR = system_actor("test")
MODEL = CityModel(DEFAULT_SEED)
BATCH = 2_000


@dataclass(frozen=True)
class Simulated:
    """A simulated station in the test database."""

    station: Station
    stream: Datastream


def register(session: Session, key: str) -> Simulated:
    """The demo station ``key`` as a Thing (at its place) with its Datastream and, for a
    water gauge, its flood thresholds."""
    station = station_by_key(key)
    thing = sta_thing(session, name=station.name, lon=station.lon, lat=station.lat)
    thing.expected_interval_seconds = station.interval_minutes * 60
    if station.kind is StationKind.WATER_GAUGE:
        stream = datastream(
            session, thing=thing, quantity=Quantity.WATER_LEVEL, unit=station.level_unit
        )
        assert station.datum is not None
        assert station.thresholds is not None
        waspada, siaga, awas = station.thresholds
        flood.set_flood_threshold(
            session=session,
            actor=ACTOR,
            datastream_id=stream.id,
            thresholds=flood.Thresholds(station.datum, waspada, siaga, awas),
        )
    else:
        stream = datastream(session, thing=thing, quantity=Quantity.RAINFALL, unit="mm")
    session.flush()
    return Simulated(station, stream)


def nearest_rain_keys(station: Station, count: int = 2) -> list[str]:
    """The demo rain gauges nearest ``station``."""
    rains = [s for s in demo_stations() if s.kind is StationKind.RAIN_GAUGE]
    rains.sort(key=lambda r: (r.lon - station.lon) ** 2 + (r.lat - station.lat) ** 2)
    return [r.key for r in rains[:count]]


def feed(session: Session, simulated: Sequence[Simulated], start: datetime, end: datetime) -> int:
    """Ingest every simulated reading in [start, end] through the sensors service."""
    items = [
        ObservationIn(
            datastream_id=item.stream.id,
            phenomenon_time=reading.phenomenon_time,
            phenomenon_time_end=reading.phenomenon_time_end,
            result=reading.result,
        )
        for item in simulated
        for reading in MODEL.history(item.station, start, end + timedelta(seconds=1))
    ]
    for first in range(0, len(items), BATCH):
        sensors.create_observations(
            session=session, actor=ACTOR, items=items[first : first + BATCH]
        )
    return len(items)


def gauge_with_rain(session: Session, key: str) -> tuple[Simulated, list[Simulated]]:
    """A demo gauge and its two nearest rain gauges, registered (no readings yet)."""
    gauge = register(session, key)
    return gauge, [register(session, rain) for rain in nearest_rain_keys(gauge.station)]
