"""Charts drawn on the server as SVG: a line of readings (with the min-max band of each bucket)
or bars of rain, WIB time ticks, and the flood thresholds as dashed lines.

No chart library and no script is needed to see a chart; ``sensors-chart.js`` only adds the
hover and keyboard read-out, from the points carried in ``data-points``. SVG text scales with
its picture, so each chart is drawn twice, on a narrow canvas for phones and a wide one for
larger screens, and the stylesheet shows one: labels stay about 11-13 px everywhere. Colours
come from attributes and CSS classes (the Content Security Policy forbids inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from itertools import pairwise
from zoneinfo import ZoneInfo

import orjson
from markupsafe import Markup

from pontive.sensors import flood
from pontive.sensors.choices import FloodStatus, IspuCategory, Quantity
from pontive.sensors.page_format import digits_for, format_number
from pontive.sensors.page_marks import flag_marks, no_data
from pontive.sensors.page_series import Point, Series, Span

# Quantities whose axis follows the data; every other one starts at zero.
FLOATING = frozenset({Quantity.WATER_LEVEL, Quantity.TEMPERATURE, Quantity.HUMIDITY})
GAP_FACTOR = 3.5  # a pause longer than this many usual steps breaks the line
LABEL_GAP = 13.0  # threshold labels closer than this (user units) would overlap
DAY_NAMES = {  # short weekday names, Monday first
    "id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


@dataclass(frozen=True, slots=True)
class Canvas:
    """A drawing size: the SVG's user units, its margins and how dense its time ticks are."""

    name: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    hours_per_tick: int  # over a day
    days_per_tick_month: int

    @property
    def plot_w(self) -> int:
        """Width of the plotting area."""
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        """Height of the plotting area."""
        return self.height - self.top - self.bottom


# Phones draw the narrow canvas about 300 px wide (scale ~0.75), tablets and desktops the
# wide one 600-750 px wide (scale ~0.9): 14 and 13 user-unit text read at 10-12 px.
NARROW = Canvas("narrow", 400, 250, 44, 8, 12, 32, 6, 7)
WIDE = Canvas("wide", 760, 260, 52, 12, 14, 34, 3, 5)


@dataclass(frozen=True, slots=True)
class Frame:
    """Maps time and value to a canvas's coordinates."""

    canvas: Canvas
    start: float
    end: float
    low: float
    high: float

    def x(self, when: datetime) -> float:
        """The x of an instant."""
        share = (when.timestamp() - self.start) / (self.end - self.start)
        return self.canvas.left + share * self.canvas.plot_w

    def y(self, value: float) -> float:
        """The y of a value."""
        share = (self.high - value) / (self.high - self.low)
        return self.canvas.top + share * self.canvas.plot_h


def nice_step(span: float) -> float:
    """A round tick step giving about four to six ticks over ``span``."""
    raw = span / 4.0 if span > 0 else 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))


def thresholds_in_unit(
    limits: flood.Thresholds | None, unit: str
) -> list[tuple[FloodStatus, float]]:
    """The three levels converted from their datum's unit to the stream's unit."""
    if limits is None:
        return []
    factor = flood.length_factor(unit, limits.datum)
    if not factor:
        return []
    return [
        (FloodStatus.WASPADA, limits.waspada / factor),
        (FloodStatus.SIAGA, limits.siaga / factor),
        (FloodStatus.AWAS, limits.awas / factor),
    ]


def value_range(
    series: Series, levels: Sequence[tuple[FloodStatus, float]]
) -> tuple[float, float, float]:
    """(low, high, step): round bounds holding the data and the thresholds near it."""
    values = [p.value for p in series.points]
    if not series.is_total:
        values += [v for p in series.points for v in (p.low, p.high) if v is not None]
    low, high = min(values), max(values)
    if series.stream.quantity not in FLOATING:  # amounts and concentrations: from zero
        low = min(0.0, low)
    if series.stream.quantity is Quantity.ISPU:  # at least the Baik and Sedang bands
        high = max(high, 100.0)
    reach = high + 0.6 * max(high - low, 1e-9)
    high = max([high] + [level for _, level in levels if level <= reach])
    step = nice_step(high - low if high > low else abs(high) or 1.0)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    return low, (high if high > low else low + step), step


