"""The water-level model (analytics/forecast_harmonics.py, forecast_fit.py): the harmonic
fit recovers known constituents, the Rayleigh criterion chooses what a record resolves,
rain and the AR(1) residual are fitted, and a forecast never uses what came after it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pontive.analytics.forecast_fit import HORIZON, HourlySeries, TooShort, fit, predict
from pontive.analytics.forecast_harmonics import (
    BY_NAME,
    INFERENCES,
    amplitudes_phases,
    coefficients_of,
    harmonic_columns,
    rayleigh_select,
)

START = 491_000  # epoch hours, early 2026
DAYS = 24


def _tide(hours: np.ndarray, waves: dict[str, tuple[float, float]]) -> np.ndarray:
    """Σ A cos(ωt - g) at the middle of each hour."""
    t = hours + 0.5
    return sum(
        amp * np.cos(BY_NAME[name].omega * t - math.radians(phase))
        for name, (amp, phase) in waves.items()
    )


def _names(hours: float) -> list[str]:
    return [c.name for c in rayleigh_select(hours)]


def test_rayleigh_keeps_only_what_the_record_length_separates() -> None:
    assert _names(2 * 24) == ["K1", "M2", "M4"]  # O1 and S2 need a fortnight
    fortnight = _names(14 * 24)
    assert {"K1", "M2", "O1"} <= set(fortnight)
    assert "S2" not in fortnight  # M2 and S2 beat over 14.77 days
    month = _names(30 * 24)
    assert set(month) == {"K1", "M2", "O1", "S2", "N2", "Q1", "M4", "MS4"}
    assert not {"P1", "K2", "Sa", "Ssa"} & set(month)  # half a year or more
    assert "Ssa" in _names(190 * 24)
    assert "Sa" not in _names(190 * 24)
    assert set(_names(370 * 24)) == set(BY_NAME)


def test_the_fit_recovers_known_amplitudes_and_phases() -> None:
    waves = {"K1": (40.0, 120.0), "O1": (30.0, 300.0), "M2": (15.0, 45.0), "S2": (7.0, 210.0)}
    hours = np.arange(START, START + DAYS * 24, dtype=np.float64)
    noise = np.random.default_rng(7).normal(0.0, 1.0, len(hours))
    series = HourlySeries(START, 180.0 + _tide(hours, waves) + noise, None)
    model = fit(series, infer=False)
    found = {
        name: (amp, phase)
        for name, amp, phase in amplitudes_phases(model.harmonic, model.constituents)
    }
    assert model.mean == pytest.approx(180.0, abs=0.2)
    for name, (amp, phase) in waves.items():
        assert found[name][0] == pytest.approx(amp, abs=0.3), name
        assert abs((found[name][1] - phase + 180.0) % 360.0 - 180.0) < 1.5, name
    for name in set(found) - set(waves):  # N2, Q1, M4, MS4: fitted at about nothing
        assert found[name][0] < 0.5, name


def test_stored_amplitudes_and_phases_give_the_same_columns_back() -> None:
    hours = np.arange(START, START + 48, dtype=np.float64)
    chosen = rayleigh_select(30 * 24)
    coefficients = np.random.default_rng(3).normal(size=2 * len(chosen))
    tide = amplitudes_phases(coefficients, chosen)
    constituents, again = coefficients_of(tide)
    assert [c.name for c in constituents] == [c.name for c in chosen]
    columns = harmonic_columns(hours, chosen)
    assert np.allclose(columns @ coefficients, columns @ again)


def test_p1_unresolved_is_carried_by_k1_at_the_equilibrium_ratio() -> None:
    p1 = next(i for i in INFERENCES if i.inferred == "P1")
    # A tide that follows the equilibrium relation exactly: K1 and P1 at the same Greenwich
    # phase, P1 a third of K1. A 20-day record cannot separate them; inference can.
    waves = {"K1": (40.0, 100.0), "P1": (40.0 * p1.ratio, 100.0 + p1.offset), "M2": (15.0, 30.0)}
    hours = np.arange(START, START + 20 * 24, dtype=np.float64)
    series = HourlySeries(START, 150.0 + _tide(hours, waves), None)
    ahead = np.arange(START + 20 * 24, START + 30 * 24, dtype=np.float64)
    truth = 150.0 + _tide(ahead, waves)

    def error(infer: bool) -> float:
        model = fit(series, infer=infer)
        expected = model.expected(ahead, np.zeros((len(ahead), 0)))
        return float(np.max(np.abs(expected - truth)))

    assert error(infer=True) < 0.1
    assert error(infer=False) > 3.0  # the unresolved pair drifts apart within days


def test_rain_coefficients_and_the_residual_phi_are_fitted() -> None:
    hours = np.arange(START, START + DAYS * 24, dtype=np.float64)
    rng = np.random.default_rng(11)
    rain = np.where(rng.random(len(hours)) < 0.05, rng.exponential(10.0, len(hours)), 0.0)
    recent = np.convolve(rain, np.ones(6))[: len(rain)]  # the last six hours' rain
    residual = np.zeros(len(hours))
    for i in range(1, len(hours)):
        residual[i] = 0.9 * residual[i - 1] + rng.normal(0.0, 1.0)
    level = 200.0 + _tide(hours, {"K1": (40.0, 10.0), "M2": (15.0, 20.0)})
    series = HourlySeries(START, level + 0.8 * recent + residual, rain)
    model = fit(series)
    assert model.rain[0] == pytest.approx(0.8, abs=0.05)  # the 0-6 h window
    assert np.all(np.abs(model.rain[1:]) < 0.1)
    assert model.phi == pytest.approx(0.9, abs=0.05)


def test_a_forecast_never_sees_what_came_after_its_origin() -> None:
    hours = np.arange(START, START + DAYS * 24, dtype=np.float64)
    rng = np.random.default_rng(5)
    rain = rng.exponential(1.0, len(hours))
    level = 200.0 + _tide(hours, {"K1": (40.0, 10.0)}) + rng.normal(0.0, 1.0, len(hours))
    series = HourlySeries(START, level, rain)
    model = fit(series)
    origin = len(hours) - 100
    before = predict(model, series, origin)
    changed = HourlySeries(START, level.copy(), rain.copy())
    changed.level[origin + 1 :] += 50.0
    assert changed.rain is not None
    changed.rain[origin + 1 :] += 20.0
    after = predict(model, changed, origin)
    assert np.array_equal(before.values, after.values)
    assert len(before.values) == HORIZON
    assert before.observed == level[origin]


def test_the_residual_correction_fades_with_the_horizon() -> None:
    hours = np.arange(START, START + DAYS * 24, dtype=np.float64)
    rng = np.random.default_rng(9)
    residual = np.zeros(len(hours))
    for i in range(1, len(hours)):
        residual[i] = 0.95 * residual[i - 1] + rng.normal(0.0, 1.0)
    level = 200.0 + _tide(hours, {"K1": (40.0, 10.0)}) + residual
    series = HourlySeries(START, level, None)
    model = fit(series)
    lifted = HourlySeries(START, level.copy(), None)
    origin = len(hours) - 1
    lifted.level[origin] += 10.0  # the latest hour 10 above the model
    gap = predict(model, lifted, origin).values - predict(model, series, origin).values
    assert gap[0] == pytest.approx(10.0 * model.phi, rel=1e-6)
    assert gap[-1] == pytest.approx(10.0 * model.phi**HORIZON, rel=1e-6)
    assert np.all(np.diff(gap) < 0)


def test_a_record_of_two_days_is_refused() -> None:
    series = HourlySeries(START, np.full(48, 100.0), None)
    with pytest.raises(TooShort):
        fit(series)
