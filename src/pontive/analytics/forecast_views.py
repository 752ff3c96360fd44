"""What the forecast pages show, formatted once: numbers as the reader writes them, times in
WIB, each gauge's card and backtest rows, a model's facts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from pontive.analytics.access import FORECAST_PATH
from pontive.analytics.forecast_backtest import REPORTED_HORIZONS
from pontive.analytics.forecast_chart import crossing_status, render_chart
from pontive.analytics.forecast_models import ForecastModel
from pontive.analytics.forecast_read import LEVELS, Crossing, StationForecast
from pontive.core.timeutil import format_local
from pontive.sensors.choices import FloodStatus
from pontive.web.i18n import translate

_DIGITS = {"m": 2, "cm": 1, "mm": 0}


def number(value: float | None, lang: str, digits: int = 1) -> str:
    """``2,35`` in Indonesian, ``2.35`` in English; ``-`` for nothing."""
    if value is None or not math.isfinite(value):
        return "-"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def level_text(value: float | None, unit: str, lang: str, *, extra: int = 0) -> str:
    """A level in its unit with the digits that unit deserves (``extra`` more)."""
    return f"{number(value, lang, _DIGITS.get(unit, 2) + extra)} {unit}".strip()


def when(value: datetime | None) -> str:
    """An instant in WIB."""
    return format_local(value)


@dataclass(frozen=True, slots=True)
class HorizonRow:
    """One horizon of a backtest, formatted."""

    hours: int
    mae: str
    persistence: str
    improvement: str
    coverage: str
    count: int
    is_better: bool


def backtest_rows(model: ForecastModel | None, lang: str) -> list[HorizonRow]:
    """The stored backtest of a model, one row per reported horizon."""
    if model is None:
        return []
    unit = model.unit
    rows = []
    for item in model.metrics.get("horizons", []):
        coverage = item.get("coverage")
        rows.append(
            HorizonRow(
                hours=int(item["hours"]),
                mae=level_text(item["mae"], unit, lang),
                persistence=level_text(item["persistence_mae"], unit, lang),
                improvement=f"{number(item['improvement'], lang, 0)}%",
                coverage="-" if coverage is None else f"{number(100 * coverage, lang, 0)}%",
                count=int(item["count"]),
                is_better=float(item["improvement"]) > 0,
            )
        )
    return rows


def horizon_score(model: ForecastModel | None, hours: int) -> dict[str, Any] | None:
    """The stored backtest score at one horizon, if any."""
    if model is None:
        return None
    return next((h for h in model.metrics.get("horizons", []) if h["hours"] == hours), None)


def crossing_text(crossing: Crossing | None, unit: str, lang: str) -> str:
    """ "Siaga around 12-12-2026 09:30 WIB (291.2 cm)", or that none is forecast."""
    if crossing is None:
        return translate("an.fc.no_crossing", lang)
    return translate(
        "an.fc.crossing",
        lang,
        level=crossing.status.label(lang),
        time=when(crossing.at),
        value=level_text(crossing.value, unit, lang),
    )


def card(forecast: StationForecast, *, now: datetime, lang: str) -> dict[str, Any]:
    """A gauge's card on the forecast page."""
    gauge, model = forecast.gauge, forecast.model
    chart_id = f"fc-{gauge.datastream_id}"
    six = horizon_score(model, 6)
    reached = crossing_status(forecast)
    siaga = forecast.crossing(FloodStatus.SIAGA)
    return {
        "id": gauge.datastream_id,
        "name": gauge.name,
        "url": f"{FORECAST_PATH}/{gauge.datastream_id}",
        "chart_id": chart_id,
        "chart": render_chart(forecast, now=now, lang=lang, chart_id=chart_id),
        "chart_desc": chart_description(forecast, lang),
        "reached": reached,
        "crossings": [(c.status, crossing_text(c, gauge.unit, lang)) for c in forecast.crossings],
        "siaga_text": crossing_text(siaga, gauge.unit, lang) if forecast.is_current else "",
        "issued": when(forecast.issued_at) if forecast.issued_at else "",
        "is_current": forecast.is_current,
        "has_levels": any(gauge.level(s) is not None for s in LEVELS),
        "version": model.version if model else None,
        "fitted": when(model.fitted_at) if model else "",
        "six": None
        if six is None
        else {
            "mae": level_text(six["mae"], gauge.unit, lang),
            "persistence": level_text(six["persistence_mae"], gauge.unit, lang),
            "improvement": f"{number(six['improvement'], lang, 0)}%",
        },
        "last_seen": when(gauge.last_at),
    }


