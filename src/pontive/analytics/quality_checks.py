"""The data-quality checks as pure functions over one stream's readings (and, for drift, its
neighbours' hourly means). No database here: the job (``quality_run``) and the evaluation
(``quality_eval``) feed the same functions.

Times are epoch seconds, values in the quantity's canonical unit (``quality_params``).

- ``find_range``: runs of readings outside the physical range.
- ``find_spikes``: a reading that leaves, in the same direction and by more than a threshold,
  the median of its neighbours before, the median of those after and the median of both
  (jump and return, so a real rise is never a spike). The threshold is ``spike_z`` robust
  units (1.4826 x the median absolute second difference around it: noise, not trend) and at
  least ``spike_min_jump``.
- ``find_stuck``: at least ``stuck_min_count`` consecutive readings within
  ``stuck_tolerance`` of the first, spanning ``stuck_min_hours``, unless the value is one the
  quantity rests at (rain 0, saturated humidity).
- ``find_gaps``: more than ``gap_factor`` expected intervals between readings, or since the
  last one (an open gap).
- ``find_drift``: per hour, the difference to the neighbours' median (of logarithms for
  concentrations); its mean over the last ``drift_window_hours`` against its median over the
  ``drift_baseline_days`` before, in robust units of the baseline's own day-to-day variation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median
from typing import Any

from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_params import QualityParams

MAD_TO_SIGMA = 1.4826
HOUR = 3600
DRIFT_MIN_HOURS = 6  # drift must hold this many hourly evaluations before it is flagged
_LOG_FLOOR = 0.5  # concentrations below this count as this much before the logarithm


@dataclass(frozen=True, slots=True)
class Reading:
    """One numeric observation: its id, epoch seconds and value in the canonical unit."""

    id: int
    at: float
    value: float


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a check found: a kind, a period, the readings in it and the numbers why."""

    kind: FlagKind
    start: float
    end: float
    observation_ids: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    is_open: bool = False  # a gap still going on at ``end``


def _rounded(value: float) -> float:
    return round(value, 4)


