"""What the public sensor pages show of each station, read in a fixed handful of queries.

A station is a Thing with its first Location and its Datastreams' latest values (kept on the
Datastream by ingest, so the map never scans observations). Its status is the one a citizen
cares about: the flood status of a water gauge, the ISPU of an air station, the last hour's
rain of a rain gauge, or "offline" when the device has gone silent. Health is computed from
``last_seen_at`` at render time (``health.health_of``), so it is right even between worker runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.sensors import flood, ispu
from pontive.sensors.choices import (
    ISPU_POLLUTANTS,
    DeviceHealth,
    FloodStatus,
    IspuCategory,
    Quantity,
)
from pontive.sensors.health import health_of
from pontive.sensors.models import (
    Datastream,
    FloodThreshold,
    Location,
    Observation,
    Thing,
    thing_locations,
)
from pontive.sensors.page_format import RainCategory, rain_category


class StationKind(StrEnum):
    """What a station is, from what it measures (URL slugs in Indonesian)."""

    WATER = "muka-air"
    RAIN = "hujan"
    AIR = "udara"
    OTHER = "lainnya"


@dataclass(frozen=True, slots=True)
class StreamView:
    """One Datastream and its latest value."""

    id: int
    name: str
    quantity: Quantity | None
    unit: str
    value: Any
    at: datetime | None
    derived_from_id: int | None
    last_observation_id: int | None

    @property
    def is_numeric_source(self) -> bool:
        """A stream of numbers measured by the device (charts are drawn for these)."""
        return self.quantity is not Quantity.FLOOD_STATUS and self.derived_from_id is None


@dataclass(frozen=True, slots=True)
class FloodView:
    """A water gauge's flood status and the thresholds it was read against."""

    status: FloodStatus | None
    level: Any
    unit: str
    thresholds: flood.Thresholds | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class IspuView:
    """An air station's latest ISPU."""

    value: int
    category: IspuCategory
    critical: Quantity | None
    at: datetime | None
    above_scale: bool


@dataclass
class Station:
    """A station as the map, the list and the station page show it."""

    id: int
    name: str
    description: str
    kind: StationKind
    lon: float | None
    lat: float | None
    kelurahan: str | None
    kecamatan: str | None
    kecamatan_kode: str | None
    health: DeviceHealth
    last_seen_at: datetime | None
    battery_percent: float | None
    signal_dbm: float | None
    pd_kode: str | None
    streams: list[StreamView] = field(default_factory=list)
    flood: FloodView | None = None
    ispu: IspuView | None = None
    rain_hour: float | None = None

    @property
    def is_offline(self) -> bool:
        """Silent for more than six expected intervals."""
        return self.health is DeviceHealth.OFFLINE

    @property
    def rain(self) -> RainCategory | None:
        """A rain gauge's class of the last hour's rain."""
        return rain_category(self.rain_hour) if self.kind is StationKind.RAIN else None

    def stream(self, quantity: Quantity) -> StreamView | None:
        """The first measured stream of ``quantity``."""
        return next(
            (s for s in self.streams if s.quantity is quantity and s.derived_from_id is None), None
        )


def _kind(quantities: set[Quantity | None]) -> StationKind:
    if Quantity.WATER_LEVEL in quantities:
        return StationKind.WATER
    if quantities & set(ISPU_POLLUTANTS):
        return StationKind.AIR
    if Quantity.RAINFALL in quantities:
        return StationKind.RAIN
    return StationKind.OTHER


def _places(session: Session) -> dict[str, tuple[str, str, str]]:
    places = {}
    for kecamatan in reference.list_kecamatan(session=session):
        for kelurahan in kecamatan.kelurahan:
            places[kelurahan.kode] = (kelurahan.nama_umum, kecamatan.nama_umum, kecamatan.kode)
    return places


def _things(session: Session, thing_ids: Sequence[int] | None) -> list[Station]:
    first_location = (
        select(thing_locations.c.thing_id, func.min(thing_locations.c.location_id).label("lid"))
        .group_by(thing_locations.c.thing_id)
        .subquery()
    )
    query = (
        select(Thing, Location.lon, Location.lat, Location.kelurahan_kode)
        .outerjoin(first_location, first_location.c.thing_id == Thing.id)
        .outerjoin(Location, Location.id == first_location.c.lid)
        .order_by(Thing.name, Thing.id)
    )
    if thing_ids is not None:
        query = query.where(Thing.id.in_(thing_ids))
    places = _places(session)
    now = utcnow()
    stations = []
    for thing, lon, lat, kelurahan_kode in session.execute(query):
        place = places.get(kelurahan_kode or "")
        stations.append(
            Station(
                id=thing.id,
                name=thing.name,
                description=thing.description,
                kind=StationKind.OTHER,
                lon=lon,
                lat=lat,
                kelurahan=place[0] if place else None,
                kecamatan=place[1] if place else None,
                kecamatan_kode=place[2] if place else None,
                health=health_of(
                    last_seen_at=thing.last_seen_at,
                    expected_interval_seconds=thing.expected_interval_seconds,
                    now=now,
                ),
                last_seen_at=thing.last_seen_at,
                battery_percent=thing.battery_percent,
                signal_dbm=thing.signal_dbm,
                pd_kode=thing.pd_kode,
            )
        )
    return stations


