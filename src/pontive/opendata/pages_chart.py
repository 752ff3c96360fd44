"""The chart builder's arithmetic and drawing: rows of a datastore table grouped by one
column, a numeric column summed, averaged or counted per group, drawn on the server as SVG
(horizontal bars, or a line) — no chart library, no script needed to see it.

SVG text scales with its picture, so each chart is drawn twice, narrow for phones and wide for
larger screens, and the stylesheet shows one (as the sensor pages do). Colours come from CSS
classes (the Content Security Policy forbids inline styles)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html import escape

from markupsafe import Markup

AGGREGATES = ("sum", "avg", "count")
KINDS = ("bar", "line")
MAX_BARS = 25  # the largest groups; a line keeps every point up to MAX_POINTS
MAX_POINTS = 400
LABEL_CHARS = 18


@dataclass(frozen=True, slots=True)
class Point:
    """One group: its label and its value."""

    label: str
    value: float


def _number(value: object) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def aggregate(
    records: Iterable[dict[str, object]], x: str, y: str, how: str, *, ordered: bool
) -> list[Point]:
    """Group ``records`` by ``x`` and reduce ``y`` (``how``: sum, avg, count). ``ordered``:
    keep the groups in ``x`` order (numbers, dates), else largest first."""
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for record in records:
        key = "" if record.get(x) is None else str(record.get(x))
        number = 1.0 if how == "count" else _number(record.get(y))
        if number is None:
            continue
        totals[key] = totals.get(key, 0.0) + number
        counts[key] = counts.get(key, 0) + 1
    values = {k: totals[k] / counts[k] if how == "avg" else totals[k] for k in totals}
    if ordered:
        keys = sorted(values, key=lambda k: (_number(k) is None, _number(k) or 0.0, k))
        return [Point(k, values[k]) for k in keys][:MAX_POINTS]
    ranked = sorted(values.items(), key=lambda item: (-item[1], item[0]))
    return [Point(k, v) for k, v in ranked][:MAX_BARS]


def format_value(value: float, lang: str) -> str:
    """A number as people in ``lang`` write it (Indonesian: 1.234,5)."""
    text = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def _short(label: str) -> str:
    label = label or "—"
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _bars(points: Sequence[Point], width: int, lang: str) -> str:
    label_w = 130 if width < 500 else 170
    value_w = 70
    row = 26
    height = row * len(points) + 8
    top = max((p.value for p in points), default=0.0) or 1.0
    span = width - label_w - value_w
    parts = []
    for i, point in enumerate(points):
        y = 4 + i * row
        length = max(0.0, point.value) / top * span
        parts.append(
            f'<g class="odc-row"><text x="{label_w - 8}" y="{y + 17}" class="odc-label" '
            f'text-anchor="end">{escape(_short(point.label))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'class="odc-bar" rx="3"><title>{escape(point.label)}: '
            f"{format_value(point.value, lang)}</title></rect>"
            f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" class="odc-value">'
            f"{format_value(point.value, lang)}</text></g>"
        )
    return _frame(width, height, "".join(parts))


def _line(points: Sequence[Point], width: int, lang: str) -> str:
    height = 240 if width < 500 else 300
    left, right, top_pad, bottom = 64, 16, 16, 40
    values = [p.value for p in points]
    low, high = min(0.0, *values), max(values)
    high = high if high > low else low + 1.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(points) - 1)

    def y_of(value: float) -> float:
        return top_pad + plot_h - (value - low) / (high - low) * plot_h

    coords = [(left + i * step, y_of(p.value)) for i, p in enumerate(points)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    grid = []
    for fraction in (0.0, 0.5, 1.0):
        value = low + (high - low) * fraction
        y = y_of(value)
        grid.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="odc-grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="odc-axis" text-anchor="end">'
            f"{format_value(value, lang)}</text>"
        )
    ticks = sorted({0, len(points) // 2, len(points) - 1})
    for i in ticks:
        anchor = "start" if i == 0 else "end" if i == len(points) - 1 else "middle"
        grid.append(
            f'<text x="{coords[i][0]:.1f}" y="{height - 14}" class="odc-axis" '
            f'text-anchor="{anchor}">{escape(_short(points[i].label))}</text>'
        )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="odc-dot"><title>'
        f"{escape(p.label)}: {format_value(p.value, lang)}</title></circle>"
        for (x, y), p in zip(coords, points, strict=True)
        if len(points) <= 60
    )
    body = "".join(grid) + f'<path d="{path}" class="odc-line"/>' + dots
    return _frame(width, height, body)


def _frame(width: int, height: int, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'class="odc-svg odc-w{width}" aria-hidden="true" focusable="false">{body}</svg>'
    )


def render_chart(points: Sequence[Point], kind: str, lang: str) -> Markup:
    """The chart, drawn for phones and for wide screens (the stylesheet shows one)."""
    if not points:
        return Markup("")
    draw = _line if kind == "line" and len(points) > 1 else _bars
    return Markup(draw(points, 360, lang) + draw(points, 760, lang))  # noqa: S704 - every text is escaped or a number