def _bound(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no infinity


def find_range(readings: Sequence[Reading], params: QualityParams) -> list[Finding]:
    """Runs of consecutive readings outside ``[range_min, range_max]``."""
    findings: list[Finding] = []
    run: list[Reading] = []
    for reading in [*readings, None]:
        outside = reading is not None and not (
            params.range_min <= reading.value <= params.range_max
        )
        if outside and reading is not None:
            run.append(reading)
            continue
        if run:
            values = [r.value for r in run]
            detail = {
                "count": len(run),
                "min": _rounded(min(values)),
                "max": _rounded(max(values)),
                "range": [_bound(params.range_min), _bound(params.range_max)],
                "unit": params.unit,
            }
            ids = tuple(r.id for r in run)
            findings.append(Finding(FlagKind.RANGE, run[0].at, run[-1].at, ids, detail))
            run = []
    return findings


def usual_step(times: Sequence[float]) -> float:
    """The median interval between consecutive readings (seconds; 0 with fewer than two)."""
    steps = [b - a for a, b in pairwise(times) if b > a]
    return median(steps) if steps else 0.0


def _second_differences(values: Sequence[float]) -> list[float]:
    out = [math.nan] * len(values)
    for j in range(1, len(values) - 1):
        out[j] = abs(values[j] - (values[j - 1] + values[j + 1]) / 2.0)
    return out


def find_spikes(
    readings: Sequence[Reading], params: QualityParams, *, judge_from: float = -math.inf
) -> list[Finding]:
    """Spikes among in-range readings (those with time >= ``judge_from`` are judged; the
    others only serve as neighbours). A reading needs two neighbours on each side."""
    if not params.spike_enabled:
        return []
    good = [r for r in readings if params.range_min <= r.value <= params.range_max]
    values, times = [r.value for r in good], [r.at for r in good]
    window = params.spike_window
    reach = (window + 1) * 2.0 * (usual_step(times) or HOUR)
    curvature = _second_differences(values)
    found = []
    for i, reading in enumerate(good):
        if reading.at < judge_from:
            continue
        lo, hi = max(0, i - window), min(len(good), i + window + 1)
        before = [values[j] for j in range(lo, i) if reading.at - times[j] <= reach]
        after = [values[j] for j in range(i + 1, hi) if times[j] - reading.at <= reach]
        if len(before) < 2 or len(after) < 2:
            continue
        centre = median(before + after)
        jump = reading.value - centre
        if abs(jump) <= params.spike_min_jump:
            continue
        noise = [curvature[j] for j in range(lo + 1, hi - 1) if abs(j - i) > 1]
        noise = [n for n in noise if not math.isnan(n)]
        scale = MAD_TO_SIGMA * median(noise) if noise else 0.0
        threshold = max(params.spike_z * scale, params.spike_min_jump)
        sides = (reading.value - median(before), reading.value - median(after), jump)
        if all(s > threshold for s in sides) or all(s < -threshold for s in sides):
            detail = {
                "value": _rounded(reading.value),
                "expected": _rounded(centre),
                "threshold": _rounded(threshold),
                "score": round(abs(jump) / scale, 1) if scale else None,
                "unit": params.unit,
            }
            found.append(Finding(FlagKind.SPIKE, reading.at, reading.at, (reading.id,), detail))
    return found


def _is_exempt(value: float, params: QualityParams) -> bool:
    return value <= params.stuck_exempt_max or value >= params.stuck_exempt_min


def find_stuck(readings: Sequence[Reading], params: QualityParams) -> list[Finding]:
    """Runs of the same value, long enough in count and time, at a value that should vary."""
    if not params.stuck_enabled:
        return []
    found, i = [], 0
    while i < len(readings):
        first = readings[i].value
        tolerance = params.stuck_tolerance + 1e-9 * abs(first)
        j = i
        while j + 1 < len(readings) and abs(readings[j + 1].value - first) <= tolerance:
            j += 1
        count, span = j - i + 1, readings[j].at - readings[i].at
        long_enough = count >= params.stuck_min_count and span >= params.stuck_min_hours * HOUR
        if long_enough and not _is_exempt(first, params):
            run = readings[i : j + 1]
            detail = {
                "value": _rounded(first),
                "unit": params.unit,
                "count": count,
                "hours": round(span / HOUR, 2),
            }
            ids = tuple(r.id for r in run)
            found.append(Finding(FlagKind.STUCK, run[0].at, run[-1].at, ids, detail))
        i = j + 1
    return found


def find_gaps(
    times: Sequence[float], *, expected: float, factor: float, now: float | None = None
) -> list[Finding]:
    """Pauses longer than ``factor`` x ``expected`` seconds between readings, and since the
    last reading until ``now`` (an open gap)."""
    if expected <= 0 or not times:
        return []
    limit = factor * expected
    found = []
    for a, b in pairwise(times):
        if b - a > limit:
            detail = {"missing": max(1, round((b - a) / expected) - 1), "interval_s": expected}
            found.append(Finding(FlagKind.GAP, a, b, (), detail))
    if now is not None and now - times[-1] > limit:
        detail = {"missing": int((now - times[-1]) // expected), "interval_s": expected}
        found.append(Finding(FlagKind.GAP, times[-1], now, (), detail, is_open=True))
    return found


def _transform(value: float, params: QualityParams) -> float:
    return math.log(max(value, _LOG_FLOOR)) if params.drift_log else value


def hourly_differences(
    target: Mapping[int, float], neighbours: Sequence[Mapping[int, float]], params: QualityParams
) -> dict[int, float]:
    """Per epoch hour: the stream's hourly mean minus the median of its neighbours'."""
    diffs = {}
    for hour, value in target.items():
        others = [_transform(n[hour], params) for n in neighbours if hour in n]
        if len(others) >= params.drift_min_neighbours:
            diffs[hour] = _transform(value, params) - median(others)
    return diffs


def rolling_means(diffs: Mapping[int, float], window: int) -> dict[int, float]:
    """Per epoch hour: the mean difference over the ``window`` hours ending with it, where
    at least three quarters of them hold one."""
    if not diffs:
        return {}
    first, last = min(diffs), max(diffs)
    means, total, count = {}, 0.0, 0
    for hour in range(first, last + 1):
        if hour in diffs:
            total, count = total + diffs[hour], count + 1
        leaving = hour - window
        if leaving in diffs:
            total, count = total - diffs[leaving], count - 1
        if count >= 0.75 * window:
            means[hour] = total / count
    return means


def drift_at(
    diffs: Mapping[int, float], means: Mapping[int, float], hour: int, params: QualityParams
) -> dict[str, Any] | None:
    """The drift test at the end of epoch hour ``hour`` (``means``: ``rolling_means`` of
    ``diffs``): its numbers when it fails, else ``None`` (also when too little data)."""
    window, base_hours = params.drift_window_hours, params.drift_baseline_days * 24
    recent = means.get(hour)
    if recent is None:
        return None
    first, last = hour - window - base_hours + 1, hour - window
    base = [diffs[h] for h in range(first, last + 1) if h in diffs]
    if len(base) < base_hours / 2:
        return None
    baseline = median(base)
    daily = [means[h] for h in range(first + window, last + 1, 6) if h in means]
    centre = median(daily) if daily else 0.0
    spread = MAD_TO_SIGMA * median(abs(m - centre) for m in daily) if daily else 0.0
    threshold = max(params.drift_z * spread, params.drift_min_shift)
    shift = recent - baseline
    if abs(shift) <= threshold:
        return None
    return {
        "shift": _rounded(shift),
        "baseline": _rounded(baseline),
        "recent": _rounded(recent),
        "threshold": _rounded(threshold),
        "unit": "ln" if params.drift_log else params.unit,
        "log": params.drift_log,
    }


def find_drift(
    diffs: Mapping[int, float], hours: Sequence[int], params: QualityParams
) -> list[Finding]:
    """Drift periods among ``hours`` (epoch hours, ascending): runs of failing hours (a
    two-hour hole does not break a run) holding at least ``DRIFT_MIN_HOURS``."""
    if not params.drift_enabled:
        return []
    means = rolling_means(diffs, params.drift_window_hours)
    failing = [
        (h, found) for h in hours if (found := drift_at(diffs, means, h, params)) is not None
    ]
    runs: list[list[tuple[int, dict[str, Any]]]] = []
    for hour, numbers in failing:
        if runs and hour - runs[-1][-1][0] <= 3:
            runs[-1].append((hour, numbers))
        else:
            runs.append([(hour, numbers)])
    drifts = []
    for run in runs:
        if len(run) < DRIFT_MIN_HOURS:
            continue
        worst = max(run, key=lambda item: abs(item[1]["shift"]))[1]
        detail = {**worst, "hours": len(run)}
        start, end = run[0][0] * HOUR, (run[-1][0] + 1) * HOUR - 1
        drifts.append(Finding(FlagKind.DRIFT, float(start), float(end), (), detail))
    return drifts
