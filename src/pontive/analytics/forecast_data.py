"""What the forecast reads from the sensors domain (read-only): the water gauges and rain
gauges with their places, their hourly series, and the forecast Datastreams already made.

Summary tables are read directly (``sensor_datastreams``, ``sensor_things``,
``sensor_locations``, ``sensor_flood_thresholds``); a gauge's hourly means come from
``sensors.service.hourly_means`` (readings the data-quality checks flagged left out), the
rain's hourly totals from the rollups (``sensors.service.read_buckets``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.forecast_fit import HourlySeries
from pontive.sensors import flood
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus, Quantity
from pontive.sensors.models import Datastream, FloodThreshold, Location, Thing, thing_locations

FORECAST_KEY = "pontive_forecast"  # marks a forecast Datastream in its ``properties``
RAIN_GAUGES = 2  # the nearest ones are averaged hour by hour
RAIN_RADIUS_KM = 25.0  # farther rain says little about a gauge's drains and reach
_KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class Gauge:
    """A water-level Datastream and its station."""

    datastream_id: int
    thing_id: int
    name: str  # the station (Thing) name
    stream_name: str
    unit: str
    lon: float | None
    lat: float | None
    sensor_id: int
    observed_property_id: int
    first_at: datetime | None
    last_at: datetime | None
    expected_interval_s: int | None
    levels: dict[FloodStatus, float] = field(default_factory=dict)  # in the stream's unit

    def level(self, status: FloodStatus) -> float | None:
        """A threshold in the stream's unit, if set."""
        return self.levels.get(status)


@dataclass(frozen=True, slots=True)
class RainGauge:
    """A rainfall Datastream and where it is."""

    datastream_id: int
    name: str
    lon: float
    lat: float


def _places(session: Session, thing_ids: Sequence[int]) -> dict[int, tuple[float, float]]:
    rows = session.execute(
        select(thing_locations.c.thing_id, Location.lon, Location.lat)
        .join(Location, Location.id == thing_locations.c.location_id)
        .where(thing_locations.c.thing_id.in_(list(thing_ids)), Location.lon.is_not(None))
        .order_by(Location.id)
    )
    places: dict[int, tuple[float, float]] = {}
    for thing_id, lon, lat in rows:
        places.setdefault(thing_id, (float(lon), float(lat)))
    return places


def _levels(limits: flood.Thresholds | None, unit: str) -> dict[FloodStatus, float]:
    if limits is None:
        return {}
    factor = flood.length_factor(unit, limits.datum)
    if not factor:
        return {}
    return {
        FloodStatus.WASPADA: limits.waspada / factor,
        FloodStatus.SIAGA: limits.siaga / factor,
        FloodStatus.AWAS: limits.awas / factor,
    }


def _symbol(unit: dict[str, Any] | None) -> str:
    return str((unit or {}).get("symbol") or "")


def list_gauges(session: Session, datastream_ids: Sequence[int] | None = None) -> list[Gauge]:
    """Every measured water-level stream (not derived), by id. Columns, not ORM objects: the
    summary columns ingest keeps move under a session's identity map."""
    query = (
        select(
            Datastream.id,
            Datastream.thing_id,
            Datastream.name,
            Datastream.unit_of_measurement,
            Datastream.sensor_id,
            Datastream.observed_property_id,
            Datastream.phenomenon_time_start,
            Datastream.last_phenomenon_time,
            Thing.name.label("thing_name"),
            Thing.expected_interval_seconds,
            FloodThreshold.datum,
            FloodThreshold.waspada,
            FloodThreshold.siaga,
            FloodThreshold.awas,
        )
        .join(Thing, Thing.id == Datastream.thing_id)
        .outerjoin(FloodThreshold, FloodThreshold.datastream_id == Datastream.id)
        .where(Datastream.quantity == Quantity.WATER_LEVEL, Datastream.derived_from_id.is_(None))
        .order_by(Datastream.id)
    )
    if datastream_ids is not None:
        query = query.where(Datastream.id.in_(list(datastream_ids)))
    rows = session.execute(query).all()
    places = _places(session, [row.thing_id for row in rows])
    gauges = []
    for row in rows:
        unit = _symbol(row.unit_of_measurement)
        lon, lat = places.get(row.thing_id, (None, None))
        limits = (
            None
            if row.datum is None
            else flood.Thresholds(row.datum, row.waspada, row.siaga, row.awas)
        )
        gauges.append(
            Gauge(
                datastream_id=row.id,
                thing_id=row.thing_id,
                name=row.thing_name,
                stream_name=row.name,
                unit=unit,
                lon=lon,
                lat=lat,
                sensor_id=row.sensor_id,
                observed_property_id=row.observed_property_id,
                first_at=row.phenomenon_time_start,
                last_at=row.last_phenomenon_time,
                expected_interval_s=row.expected_interval_seconds,
                levels=_levels(limits, unit),
            )
        )
    return gauges


