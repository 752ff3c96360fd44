"""The water-level forecast in the console (``/console/analitik/prakiraan``): every gauge's
chart (48 hours observed, 72 hours forecast with the 90% band, the flood levels, the first
predicted crossing), the backtest table against persistence, and a station page with the
hourly forecast and the model. The Technical Team refits every gauge with one POST."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.analytics import access, console
from pontive.analytics.forecast_read import (
    StationForecast,
    gauge_of,
    station_forecast,
    station_forecasts,
)
from pontive.analytics.forecast_service import train
from pontive.analytics.forecast_views import (
    backtest_rows,
    card,
    constituent_rows,
    horizons,
    model_facts,
    point_rows,
)
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody, redirect_ok, text
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
REFIT_PATH = f"{access.FORECAST_PATH}/hitung-ulang"
API = "/api/v1/analytics/forecast"


def _messages(request: Request) -> dict[str, Any]:
    ok = request.query_params.get("ok", "")
    return {"ok": ok if ok in ("refit",) else ""}


def _metrics_table(forecasts: list[StationForecast], lang: str) -> list[dict[str, Any]]:
    """Per gauge, its backtest row of each reported horizon (None where not scored)."""
    rows = []
    for forecast in forecasts:
        by_hours = {row.hours: row for row in backtest_rows(forecast.model, lang)}
        rows.append(
            {
                "name": forecast.gauge.name,
                "url": f"{access.FORECAST_PATH}/{forecast.gauge.datastream_id}",
                "cells": [by_hours.get(hours) for hours in horizons()],
                "six": by_hours.get(6),
                "skipped": forecast.model.metrics.get("skipped") if forecast.model else None,
                "has_model": forecast.model is not None,
            }
        )
    return rows


@router.get(access.FORECAST_PATH, response_class=HTMLResponse)
def forecast_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Every gauge's forecast chart and the backtest table."""
    permissions.require(actor, access.VIEW)
    lang, now = get_lang(request), utcnow()
    forecasts = station_forecasts(session, now=now)
    context = _messages(request) | {
        "cards": [card(f, now=now, lang=lang) for f in forecasts],
        "metrics": _metrics_table(forecasts, lang),
        "horizons": horizons(),
        "can_train": permissions.can(actor, access.TRAIN),
        "refit_path": REFIT_PATH,
        "api_metrics": f"{API}/metrics",
    }
    return console.page(request, actor, "analytics/forecast.html", context)


@router.get(f"{access.FORECAST_PATH}/{{datastream_id}}", response_class=HTMLResponse)
def station_page(
    request: Request, datastream_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """One gauge: its chart, hourly forecast with the interval, backtest and model."""
    permissions.require(actor, access.VIEW)
    lang, now = get_lang(request), utcnow()
    forecast = station_forecast(session, datastream_id, now=now)
    model = forecast.model
    context = _messages(request) | {
        "card": card(forecast, now=now, lang=lang),
        "points": point_rows(forecast, lang),
        "backtest": backtest_rows(model, lang),
        "skipped": model.metrics.get("skipped") if model else None,
        "facts": model_facts(model, lang) if model else [],
        "constituents": constituent_rows(model, lang) if model else [],
        "stream_id": forecast.stream_id,
        "can_train": permissions.can(actor, access.TRAIN),
        "refit_path": REFIT_PATH,
        "api_url": f"{API}/{forecast.gauge.datastream_id}",
        "paths_forecast": access.FORECAST_PATH,
    }
    return console.page(request, actor, "analytics/forecast_station.html", context)


def _chosen_gauge(session: Session, raw: str) -> int | None:
    """The gauge a refit names (``NotFound`` for an unknown one), or None for every gauge."""
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(
            translate("an.fc.err.gauge", "id"),
            translate("an.fc.err.gauge", "en"),
            errors={"datastream_id": [translate("an.fc.err.gauge", "id")]},
        )
    return gauge_of(session, int(raw))


@router.post(REFIT_PATH, dependencies=[CsrfChecked])
def refit(request: Request, session: DbSession, actor: CurrentActor, form: FormBody) -> Response:
    """Refit every gauge (or the one named), store the new versions, issue forecasts."""
    permissions.require(actor, access.TRAIN)
    gauge_id = _chosen_gauge(session, text(form, "datastream_id"))
    train(session, actor=actor, datastream_ids=None if gauge_id is None else [gauge_id])
    back = f"{access.FORECAST_PATH}/{gauge_id}" if gauge_id else access.FORECAST_PATH
    return redirect_ok(back, "refit")
