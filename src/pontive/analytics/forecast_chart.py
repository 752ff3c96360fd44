"""A gauge's forecast drawn on the server as SVG: the last 48 hours observed, the 72-hour
forecast with its 90% band, the Waspada/Siaga/Awas lines, "now", and the first predicted
crossing of each level. WIB time ticks.

Drawn twice, on a narrow canvas for phones and a wide one for larger screens (the
stylesheet shows one), so labels keep a readable size. No script; colours come from CSS
classes (the Content Security Policy forbids inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from markupsafe import Markup

from pontive.analytics.forecast_read import LEVELS, StationForecast
from pontive.core.timeutil import WIB
from pontive.sensors.choices import FloodStatus
from pontive.sensors.page_svg import DAY_NAMES
from pontive.web.i18n import translate


@dataclass(frozen=True, slots=True)
class Canvas:
    """A drawing size: user units, margins, hours between time labels."""

    name: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    label_hours: int


LABEL_GAP = 14.0  # level labels closer than this (user units) would overlap
NARROW = Canvas("narrow", 420, 270, 46, 10, 14, 34, 24)
WIDE = Canvas("wide", 860, 300, 56, 14, 16, 36, 12)


@dataclass(frozen=True, slots=True)
class Frame:
    """Time and value to canvas coordinates."""

    canvas: Canvas
    start: float
    end: float
    low: float
    high: float

    def x(self, when: datetime) -> float:
        """The x of an instant."""
        share = (when.timestamp() - self.start) / (self.end - self.start)
        return self.canvas.left + share * (self.canvas.width - self.canvas.left - self.canvas.right)

    def y(self, value: float) -> float:
        """The y of a value."""
        plot = self.canvas.height - self.canvas.top - self.canvas.bottom
        return self.canvas.top + (self.high - value) / (self.high - self.low) * plot


def _number(value: float, lang: str, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _step(span: float) -> float:
    raw = span / 5.0 if span > 0 else 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))


def _range(forecast: StationForecast) -> tuple[float, float, float]:
    values = [v for _at, v in forecast.observed] + [p.value for p in forecast.points]
    values += [b for p in forecast.points for b in (p.lower, p.upper) if b is not None]
    levels = [forecast.gauge.level(s) for s in LEVELS]
    low, high = min(values), max(values)
    reach = high + 0.5 * max(high - low, 1e-9)
    high = max([high] + [level for level in levels if level is not None and level <= reach])
    step = _step(high - low if high > low else abs(high) or 1.0)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    return low, (high if high > low else low + step), step


def _text(css: str, x: float, y: float, anchor: str, label: str) -> str:
    return (
        f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(label)}</text>'
    )


def _axes(frame: Frame, step: float, lang: str) -> str:
    canvas, parts = frame.canvas, []
    digits = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    value = frame.low
    while value <= frame.high + step / 1000:
        y = frame.y(value)
        parts.append(
            f'<line class="fc-grid" x1="{canvas.left}" x2="{canvas.width - canvas.right}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(_text("fc-tick", canvas.left - 6, y + 4, "end", _number(value, lang, digits)))
        value += step
    names = DAY_NAMES["en" if lang == "en" else "id"]
    local = datetime.fromtimestamp(frame.start, WIB).replace(minute=0, second=0, microsecond=0)
    when = local + timedelta(hours=(-local.hour) % canvas.label_hours)
    bottom = canvas.height - canvas.bottom
    while when.timestamp() < frame.end:
        x = frame.x(when)
        parts.append(
            f'<line class="fc-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{canvas.top}" y2="{bottom}"/>'
        )
        label = f"{names[when.weekday()]} {when.day}" if when.hour == 0 else when.strftime("%H:%M")
        parts.append(_text("fc-tick", x, canvas.height - 12, "middle", label))
        when += timedelta(hours=canvas.label_hours)
    return "".join(parts)


def _path(frame: Frame, points: Sequence[tuple[datetime, float]]) -> str:
    return " L".join(f"{frame.x(at):.1f},{frame.y(value):.1f}" for at, value in points)


def _band(frame: Frame, forecast: StationForecast) -> str:
    bounded = [p for p in forecast.points if p.lower is not None and p.upper is not None]
    if len(bounded) < 2:
        return ""
    upper = _path(frame, [(p.at, p.upper or p.value) for p in bounded])
    lower = _path(frame, [(p.at, p.lower or p.value) for p in reversed(bounded)])
    return f'<path class="fc-band" d="M{upper} L{lower} Z"/>'


def _lines(frame: Frame, forecast: StationForecast) -> str:
    parts = []
    if len(forecast.observed) > 1:
        parts.append(f'<path class="fc-observed" d="M{_path(frame, forecast.observed)}"/>')
    if len(forecast.points) > 1:
        line = [(p.at, p.value) for p in forecast.points]
        parts.append(f'<path class="fc-forecast" d="M{_path(frame, line)}"/>')
    return "".join(parts)


def _levels(frame: Frame, forecast: StationForecast, lang: str) -> str:
    """The three levels as dashed lines; their labels Siaga first (the alert level), the
    others where they do not crowd a label already written (the key names every line)."""
    canvas = frame.canvas
    lines: list[str] = []
    labels: list[str] = []
    placed: list[float] = []
    for status in (FloodStatus.SIAGA, FloodStatus.AWAS, FloodStatus.WASPADA):
        level = forecast.gauge.level(status)
        if level is None or not frame.low <= level <= frame.high:
            continue
        y = frame.y(level)
        lines.append(
            f'<line class="fc-th fc-th-{status.value}" x1="{canvas.left}" '
            f'x2="{canvas.width - canvas.right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        if all(abs(y - other) >= LABEL_GAP for other in placed):
            placed.append(y)
            css = f"fc-th-label fc-th-{status.value}"
            labels.append(_text(css, canvas.left + 6, y - 4, "start", status.label(lang)))
    return "".join(lines + labels)


def _now(frame: Frame, now: datetime, lang: str) -> str:
    canvas = frame.canvas
    x = frame.x(now)
    bottom = canvas.height - canvas.bottom
    return (
        f'<line class="fc-now" x1="{x:.1f}" x2="{x:.1f}" y1="{canvas.top}" y2="{bottom}"/>'
        + _text("fc-now-label", x + 4, canvas.top + 11, "start", translate("an.fc.chart.now", lang))
    )


def _crossings(frame: Frame, forecast: StationForecast) -> str:
    parts = []
    for crossing in forecast.crossings:
        x, y = frame.x(crossing.at), frame.y(crossing.value)
        parts.append(
            f'<circle class="fc-cross fc-cross-{crossing.status.value}" cx="{x:.1f}" '
            f'cy="{y:.1f}" r="5.5"/>'
        )
    return "".join(parts)


def _svg(forecast: StationForecast, canvas: Canvas, now: datetime, lang: str, chart_id: str) -> str:
    times = [at for at, _v in forecast.observed] + [p.at for p in forecast.points] + [now]
    start = min(min(times), now - timedelta(hours=48)).timestamp()
    end = max(max(times), now + timedelta(hours=24)).timestamp()
    low, high, step = _range(forecast)
    frame = Frame(canvas, start, end, low, high)
    body = _axes(frame, step, lang) + _band(frame, forecast) + _levels(frame, forecast, lang)
    body += _lines(frame, forecast) + _now(frame, now, lang) + _crossings(frame, forecast)
    return (
        f'<svg class="fc-chart fc-chart-{canvas.name}" viewBox="0 0 {canvas.width} '
        f'{canvas.height}" width="100%" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" focusable="false">{body}</svg>'
    )


def render_chart(forecast: StationForecast, *, now: datetime, lang: str, chart_id: str) -> Markup:
    """The narrow and the wide drawing of one gauge's chart (labelled by ``<chart_id>-title``
    and ``<chart_id>-desc``, which the page writes), or nothing without data."""
    if not forecast.observed and not forecast.points:
        return Markup("")
    drawings = [_svg(forecast, c, now, lang, chart_id) for c in (NARROW, WIDE)]
    return Markup("".join(drawings))  # noqa: S704 - every text in them is a number or escaped


def crossing_status(forecast: StationForecast) -> FloodStatus | None:
    """The highest level the forecast reaches (for the card's badge)."""
    reached = [c.status for c in forecast.crossings]
    return max(reached, key=LEVELS.index) if reached else None
