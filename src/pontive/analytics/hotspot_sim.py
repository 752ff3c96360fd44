"""How well the hotspot test works, measured on simulated cities where the truth is known.

Each cell gets its own true rate (Gamma-distributed around the scenario's mean, so cells
really differ, as kelurahan do); its baseline and window counts are Poisson draws at that
rate. Under the null nothing else happens: every hotspot found is a false one. With a planted
cluster, ``extra`` reports are added to one random cell's window: finding that cell (and
only counting it when it is flagged) measures the power. Deterministic for a seed.
``pontive analytics evaluate hotspots`` prints these figures.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from pontive.analytics import hotspot_stats as stats

WEEKS = 12.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """A simulated city: how many cells, their mean baseline count, the window's length."""

    name: str
    cells: int
    mean_baseline: float  # reports per cell in the 12-week baseline, on average
    window_days: float
    spread: float = 2.0  # Gamma shape of the cells' true rates (smaller: more unequal)
    extra: int = 6  # reports of a planted cluster

    @property
    def scale(self) -> float:
        """The window's length over the baseline's."""
        return self.window_days / (WEEKS * 7.0)


# Pontianak: 29 kelurahan; about 180 hexagons of 0.65 km² cover the city (fewer have reports).
SCENARIOS = (
    Scenario("kelurahan-7d", cells=29, mean_baseline=40.0, window_days=7),
    Scenario("kelurahan-24h", cells=29, mean_baseline=40.0, window_days=1, extra=4),
    Scenario("hex-7d", cells=180, mean_baseline=6.0, window_days=7),
    Scenario("hex-30d", cells=180, mean_baseline=6.0, window_days=30, extra=8),
)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by inversion (means here stay below a few hundred)."""
    if mean <= 0:
        return 0
    u = rng.random()
    k, term = 0, math.exp(-mean)
    total = term
    while u > total and term > 0:
        k += 1
        term *= mean / k
        total += term
    return k


def _city(rng: random.Random, scenario: Scenario) -> tuple[dict[str, int], dict[str, int]]:
    window, baseline = {}, {}
    for i in range(scenario.cells):
        rate = rng.gammavariate(scenario.spread, scenario.mean_baseline / scenario.spread)
        baseline[f"c{i}"] = poisson(rng, rate)
        window[f"c{i}"] = poisson(rng, rate * scenario.scale)
    return window, baseline


def false_hotspots(scenario: Scenario, seed: int, *, predictive: bool = True) -> int:
    """Hotspots found in one simulated city where nothing unusual happens."""
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    window, baseline = _city(rng, scenario)
    found = stats.assess(
        window, baseline, sorted(window), scale=scenario.scale, predictive=predictive
    )
    return sum(1 for a in found if a.is_hotspot)


def planted_found(scenario: Scenario, seed: int, *, predictive: bool = True) -> tuple[bool, int]:
    """Whether the planted cluster's cell is flagged, and how many other cells are."""
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    window, baseline = _city(rng, scenario)
    target = f"c{rng.randrange(scenario.cells)}"
    window[target] += scenario.extra
    found = stats.assess(
        window, baseline, sorted(window), scale=scenario.scale, predictive=predictive
    )
    flagged = {a.key for a in found if a.is_hotspot}
    return target in flagged, len(flagged - {target})


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A scenario's figures over ``runs`` simulated cities of each kind."""

    scenario: Scenario
    runs: int
    null_runs_with_hotspot: int  # family-wise error under the null
    null_false_hotspots: int
    detected: int  # planted clusters found
    planted_false_hotspots: int  # other cells flagged next to a planted cluster

    @property
    def family_error(self) -> float:
        """Share of null cities with at least one (false) hotspot."""
        return self.null_runs_with_hotspot / self.runs

    @property
    def power(self) -> float:
        """Share of planted clusters found."""
        return self.detected / self.runs


def evaluate(
    scenario: Scenario, runs: int, seed: int = 0, *, predictive: bool = True
) -> Evaluation:
    """Run ``runs`` null cities and ``runs`` planted ones, seeds ``seed .. seed + runs - 1``
    (``predictive=False``: the plain Poisson tail, for comparison)."""
    nulls = [false_hotspots(scenario, seed + i, predictive=predictive) for i in range(runs)]
    planted = [planted_found(scenario, seed + i, predictive=predictive) for i in range(runs)]
    return Evaluation(
        scenario=scenario,
        runs=runs,
        null_runs_with_hotspot=sum(1 for n in nulls if n),
        null_false_hotspots=sum(nulls),
        detected=sum(1 for found, _ in planted if found),
        planted_false_hotspots=sum(extra for _, extra in planted),
    )
