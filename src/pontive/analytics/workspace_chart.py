"""Charts of a query result, drawn on the server as accessible SVG: bars or lines, an ``x`` and
a ``y`` column and, optionally, a ``series`` column (one bar colour or one line per value).

The SVG carries its title and a text description (``role="img"``, ``aria-labelledby``),
labelled axes, value ticks, and times in WIB; the result table under it is the chart's data
for screen readers. No script is needed; colours are presentation attributes (the Content
Security Policy forbids inline styles, not attributes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import Any

from markupsafe import Markup

from pontive.analytics.workspace_engine import QueryResult
from pontive.core.timeutil import WIB

KINDS = ("bar", "line")
PALETTE = (
    *("#1f6fb2", "#d9730d", "#2e8540", "#b3261e", "#6a1b9a"),
    *("#00838f", "#8d6e63", "#5b6b7a", "#c2185b", "#827717"),
)
MAX_BARS = 60
MAX_SERIES = len(PALETTE)
WIDTH, HEIGHT = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 72, 20, 48, 104
LABEL_CHARS = 15
_NUMERIC_TYPES = ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL", "NUMERIC", "HUGEINT", "BIGINT")


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """What to draw: the kind and the columns."""

    kind: str
    x: str
    y: str
    series: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """As stored with a saved query."""
        return {"kind": self.kind, "x": self.x, "y": self.y, "series": self.series}

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> ChartSpec | None:
        """From a saved query (``None``: no chart)."""
        if not raw or raw.get("kind") not in KINDS:
            return None
        return cls(
            str(raw["kind"]),
            str(raw.get("x", "")),
            str(raw.get("y", "")),
            raw.get("series") or None,
        )


def problems(spec: ChartSpec, result: QueryResult) -> list[tuple[str, str]]:
    """Why ``spec`` cannot be drawn from ``result`` (id, en), empty when it can."""
    types = {column.name: column.type for column in result.columns}
    found = []
    for role, name in (("x", spec.x), ("y", spec.y), ("series", spec.series)):
        if name and name not in types:
            found.append(
                (
                    f"Kolom {role} '{name}' tidak ada di hasil.",
                    f"The {role} column '{name}' is not in the result.",
                )
            )
    if not spec.x or not spec.y:
        found.append(("Pilih kolom x dan y.", "Choose the x and y columns."))
    elif spec.y in types and not types[spec.y].upper().startswith(_NUMERIC_TYPES):
        found.append(
            (f"Kolom y '{spec.y}' harus berupa angka.", f"The y column '{spec.y}' must be numeric.")
        )
    return found


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _position(value: Any) -> float | None:
    """A time or number as a position on a continuous axis (seconds for times)."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=WIB).timestamp()
    return _number(value)


def format_number(value: float, lang: str) -> str:
    """A number as people in ``lang`` write it (Indonesian: 1.234,5)."""
    digits = 0 if abs(value) >= 100 or value == int(value) else 2 if abs(value) >= 1 else 3
    text = f"{value:,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def format_x(value: Any, lang: str, *, span_seconds: float = 0.0) -> str:
    """An x value as a label: times in WIB, dates as days, numbers the local way."""
    if isinstance(value, datetime):
        local = value.astimezone(WIB)
        return (
            local.strftime("%d/%m %H:%M")
            if span_seconds < 3 * 86_400
            else local.strftime("%d/%m/%Y")
        )
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    number = _number(value)
    if number is not None:
        return format_number(number, lang)
    return "—" if value is None else str(value)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round values covering [low, high]."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass(frozen=True, slots=True)
class _Series:
    name: str
    points: list[tuple[Any, float]]


def _series(spec: ChartSpec, result: QueryResult) -> list[_Series]:
    grouped: dict[str, list[tuple[Any, float]]] = {}
    for record in result.records():
        y = _number(record.get(spec.y))
        if y is None:
            continue
        key = "" if not spec.series else format_x(record.get(spec.series), "en")
        grouped.setdefault(key, []).append((record.get(spec.x), y))
    return [_Series(name, points) for name, points in list(grouped.items())[:MAX_SERIES]]


def render(
    spec: ChartSpec, result: QueryResult, *, title: str, lang: str, uid: str = "ws"
) -> Markup:
    """The chart as SVG markup (empty when nothing numeric is left to draw)."""
    series = _series(spec, result)
    values = [y for item in series for _x, y in item.points]
    if not values:
        return Markup("")
    xs = [x for item in series for x, _y in item.points]
    continuous = spec.kind == "line" and all(_position(x) is not None for x in xs)
    low, high = min(0.0, *values), max(0.0, *values)
    if spec.kind == "line" and min(values) > 0:
        low = min(values)  # a level (water, temperature) reads better off zero
    ticks = nice_ticks(low, high)
    low, high = min(ticks[0], low), max(ticks[-1], high)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low or 1.0) * plot_h

    parts = [_y_axis(ticks, y_of, spec.y, lang)]
    if continuous:
        parts.append(_lines(series, plot_w, y_of, lang))
    else:
        parts.append(_bars(series, spec.kind, plot_w, y_of, low, lang))
    x_label = spec.x + (" (WIB)" if any(isinstance(x, datetime) for x in xs) else "")
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'class="ws-axis-title">{escape(x_label)}</text>'
    )
    height = HEIGHT
    if spec.series:
        legend, height = _legend(series)
        parts.append(legend)
    description = _describe(spec, series, values, lang)
    return Markup(  # noqa: S704 - every text above is escaped, the rest are numbers
        f'<svg viewBox="0 0 {WIDTH} {height}" class="ws-chart" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(description)}</desc>'
        f'<text x="{LEFT}" y="24" class="ws-chart-title">{escape(title)}</text>'
        + "".join(parts)
        + "</svg>"
    )