def _time_ticks(
    series: Series, canvas: Canvas, zone: ZoneInfo, lang: str
) -> list[tuple[datetime, str]]:
    local_start = series.start.astimezone(zone)
    if series.span is Span.DAY:  # whole hours on the WIB clock
        first = local_start.replace(minute=0, second=0, microsecond=0)
        while first < local_start or first.hour % canvas.hours_per_tick:
            first += timedelta(hours=1)
        step = timedelta(hours=canvas.hours_per_tick)
    else:  # WIB midnights: every day for a week, every few days for a month
        first = local_start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        every = 1 if series.span is Span.WEEK else canvas.days_per_tick_month
        step = timedelta(days=every)
    names = DAY_NAMES["en" if lang == "en" else "id"]
    ticks, when = [], first
    while when < series.end:
        if series.span is Span.DAY:
            text = when.strftime("%H:%M")
        elif series.span is Span.WEEK:
            text = f"{names[when.weekday()]} {when.day}"
        else:
            text = when.strftime("%d/%m")
        ticks.append((when, text))
        when += step
    return ticks


def _segments(points: Sequence[Point]) -> list[list[Point]]:
    if len(points) < 2:
        return [list(points)]
    steps = sorted((b.start - a.start).total_seconds() for a, b in pairwise(points))
    usual = steps[len(steps) // 2] or 1.0
    segments, current = [], [points[0]]
    for before, point in pairwise(points):
        if (point.start - before.start).total_seconds() > GAP_FACTOR * usual:
            segments.append(current)
            current = []
        current.append(point)
    segments.append(current)
    return segments


def _xy(frame: Frame, when: datetime, value: float) -> str:
    return f"{frame.x(when):.1f},{frame.y(value):.1f}"


def _dot(frame: Frame, point: Point, colour: str, radius: float, css: str = "") -> str:
    css_class = f' class="{css}"' if css else ""
    return (
        f'<circle{css_class} cx="{frame.x(point.start):.1f}" cy="{frame.y(point.value):.1f}" '
        f'r="{radius}" fill="{colour}"/>'
    )


def _band(frame: Frame, segment: Sequence[Point], colour: str) -> str:
    upper = " L".join(_xy(frame, p.start, p.value if p.high is None else p.high) for p in segment)
    lower = " L".join(
        _xy(frame, p.start, p.value if p.low is None else p.low) for p in reversed(segment)
    )
    return f'<path class="band" d="M{upper} L{lower} Z" fill="{colour}"/>'


def _line(frame: Frame, series: Series, colour: str) -> str:
    parts = []
    for segment in _segments(series.points):
        if len(segment) == 1:
            parts.append(_dot(frame, segment[0], colour, 2.5))
            continue
        if series.source != "raw":  # buckets: their min-max band under the mean
            parts.append(_band(frame, segment, colour))
        coords = " L".join(_xy(frame, p.start, p.value) for p in segment)
        parts.append(f'<path class="line" d="M{coords}" stroke="{colour}"/>')
    parts.append(_dot(frame, series.points[-1], colour, 4, "last"))
    return "".join(parts)


def _bars(frame: Frame, series: Series, colour: str) -> str:
    seconds = {"15m": 900, "1h": 3600, "1d": 86_400}.get(series.source, 3600)
    width = max(1.0, seconds / (frame.end - frame.start) * frame.canvas.plot_w - 1.0)
    base = frame.y(0.0)
    bars = []
    for p in series.points:
        if p.value <= 0:
            continue
        top = frame.y(p.value)
        bars.append(
            f'<rect x="{frame.x(p.start):.1f}" y="{top:.1f}" width="{width:.1f}" '
            f'height="{max(0.0, base - top):.1f}" fill="{colour}"/>'
        )
    return "".join(bars)


def _hline(frame: Frame, css: str, y: float) -> str:
    canvas = frame.canvas
    right = canvas.width - canvas.right
    return f'<line class="{css}" x1="{canvas.left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>'


def _text(css: str, x: float, y: float, anchor: str, label: str) -> str:
    return (
        f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(label)}</text>'
    )


def _axes(
    frame: Frame, step: float, ticks: list[tuple[datetime, str]], digits: int, lang: str
) -> str:
    canvas, parts = frame.canvas, []
    value = frame.low
    while value <= frame.high + step / 1000:
        y = frame.y(value)
        parts.append(_hline(frame, "grid", y))
        label = format_number(value, lang, digits)
        parts.append(_text("tick", canvas.left - 6, y + 4, "end", label))
        value += step
    bottom = canvas.top + canvas.plot_h
    for when, label in ticks:
        x = frame.x(when)
        parts.append(
            f'<line class="grid grid-v" x1="{x:.1f}" x2="{x:.1f}" y1="{canvas.top}" y2="{bottom}"/>'
        )
        parts.append(_text("tick", x, canvas.height - 11, "middle", label))
    return "".join(parts)


