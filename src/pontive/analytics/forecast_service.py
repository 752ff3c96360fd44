"""The water-level forecast's use-cases: evaluate (backtest, nothing stored), train (fit,
backtest, store a model version, make the forecast Datastream, issue), and issue forecasts
from the newest models (the hourly job).

Every gauge is one measured ``water_level`` Datastream; its record is the hourly rollup means
of up to ``MAX_RECORD_DAYS`` back, and its rain the nearest rain gauges' hourly totals. A gauge
whose last reading is older than ``fresh_limit`` gets no new forecast and its old future
points are removed: a forecast from stale data must not stand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from pontive.analytics import access
from pontive.analytics.forecast_backtest import BacktestResult, backtest
from pontive.analytics.forecast_data import (
    Gauge,
    RainGauge,
    epoch_hour,
    hour_start,
    hourly_series,
    list_gauges,
    list_rain_gauges,
    nearest_rain,
)
from pontive.analytics.forecast_fit import RAIN_SPAN, HourlySeries, TooShort, fit, predict
from pontive.analytics.forecast_models import ForecastModel
from pontive.analytics.forecast_store import (
    error_bands,
    fitted_from_row,
    latest_models,
    model_row,
    next_version,
)
from pontive.analytics.forecast_streams import ensure_forecast_stream, replace_points, stored_run
from pontive.core import audit, permissions
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors.ingest import ObservationIn

MAX_RECORD_DAYS = 400  # enough for Sa (a year) by the Rayleigh criterion
REFIT_AFTER = timedelta(hours=24)  # the hourly job refits a model older than this
HALF_HOUR = timedelta(minutes=30)
_DIGITS = {"m": 3, "cm": 1, "mm": 0}


class IssueStatus(StrEnum):
    """What an issue run did for one gauge."""

    ISSUED = "issued"
    UNCHANGED = "unchanged"  # this origin and model were issued already
    STALE = "stale"  # the gauge has gone quiet: no forecast, the old one removed
    NO_MODEL = "no_model"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A gauge's backtest, or why there is none."""

    gauge: Gauge
    record_hours: int
    backtest: BacktestResult | None
    problem: str | None


@dataclass(frozen=True, slots=True)
class IssueOutcome:
    """One gauge's result of an issue run."""

    gauge: Gauge
    status: IssueStatus
    points: int = 0


@dataclass(frozen=True, slots=True)
class TrainOutcome:
    """One gauge's result of training."""

    evaluation: Evaluation
    model: ForecastModel | None
    issue: IssueOutcome | None


def fresh_limit(gauge: Gauge) -> timedelta:
    """How old the newest reading may be for a forecast to be issued from it."""
    return max(HALF_HOUR, timedelta(seconds=2 * (gauge.expected_interval_s or 0)))


def _record(
    session: Session, gauge: Gauge, rains: Sequence[RainGauge], now: datetime
) -> HourlySeries:
    """The gauge's hourly record up to its last complete hour with data (not up to ``now``:
    a gauge gone quiet must not grow an empty tail that shifts the backtest's split, so the
    same data always gives the same numbers)."""
    end = epoch_hour(now)  # the hours before the current one are complete
    if gauge.last_at is not None:
        end = min(end, epoch_hour(gauge.last_at))
    first = epoch_hour(gauge.first_at) if gauge.first_at else end
    start = max(first, end - MAX_RECORD_DAYS * 24) - RAIN_SPAN  # rain before the first level
    return hourly_series(session, gauge, rains, start, max(start, end))


def _evaluate(
    session: Session, gauge: Gauge, rains: Sequence[RainGauge], now: datetime
) -> tuple[Evaluation, HourlySeries]:
    series = _record(session, gauge, rains, now)
    hours = int(np.isfinite(series.level).sum())
    try:
        result = backtest(series)
    except ValueError as error:  # too short to backtest (TooShort is one)
        return Evaluation(gauge, hours, None, str(error)), series
    return Evaluation(gauge, hours, result, None), series


def evaluate(
    session: Session, *, now: datetime | None = None, datastream_ids: Sequence[int] | None = None
) -> list[Evaluation]:
    """Backtest every gauge (or those named) on its record up to ``now``; nothing is stored."""
    now = now or utcnow()
    rains = list_rain_gauges(session)
    return [
        _evaluate(session, gauge, nearest_rain(gauge, rains), now)[0]
        for gauge in list_gauges(session, datastream_ids)
    ]


def _summary(row: ForecastModel) -> dict[str, object]:
    return {
        "datastream_id": row.datastream_id,
        "version": row.version,
        "record": [row.record_start.isoformat(), row.record_end.isoformat()],
        "constituents": [c["name"] for c in row.constituents],
        "ar_phi": round(row.ar_phi, 4),
    }


def _train_one(
    session: Session, actor: Actor, gauge: Gauge, rains: Sequence[RainGauge], now: datetime
) -> TrainOutcome:
    near = nearest_rain(gauge, rains)
    evaluation, series = _evaluate(session, gauge, near, now)
    try:
        model = fit(series)
    except TooShort as error:
        problem = evaluation.problem or str(error)
        return TrainOutcome(Evaluation(gauge, evaluation.record_hours, None, problem), None, None)
    version = next_version(session, gauge.datastream_id)
    row = model_row(
        gauge=gauge,
        model=model,
        backtest=evaluation.backtest,
        skipped=evaluation.problem,
        rains=near,
        version=version,
        now=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="analytics.forecast.fit",
        object_type="an_forecast_model",
        object_id=row.id,
        after=_summary(row),
    )
    session.commit()
    row.forecast_datastream_id = ensure_forecast_stream(session, gauge, version)
    session.commit()
    issued = _issue(session, gauge, row, now, force=True)
    return TrainOutcome(evaluation, row, issued)


