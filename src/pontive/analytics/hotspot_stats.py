"""The statistics of complaint hotspots, free of the database: is a cell's count in the recent
window unusually high against its own usual rate?

For every cell (a kelurahan, or a hexagon of the grid) the baseline count ``b`` over a long
period before the window gives its usual rate. Sparse cells are pulled toward the city-wide
rate by a Gamma prior fitted to all cells (empirical Bayes, method of moments on the
negative-binomial spread of the baseline counts), so two reports in a quiet corner are not a
"usual rate" of two. The usual rate, scaled to the window's length and to the city's current
level (the window's count elsewhere against its usual, never below 1), is the expected count
``E``; ``p = P(X >= c)`` for ``X ~ Poisson(E)``; Benjamini-Hochberg ``q`` over all cells; a
hotspot needs ``q <= q_level`` and at least ``min_count`` reports. See
docs/analytics/hotspots.md for the reasoning behind each choice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_COUNT = 3  # one or two reports are never a hotspot
Q_LEVEL = 0.05  # false-discovery rate across the cells
# Pseudo-count of the city's level factor: with few reports the level stays near 1.
LEVEL_PRIOR = 10.0
# The Gamma prior's shape is kept in this range: below it a single busy cell would set its
# own usual rate unchecked; above it every cell is simply the city average.
MIN_SHAPE, MAX_SHAPE = 0.5, 100.0
# Without any history, a cell is assumed to see one report per baseline period.
FLOOR_MEAN = 1.0


def poisson_sf(count: int, mean: float) -> float:
    """``P(X >= count)`` for ``X ~ Poisson(mean)``, accurate far into the tail."""
    if count <= 0:
        return 1.0
    if mean <= 0.0:
        return 0.0
    if count <= mean:
        # The tail is large: one minus the (small, exactly summed) lower part.
        term = math.exp(-mean)
        lower = term
        for k in range(1, count):
            term *= mean / k
            lower += term
        return min(1.0, max(0.0, 1.0 - lower))
    # Sum the tail upward from P(X = count), in log space to start (no overflow).
    term = math.exp(count * math.log(mean) - mean - math.lgamma(count + 1))
    total = term
    k = count
    while term > total * 1e-17:
        k += 1
        term *= mean / k
        total += term
    return min(1.0, total)


def negbin_sf(count: int, mean: float, shape: float) -> float:
    """``P(X >= count)`` for a negative binomial ``X`` with this mean and Gamma ``shape``:
    the Poisson tail averaged over a Gamma-distributed mean (Poisson as ``shape`` grows)."""
    if count <= 0:
        return 1.0
    if mean <= 0.0:
        return 0.0
    success = shape / (shape + mean)  # P(X = k) = C(k + shape - 1, k) success^shape (1-s)^k
    fail = 1.0 - success
    log_first = shape * math.log(success)
    if count <= mean:
        term = math.exp(log_first)
        lower = term
        for k in range(1, count):
            term *= (k - 1 + shape) / k * fail
            lower += term
        return min(1.0, max(0.0, 1.0 - lower))
    log_term = (
        math.lgamma(count + shape)
        - math.lgamma(shape)
        - math.lgamma(count + 1)
        + log_first
        + count * math.log(fail)
    )
    term = math.exp(log_term)
    total = term
    k = count
    while term > total * 1e-17:
        term *= (k + shape) / (k + 1) * fail
        k += 1
        total += term
    return min(1.0, total)


def bh_qvalues(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (``q``), in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):  # step-up: the smallest adjusted value at or above a rank
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        q[index] = min(1.0, running)
    return q


@dataclass(frozen=True, slots=True)
class GammaPrior:
    """The spread of the cells' usual counts per baseline period: mean ``shape / rate``."""

    shape: float
    rate: float

    @property
    def mean(self) -> float:
        """The city-wide mean count of a cell per baseline period."""
        return self.shape / self.rate

    def posterior_mean(self, count: int) -> float:
        """A cell's usual count per baseline period after seeing ``count`` in one period."""
        return (self.shape + count) / (self.rate + 1.0)


