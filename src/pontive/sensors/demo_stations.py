"""The demo's stations (``data/demo_stations.json``): where they are, what they measure, and
the simulator's parameters for each. Shared by ``pontive demo load`` and the simulator."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

from pontive.sensors.choices import ISPU_POLLUTANTS, FloodDatum, Quantity

# The key that marks a demo Thing or Datastream in its SensorThings ``properties``: the
# simulator finds its targets by it, in the database or through the SensorThings API.
DEMO_KEY = "pontive_demo"


class StationKind(StrEnum):
    """What sort of device a demo station is."""

    WATER_GAUGE = "water_gauge"
    RAIN_GAUGE = "rain_gauge"
    AIR_STATION = "air_station"


@dataclass(frozen=True, slots=True)
class Station:
    """One demo device and its place."""

    key: str
    kind: StationKind
    name: str
    description: str
    kelurahan_kode: str
    lon: float
    lat: float
    pd_kode: str
    interval_minutes: int
    river: str | None = None
    datum: FloodDatum | None = None
    thresholds: tuple[float, float, float] | None = None
    battery_percent: float | None = None
    signal_dbm: float | None = None
    silent_minutes: int = 0  # the device stopped reporting this long before the demo's end
    model: Mapping[str, float] = field(default_factory=dict)

    @property
    def quantities(self) -> tuple[Quantity, ...]:
        """The streams this station reports."""
        if self.kind is StationKind.WATER_GAUGE:
            return (Quantity.WATER_LEVEL,)
        if self.kind is StationKind.RAIN_GAUGE:
            return (Quantity.RAINFALL,)
        return ISPU_POLLUTANTS

    @property
    def level_unit(self) -> str:
        """The unit symbol of a water gauge's level (``cm`` or ``m``, from its datum)."""
        return "m" if self.datum is FloodDatum.TIDE_M else "cm"

    def param(self, name: str, default: float = 0.0) -> float:
        """A simulator parameter of this station."""
        return float(self.model.get(name, default))


def _station(raw: Mapping[str, Any]) -> Station:
    thresholds = raw.get("thresholds")
    return Station(
        key=raw["key"],
        kind=StationKind(raw["kind"]),
        name=raw["name"],
        description=raw["description"],
        kelurahan_kode=raw["kelurahan"],
        lon=float(raw["lon"]),
        lat=float(raw["lat"]),
        pd_kode=raw["pd"],
        interval_minutes=int(raw["interval_minutes"]),
        river=raw.get("river"),
        datum=FloodDatum(raw["datum"]) if raw.get("datum") else None,
        thresholds=(
            (float(thresholds[0]), float(thresholds[1]), float(thresholds[2]))
            if thresholds
            else None
        ),
        battery_percent=raw.get("battery_percent"),
        signal_dbm=raw.get("signal_dbm"),
        silent_minutes=int(raw.get("silent_minutes", 0)),
        model=dict(raw.get("model", {})),
    )


@dataclass(frozen=True, slots=True)
class SensorSpec:
    """An instrument the demo stations use (a SensorThings Sensor)."""

    key: str
    quantities: tuple[Quantity, ...]
    name: str
    description: str
    encoding_type: str
    metadata: str


@lru_cache(maxsize=1)
def _data() -> Mapping[str, Any]:
    path = resources.files("pontive.sensors").joinpath("data/demo_stations.json")
    with path.open(encoding="utf-8") as handle:
        data: Mapping[str, Any] = json.load(handle)
    return data


def demo_stations() -> tuple[Station, ...]:
    """Every demo station, in the file's order."""
    return tuple(_station(raw) for raw in _data()["stations"])


def demo_sensors() -> tuple[SensorSpec, ...]:
    """The instruments of the demo stations."""
    return tuple(
        SensorSpec(
            key=raw["key"],
            quantities=tuple(Quantity(q) for q in raw["quantities"]),
            name=raw["name"],
            description=raw["description"],
            encoding_type=raw["encoding_type"],
            metadata=raw["metadata"],
        )
        for raw in _data()["sensors"]
    )


def station_by_key(key: str) -> Station:
    """The demo station called ``key`` (``KeyError`` when there is none)."""
    for station in demo_stations():
        if station.key == key:
            return station
    raise KeyError(key)
