"""One station's page: its status explained, its latest readings and its charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy.orm import Session

from pontive.core.timeutil import format_local, to_local
from pontive.sensors import flood
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.page_format import digits_for, format_level, format_number, format_reading
from pontive.sensors.page_marks import gap_periods
from pontive.sensors.page_series import Series, Span, download_url, load_series
from pontive.sensors.page_status import headline, status_of
from pontive.sensors.page_svg import GAP_FACTOR, points_json, render_chart, thresholds_in_unit
from pontive.sensors.page_views import Station, StreamView
from pontive.web.i18n import translate

# Charts in this order: the index first, then the ISPU pollutants, then everything else.
_ORDER = [
    Quantity.WATER_LEVEL,
    Quantity.RAINFALL,
    Quantity.ISPU,
    Quantity.PM25,
    *(q for q in ISPU_POLLUTANTS if q is not Quantity.PM25),
]


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart and what its caption, read-out and download need."""

    id: str
    stream: StreamView
    title: str
    unit: str
    svg: Markup | None
    points: str
    summary: str
    download: str
    digits: int
    is_total: bool
    levels: tuple[tuple[str, str], ...] = ()  # (status, "Waspada ≥ 270 cm") under the chart
    flagged: int = 0  # readings marked by the data-quality checks (a key under the chart)
    has_gaps: bool = False  # shaded periods without data (a key under the chart)


def _label(stream: StreamView, lang: str) -> str:
    return stream.quantity.label(lang) if stream.quantity is not None else stream.name


def chart_streams(station: Station) -> list[StreamView]:
    """The streams worth a chart: numbers the station measures, and its ISPU."""
    streams = [s for s in station.streams if s.is_numeric_source]
    return sorted(
        streams, key=lambda s: (_ORDER.index(s.quantity) if s.quantity in _ORDER else 99, s.id)
    )


def _summary(series: Series, lang: str, zone: ZoneInfo) -> str:
    if not series.points:
        return translate("sensors.pub.chart.empty", lang)
    unit = series.stream.unit if series.stream.unit != "ISPU" else ""
    if series.is_total:
        total = format_number(sum(p.value for p in series.points), lang, 1)
        return translate("sensors.pub.chart.total", lang, total=total, unit=unit)
    values = [p.value for p in series.points]
    return translate(
        "sensors.pub.chart.summary",
        lang,
        low=format_reading(min(values), unit, lang, series.stream.quantity),
        high=format_reading(max(values), unit, lang, series.stream.quantity),
        last=format_reading(values[-1], unit, lang, series.stream.quantity),
        time=format_local(series.points[-1].start, zone),
    )


def _levels(
    limits: flood.Thresholds | None, stream: StreamView, lang: str
) -> tuple[tuple[str, str], ...]:
    unit, quantity = stream.unit, stream.quantity
    return tuple(
        (status.value, f"{status.label(lang)} ≥ {format_level(v, unit, lang, quantity)}")
        for status, v in thresholds_in_unit(limits, unit)
    )


def _chart(series: Series, limits: flood.Thresholds | None, *, lang: str, zone: ZoneInfo) -> Chart:
    stream = series.stream
    chart_id = f"chart-{stream.id}"
    colour = stream.quantity.meta.colour if stream.quantity else "#1577a0"
    svg = (
        render_chart(series, chart_id=chart_id, colour=colour, lang=lang, zone=zone, limits=limits)
        if series.points
        else None
    )
    return Chart(
        id=chart_id,
        stream=stream,
        title=_label(stream, lang),
        unit=stream.unit if stream.unit != "ISPU" else "",
        svg=svg,
        points=points_json(series),
        summary=_summary(series, lang, zone),
        download=download_url(stream.id, series),
        digits=digits_for(stream.quantity, stream.unit),
        is_total=series.is_total,
        levels=_levels(limits, stream, lang),
        flagged=len(series.flagged),
        has_gaps=bool(series.points and gap_periods(series, gap_factor=GAP_FACTOR)),
    )


def build_charts(
    session: Session, station: Station, span: Span, *, now: datetime, lang: str, zone: ZoneInfo
) -> list[Chart]:
    """Every chart of ``station`` over ``span`` (thresholds drawn on the water level's)."""
    limits = station.flood.thresholds if station.flood else None
    return [
        _chart(
            load_series(session, stream, span, now=now),
            limits if stream.quantity is Quantity.WATER_LEVEL else None,
            lang=lang,
            zone=zone,
        )
        for stream in chart_streams(station)
    ]


def readings_table(station: Station, lang: str, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The latest value of every stream (flood status and ISPU words included)."""
    rows = []
    for stream in sorted(
        station.streams,
        key=lambda s: (_ORDER.index(s.quantity) if s.quantity in _ORDER else 99, s.id),
    ):
        value = stream.value
        if stream.quantity is Quantity.FLOOD_STATUS and isinstance(value, str):
            shown = translate(f"sensors.pub.flood.{value}", lang) if value else "-"
        else:
            shown = format_reading(value, stream.unit, lang, stream.quantity)
        rows.append(
            {
                "label": _label(stream, lang),
                "name": stream.name,
                "value": shown,
                "at": to_local(stream.at, zone).strftime("%d-%m %H:%M") if stream.at else "-",
                "is_derived": stream.quantity in (Quantity.ISPU, Quantity.FLOOD_STATUS),
            }
        )
    return rows


def station_context(
    session: Session, station: Station, span: Span, *, now: datetime, lang: str, zone: ZoneInfo
) -> dict[str, Any]:
    """Everything the station page template needs."""
    limits = station.flood.thresholds if station.flood else None
    level = station.stream(Quantity.WATER_LEVEL)
    unit = level.unit if level else ""
    return {
        "station": station,
        "status": status_of(station, lang),
        "headline": headline(station, lang),
        "span": span,
        "spans": list(Span),
        "charts": build_charts(session, station, span, now=now, lang=lang, zone=zone),
        "readings": readings_table(station, lang, zone),
        "levels": [
            (status, format_level(value, unit, lang, Quantity.WATER_LEVEL))
            for status, value in thresholds_in_unit(limits, unit)
        ],
        "datum": limits.datum if limits else None,
    }