def _streams(session: Session, thing_ids: Sequence[int]) -> dict[int, list[StreamView]]:
    rows = session.execute(
        select(
            Datastream.thing_id,
            Datastream.id,
            Datastream.name,
            Datastream.quantity,
            Datastream.unit_of_measurement,
            Datastream.last_result,
            Datastream.last_phenomenon_time,
            Datastream.derived_from_id,
            Datastream.last_observation_id,
        )
        .where(Datastream.thing_id.in_(thing_ids))
        .order_by(Datastream.id)
    )
    by_thing: dict[int, list[StreamView]] = {}
    for thing_id, sid, name, quantity, unit, value, at, derived_from, last_id in rows:
        symbol = str((unit or {}).get("symbol") or "")
        view = StreamView(sid, name, quantity, symbol, value, at, derived_from, last_id)
        by_thing.setdefault(thing_id, []).append(view)
    return by_thing


def _thresholds(
    session: Session, stream_ids: Sequence[int]
) -> dict[int, tuple[flood.Thresholds, str]]:
    rows = session.scalars(
        select(FloodThreshold).where(FloodThreshold.datastream_id.in_(stream_ids))
    )
    return {
        r.datastream_id: (flood.Thresholds(r.datum, r.waspada, r.siaga, r.awas), r.note)
        for r in rows
    }


def _ispu_parameters(session: Session, observation_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    rows = session.execute(
        select(Observation.id, Observation.parameters).where(Observation.id.in_(observation_ids))
    )
    return {oid: parameters or {} for oid, parameters in rows}


def _rain_last_hour(session: Session, stream_ids: Sequence[int], now: datetime) -> dict[int, float]:
    rows = session.execute(
        select(Observation.datastream_id, func.sum(Observation.result_number))
        .where(
            Observation.datastream_id.in_(stream_ids),
            Observation.phenomenon_time >= now - timedelta(hours=1),
        )
        .group_by(Observation.datastream_id)
    )
    return {stream_id: float(total or 0.0) for stream_id, total in rows}


def _flood_view(
    station: Station, thresholds: dict[int, tuple[flood.Thresholds, str]]
) -> FloodView | None:
    level = station.stream(Quantity.WATER_LEVEL)
    if level is None:
        return None
    limits, note = thresholds.get(level.id, (None, ""))
    derived = next(
        (
            s
            for s in station.streams
            if s.quantity is Quantity.FLOOD_STATUS and s.derived_from_id == level.id
        ),
        None,
    )
    status: FloodStatus | None = None
    if derived is not None and derived.value in FloodStatus._value2member_map_:
        status = FloodStatus(derived.value)
    elif limits is not None:  # the derived stream has not caught up yet: read it ourselves
        computed = flood.status_of_reading(level.value, unit_symbol=level.unit, thresholds=limits)
        status = computed[0] if computed else None
    return FloodView(status, level.value, level.unit, limits, note)


def _ispu_view(station: Station, parameters: dict[int, dict[str, Any]]) -> IspuView | None:
    stream = next((s for s in station.streams if s.quantity is Quantity.ISPU), None)
    if (
        stream is None
        or isinstance(stream.value, bool)
        or not isinstance(stream.value, int | float)
    ):
        return None
    extra = parameters.get(stream.last_observation_id or 0, {})
    critical = extra.get("critical")
    return IspuView(
        value=round(stream.value),
        category=ispu.category_for(stream.value),
        critical=Quantity(critical)
        if isinstance(critical, str) and critical in Quantity._value2member_map_
        else None,
        at=stream.at,
        above_scale=bool(extra.get("above_scale")),
    )


def load_stations(session: Session, *, thing_ids: Sequence[int] | None = None) -> list[Station]:
    """Every station (or the ones asked for) with latest values and statuses, by name."""
    stations = _things(session, thing_ids)
    ids = [s.id for s in stations]
    if not ids:
        return stations
    streams = _streams(session, ids)
    all_streams = [v for views in streams.values() for v in views]
    water = [v.id for v in all_streams if v.quantity is Quantity.WATER_LEVEL]
    rain = [v.id for v in all_streams if v.quantity is Quantity.RAINFALL]
    ispu_last = [
        v.last_observation_id
        for v in all_streams
        if v.quantity is Quantity.ISPU and v.last_observation_id
    ]
    thresholds = _thresholds(session, water) if water else {}
    parameters = _ispu_parameters(session, ispu_last) if ispu_last else {}
    rain_hour = _rain_last_hour(session, rain, utcnow()) if rain else {}
    for station in stations:
        station.streams = streams.get(station.id, [])
        station.kind = _kind({s.quantity for s in station.streams})
        station.flood = _flood_view(station, thresholds)
        station.ispu = _ispu_view(station, parameters)
        gauge = station.stream(Quantity.RAINFALL)
        if gauge is not None:
            station.rain_hour = rain_hour.get(gauge.id, 0.0)
    return stations
