"""``pontive analytics evaluate quality``: the checks on simulated series with injected faults,
precision and recall per kind.

Held out: the parameters were chosen on the demo's seed (``DEFAULT_SEED``) and its month; the
evaluation draws another city (``EVAL_SEED``) over two other periods, a haze season and a
rainy season with river floods, and faults from ``FAULT_SEED``. Spikes and range errors are
scored per reading (a flagged reading is right when a fault changed it); stuck values, gaps
and drift per event (a flag is right when it overlaps an injected fault of its kind, a fault
is found when some flag overlaps it).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pontive.analytics.quality_checks import (
    HOUR,
    Finding,
    Reading,
    find_drift,
    find_gaps,
    find_range,
    find_spikes,
    find_stuck,
    hourly_differences,
)
from pontive.analytics.quality_choices import EXCLUDING_KINDS, POINT_KINDS, FlagKind
from pontive.analytics.quality_faults import DAY, Fault, FaultPlan, SimSeries, inject, simulate
from pontive.analytics.quality_params import QualityParams
from pontive.core.geo import haversine_m
from pontive.sensors.demo_stations import Station, demo_stations
from pontive.sensors.simulate_city import CityModel

EVAL_SEED = 7
FAULT_SEED = 20261130
PERIODS = (
    (datetime(2026, 8, 1, tzinfo=UTC), datetime(2026, 9, 15, tzinfo=UTC)),  # haze season
    (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 15, tzinfo=UTC)),  # rain, floods
)
DEFAULT_PLAN = FaultPlan()
# ``--quick`` (tests, CI): one shorter window of the same held-out city.
QUICK_PERIODS = ((datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC)),)
SCORED = (FlagKind.SPIKE, FlagKind.RANGE, FlagKind.STUCK, FlagKind.DRIFT, FlagKind.GAP)


@dataclass(frozen=True, slots=True)
class Score:
    """Precision and recall of one kind (``None`` when nothing to divide by)."""

    kind: FlagKind
    right: int  # flags (readings for point kinds) that are right
    flagged: int
    found: int  # faults (readings for point kinds) found
    injected: int

    @property
    def precision(self) -> float | None:
        """Share of flags that are right."""
        return self.right / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        """Share of faults found."""
        return self.found / self.injected if self.injected else None


def hourly_means(readings: Iterable[Reading]) -> dict[int, float]:
    """Mean per epoch hour (what the ``1h`` rollups hold)."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for reading in readings:
        bucket = sums[int(reading.at // HOUR)]
        bucket[0] += reading.value
        bucket[1] += 1
    return {hour: total / count for hour, (total, count) in sums.items()}


def neighbours_of(one: SimSeries, series: Sequence[SimSeries], radius: float) -> list[SimSeries]:
    """The other streams of the same quantity within ``radius`` km."""
    here = (one.station.lon, one.station.lat)
    return [
        other
        for other in series
        if other.quantity is one.quantity
        and other.station.key != one.station.key
        and haversine_m(*here, other.station.lon, other.station.lat) <= radius * 1000
    ]


def point_checks(one: SimSeries, *, now: float) -> list[Finding]:
    """Range, spike, stuck and gap checks on one simulated stream."""
    params: QualityParams = one.params
    readings = one.readings
    found = find_range(readings, params) + find_spikes(readings, params)
    found += find_stuck(readings, params)
    times = [r.at for r in readings]
    return found + find_gaps(times, expected=one.interval, factor=params.gap_factor, now=now)


def excluded_ids(findings: Iterable[Finding]) -> set[int]:
    """Readings kept out of hourly means (and the indices): range, spike, stuck."""
    return {i for f in findings if f.kind in EXCLUDING_KINDS for i in f.observation_ids}


def drift_checks(
    one: SimSeries,
    hourly: Mapping[str, dict[int, float]],
    series: Sequence[SimSeries],
    hours: range,
) -> list[Finding]:
    """The drift check of one stream against its neighbours' hourly means."""
    params = one.params
    if not params.drift_enabled:
        return []
    near = neighbours_of(one, series, params.drift_radius_km)
    diffs = hourly_differences(hourly[one.key], [hourly[n.key] for n in near], params)
    return find_drift(diffs, hours, params)


def _overlaps(finding: Finding, fault: Fault) -> bool:
    return finding.start <= fault.end and fault.start <= finding.end


def score(findings: Mapping[str, list[Finding]], faults: Sequence[Fault]) -> list[Score]:
    """Precision and recall per kind (readings for point kinds, events for the others)."""
    scores = []
    for kind in SCORED:
        truth = [f for f in faults if f.kind is kind]
        flags = [(key, f) for key, items in findings.items() for f in items if f.kind is kind]
        if kind in POINT_KINDS or kind is FlagKind.RANGE:
            wrong_ids = {i for f in truth for i in f.ids}
            flagged_ids = {i for _key, f in flags for i in f.observation_ids}
            hits = len(flagged_ids & wrong_ids)
            scores.append(Score(kind, hits, len(flagged_ids), hits, len(wrong_ids)))
            continue
        right = sum(1 for key, f in flags if any(t.key == key and _overlaps(f, t) for t in truth))
        found = sum(1 for t in truth if any(key == t.key and _overlaps(f, t) for key, f in flags))
        scores.append(Score(kind, right, len(flags), found, len(truth)))
    return scores


def evaluate(
    *,
    seed: int = EVAL_SEED,
    fault_seed: int = FAULT_SEED,
    periods: Sequence[tuple[datetime, datetime]] = PERIODS,
    plan: FaultPlan = DEFAULT_PLAN,
    stations: Sequence[Station] | None = None,
) -> list[Score]:
    """Simulate ``stations`` (default: every demo station), spoil, check and score; totals
    over ``periods``."""
    totals: dict[FlagKind, list[int]] = {kind: [0, 0, 0, 0] for kind in SCORED}
    model = CityModel(seed)
    for index, (start, end) in enumerate(periods):
        clean = simulate(model, stations or demo_stations(), start, end)
        spoilt, faults = inject(clean, seed=fault_seed + index, plan=plan)
        now = end.timestamp()
        findings = {one.key: point_checks(one, now=now) for one in spoilt}
        hourly = {}
        for one in spoilt:
            left_out = excluded_ids(findings[one.key])
            hourly[one.key] = hourly_means(r for r in one.readings if r.id not in left_out)
        drift_from = start.timestamp() + plan.warmup_days * DAY - 2 * DAY
        hours = range(int(drift_from // HOUR), int(now // HOUR))
        for one in spoilt:
            findings[one.key] += drift_checks(one, hourly, spoilt, hours)
        for result in score(findings, faults):
            counts = totals[result.kind]
            for position, value in enumerate(
                (result.right, result.flagged, result.found, result.injected)
            ):
                counts[position] += value
    return [Score(kind, *totals[kind]) for kind in SCORED]


def percent(value: float | None) -> str:
    """``0.953`` → ``95.3 %``; ``-`` for nothing."""
    return "-" if value is None or math.isnan(value) else f"{100 * value:.1f} %"
