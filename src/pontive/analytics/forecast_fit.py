"""The water-level model: tidal harmonics plus recent rain by least squares, and an AR(1)
correction of the latest residual that fades with the horizon.

For the hourly mean ``y`` of hour ``i`` (centred at ``t = i + 0.5`` epoch hours)::

    y(i) = c + Σ_k [a_k cos(ω_k t) + b_k sin(ω_k t)] + Σ_w β_w R_w(i) + r(i)

where ``R_w`` is the rain summed over a window of hours before ``i`` (0-6, 6-12, 12-24,
24-48 h) at the gauge's nearest rain gauges and ``r`` the residual, taken as AR(1):
``r(i + 1) = φ r(i) + ε``. A forecast issued after hour ``o`` is the harmonic and rain part
for ``o + h`` plus ``φ^h r(o)``. Rain after ``o`` is not known at issue time and counts as
zero (no rain forecast is used), so the rain terms only carry what has already fallen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pontive.analytics.forecast_harmonics import (
    Constituent,
    Inference,
    harmonic_columns,
    inferences_for,
    rayleigh_select,
)

Array = NDArray[np.float64]
RAIN_WINDOWS: tuple[tuple[int, int], ...] = ((0, 6), (6, 12), (12, 24), (24, 48))
RAIN_SPAN = max(end for _start, end in RAIN_WINDOWS)
HORIZON = 72  # hours ahead, hourly
MIN_FIT_HOURS = 72  # less than three days resolves nothing but K1 and M2 poorly
PHI_LIMITS = (-0.99, 0.999)


class TooShort(ValueError):
    """The record holds too few hours to fit a model."""


@dataclass(frozen=True, slots=True)
class HourlySeries:
    """A gauge's hourly means and the rain near it, hour by hour from ``start``."""

    start: int  # epoch hour of index 0
    level: Array  # hourly mean level in the gauge's unit; NaN where nothing was read
    rain: Array | None  # rain (mm) in the same hours, 0 where unknown; None: no rain gauge

    def __len__(self) -> int:
        return len(self.level)

    def until(self, end: int) -> HourlySeries:
        """The hours before index ``end`` only."""
        return self.window(0, end)

    def window(self, start: int, end: int) -> HourlySeries:
        """The hours from index ``start`` to before ``end``."""
        start = max(start, 0)
        rain = None if self.rain is None else self.rain[start:end]
        return HourlySeries(self.start + start, self.level[start:end], rain)


@dataclass(frozen=True, slots=True)
class FittedModel:
    """Fitted coefficients: what is stored, and all a forecast needs."""

    constituents: tuple[Constituent, ...]
    inferences: tuple[Inference, ...]
    mean: float
    harmonic: Array  # cos coefficients then sin coefficients, in constituent order
    rain: Array  # one per RAIN_WINDOWS entry (empty without a rain gauge)
    phi: float
    innovation_std: float  # spread of ε, for intervals when no backtest is possible
    fit_start: int  # epoch hours, [start, end)
    fit_end: int
    samples: int

    def expected(self, hours: Array, rain_sums: Array) -> Array:
        """The harmonic and rain part at hour indices ``hours`` (epoch hours)."""
        columns = harmonic_columns(hours + 0.5, self.constituents, self.inferences)
        value = self.mean + columns @ self.harmonic
        if len(self.rain):
            value = value + rain_sums @ self.rain
        return np.asarray(value, dtype=np.float64)


def rain_sums(rain: Array | None, indices: NDArray[np.int64], known_until: int) -> Array:
    """Per index ``i`` and window ``(a, b)``, the rain of hours ``i-b+1 … i-a`` that are known
    (index ≤ ``known_until``; later hours count as dry)."""
    if rain is None:
        return np.zeros((len(indices), 0))
    cumulative = np.concatenate([[0.0], np.cumsum(rain)])
    top = len(rain) - 1
    columns = []
    for start, end in RAIN_WINDOWS:
        low = np.clip(indices - end + 1, 0, top + 1)
        high = np.clip(np.minimum(indices - start, known_until), -1, top)
        total = cumulative[high + 1] - cumulative[low]
        columns.append(np.where(high >= low, total, 0.0))
    return np.column_stack(columns)