def fit_prior(counts: Sequence[int]) -> GammaPrior:
    """Method of moments: ``Var = m + m**2 / shape`` for Poisson counts with Gamma rates."""
    n = len(counts)
    mean = sum(counts) / n if n else 0.0
    if mean <= 0.0:
        return GammaPrior(MAX_SHAPE, MAX_SHAPE / FLOOR_MEAN)
    variance = sum((c - mean) ** 2 for c in counts) / (n - 1) if n > 1 else mean
    extra = variance - mean  # the part of the spread that is real differences between cells
    shape = mean * mean / extra if extra > 0 else MAX_SHAPE
    shape = min(MAX_SHAPE, max(MIN_SHAPE, shape))
    return GammaPrior(shape, shape / mean)


@dataclass(frozen=True, slots=True)
class Assessment:
    """One tested unit (a cell, or a cell with its neighbours) and its verdict."""

    key: str
    cells: tuple[str, ...]
    count: int
    baseline: int
    usual: float  # the shrunk usual count for the window's length
    expected: float  # ``usual`` times the city's current level
    p: float
    q: float
    is_hotspot: bool

    @property
    def ratio(self) -> float:
        """Observed over expected."""
        return self.count / self.expected if self.expected > 0 else math.inf


def assess(
    window: Mapping[str, int],
    baseline: Mapping[str, int],
    cells: Sequence[str],
    *,
    scale: float,
    groups: Mapping[str, Sequence[str]] | None = None,
    min_count: int = MIN_COUNT,
    q_level: float = Q_LEVEL,
    predictive: bool = True,
) -> list[Assessment]:
    """Test every cell (or, with ``groups``, every cell with its group) for an excess.

    ``window`` and ``baseline`` count reports per cell; ``cells`` is the whole family tested
    (cells without reports included); ``scale`` is the window's length over the baseline's.
    With ``groups`` the overlapping hotspots are thinned so no two share a cell. With
    ``predictive`` the Poisson tail is averaged over what the baseline leaves unknown about
    the usual rate (the Gamma posterior: a negative binomial tail); without, the usual rate
    is taken as known (the plain Poisson tail, which flags too much when baselines are thin).
    """
    prior = fit_prior([baseline.get(cell, 0) for cell in cells])
    usual = {cell: scale * prior.posterior_mean(baseline.get(cell, 0)) for cell in cells}
    total_count = sum(window.get(cell, 0) for cell in cells)
    total_usual = sum(usual.values())
    units = groups or {cell: (cell,) for cell in cells}
    keys = list(units)
    rows = []
    for key in keys:
        members = tuple(units[key])
        count = sum(window.get(cell, 0) for cell in members)
        unit_usual = sum(usual[cell] for cell in members)
        # The city's level now, from every other cell (a cluster must not raise its own bar).
        level = (total_count - count + LEVEL_PRIOR) / (total_usual - unit_usual + LEVEL_PRIOR)
        expected = unit_usual * max(1.0, level)
        if predictive:
            shape = sum(prior.shape + baseline.get(cell, 0) for cell in members)
            p = negbin_sf(count, expected, shape)
        else:
            p = poisson_sf(count, expected)
        rows.append((key, members, count, unit_usual, expected, p))
    q_values = bh_qvalues([row[5] for row in rows])
    results = [
        Assessment(
            key=key,
            cells=members,
            count=count,
            baseline=sum(baseline.get(cell, 0) for cell in members),
            usual=unit_usual,
            expected=expected,
            p=p,
            q=q,
            is_hotspot=q <= q_level and count >= min_count,
        )
        for (key, members, count, unit_usual, expected, p), q in zip(rows, q_values, strict=True)
    ]
    return _without_overlaps(results) if groups else results


def _without_overlaps(results: list[Assessment]) -> list[Assessment]:
    """Keep the strongest of overlapping hotspots (as a scan statistic reports secondary
    clusters only when they do not overlap the first); the rest stay as plain cells."""
    taken: set[str] = set()
    kept: dict[str, bool] = {}
    for result in sorted(results, key=lambda r: (r.p, -r.count, r.key)):
        if not result.is_hotspot:
            continue
        kept[result.key] = taken.isdisjoint(result.cells)
        if kept[result.key]:
            taken.update(result.cells)
    return [
        result
        if kept.get(result.key, True)
        else Assessment(
            result.key,
            result.cells,
            result.count,
            result.baseline,
            result.usual,
            result.expected,
            result.p,
            result.q,
            is_hotspot=False,
        )
        for result in results
    ]