def chart_description(forecast: StationForecast, lang: str) -> str:
    """What the chart shows, in words (its ``<desc>`` for screen readers)."""
    gauge = forecast.gauge
    latest = forecast.observed[-1][1] if forecast.observed else None
    peak = max(forecast.points, key=lambda p: p.value) if forecast.points else None
    return translate(
        "an.fc.chart.desc",
        lang,
        latest=level_text(latest, gauge.unit, lang),
        peak=level_text(peak.value if peak else None, gauge.unit, lang),
        peak_time=when(peak.at) if peak else "-",
        crossing=crossing_text(forecast.first_crossing, gauge.unit, lang),
    )


def point_rows(forecast: StationForecast, lang: str) -> list[dict[str, Any]]:
    """The forecast hours as table rows: time, value, interval, the level reached."""
    gauge = forecast.gauge
    rows = []
    for point in forecast.points:
        reached = [s for s in LEVELS if (lv := gauge.level(s)) is not None and point.value >= lv]
        rows.append(
            {
                "time": when(point.at),
                "value": level_text(point.value, gauge.unit, lang),
                "lower": level_text(point.lower, gauge.unit, lang),
                "upper": level_text(point.upper, gauge.unit, lang),
                "status": reached[-1] if reached else None,
            }
        )
    return rows


def model_facts(model: ForecastModel, lang: str) -> list[tuple[str, str]]:
    """A model's facts for the station page."""
    rain = model.rain.get("coefficients", [])
    windows = model.rain.get("windows", [])
    digits = _DIGITS.get(model.unit, 2) + 2
    rain_text = ", ".join(
        f"{a}-{b} h: {number(c, lang, digits)}" for (a, b), c in zip(windows, rain, strict=False)
    )
    quantile_source = translate(f"an.fc.quantiles.{model.quantiles.get('source', 'ar1')}", lang)
    inferred = ", ".join(f"{i['name']} ← {i['reference']}" for i in model.inferred)
    return [
        (translate("an.fc.fact.version", lang), str(model.version)),
        (translate("an.fc.fact.method", lang), model.method),
        (translate("an.fc.fact.fitted", lang), when(model.fitted_at)),
        (
            translate("an.fc.fact.record", lang),
            f"{when(model.record_start)} - {when(model.record_end)}",
        ),
        (translate("an.fc.fact.samples", lang), str(model.samples)),
        (translate("an.fc.fact.mean", lang), level_text(model.mean_level, model.unit, lang)),
        (translate("an.fc.fact.inferred", lang), inferred or "-"),
        (
            translate("an.fc.fact.rain", lang, unit=model.unit),
            rain_text or translate("an.fc.fact.no_rain", lang),
        ),
        (translate("an.fc.fact.phi", lang), number(model.ar_phi, lang, 3)),
        (translate("an.fc.fact.quantiles", lang), quantile_source),
    ]


def constituent_rows(model: ForecastModel, lang: str) -> list[tuple[str, str, str]]:
    """Constituent, amplitude (in the gauge's unit), phase (degrees)."""
    return [
        (
            c["name"],
            level_text(float(c["amplitude"]), model.unit, lang, extra=1),
            f"{number(float(c['phase']), lang, 1)}°",
        )
        for c in model.constituents
    ]


def status_badge(status: FloodStatus | None, lang: str) -> Markup:
    """A coloured badge naming the highest level reached."""
    if status is None:
        return Markup("")
    label = translate("an.fc.reaches", lang, level=status.label(lang))
    return Markup('<span class="fc-badge fc-badge-{}">{}</span>').format(status.value, label)


def horizons() -> tuple[int, ...]:
    """The horizons the backtest reports."""
    return REPORTED_HORIZONS
