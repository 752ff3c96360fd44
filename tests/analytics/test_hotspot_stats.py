"""The hotspot statistics against hand-worked numbers and on simulated cities."""

from __future__ import annotations

import math

import pytest

from pontive.analytics import hotspot_sim as sim
from pontive.analytics.hotspot_stats import (
    MAX_SHAPE,
    assess,
    bh_qvalues,
    fit_prior,
    negbin_sf,
    poisson_sf,
)


@pytest.mark.parametrize(
    ("count", "mean", "expected"),
    [
        # 1 - e^-0.5 (1 + 0.5 + 0.125)
        (3, 0.5, 1 - math.exp(-0.5) * 1.625),
        # 1 - e^-2
        (1, 2.0, 1 - math.exp(-2.0)),
        # 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24)
        (5, 1.0, 1 - math.exp(-1.0) * (1 + 1 + 0.5 + 1 / 6 + 1 / 24)),
        (0, 3.0, 1.0),
        (2, 0.0, 0.0),
    ],
)
def test_the_poisson_tail_matches_hand_worked_values(
    count: int, mean: float, expected: float
) -> None:
    assert poisson_sf(count, mean) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_the_poisson_tail_stays_accurate_far_out() -> None:
    # P(X >= 20 | 0.1) is dominated by its first term, 0.1^20 e^-0.1 / 20!.
    first = 0.1**20 * math.exp(-0.1) / math.factorial(20)
    assert poisson_sf(20, 0.1) == pytest.approx(first * (1 + 0.1 / 21 + 0.01 / 21 / 22), rel=1e-9)
    # Below the mean the tail is the complement of a short lower sum.
    assert poisson_sf(2, 10.0) == pytest.approx(1 - math.exp(-10) * 11, rel=1e-12)


def test_the_negative_binomial_tail_matches_hand_worked_values() -> None:
    # Shape 1 is the geometric distribution: P(X >= k) = (mean / (1 + mean))^k.
    assert negbin_sf(3, 1.0, 1.0) == pytest.approx(0.125, rel=1e-12)
    assert negbin_sf(4, 3.0, 1.0) == pytest.approx(0.75**4, rel=1e-12)
    # Shape 2, mean 2: p = 1/2; P(X >= 2) = 1 - (1/4 + 2 * 1/8) = 1/2.
    assert negbin_sf(2, 2.0, 2.0) == pytest.approx(0.5, rel=1e-12)
    # A certain rate (huge shape) is the Poisson tail again.
    assert negbin_sf(6, 1.5, 1e7) == pytest.approx(poisson_sf(6, 1.5), rel=1e-5)


def test_benjamini_hochberg_matches_a_hand_worked_example() -> None:
    # Sorted: 0.005·4/1 = .02, 0.01·4/2 = .02, 0.03·4/3 = .04, 0.04·4/4 = .04.
    assert bh_qvalues([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # Step-up: the first raw value 0.06 takes the smaller one above it, 0.0315.
    assert bh_qvalues([0.02, 0.021, 0.5]) == pytest.approx([0.0315, 0.0315, 0.5])
    assert bh_qvalues([0.9, 0.8]) == pytest.approx([0.9, 0.9])
    assert bh_qvalues([]) == []


def test_the_prior_pools_equal_cells_and_keeps_unequal_ones_apart() -> None:
    pooled = fit_prior([5, 5, 5, 5])  # no spread beyond Poisson: every cell is the average
    assert pooled.shape == MAX_SHAPE
    assert pooled.mean == pytest.approx(5.0)
    spread = fit_prior([0, 0, 1, 30, 2, 0, 25, 1])
    assert spread.shape < 1  # very unequal cells: each keeps mostly its own rate
    assert spread.posterior_mean(30) > 20
    assert fit_prior([0, 0, 0]).mean == pytest.approx(1.0)  # no history: one per period


def _flat_city(cells: int = 20, baseline: int = 12, window: int = 1) -> tuple[dict, dict]:  # type: ignore[type-arg]
    names = [f"c{i}" for i in range(cells)]
    return {c: window for c in names}, {c: baseline for c in names}


def test_a_planted_cluster_is_the_only_hotspot() -> None:
    window, baseline = _flat_city()
    window["c7"] = 9
    found = assess(window, baseline, sorted(baseline), scale=1 / 12)
    assert [a.key for a in found if a.is_hotspot] == ["c7"]
    c7 = next(a for a in found if a.key == "c7")
    assert c7.expected == pytest.approx(1.0, rel=0.05)
    assert c7.ratio > 8
    assert c7.q <= 0.05


def test_two_reports_are_never_a_hotspot_however_rare() -> None:
    window, baseline = _flat_city(baseline=3, window=0)
    window["c3"] = 2
    found = assess(window, baseline, sorted(baseline), scale=1 / 100)
    c3 = next(a for a in found if a.key == "c3")
    assert c3.q < 0.01  # significant by the numbers…
    assert not c3.is_hotspot  # …but the minimum count rules it out


def test_a_city_wide_surge_is_not_a_hotspot_everywhere() -> None:
    window, baseline = _flat_city(window=3)  # three times the usual, in every cell
    found = assess(window, baseline, sorted(baseline), scale=1 / 12)
    assert not any(a.is_hotspot for a in found)
    assert all(a.expected > 2 for a in found)  # the city's level is in the expectation


def test_neighbourhoods_report_one_hotspot_not_seven() -> None:
    cells = ["a", "b", "c", "d", "e"]
    groups = {"a": ["a", "b"], "b": ["b", "a", "c"], "c": ["c", "b", "d"], "d": ["d", "c"]}
    groups["e"] = ["e"]
    window = {"a": 0, "b": 8, "c": 1, "d": 0, "e": 0}
    baseline = dict.fromkeys(cells, 12)
    found = assess(window, baseline, cells, scale=1 / 12, groups=groups)
    flagged = [a for a in found if a.is_hotspot]
    assert len(flagged) == 1
    assert "b" in flagged[0].cells


@pytest.mark.parametrize("scenario", sim.SCENARIOS, ids=lambda s: s.name)
def test_cities_without_a_cluster_rarely_show_a_hotspot(scenario: sim.Scenario) -> None:
    # 60 seeded cities each, rates unequal between cells, nothing unusual happening: the
    # Benjamini-Hochberg level (5 %) bounds the share of cities with any false hotspot.
    with_false = sum(1 for seed in range(60) if sim.false_hotspots(scenario, seed))
    assert with_false <= 6


def test_a_uniform_city_at_its_usual_rate_shows_no_hotspot() -> None:
    uniform = sim.Scenario("uniform", cells=29, mean_baseline=30, window_days=7, spread=1e6)
    assert sum(sim.false_hotspots(uniform, seed) for seed in range(60)) <= 3


def test_planted_clusters_are_found_most_of_the_time() -> None:
    scenario = sim.Scenario("hex", cells=120, mean_baseline=6.0, window_days=7, extra=6)
    found = [sim.planted_found(scenario, seed) for seed in range(100)]
    hits = sum(1 for hit, _others in found if hit)
    false = sum(others for _hit, others in found)
    assert hits >= 85
    assert false / (hits + false) <= 0.10  # false discoveries stay near the 5 % of BH


def test_the_evaluation_is_deterministic_for_a_seed() -> None:
    scenario = sim.SCENARIOS[0]
    assert sim.evaluate(scenario, 15, seed=3) == sim.evaluate(scenario, 15, seed=3)