def _y_axis(ticks: Sequence[float], y_of: Any, name: str, lang: str) -> str:
    out = []
    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dbe1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" class="ws-tick">'
            f"{format_number(tick, lang)}</text>"
        )
    mid = TOP + (HEIGHT - TOP - BOTTOM) / 2
    out.append(
        f'<text x="16" y="{mid:.0f}" transform="rotate(-90 16 {mid:.0f})" text-anchor="middle" '
        f'class="ws-axis-title">{escape(name)}</text>'
    )
    return "".join(out)


def _lines(series: Sequence[_Series], plot_w: float, y_of: Any, lang: str) -> str:
    positions = [p for item in series for x, _ in item.points if (p := _position(x)) is not None]
    start, end = min(positions), max(positions)
    span = end - start or 1.0

    def x_of(value: Any) -> float:
        return LEFT + ((_position(value) or start) - start) / span * plot_w

    out = []
    for index, item in enumerate(series):
        ordered = sorted(item.points, key=lambda point: _position(point[0]) or 0.0)
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x_of(x):.1f},{y_of(y):.1f}"
            for i, (x, y) in enumerate(ordered)
        )
        out.append(f'<path d="{path}" fill="none" stroke="{PALETTE[index]}" stroke-width="2"/>')
        if len(ordered) <= 60:
            out.extend(
                f'<circle cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="3" fill="{PALETTE[index]}">'
                f"<title>{escape(format_x(x, lang, span_seconds=span))}: "
                f"{format_number(y, lang)}</title></circle>"
                for x, y in ordered
            )
    samples = sorted(
        {x for item in series for x, _ in item.points}, key=lambda x: _position(x) or 0.0
    )
    last = len(samples) - 1
    for i in sorted({0, len(samples) // 4, len(samples) // 2, 3 * len(samples) // 4, last}):
        value = samples[i]
        anchor = "start" if i == 0 and last else "end" if i == last and last else "middle"
        out.append(
            f'<text x="{x_of(value):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" '
            'class="ws-tick">'
            f"{escape(format_x(value, lang, span_seconds=span))}</text>"
        )
    return "".join(out)


def _bars(
    series: Sequence[_Series], kind: str, plot_w: float, y_of: Any, low: float, lang: str
) -> str:
    categories: list[str] = []
    for item in series:
        for x, _y in item.points:
            label = format_x(x, lang)
            if label not in categories:
                categories.append(label)
    categories = categories[:MAX_BARS]
    slot = plot_w / max(len(categories), 1)
    width = max(slot * 0.8 / max(len(series), 1), 1.0)
    zero = y_of(max(low, 0.0))
    out = []
    for index, item in enumerate(series):
        values = {format_x(x, lang): y for x, y in item.points}
        if kind == "line":  # categories on a line: points joined in category order
            coords = [
                (LEFT + (position + 0.5) * slot, y_of(values[label]))
                for position, label in enumerate(categories)
                if label in values
            ]
            path = " ".join(
                f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords)
            )
            out.append(f'<path d="{path}" fill="none" stroke="{PALETTE[index]}" stroke-width="2"/>')
            out.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[index]}"/>'
                for x, y in coords
            )
            continue
        for position, label in enumerate(categories):
            if label not in values:
                continue
            y = y_of(values[label])
            x = LEFT + position * slot + slot * 0.1 + index * width
            top, height = min(y, zero), abs(zero - y)
            out.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[index]}"><title>{escape(label)}'
                f"{' · ' + escape(item.name) if item.name else ''}: "
                f"{format_number(values[label], lang)}"
                "</title></rect>"
            )
    # Many or long names are slanted so that each stays readable under its own bars.
    slanted = len(categories) > 6 or any(len(label) > 10 for label in categories)
    step = max(1, math.ceil(len(categories) / 30))
    for position in range(0, len(categories), step):
        x, y = LEFT + (position + 0.5) * slot, HEIGHT - BOTTOM + 16
        turn = (
            f' transform="rotate(-30 {x:.1f} {y})" text-anchor="end"'
            if slanted
            else ' text-anchor="middle"'
        )
        out.append(
            f'<text x="{x:.1f}" y="{y}"{turn} class="ws-tick">'
            f"{escape(_short(categories[position]))}</text>"
        )
    return "".join(out)


def _legend(series: Sequence[_Series]) -> tuple[str, int]:
    """The series' colours and names in rows under the chart; the picture's new height."""
    out = []
    x, y = LEFT, HEIGHT + 4
    for index, item in enumerate(series):
        label = _short(item.name or "—")
        width = 22 + 7 * len(label)
        if x + width > WIDTH - RIGHT:
            x, y = LEFT, y + 20
        out.append(
            f'<rect x="{x}" y="{y}" width="11" height="11" fill="{PALETTE[index]}"/>'
            f'<text x="{x + 15}" y="{y + 10}" class="ws-tick">{escape(label)}</text>'
        )
        x += width + 12
    return "".join(out), y + 24


def _describe(
    spec: ChartSpec, series: Sequence[_Series], values: Sequence[float], lang: str
) -> str:
    count = sum(len(item.points) for item in series)
    low, high = format_number(min(values), lang), format_number(max(values), lang)
    if lang == "en":
        kind = "Bar chart" if spec.kind == "bar" else "Line chart"
        text = f"{kind} of {spec.y} by {spec.x}: {count} points, from {low} to {high}."
        return text + (f" {len(series)} series by {spec.series}." if spec.series else "")
    kind = "Diagram batang" if spec.kind == "bar" else "Diagram garis"
    text = f"{kind} {spec.y} menurut {spec.x}: {count} titik, dari {low} sampai {high}."
    return text + (f" {len(series)} seri menurut {spec.series}." if spec.series else "")
