"""Reading the forecasts back for the pages and the API: each gauge's latest run with its
90% interval, the last hours observed, its model, and the first predicted crossing of each
flood level."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.forecast_data import (
    Gauge,
    epoch_hour,
    forecast_streams,
    hour_start,
    hourly_levels,
    list_gauges,
)
from pontive.analytics.forecast_fit import HORIZON
from pontive.analytics.forecast_models import ForecastModel
from pontive.analytics.forecast_store import latest_models
from pontive.core.errors import NotFound
from pontive.core.timeutil import format_local, utcnow
from pontive.sensors.choices import FloodStatus
from pontive.sensors.models import Observation
from pontive.web.i18n import translate

OBSERVED_HOURS = 48
LEVELS = (FloodStatus.WASPADA, FloodStatus.SIAGA, FloodStatus.AWAS)


@dataclass(frozen=True, slots=True)
class Point:
    """One forecast hour: its value and 90% interval."""

    at: datetime
    value: float
    lower: float | None
    upper: float | None


@dataclass(frozen=True, slots=True)
class Crossing:
    """The first forecast hour at or above a flood level."""

    status: FloodStatus
    level: float
    at: datetime
    value: float


@dataclass(frozen=True, slots=True)
class StationForecast:
    """A gauge's forecast as the page and the API show it."""

    gauge: Gauge
    model: ForecastModel | None
    stream_id: int | None
    issued_at: datetime | None
    points: tuple[Point, ...]  # the latest run (empty when none is current)
    observed: tuple[tuple[datetime, float], ...]  # hourly means, middle of each hour
    crossings: tuple[Crossing, ...]

    @property
    def is_current(self) -> bool:
        """A run whose points still lie ahead."""
        return bool(self.points)

    def crossing(self, status: FloodStatus) -> Crossing | None:
        """The first predicted crossing of one level, if any."""
        return next((c for c in self.crossings if c.status is status), None)

    @property
    def first_crossing(self) -> Crossing | None:
        """The earliest predicted crossing of any level (the highest at that hour)."""
        if not self.crossings:
            return None
        return min(self.crossings, key=lambda c: (c.at, -LEVELS.index(c.status)))


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _latest_run(
    session: Session, stream_id: int, now: datetime
) -> tuple[datetime | None, list[Point]]:
    rows = session.execute(
        select(
            Observation.phenomenon_time,
            Observation.result_number,
            Observation.result_time,
            Observation.parameters,
        )
        .where(Observation.datastream_id == stream_id)
        .order_by(Observation.phenomenon_time.desc(), Observation.id.desc())
        .limit(HORIZON)
    ).all()
    if not rows or rows[0].phenomenon_time <= now:
        return None, []  # no run reaches past now: none is current
    issued = rows[0].result_time
    points = []
    for at, value, result_time, parameters in reversed(rows):
        number = _number(value)
        if result_time != issued or number is None:
            continue
        extra = parameters if isinstance(parameters, dict) else {}
        points.append(Point(at, number, _number(extra.get("lower")), _number(extra.get("upper"))))
    return issued, points


def _observed(session: Session, gauge: Gauge, now: datetime) -> list[tuple[datetime, float]]:
    end = epoch_hour(now) + 1
    means = hourly_levels(session, gauge.datastream_id, end - OBSERVED_HOURS, end)
    half = timedelta(minutes=30)
    return [(hour_start(hour) + half, value) for hour, value in sorted(means.items())]


def _crossings(gauge: Gauge, points: Sequence[Point], now: datetime) -> list[Crossing]:
    found = []
    for status in LEVELS:
        level = gauge.level(status)
        if level is None:
            continue
        hit = next((p for p in points if p.at > now and p.value >= level), None)
        if hit is not None:
            found.append(Crossing(status, level, hit.at, hit.value))
    return found