def _threshold_lines(
    frame: Frame, levels: Sequence[tuple[FloodStatus, float]], lang: str, digits: int
) -> str:
    parts: list[str] = []
    last_label: float | None = None
    for status, level in sorted(levels, key=lambda item: -item[1]):  # top label first
        if not frame.low <= level <= frame.high:
            continue
        y = frame.y(level)
        parts.append(_hline(frame, f"th th-{status.value}", y))
        if last_label is not None and y - last_label < LABEL_GAP:
            continue  # too close to the label above: the key under the chart names it
        places = 0 if float(level).is_integer() else digits
        label = f"{status.label(lang)} {format_number(level, lang, places)}"
        x = frame.canvas.width - frame.canvas.right - 4
        parts.append(_text(f"th-label th-{status.value}", x, y - 4, "end", label))
        last_label = y
    return "".join(parts)


_ISPU_BANDS = (
    (IspuCategory.BAIK, 0.0, 50.0),
    (IspuCategory.SEDANG, 50.0, 100.0),
    (IspuCategory.TIDAK_SEHAT, 100.0, 200.0),
    (IspuCategory.SANGAT_TIDAK_SEHAT, 200.0, 300.0),
    (IspuCategory.BERBAHAYA, 300.0, 500.0),
)


def _ispu_bands(frame: Frame) -> str:
    """Faint category bands behind an ISPU line (PermenLHK 14/2020 categories)."""
    canvas, parts = frame.canvas, []
    for category, low, high in _ISPU_BANDS:
        top, bottom = frame.y(min(high, frame.high)), frame.y(max(low, frame.low))
        if bottom - top <= 0:
            continue
        parts.append(
            f'<rect class="ispu-band st-ispu-{category.value}" x="{canvas.left}" '
            f'y="{top:.1f}" width="{canvas.plot_w}" height="{bottom - top:.1f}"/>'
        )
    return "".join(parts)


def points_json(series: Series) -> str:
    """The points for the script's read-out: ``[[epoch s, value, low, high], …]``."""
    rows = [
        [
            int(p.start.timestamp()),
            round(p.value, 3),
            None if p.low is None else round(p.low, 3),
            None if p.high is None else round(p.high, 3),
        ]
        for p in series.points
    ]
    return orjson.dumps(rows).decode()


def _svg(
    series: Series,
    canvas: Canvas,
    *,
    chart_id: str,
    colour: str,
    lang: str,
    zone: ZoneInfo,
    levels: Sequence[tuple[FloodStatus, float]],
) -> str:
    low, high, step = value_range(series, levels)
    frame = Frame(canvas, series.start.timestamp(), series.end.timestamp(), low, high)
    digits = max(0, min(2, -math.floor(math.log10(step)))) if step < 1 else 0
    unit = series.stream.unit
    body = _ispu_bands(frame) if series.stream.quantity is Quantity.ISPU else ""
    body += _axes(frame, step, _time_ticks(series, canvas, zone, lang), digits, lang)
    body += no_data(frame, series, lang, zone, gap_factor=GAP_FACTOR)
    body += _threshold_lines(frame, levels, lang, digits_for(series.stream.quantity, unit))
    body += _bars(frame, series, colour) if series.is_total else _line(frame, series, colour)
    body += flag_marks(frame, series, lang, zone)
    bottom = canvas.top + canvas.plot_h
    guide = (
        f'<line class="guide" x1="0" x2="0" y1="{canvas.top}" y2="{bottom}" visibility="hidden"/>'
    )
    return (
        f'<svg class="sensor-chart chart-{canvas.name}" viewBox="0 0 {canvas.width} '
        f'{canvas.height}" width="100%" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" focusable="false" data-x0="{canvas.left}" '
        f'data-x1="{canvas.left + canvas.plot_w}" data-t0="{int(frame.start)}" '
        f'data-t1="{int(frame.end)}">{body}{guide}</svg>'
    )


def render_chart(
    series: Series,
    *,
    chart_id: str,
    colour: str,
    lang: str,
    zone: ZoneInfo,
    limits: flood.Thresholds | None = None,
) -> Markup:
    """The two ``<svg>`` of one chart, narrow and wide (labelled by ``<chart_id>-title``)."""
    levels = thresholds_in_unit(limits, series.stream.unit)
    drawings = [
        _svg(series, c, chart_id=chart_id, colour=colour, lang=lang, zone=zone, levels=levels)
        for c in (NARROW, WIDE)
    ]
    return Markup("".join(drawings))  # noqa: S704 - every text in them is a number or escaped
