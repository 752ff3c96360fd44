"""Small charts drawn on the server as inline SVG (no script, no CDN): a programme's progress
over the years as a sparkline, and an indicator's yearly values against its targets.

The functions only compute geometry in a fixed ``viewBox``; the templates
(``masterplan/public_charts.html``) draw it, with colours from CSS classes. A year without a
value breaks the line rather than pretending it was zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SPARK_W, SPARK_H, SPARK_PAD = 120.0, 32.0, 3.0
TREND_W, TREND_H = 280.0, 120.0
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 34.0, 8.0, 8.0, 20.0


@dataclass(frozen=True, slots=True)
class Dot:
    """A point of a series: where it is drawn, and for which year and value."""

    x: float
    y: float
    year: int
    value: float


@dataclass(frozen=True, slots=True)
class Series:
    """A line broken where a year has no value: ``segments`` of ``x,y`` point lists."""

    segments: list[str]
    dots: list[Dot]

    @property
    def is_empty(self) -> bool:
        """Whether no year has a value."""
        return not self.dots


@dataclass(frozen=True, slots=True)
class Sparkline:
    """Progress (0-1) over the years in a ``SPARK_W`` by ``SPARK_H`` box."""

    width: float
    height: float
    series: Series
    baseline_y: float  # where 100 % is
    last: Dot | None


@dataclass(frozen=True, slots=True)
class Tick:
    """A labelled position on an axis."""

    at: float
    value: float  # a year on the x axis, a value on the y axis


@dataclass(frozen=True, slots=True)
class TrendChart:
    """Yearly values against targets in a ``TREND_W`` by ``TREND_H`` box, with axes."""

    width: float
    height: float
    values: Series
    targets: Series
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_left: float
    plot_right: float
    plot_bottom: float


def _series(
    years: Sequence[int], values: Sequence[float | None], x_of: dict[int, float], y_of: _Scale
) -> Series:
    segments: list[str] = []
    dots: list[Dot] = []
    current: list[str] = []
    for year, value in zip(years, values, strict=True):
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        dot = Dot(round(x_of[year], 1), round(y_of(value), 1), year, value)
        dots.append(dot)
        current.append(f"{dot.x},{dot.y}")
    if current:
        segments.append(" ".join(current))
    # A lone point is drawn as its dot only; a polyline needs two.
    return Series([s for s in segments if " " in s], dots)


class _Scale:
    """A linear map from ``low``-``high`` to ``bottom``-``top`` (SVG y grows downwards)."""

    def __init__(self, low: float, high: float, bottom: float, top: float) -> None:
        self.low, self.high = low, high if high > low else low + 1.0
        self.bottom, self.top = bottom, top

    def __call__(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return self.bottom - share * (self.bottom - self.top)


def _x_positions(years: Sequence[int], left: float, right: float) -> dict[int, float]:
    if len(years) == 1:
        return {years[0]: (left + right) / 2}
    step = (right - left) / (len(years) - 1)
    return {year: left + i * step for i, year in enumerate(years)}


def sparkline(years: Sequence[int], progress: Sequence[float | None]) -> Sparkline:
    """A programme's progress (0-1, capped) for each of ``years``."""
    x_of = _x_positions(years, SPARK_PAD, SPARK_W - SPARK_PAD)
    y_of = _Scale(0.0, 1.0, SPARK_H - SPARK_PAD, SPARK_PAD)
    capped = [None if p is None else min(max(p, 0.0), 1.0) for p in progress]
    series = _series(years, capped, x_of, y_of)
    return Sparkline(
        SPARK_W, SPARK_H, series, round(y_of(1.0), 1), series.dots[-1] if series.dots else None
    )


def _nice_top(value: float) -> float:
    """A round number at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value * 0.999999)


def trend_chart(
    years: Sequence[int], values: Sequence[float | None], targets: Sequence[float | None]
) -> TrendChart:
    """An indicator's verified value of each year against its target of that year."""
    present = [v for v in (*values, *targets) if v is not None]
    low = min(0.0, *present) if present else 0.0
    high = _nice_top(max(present)) if present else 1.0
    left, right = TREND_LEFT, TREND_W - TREND_RIGHT
    bottom, top = TREND_H - TREND_BOTTOM, TREND_TOP
    pad = 8.0 if len(years) > 1 else 0.0
    x_of = _x_positions(years, left + pad, right - pad)
    y_of = _Scale(low, high, bottom, top)
    every = max(1, -(-len(years) // 5))  # at most five year labels
    x_ticks = [Tick(round(x_of[y], 1), y) for i, y in enumerate(years) if i % every == 0]
    y_ticks = [Tick(round(y_of(v), 1), v) for v in (low, (low + high) / 2, high)]
    return TrendChart(
        TREND_W,
        TREND_H,
        _series(years, values, x_of, y_of),
        _series(years, targets, x_of, y_of),
        x_ticks,
        y_ticks,
        left,
        right,
        bottom,
    )
