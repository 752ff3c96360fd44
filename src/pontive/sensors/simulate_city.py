"""What each demo station reads at an instant: the city model behind ``pontive sensors
simulate`` and the demo's month of history.

A water gauge reads the tide at its reach (damped and delayed upstream), plus the river's
rain-driven stage, plus the local drainage after a downpour; a rain gauge counts 0.2 mm
tips over its reporting interval; an air station measures the seven ISPU pollutants.
Readings are pure functions of (seed, station, instant): ask twice, get the same number.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import Station, StationKind
from pontive.sensors.simulate_air import AirModel, AirSite
from pontive.sensors.simulate_model import (
    MEAN_TIDE_M,
    WIB_HOURS,
    RainModel,
    RiverModel,
    epoch_hours,
    tide_m,
)
from pontive.sensors.simulate_noise import NoiseTable, key_of

DEFAULT_SEED = 20261129
TIP_MM = 0.2  # one tip of the gauges' tipping bucket
_DRAIN_HOURS = 12


def _drain_weights() -> tuple[float, ...]:
    # A city drain answers a downpour within hours: the response peaks two hours later.
    weights = [(j / 2.0) * math.exp(1.0 - j / 2.0) for j in range(1, _DRAIN_HOURS + 1)]
    total = sum(weights)
    return tuple(w / total for w in weights)


DRAIN_WEIGHTS = _drain_weights()


@dataclass(frozen=True, slots=True)
class Reading:
    """One simulated observation of one station's stream."""

    quantity: Quantity
    phenomenon_time: datetime
    phenomenon_time_end: datetime | None
    result: float


def aligned_times(start: datetime, end: datetime, minutes: int) -> Iterator[datetime]:
    """Clock-aligned instants (multiples of ``minutes`` since midnight UTC) in [start, end)."""
    step = minutes * 60
    first = math.ceil(start.timestamp() / step) * step
    instant = datetime.fromtimestamp(first, UTC)
    delta = timedelta(seconds=step)
    while instant < end:
        yield instant
        instant += delta


class CityModel:
    """Water levels, rain and air quality for the demo stations, fixed by one seed."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self.rain = RainModel(seed)
        self.rivers = RiverModel(seed, self.rain)
        self.air = AirModel(seed, self.rain)
        self._noise = NoiseTable(seed, 24 * 12)  # a new draw every five minutes
        self._drains: dict[tuple[str, int], float] = {}

    def _drainage_m(self, station: Station, hours: float) -> float:
        # Interpolated between whole hours, each a weighted sum of the rain just before it.
        gain = station.param("local_gain") / 100.0
        if gain == 0.0:
            return 0.0

        def at(hour: int) -> float:
            cached = self._drains.get((station.key, hour))
            if cached is None:
                cached = sum(
                    weight * self.rain.hourly_mm(station.lon, station.lat, hour - lag)
                    for lag, weight in enumerate(DRAIN_WEIGHTS, start=1)
                )
                self._drains[(station.key, hour)] = cached
            return cached

        whole = math.floor(hours)
        fraction = hours - whole
        return gain * ((1.0 - fraction) * at(whole) + fraction * at(whole + 1))

    def water_m(self, station: Station, hours: float) -> float:
        """Water height at a gauge (m above MLLW-equivalent), before the gauge's zero."""
        lag = station.param("lag_minutes") / 60.0
        tide = MEAN_TIDE_M + station.param("tide_gain", 1.0) * (tide_m(hours - lag) - MEAN_TIDE_M)
        river = station.param("river_gain", 1.0) * self.rivers.stage_m(
            station.river or "kapuas", hours
        )
        noise = station.param("noise") / 100.0 * self._noise.normal(key_of(station.key), hours)
        return tide + river + self._drainage_m(station, hours) + noise

    def water_level(self, station: Station, at: datetime) -> float:
        """A water gauge's reading in its own unit (cm on a staff gauge, m on the tide datum)."""
        height = self.water_m(station, epoch_hours(at))
        if station.level_unit == "m":
            return round(station.param("zero") + height, 3)
        return round(station.param("zero") + 100.0 * height, 1)

    def rainfall(self, station: Station, start: datetime, end: datetime) -> float:
        """Rain (mm) counted by a tipping bucket in [start, end): whole 0.2 mm tips, the
        bucket's count restarting at 00:00 WIB."""
        begin, finish = epoch_hours(start), epoch_hours(end)
        midnight = math.floor((begin + WIB_HOURS) / 24.0) * 24.0 - WIB_HOURS

        def tips(until: float) -> int:
            fallen = self.rain.amount_mm(station.lon, station.lat, midnight, until)
            return math.floor(fallen / TIP_MM + 1e-9)

        return round(TIP_MM * (tips(finish) - tips(begin)), 1)

    def air_quality(self, station: Station, at: datetime) -> dict[Quantity, float]:
        """The seven ISPU pollutants (µg/m³) at an air station."""
        site = AirSite(
            key=station.key,
            lon=station.lon,
            lat=station.lat,
            base_pm25=station.param("base_pm25", 14.0),
            traffic=station.param("traffic", 1.0),
            haze=station.param("haze", 1.0),
        )
        values = self.air.concentrations(site, epoch_hours(at))
        return {q: round(v, 0 if q is Quantity.CO else 1) for q, v in values.items()}

    def readings(self, station: Station, at: datetime) -> list[Reading]:
        """What ``station`` reports at ``at`` (rain: the interval that ends at ``at``)."""
        if station.kind is StationKind.WATER_GAUGE:
            return [Reading(Quantity.WATER_LEVEL, at, None, self.water_level(station, at))]
        if station.kind is StationKind.RAIN_GAUGE:
            start = at - timedelta(minutes=station.interval_minutes)
            return [Reading(Quantity.RAINFALL, start, at, self.rainfall(station, start, at))]
        return [Reading(q, at, None, v) for q, v in self.air_quality(station, at).items()]

    def history(self, station: Station, start: datetime, end: datetime) -> Iterator[Reading]:
        """Every reading of ``station`` at its interval over [start, end)."""
        for at in aligned_times(start, end, station.interval_minutes):
            yield from self.readings(station, at)
