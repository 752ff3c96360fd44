"""Fitted models to rows of ``an_forecast_models`` and back, and reading the newest ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.analytics.forecast_backtest import BacktestResult
from pontive.analytics.forecast_data import Gauge, RainGauge, hour_start
from pontive.analytics.forecast_fit import (
    HORIZON,
    RAIN_WINDOWS,
    Array,
    FittedModel,
    gaussian_bands,
)
from pontive.analytics.forecast_harmonics import (
    Inference,
    amplitudes_phases,
    coefficients_of,
)
from pontive.analytics.forecast_models import ForecastModel

METHOD = "harmonic+rain+ar1"


def _bands(model: FittedModel, backtest: BacktestResult | None) -> dict[str, object]:
    """Error quantiles per horizon: the backtest's where it has enough errors, else the
    AR(1)'s Gaussian band."""
    lower, upper = gaussian_bands(model)
    source = "ar1"
    if backtest is not None:
        known = np.isfinite(backtest.lower)
        lower = np.where(known, backtest.lower, lower)
        upper = np.where(known, backtest.upper, upper)
        source = "backtest" if known.all() else "backtest+ar1"
    return {
        "lower": [round(float(v), 4) for v in lower],
        "upper": [round(float(v), 4) for v in upper],
        "source": source,
    }


def model_row(
    *,
    gauge: Gauge,
    model: FittedModel,
    backtest: BacktestResult | None,
    skipped: str | None,
    rains: Sequence[RainGauge],
    version: int,
    now: datetime,
) -> ForecastModel:
    """A new row for ``model`` (not added to the session)."""
    tide = amplitudes_phases(model.harmonic, model.constituents)
    metrics = backtest.as_json() if backtest is not None else {"skipped": skipped or ""}
    return ForecastModel(
        datastream_id=gauge.datastream_id,
        version=version,
        method=METHOD,
        fitted_at=now,
        record_start=hour_start(model.fit_start),
        record_end=hour_start(model.fit_end),
        samples=model.samples,
        unit=gauge.unit[:20],
        mean_level=model.mean,
        constituents=[
            {"name": name, "amplitude": round(amplitude, 5), "phase": round(phase, 3)}
            for name, amplitude, phase in tide
        ],
        inferred=[
            {
                "name": i.inferred,
                "reference": i.reference,
                "ratio": i.ratio,
                "offset": round(i.offset, 6),
            }
            for i in model.inferences
        ],
        rain={
            "windows": [list(window) for window in RAIN_WINDOWS] if len(model.rain) else [],
            "coefficients": [round(float(c), 6) for c in model.rain],
            "gauges": [r.datastream_id for r in rains] if len(model.rain) else [],
        },
        ar_phi=model.phi,
        innovation_std=model.innovation_std,
        quantiles=_bands(model, backtest),
        metrics=metrics,
    )


def fitted_from_row(row: ForecastModel) -> FittedModel:
    """The model a row describes, ready to predict."""
    tide = [(c["name"], float(c["amplitude"]), float(c["phase"])) for c in row.constituents]
    constituents, harmonic = coefficients_of(tide)
    inferences = tuple(
        Inference(i["name"], i["reference"], float(i["ratio"]), float(i["offset"]))
        for i in row.inferred
    )
    start = int(row.record_start.timestamp() // 3600)
    end = int(row.record_end.timestamp() // 3600)
    return FittedModel(
        constituents=tuple(constituents),
        inferences=inferences,
        mean=row.mean_level,
        harmonic=harmonic,
        rain=np.array(row.rain.get("coefficients", []), dtype=np.float64),
        phi=row.ar_phi,
        innovation_std=row.innovation_std,
        fit_start=start,
        fit_end=end,
        samples=row.samples,
    )


def error_bands(row: ForecastModel) -> tuple[Array, Array]:
    """The stored 5% and 95% error quantiles per horizon (1 … HORIZON hours)."""
    lower = np.array(row.quantiles["lower"][:HORIZON], dtype=np.float64)
    upper = np.array(row.quantiles["upper"][:HORIZON], dtype=np.float64)
    return lower, upper


def latest_models(
    session: Session, datastream_ids: Sequence[int] | None = None
) -> dict[int, ForecastModel]:
    """The newest model of each gauge (gauge stream id → row)."""
    newest = select(ForecastModel.datastream_id, func.max(ForecastModel.version).label("v"))
    if datastream_ids is not None:
        newest = newest.where(ForecastModel.datastream_id.in_(list(datastream_ids)))
    subquery = newest.group_by(ForecastModel.datastream_id).subquery()
    rows = session.scalars(
        select(ForecastModel).join(
            subquery,
            (ForecastModel.datastream_id == subquery.c.datastream_id)
            & (ForecastModel.version == subquery.c.v),
        )
    )
    return {row.datastream_id: row for row in rows}


def next_version(session: Session, datastream_id: int) -> int:
    """The version number the gauge's next model gets."""
    current = session.scalar(
        select(func.max(ForecastModel.version)).where(ForecastModel.datastream_id == datastream_id)
    )
    return int(current or 0) + 1
