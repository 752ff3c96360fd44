"""Backtest: fit on the earlier part of a record, forecast from every later hour, score.

Time-ordered and never peeking: the model is fitted on the first two thirds of the hours;
each later hour with a reading is a forecast origin that sees the level and rain up to that
hour only. The errors (observed - forecast) of the first half of the origins give each
horizon's 5% and 95% quantiles, and the second half measures how often the observation fell
inside that 90% interval (its coverage). MAE is over every origin, for the model and for
persistence (the last observed hourly mean carried forward).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pontive.analytics.forecast_fit import HORIZON, Array, HourlySeries, fit, predict

REPORTED_HORIZONS = (1, 3, 6, 12, 24, 48, 72)
FIT_SHARE = 2.0 / 3.0
MIN_RECORD_HOURS = 10 * 24  # a shorter record leaves too few origins to score
REFIT_HOURS = 24  # the model is refitted daily, as ``pontive worker`` does
MIN_ERRORS = 12  # fewer errors at a horizon give no quantile worth storing
LEVEL = 0.9


@dataclass(frozen=True, slots=True)
class HorizonScore:
    """How the model did at one horizon."""

    hours: int
    mae: float
    persistence_mae: float
    coverage: float | None  # share of evaluation errors inside the 90% interval
    count: int  # forecasts scored

    @property
    def improvement(self) -> float:
        """Percent lower MAE than persistence (negative: worse)."""
        if self.persistence_mae <= 0:
            return 0.0
        return 100.0 * (1.0 - self.mae / self.persistence_mae)


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """A record's backtest: the scores per horizon and the error quantiles of every origin."""

    fit_start: int  # epoch hours
    fit_end: int
    test_end: int
    origins: int
    constituents: tuple[str, ...]
    scores: tuple[HorizonScore, ...]
    lower: Array  # 5% error quantile per horizon 1 … HORIZON (NaN: too few errors)
    upper: Array

    def score(self, hours: int) -> HorizonScore:
        """The score at ``hours`` ahead (one of ``REPORTED_HORIZONS``)."""
        return next(s for s in self.scores if s.hours == hours)

    def as_json(self) -> dict[str, Any]:
        """What ``an_forecast_models.metrics`` stores."""
        return {
            "fit_start": self.fit_start,
            "fit_end": self.fit_end,
            "test_end": self.test_end,
            "origins": self.origins,
            "constituents": list(self.constituents),
            "horizons": [
                {
                    "hours": s.hours,
                    "mae": round(s.mae, 4),
                    "persistence_mae": round(s.persistence_mae, 4),
                    "improvement": round(s.improvement, 1),
                    "coverage": None if s.coverage is None else round(s.coverage, 3),
                    "count": s.count,
                }
                for s in self.scores
            ],
        }


def _errors(series: HourlySeries, cut: int) -> tuple[Array, Array, list[str], int, int]:
    first = fit(series.until(cut))
    model = first
    last = len(series) - 1
    origins = [o for o in range(cut - 1, last) if np.isfinite(series.level[o])]
    model_errors = np.full((len(origins), HORIZON), np.nan)
    naive_errors = np.full((len(origins), HORIZON), np.nan)
    for row, origin in enumerate(origins):
        if origin + 1 - (model.fit_end - series.start) >= REFIT_HOURS:
            model = fit(series.window(origin + 1 - cut, origin + 1))  # the same span, up to now
        forecast = predict(model, series, origin)
        ahead = series.level[origin + 1 : origin + 1 + HORIZON]
        model_errors[row, : len(ahead)] = ahead - forecast.values[: len(ahead)]
        naive_errors[row, : len(ahead)] = ahead - forecast.observed
    names = [c.name for c in first.constituents]
    return model_errors, naive_errors, names, first.fit_start, first.fit_end


def _quantiles(errors: Array) -> tuple[Array, Array]:
    lower, upper = np.full(HORIZON, np.nan), np.full(HORIZON, np.nan)
    for step in range(HORIZON):
        column = errors[:, step]
        column = column[np.isfinite(column)]
        if len(column) >= MIN_ERRORS:
            width = float(np.quantile(np.abs(column), LEVEL))
            lower[step], upper[step] = -width, width
    return lower, upper


def _coverage(errors: Array, lower: Array, upper: Array, step: int) -> float | None:
    column = errors[:, step]
    column = column[np.isfinite(column)]
    if not len(column) or not np.isfinite(lower[step]):
        return None
    return float(np.mean((column >= lower[step]) & (column <= upper[step])))


def backtest(series: HourlySeries) -> BacktestResult:
    """Score the model on ``series`` (``ValueError`` when it is too short)."""
    if len(series) < MIN_RECORD_HOURS:
        raise ValueError(f"{len(series)} hours; a backtest needs {MIN_RECORD_HOURS}")
    cut = int(len(series) * FIT_SHARE)
    model_errors, naive_errors, names, fit_start, fit_end = _errors(series, cut)
    half = len(model_errors) // 2
    calib_lower, calib_upper = _quantiles(model_errors[:half])
    scores = []
    for hours in REPORTED_HORIZONS:
        step = hours - 1
        model_column, naive_column = model_errors[:, step], naive_errors[:, step]
        scored = np.isfinite(model_column)
        if not scored.any():
            continue
        scores.append(
            HorizonScore(
                hours=hours,
                mae=float(np.mean(np.abs(model_column[scored]))),
                persistence_mae=float(np.mean(np.abs(naive_column[scored]))),
                coverage=_coverage(model_errors[half:], calib_lower, calib_upper, step),
                count=int(scored.sum()),
            )
        )
    lower, upper = _quantiles(model_errors)
    return BacktestResult(
        fit_start=fit_start,
        fit_end=fit_end,
        test_end=series.start + len(series),
        origins=len(model_errors),
        constituents=tuple(names),
        scores=tuple(scores),
        lower=lower,
        upper=upper,
    )
