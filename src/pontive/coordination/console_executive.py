"""The executive view (``/console/eksekutif``) for the mayor and the council: today's
situation, this week's trends and the agencies' performance, each figure leading to the items
behind it.

Read-only: the page has no form, and the figures come from ``executive.read_executive``. The
week's charts are drawn here as SVG geometry (no chart library, nothing from the internet),
each with a table of the same numbers for screen readers and print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from pontive.alerts.choices import OperatingMode
from pontive.alerts.console_support import CONSOLE as ALERTS_CONSOLE
from pontive.complaints.page_support import CONSOLE as COMPLAINTS_CONSOLE
from pontive.complaints.service import URGENCY_ORDER
from pontive.coordination import executive
from pontive.coordination.console_support import CONSOLE, EXECUTIVE, page
from pontive.coordination.executive import AgencyPerformance, ExecutiveView
from pontive.core.timeutil import WIB
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

WORST_SHOWN = 6  # open incidents listed by name; the rest are counted
# Where each urgency of open reports leads in the complaints queue.
URGENCY_QUEUE = {
    "lewat_tenggat": {"overdue": "1", "sort": "due"},
    "jatuh_tempo": {"sort": "due"},
    "dalam_tenggat": {"sort": "due"},
    "belum_diverifikasi": {"status": "diterima"},
}
GOOD_RATE, FAIR_RATE = 0.9, 0.7  # SLA and task rates: green from 90 %, amber from 70 %

# The chart's drawing box (SVG user units; the figure scales with the page).
WIDTH, HEIGHT = 560, 232
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 16, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: its box and the number it stands for."""

    x: float
    y: float
    width: float
    height: float
    value: int
    series: int  # 0 or 1: which of the chart's two series


@dataclass(frozen=True, slots=True)
class Tick:
    """A horizontal grid line of a chart with its value."""

    y: float
    value: int


@dataclass(frozen=True, slots=True)
class DayLabel:
    """A day's label under its pair of bars."""

    x: float
    weekday: str
    day: int
    is_today: bool


@dataclass(frozen=True, slots=True)
class Chart:
    """A two-series bar chart of the week, ready to draw."""

    key: str  # reports, incidents
    bars: list[Bar]
    ticks: list[Tick]
    days: list[DayLabel]
    totals: tuple[int, int]
    rows: list[tuple[str, int, int]]  # the table alternative: (day as written, a, b)

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    base: int = TOP + PLOT_H


def _nice_top(highest: int) -> tuple[int, int]:
    """A round top for the value axis and its step (four steps at most)."""
    if highest <= 4:
        return 4, 1
    rough = highest / 4
    magnitude = 10 ** (len(str(int(rough))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return step * ceil(highest / step), step


def week_chart(key: str, series: list[tuple[date, int, int]], lang: str, today: date) -> Chart:
    """Grouped bars (two a day) for ``series`` of ``(day, first, second)``."""
    highest = max((max(a, b) for _d, a, b in series), default=0)
    top, step = _nice_top(highest)
    group = PLOT_W / max(len(series), 1)
    width = group * 0.3
    bars: list[Bar] = []
    days: list[DayLabel] = []
    for index, (day, *values) in enumerate(series):
        middle = LEFT + group * (index + 0.5)
        for number, value in enumerate(values):
            height = PLOT_H * value / top
            x = middle - width - 1.5 if number == 0 else middle + 1.5
            top_y = TOP + PLOT_H - height
            bars.append(
                Bar(round(x, 1), round(top_y, 1), round(width, 1), round(height, 1), value, number)
            )
        weekday = translate(f"coord.exec.wd.{day.weekday()}", lang)
        days.append(DayLabel(round(middle, 1), weekday, day.day, day == today))
    ticks = [
        Tick(round(TOP + PLOT_H - PLOT_H * value / top, 1), value)
        for value in range(0, top + 1, step)
    ]
    totals = (sum(a for _d, a, _b in series), sum(b for _d, _a, b in series))
    rows = [
        (f"{label.weekday} {day.strftime('%d-%m-%Y')}", a, b)
        for label, (day, a, b) in zip(days, series, strict=True)
    ]
    return Chart(key, bars, ticks, days, totals, rows)


def rate_class(rate: float | None) -> str:
    """How a share reads at a glance: good, fair, poor, or none when there is too little."""
    if rate is None:
        return "none"
    if rate >= GOOD_RATE:
        return "good"
    return "fair" if rate >= FAIR_RATE else "poor"


def percent(rate: float | None) -> str:
    """A share as a whole percentage (PUEBI and English alike: ``67%``), or an em dash when
    there is too little to say."""
    return "—" if rate is None else f"{round(rate * 100)}%"


def _queue_link(**params: str) -> str:
    return f"{COMPLAINTS_CONSOLE}?{urlencode(params)}" if params else COMPLAINTS_CONSOLE


def agency_links(agency: AgencyPerformance) -> dict[str, str]:
    """Where an agency's row leads: its tasks and its reports in the queues."""
    return {
        "tasks": f"{CONSOLE}/tugas?{urlencode({'pd': agency.pd_kode})}",
        "reports": _queue_link(pd=agency.pd_kode),
    }


def _context(view: ExecutiveView, lang: str) -> dict[str, Any]:
    today = view.at.astimezone(WIB).date()
    reports = [(d.day, d.reports_received, d.reports_fixed) for d in view.week]
    incidents = [(d.day, d.incidents_opened, d.incidents_closed) for d in view.week]
    status = view.situation.status
    return {
        "view": view,
        "mode": status.mode,
        "scopes": [
            (k.name, k.mode) for k in view.situation.kecamatan if k.mode is not OperatingMode.NORMAL
        ],
        "severity_counts": executive.severity_counts(view.incidents),
        "worst": view.incidents[:WORST_SHOWN],
        "more_incidents": max(0, len(view.incidents) - WORST_SHOWN),
        "urgency": [
            (
                key,
                translate(f"coord.exec.urgency.{key}", lang),
                view.reports_by_urgency.get(key, 0),
                _queue_link(**URGENCY_QUEUE[key]),
            )
            for key in URGENCY_ORDER
        ],
        "reports_open": sum(view.reports_by_urgency.values()),
        "urgency_max": max([1, *view.reports_by_urgency.values()]),
        "charts": [
            week_chart("reports", reports, lang, today),
            week_chart("incidents", incidents, lang, today),
        ],
        "agencies": [(a, agency_links(a)) for a in view.agencies],
        "rate_class": rate_class,
        "percent": percent,
        "alerts_console": ALERTS_CONSOLE,
        "complaints_console": COMPLAINTS_CONSOLE,
        "incidents_console": CONSOLE,
        "week_first": view.week[0].day if view.week else None,
        "week_last": view.week[-1].day if view.week else None,
    }


@router.get(EXECUTIVE, response_class=HTMLResponse)
def executive_view(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Today's situation, this week's trends and the agencies' performance (read-only)."""
    view = executive.read_executive(session, actor=actor)
    context = _context(view, get_lang(request))
    return page(request, actor, "coordination/executive.html", context)