def fit(
    series: HourlySeries,
    *,
    constituents: Sequence[Constituent] | None = None,
    infer: bool = True,
) -> FittedModel:
    """Least squares over the hours with a reading (and a full rain history when there is a
    rain gauge); the constituents by the Rayleigh criterion unless given."""
    indices = np.arange(len(series), dtype=np.int64)
    usable = np.isfinite(series.level)
    if series.rain is not None:
        usable &= indices >= RAIN_SPAN
    rows = indices[usable]
    if len(rows) < MIN_FIT_HOURS or rows[-1] - rows[0] + 1 < MIN_FIT_HOURS:
        raise TooShort(f"{len(rows)} usable hours; at least {MIN_FIT_HOURS} are needed")
    span = float(rows[-1] - rows[0] + 1)
    chosen = tuple(constituents if constituents is not None else rayleigh_select(span))
    inferred = inferences_for(chosen) if infer else ()
    hours = (series.start + rows).astype(np.float64)
    sums = rain_sums(series.rain, rows, len(series) - 1)
    tide = harmonic_columns(hours + 0.5, chosen, inferred)
    design = np.hstack([np.ones((len(rows), 1)), tide, sums])
    target = series.level[rows]
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    residuals = target - design @ solution
    phi, innovation = _ar1(rows, residuals)
    count = 2 * len(chosen)
    return FittedModel(
        constituents=chosen,
        inferences=inferred,
        mean=float(solution[0]),
        harmonic=np.asarray(solution[1 : 1 + count], dtype=np.float64),
        rain=np.asarray(solution[1 + count :], dtype=np.float64),
        phi=phi,
        innovation_std=innovation,
        fit_start=series.start + int(rows[0]),
        fit_end=series.start + int(rows[-1]) + 1,
        samples=len(rows),
    )


def _ar1(rows: NDArray[np.int64], residuals: Array) -> tuple[float, float]:
    """φ by least squares over consecutive hours, and the spread of what it leaves."""
    follows = np.flatnonzero(np.diff(rows) == 1)
    before, after = residuals[follows], residuals[follows + 1]
    denominator = float(before @ before)
    phi = float(before @ after) / denominator if denominator > 0 else 0.0
    phi = min(max(phi, PHI_LIMITS[0]), PHI_LIMITS[1])
    innovations = after - phi * before
    spread = float(np.std(innovations)) if len(innovations) > 1 else float(np.std(residuals))
    return phi, spread


@dataclass(frozen=True, slots=True)
class Forecast:
    """One run: hourly values for the hours after ``origin`` (an index into the series)."""

    origin: int  # epoch hour of the last observed hour
    observed: float  # its hourly mean (the persistence forecast)
    values: Array  # HORIZON values, for epoch hours origin + 1 … origin + HORIZON


def predict(
    model: FittedModel, series: HourlySeries, origin: int, *, horizon: int = HORIZON
) -> Forecast:
    """Forecast from the hour at index ``origin`` (which must hold a reading)."""
    observed = float(series.level[origin])
    if not np.isfinite(observed):
        raise ValueError("no reading at the forecast origin")
    indices = np.arange(origin, origin + horizon + 1, dtype=np.int64)
    sums = rain_sums(series.rain, indices, origin)
    if sums.shape[1] != len(model.rain):  # a rain gauge gone since the fit: its rain as dry
        sums = np.zeros((len(indices), len(model.rain)))
    hours = (series.start + indices).astype(np.float64)
    expected = model.expected(hours, sums)
    residual = observed - expected[0]
    decay = model.phi ** np.arange(1, horizon + 1, dtype=np.float64)
    return Forecast(series.start + origin, observed, expected[1:] + decay * residual)


def gaussian_bands(model: FittedModel, *, horizon: int = HORIZON) -> tuple[Array, Array]:
    """5% and 95% error quantiles per horizon from the AR(1) alone (used only when the record
    is too short to backtest): ``±1.645 sigma_e √((1 - φ^2h) / (1 - φ²))``."""
    steps = np.arange(1, horizon + 1, dtype=np.float64)
    phi2 = model.phi**2
    growth = steps if abs(1.0 - phi2) < 1e-9 else (1.0 - phi2**steps) / (1.0 - phi2)
    spread = 1.645 * model.innovation_std * np.sqrt(growth)
    return -spread, spread
