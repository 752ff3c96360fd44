"""JSON routes of the water-level forecast (``/api/v1/analytics/forecast/…``).

Forecasts are sensor data and hold no personal data: public (``publik``), like the sensors'
native API, and answered to anyone. ``{datastream_id}`` is the gauge's water-level stream
or its forecast stream. Times are UTC (``Z``); levels in the gauge's unit.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Response
from pydantic import BaseModel, Field

from pontive.analytics.forecast_read import (
    LEVELS,
    StationForecast,
    station_forecast,
    station_forecasts,
)
from pontive.core.timeutil import utcnow
from pontive.web.deps import DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/analytics", tags=["analytics"])
CACHE_SECONDS = 60  # a run is hourly; a minute of sharing costs nothing


class ForecastPointRead(BaseModel):
    """One forecast hour (the middle of the hour) with its 90% interval."""

    time: datetime
    value: float
    lower: float | None
    upper: float | None


class CrossingRead(BaseModel):
    """The first forecast hour at or above a flood level."""

    level: str = Field(description="waspada, siaga or awas")
    threshold: float
    time: datetime
    value: float


class HorizonRead(BaseModel):
    """The backtest at one horizon."""

    hours: int
    mae: float
    persistence_mae: float
    improvement: float = Field(description="percent lower MAE than persistence")
    coverage: float | None = Field(description="share inside the 90% interval")
    count: int


class ModelRead(BaseModel):
    """The fitted model a forecast came from."""

    version: int
    method: str
    fitted_at: datetime
    record_start: datetime
    record_end: datetime
    samples: int
    constituents: list[str]
    ar_phi: float
    backtest: list[HorizonRead]
    backtest_skipped: str | None = None


class ForecastRead(BaseModel):
    """A gauge's latest forecast."""

    datastream_id: int
    forecast_datastream_id: int | None
    station: str
    unit: str
    issued_at: datetime | None
    thresholds: dict[str, float]
    crossings: list[CrossingRead]
    points: list[ForecastPointRead]
    model: ModelRead | None


class MetricsRead(BaseModel):
    """Every gauge's model and backtest."""

    generated_at: datetime
    gauges: list[ForecastRead]


def _model(forecast: StationForecast) -> ModelRead | None:
    row = forecast.model
    if row is None:
        return None
    return ModelRead(
        version=row.version,
        method=row.method,
        fitted_at=row.fitted_at,
        record_start=row.record_start,
        record_end=row.record_end,
        samples=row.samples,
        constituents=[c["name"] for c in row.constituents],
        ar_phi=round(row.ar_phi, 4),
        backtest=[HorizonRead(**item) for item in row.metrics.get("horizons", [])],
        backtest_skipped=row.metrics.get("skipped"),
    )


def _read(forecast: StationForecast, *, with_points: bool) -> ForecastRead:
    gauge = forecast.gauge
    return ForecastRead(
        datastream_id=gauge.datastream_id,
        forecast_datastream_id=forecast.stream_id,
        station=gauge.name,
        unit=gauge.unit,
        issued_at=forecast.issued_at,
        thresholds={s.value: lv for s in LEVELS if (lv := gauge.level(s)) is not None},
        crossings=[
            CrossingRead(level=c.status.value, threshold=c.level, time=c.at, value=c.value)
            for c in forecast.crossings
        ],
        points=[
            ForecastPointRead(time=p.at, value=p.value, lower=p.lower, upper=p.upper)
            for p in (forecast.points if with_points else ())
        ],
        model=_model(forecast),
    )


@router.get("/forecast/metrics", response_model=MetricsRead)
def forecast_metrics(session: DbSession, response: Response) -> MetricsRead:
    """Every gauge's model, backtest (MAE by horizon against persistence, interval coverage)
    and first predicted crossings; points are left out (ask one gauge for them)."""
    now = utcnow()
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    forecasts = station_forecasts(session, now=now)
    return MetricsRead(generated_at=now, gauges=[_read(f, with_points=False) for f in forecasts])


@router.get("/forecast/{datastream_id}", response_model=ForecastRead)
def forecast_of(datastream_id: int, session: DbSession, response: Response) -> ForecastRead:
    """A gauge's latest forecast: 72 hourly points with the 90% interval, the first predicted
    crossing of each flood level, and the model (404 for an unknown stream)."""
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return _read(station_forecast(session, datastream_id, now=utcnow()), with_points=True)
