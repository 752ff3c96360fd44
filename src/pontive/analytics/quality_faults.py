"""Sensor faults injected into the simulator's clean series, for the evaluation and the demo.

The simulator (``sensors.simulate_city``) gives clean readings; ``inject`` spoils a copy of
them with the faults the checks are meant to find, at places drawn from a seeded generator,
and remembers exactly what it did (the ground truth): spikes (one reading far off), range
errors (a sentinel such as -9999 or a value beyond the scale), stuck values (the value at the
start repeated for hours), gaps (readings removed for hours) and drift (an offset or factor
growing over two days and then held, for days).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from pontive.analytics.quality_checks import HOUR, Reading
from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_params import DEFAULTS, QualityParams, canonical_factor
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.demo_stations import Station
from pontive.sensors.simulate_city import CityModel

DAY = 24 * HOUR


@dataclass(frozen=True, slots=True)
class SimSeries:
    """One simulated stream: its station and quantity and its readings (canonical unit)."""

    key: str
    station: Station
    quantity: Quantity
    readings: tuple[Reading, ...]

    @property
    def params(self) -> QualityParams:
        """The default parameters of this stream's quantity."""
        return DEFAULTS[self.quantity]

    @property
    def interval(self) -> float:
        """The station's reporting interval in seconds."""
        return self.station.interval_minutes * 60.0


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault: its kind, stream, period and the readings it changed."""

    kind: FlagKind
    key: str
    start: float
    end: float
    ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """How many faults of each kind per stream and 30 days; which streams drift."""

    spikes: int = 4
    ranges: int = 1
    stuck: int = 1
    gaps: int = 1
    drifting: int = 4  # streams that drift (water gauges and pollutants alternately)
    warmup_days: float = 16.0  # no drift before this: the check needs a baseline


def _unit_symbol(station: Station, quantity: Quantity) -> str:
    if quantity is Quantity.WATER_LEVEL:
        return station.level_unit
    return "mm" if quantity is Quantity.RAINFALL else "µg/m³"


def simulate(
    model: CityModel, stations: Sequence[Station], start: datetime, end: datetime
) -> list[SimSeries]:
    """Every stream of ``stations`` over [start, end), ids numbered from 1."""
    series: dict[tuple[str, Quantity], list[Reading]] = {}
    next_id = 1
    for station in stations:
        for reading in model.history(station, start, end):
            factor = canonical_factor(reading.quantity, _unit_symbol(station, reading.quantity))
            value = reading.result * (factor or 1.0)
            at = reading.phenomenon_time.timestamp()
            series.setdefault((station.key, reading.quantity), []).append(
                Reading(next_id, at, value)
            )
            next_id += 1
    by_key = {s.key: s for s in stations}
    return [
        SimSeries(f"{key}/{quantity.value}", by_key[key], quantity, tuple(readings))
        for (key, quantity), readings in series.items()
    ]


class _Schedule:
    """Free places in one series: faults of one series never overlap (with a margin)."""

    def __init__(self, first: float, last: float) -> None:
        self.first, self.last = first, last
        self.taken: list[tuple[float, float]] = []

    def place(self, rng: random.Random, length: float, earliest: float) -> float | None:
        margin = 8 * HOUR
        for _attempt in range(50):
            low, high = max(self.first, earliest), self.last - length
            if high <= low:
                return None
            start = rng.uniform(low, high)
            if all(start + length + margin < a or start > b + margin for a, b in self.taken):
                self.taken.append((start, start + length))
                return start
        return None


def _spike_value(rng: random.Random, quantity: Quantity, value: float) -> float:
    if quantity is Quantity.WATER_LEVEL:
        return value + rng.choice((-1.0, 1.0)) * rng.uniform(0.3, 1.0)
    if quantity is Quantity.TEMPERATURE:
        return value + rng.choice((-1.0, 1.0)) * rng.uniform(6.0, 12.0)
    if quantity is Quantity.HUMIDITY:
        return max(1.0, min(100.0, value + rng.choice((-1.0, 1.0)) * rng.uniform(20.0, 40.0)))
    return value * rng.uniform(3.0, 8.0) + rng.uniform(60.0, 250.0)  # concentrations: up


def _out_of_range(rng: random.Random, params: QualityParams) -> float:
    low, high = params.range_min, params.range_max
    return low - rng.uniform(1.0, 100.0) if rng.random() < 0.5 else high * rng.uniform(1.5, 5.0)


def _stuck_value(rng: random.Random, quantity: Quantity, value: float) -> float:
    if quantity is Quantity.RAINFALL:  # a tipping count frozen above zero
        return 0.2 * rng.randint(1, 5)
    return value


def _drift(rng: random.Random, quantity: Quantity) -> tuple[float, bool]:
    """(final shift, is a factor) of a drifting sensor."""
    if quantity is Quantity.WATER_LEVEL:
        return rng.choice((-1.0, 1.0)) * rng.uniform(0.25, 0.5), False
    return math.exp(rng.choice((-1.0, 1.0)) * rng.uniform(0.55, 0.9)), True


class _Injector:
    def __init__(self, series: SimSeries, rng: random.Random) -> None:
        self.series, self.rng = series, rng
        self.values = {r.id: r.value for r in series.readings}
        self.removed: set[int] = set()
        self.faults: list[Fault] = []
        readings = series.readings
        self.schedule = _Schedule(readings[0].at + DAY, readings[-1].at - DAY)

    def _inside(self, start: float, end: float) -> list[Reading]:
        return [r for r in self.series.readings if start <= r.at <= end]

    def _add(self, kind: FlagKind, chosen: Sequence[Reading]) -> None:
        ids = frozenset(r.id for r in chosen)
        self.faults.append(Fault(kind, self.series.key, chosen[0].at, chosen[-1].at, ids))

    def spike(self) -> None:
        start = self.schedule.place(self.rng, self.series.interval, self.series.readings[0].at)
        chosen = self._inside(start, start + self.series.interval)[:1] if start else []
        if chosen:
            value = self.values[chosen[0].id]
            self.values[chosen[0].id] = _spike_value(self.rng, self.series.quantity, value)
            self._add(FlagKind.SPIKE, chosen)

    def out_of_range(self) -> None:
        count = self.rng.randint(1, 3)
        start = self.schedule.place(self.rng, count * self.series.interval, 0.0)
        chosen = self._inside(start, start + count * self.series.interval)[:count] if start else []
        for reading in chosen:
            self.values[reading.id] = _out_of_range(self.rng, self.series.params)
        if chosen:
            self._add(FlagKind.RANGE, chosen)

    def stuck(self) -> None:
        params = self.series.params
        length = max(params.stuck_min_hours * 1.5, 3.0, params.stuck_min_count * 1.5 / 4)
        hours = self.rng.uniform(length, max(length, 12.0) + 2.0)
        start = self.schedule.place(self.rng, hours * HOUR, 0.0)
        chosen = self._inside(start, start + hours * HOUR) if start else []
        if chosen:
            value = _stuck_value(self.rng, self.series.quantity, self.values[chosen[0].id])
            for reading in chosen:
                self.values[reading.id] = value
            self._add(FlagKind.STUCK, chosen)

    def gap(self) -> None:
        hours = self.rng.uniform(1.5, 12.0)
        start = self.schedule.place(self.rng, hours * HOUR, 0.0)
        chosen = self._inside(start, start + hours * HOUR) if start else []
        if len(chosen) > 1:
            self.removed |= {r.id for r in chosen}
            before = [r for r in self.series.readings if r.at < chosen[0].at][-1:]
            after = [r for r in self.series.readings if r.at > chosen[-1].at][:1]
            edge = before + list(chosen) + after
            self.faults.append(Fault(FlagKind.GAP, self.series.key, edge[0].at, edge[-1].at))

    def drift(self, warmup: float) -> None:
        days = self.rng.uniform(3.0, 6.0)
        start = self.schedule.place(self.rng, days * DAY, self.series.readings[0].at + warmup)
        chosen = self._inside(start, start + days * DAY) if start else []
        if not chosen:
            return
        shift, is_factor = _drift(self.rng, self.series.quantity)
        for reading in chosen:
            grown = min(1.0, (reading.at - chosen[0].at) / (2 * DAY))
            value = self.values[reading.id]
            self.values[reading.id] = value * shift**grown if is_factor else value + shift * grown
        self._add(FlagKind.DRIFT, chosen)

    def result(self) -> SimSeries:
        readings = tuple(
            replace(r, value=self.values[r.id])
            for r in self.series.readings
            if r.id not in self.removed
        )
        return replace(self.series, readings=readings)


def _drifting(series: Sequence[SimSeries], count: int, rng: random.Random) -> set[str]:
    water = [s.key for s in series if s.quantity is Quantity.WATER_LEVEL]
    air = [s.key for s in series if s.quantity in ISPU_POLLUTANTS]
    rng.shuffle(water)
    rng.shuffle(air)
    chosen = [pool.pop() for pool in (water, air) * count if pool][:count]
    return set(chosen)


def _plan_counts(plan: FaultPlan, days: float) -> Iterator[tuple[str, int]]:
    scale = days / 30.0
    for name in ("spikes", "ranges", "stuck", "gaps"):
        yield name, max(1, round(getattr(plan, name) * scale))


def inject(
    series: Sequence[SimSeries], *, seed: int, plan: FaultPlan | None = None
) -> tuple[list[SimSeries], list[Fault]]:
    """A spoilt copy of ``series`` and the faults put in (fixed by ``seed``)."""
    plan = plan or FaultPlan()
    rng = random.Random(seed)  # noqa: S311 - simulated faults, not security
    drifting = _drifting(series, plan.drifting, rng)
    spoilt, faults = [], []
    for one in series:
        injector = _Injector(one, rng)
        days = (one.readings[-1].at - one.readings[0].at) / DAY
        if one.key in drifting:
            injector.drift(plan.warmup_days * DAY)
        counts = dict(_plan_counts(plan, days))
        for _ in range(counts["stuck"]):
            injector.stuck()
        for _ in range(counts["gaps"]):
            injector.gap()
        for _ in range(counts["ranges"]):
            injector.out_of_range()
        if one.params.spike_enabled:
            for _ in range(counts["spikes"]):
                injector.spike()
        spoilt.append(injector.result())
        faults += injector.faults
    return spoilt, faults