def station_forecasts(
    session: Session, *, now: datetime, datastream_ids: Sequence[int] | None = None
) -> list[StationForecast]:
    """Every gauge (or those named) with its latest forecast, model and recent hours."""
    gauges = list_gauges(session, datastream_ids)
    ids = [g.datastream_id for g in gauges]
    models, streams = latest_models(session, ids), forecast_streams(session, ids)
    found = []
    for gauge in gauges:
        stream_id = streams.get(gauge.datastream_id)
        issued, points = _latest_run(session, stream_id, now) if stream_id else (None, [])
        found.append(
            StationForecast(
                gauge=gauge,
                model=models.get(gauge.datastream_id),
                stream_id=stream_id,
                issued_at=issued,
                points=tuple(points),
                observed=tuple(_observed(session, gauge, now)),
                crossings=tuple(_crossings(gauge, points, now)),
            )
        )
    return found


def gauge_of(session: Session, datastream_id: int) -> int:
    """The gauge stream a forecast or gauge stream id names; ``NotFound`` otherwise."""
    if list_gauges(session, [datastream_id]):
        return datastream_id
    for gauge_id, stream_id in forecast_streams(session, _all_gauge_ids(session)).items():
        if stream_id == datastream_id:
            return gauge_id
    raise NotFound(translate("an.fc.err.not_found", "id"), translate("an.fc.err.not_found", "en"))


def _all_gauge_ids(session: Session) -> list[int]:
    return [g.datastream_id for g in list_gauges(session)]


def station_forecast(session: Session, datastream_id: int, *, now: datetime) -> StationForecast:
    """One gauge's forecast, by its own or its forecast stream's id (``NotFound``)."""
    gauge_id = gauge_of(session, datastream_id)
    return station_forecasts(session, now=now, datastream_ids=[gauge_id])[0]


@dataclass(frozen=True, slots=True)
class ForecastOverview:
    """The forecast part in a few facts, for the analytics home page."""

    gauges: int
    current: int  # gauges with a forecast reaching past now
    issued_at: datetime | None  # the newest run
    six_hour_gain: tuple[float, float] | None  # lowest and highest 6 h gain over persistence
    siaga: tuple[tuple[str, datetime], ...]  # gauges forecast to reach Siaga, and when

    def facts(self, lang: str) -> list[str]:
        """One short line each, in ``lang``."""
        if not self.gauges or (self.six_hour_gain is None and not self.current):
            return [translate("an.fc.home.none", lang)]
        lines = [
            translate(
                "an.fc.home.current",
                lang,
                current=self.current,
                gauges=self.gauges,
                time=format_local(self.issued_at),
            )
        ]
        if self.six_hour_gain is not None:
            low, high = self.six_hour_gain
            lines.append(translate("an.fc.home.gain", lang, low=f"{low:.0f}", high=f"{high:.0f}"))
        lines += [
            translate("an.fc.home.siaga", lang, station=name, time=format_local(at))
            for name, at in self.siaga
        ]
        return lines


def overview(session: Session, *, now: datetime | None = None) -> ForecastOverview:
    """How many gauges are forecast, how well (the backtest at 6 h), and which are expected
    to reach Siaga."""
    now = now or utcnow()
    forecasts = station_forecasts(session, now=now)
    gains = [
        float(h["improvement"])
        for f in forecasts
        if f.model is not None
        for h in f.model.metrics.get("horizons", [])
        if h["hours"] == 6
    ]
    issued = [f.issued_at for f in forecasts if f.issued_at is not None and f.is_current]
    siaga = [
        (f.gauge.name, crossing.at)
        for f in forecasts
        if (crossing := f.crossing(FloodStatus.SIAGA)) is not None
    ]
    return ForecastOverview(
        gauges=len(forecasts),
        current=sum(1 for f in forecasts if f.is_current),
        issued_at=max(issued, default=None),
        six_hour_gain=(min(gains), max(gains)) if gains else None,
        siaga=tuple(sorted(siaga, key=lambda item: item[1])),
    )