def list_rain_gauges(session: Session) -> list[RainGauge]:
    """Every measured rainfall stream whose station has a place."""
    rows = session.execute(
        select(Datastream.id, Datastream.thing_id, Thing.name)
        .join(Thing, Thing.id == Datastream.thing_id)
        .where(Datastream.quantity == Quantity.RAINFALL, Datastream.derived_from_id.is_(None))
        .order_by(Datastream.id)
    ).all()
    places = _places(session, [thing_id for _id, thing_id, _name in rows])
    return [
        RainGauge(stream_id, name, *places[thing_id])
        for stream_id, thing_id, name in rows
        if thing_id in places
    ]


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance on the ground (equirectangular: fine over a city)."""
    x = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2.0))
    return _KM_PER_DEGREE * math.hypot(x, lat2 - lat1)


def nearest_rain(gauge: Gauge, rains: Sequence[RainGauge]) -> list[RainGauge]:
    """The gauge's nearest rain gauges within ``RAIN_RADIUS_KM`` (none without a place)."""
    if gauge.lon is None or gauge.lat is None:
        return []
    lon, lat = gauge.lon, gauge.lat
    ranked = sorted(rains, key=lambda r: distance_km(lon, lat, r.lon, r.lat))
    near = [r for r in ranked if distance_km(lon, lat, r.lon, r.lat) <= RAIN_RADIUS_KM]
    return near[:RAIN_GAUGES]


def epoch_hour(instant: datetime) -> int:
    """Whole hours since the Unix epoch (floored)."""
    return math.floor(instant.timestamp() / 3600.0)


def hour_start(hour: int) -> datetime:
    """The instant an epoch hour begins."""
    return datetime.fromtimestamp(hour * 3600, UTC)


def _buckets(session: Session, datastream_id: int, start: int, end: int) -> list[Any]:
    return sensors.read_buckets(
        session=session,
        datastream_id=datastream_id,
        interval=sensors.HOUR,
        start=hour_start(start),
        end=hour_start(end),
    )


def hourly_levels(session: Session, datastream_id: int, start: int, end: int) -> dict[int, float]:
    """The mean of each epoch hour in [start, end) over the readings that count (a reading
    the data-quality checks flagged as a spike or stuck is left out, as the indices do)."""
    means = sensors.hourly_means(
        session=session,
        datastream_ids=[datastream_id],
        start=hour_start(start),
        end=hour_start(end),
    )
    return means.get(datastream_id, {})


def hourly_series(
    session: Session, gauge: Gauge, rains: Sequence[RainGauge], start: int, end: int
) -> HourlySeries:
    """The gauge's hourly means for epoch hours [start, end) and the mean hourly rain of
    ``rains`` (hours none of them reported count as dry)."""
    level = np.full(end - start, np.nan)
    for hour, value in hourly_levels(session, gauge.datastream_id, start, end).items():
        if start <= hour < end:
            level[hour - start] = value
    if not rains:
        return HourlySeries(start, level, None)
    totals, reports = np.zeros(end - start), np.zeros(end - start)
    for rain in rains:
        for seconds, count, total, *_range in _buckets(session, rain.datastream_id, start, end):
            if count:
                totals[int(seconds) // 3600 - start] += total
                reports[int(seconds) // 3600 - start] += 1
    mean = np.divide(totals, reports, out=np.zeros_like(totals), where=reports > 0)
    return HourlySeries(start, level, mean)


def forecast_streams(session: Session, gauge_ids: Sequence[int]) -> dict[int, int]:
    """The forecast Datastream of each gauge that has one (gauge id → forecast stream id)."""
    rows = session.execute(
        select(Datastream.id, Datastream.derived_from_id, Datastream.properties)
        .where(Datastream.derived_from_id.in_(list(gauge_ids)), Datastream.quantity.is_(None))
        .order_by(Datastream.id)
    )
    found: dict[int, int] = {}
    for stream_id, source_id, properties in rows:
        if source_id is not None and FORECAST_KEY in (properties or {}):
            found.setdefault(source_id, stream_id)
    return found