def train(
    session: Session,
    *,
    actor: Actor,
    now: datetime | None = None,
    datastream_ids: Sequence[int] | None = None,
) -> list[TrainOutcome]:
    """Fit, backtest and store a new model version of every gauge (or those named), make
    its forecast Datastream and issue a forecast from it."""
    permissions.require(actor, access.TRAIN)
    now = now or utcnow()
    rains = list_rain_gauges(session)
    return [_train_one(session, actor, g, rains, now) for g in list_gauges(session, datastream_ids)]


def _digits(unit: str) -> int:
    return _DIGITS.get(unit, 2)


def _points(
    row: ForecastModel, stream_id: int, values: np.ndarray, first: datetime, now: datetime
) -> list[ObservationIn]:
    lower, upper = error_bands(row)
    digits = _digits(row.unit)
    issued = now.isoformat()
    return [
        ObservationIn(
            datastream_id=stream_id,
            phenomenon_time=first + timedelta(hours=step),
            phenomenon_time_end=None,
            result=round(float(value), digits),
            result_time=now,
            parameters={
                "lower": round(float(value + lower[step]), digits),
                "upper": round(float(value + upper[step]), digits),
                "issued_at": issued,
                "model_version": row.version,
            },
        )
        for step, value in enumerate(values)
    ]


def _issue(
    session: Session, gauge: Gauge, row: ForecastModel, now: datetime, *, force: bool
) -> IssueOutcome:
    stream_id = row.forecast_datastream_id
    if stream_id is None:
        return IssueOutcome(gauge, IssueStatus.NO_MODEL)
    origin = epoch_hour(now) - 1  # the newest complete hour
    first = hour_start(origin + 1) + HALF_HOUR  # points sit in the middle of their hour
    if gauge.last_at is None or now - gauge.last_at > fresh_limit(gauge):
        replace_points(session, stream_id, [], now)
        return IssueOutcome(gauge, IssueStatus.STALE)
    if not force and _already_issued(
        session, stream_id, first, row.version, hour_start(origin + 1)
    ):
        return IssueOutcome(gauge, IssueStatus.UNCHANGED)
    rain_ids = set(row.rain.get("gauges", []))
    rains = [r for r in list_rain_gauges(session) if r.datastream_id in rain_ids]
    series = hourly_series(session, gauge, rains, origin - RAIN_SPAN, origin + 1)
    if not math.isfinite(float(series.level[-1])):
        replace_points(session, stream_id, [], now)
        return IssueOutcome(gauge, IssueStatus.STALE)
    forecast = predict(fitted_from_row(row), series, len(series) - 1)
    points = _points(row, stream_id, forecast.values, first, now)
    stored = replace_points(session, stream_id, points, first)
    return IssueOutcome(gauge, IssueStatus.ISSUED, stored)


def _already_issued(
    session: Session, stream_id: int, first: datetime, version: int, hour: datetime
) -> bool:
    """Whether this hour's run of this model version is stored already (a second run in the
    same hour changes nothing)."""
    stored = stored_run(session, stream_id, first)
    return bool(stored) and all(_issued_by(parameters, version, hour) for _id, parameters in stored)


def _issued_by(parameters: Any, version: int, hour: datetime) -> bool:
    if not isinstance(parameters, dict) or parameters.get("model_version") != version:
        return False
    try:
        return datetime.fromisoformat(str(parameters.get("issued_at"))) >= hour
    except ValueError:
        return False


def issue_forecasts(
    session: Session,
    *,
    now: datetime | None = None,
    force: bool = False,
    datastream_ids: Sequence[int] | None = None,
) -> list[IssueOutcome]:
    """Issue a forecast for every gauge with a model, from its newest complete hour."""
    now = now or utcnow()
    gauges = list_gauges(session, datastream_ids)
    models = latest_models(session, [g.datastream_id for g in gauges])
    outcomes = []
    for gauge in gauges:
        row = models.get(gauge.datastream_id)
        if row is None:
            outcomes.append(IssueOutcome(gauge, IssueStatus.NO_MODEL))
            continue
        outcomes.append(_issue(session, gauge, row, now, force=force))
    return outcomes


def refresh(session: Session, *, actor: Actor, now: datetime | None = None) -> list[IssueOutcome]:
    """The hourly job: refit gauges without a model or with one older than ``REFIT_AFTER``,
    then issue every forecast."""
    now = now or utcnow()
    gauges = list_gauges(session)
    models = latest_models(session, [g.datastream_id for g in gauges])
    due = [
        g.datastream_id
        for g in gauges
        if g.datastream_id not in models or now - models[g.datastream_id].fitted_at > REFIT_AFTER
    ]
    if due:
        train(session, actor=actor, now=now, datastream_ids=due)
    return issue_forecasts(session, now=now)
