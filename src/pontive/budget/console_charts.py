"""The budget dashboards' figures and the geometry of their inline SVG charts (drawn by
``templates/budget/_charts.html``; sizes and colours are SVG attributes, never styles, for
the Content Security Policy).

- Bars: per group (category, source, dimension, agency) the planned amount as a light bar
  scaled to the largest group, the realised amount as a dark bar over it, and the rate.
- The realisation curve (kurva S): planned and realised amounts summed quarter by quarter,
  the realised line drawn up to the last quarter that ended or has a reported amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pontive.budget import service
from pontive.budget.exports import Group
from pontive.budget.models import BudgetLine

QUARTERS = service.QUARTERS
# The curve's drawing area inside its viewBox (0 0 WIDTH HEIGHT).
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 92, 30, 14, 34


@dataclass(frozen=True, slots=True)
class Bar:
    """One group's row: label, colour, sums, rate, and bar widths in % of the largest plan."""

    key: str
    label: str
    colour: str
    planned: Decimal
    realised: Decimal
    rate: float | None
    planned_width: float
    realised_width: float


def bars(groups: list[Group]) -> list[Bar]:
    """Rows of a bar chart: each group's planned and realised bars against the largest plan."""
    largest = max((g.totals.planned for g in groups), default=Decimal(0))
    largest = max([largest, *(g.totals.realised for g in groups)])

    def width(value: Decimal) -> float:
        return round(float(value / largest) * 100, 2) if largest else 0.0

    return [
        Bar(
            key=g.key,
            label=g.label,
            colour=g.colour,
            planned=g.totals.planned,
            realised=g.totals.realised,
            rate=g.totals.rate,
            planned_width=width(g.totals.planned),
            realised_width=width(g.totals.realised),
        )
        for g in groups
    ]


@dataclass(frozen=True, slots=True)
class QuarterSums:
    """One quarter of the year: its sums, and the running sums up to it."""

    quarter: int
    planned: Decimal
    realised: Decimal
    planned_to_date: Decimal
    realised_to_date: Decimal

    @property
    def rate(self) -> float | None:
        """Realised ÷ planned in this quarter."""
        return float(self.realised / self.planned) if self.planned else None

    @property
    def rate_to_date(self) -> float | None:
        """Realised ÷ planned up to this quarter."""
        return float(self.realised_to_date / self.planned_to_date) if self.planned_to_date else None


def quarter_sums(lines: list[BudgetLine]) -> list[QuarterSums]:
    """The year's planned and realised amounts by quarter, with running sums."""
    planned = dict.fromkeys(QUARTERS, Decimal(0))
    realised = dict.fromkeys(QUARTERS, Decimal(0))
    for line in lines:
        for row in line.quarters:
            planned[row.quarter] += Decimal(row.planned)
            realised[row.quarter] += Decimal(row.realised)
    rows: list[QuarterSums] = []
    planned_sum = realised_sum = Decimal(0)
    for quarter in QUARTERS:
        planned_sum += planned[quarter]
        realised_sum += realised[quarter]
        rows.append(
            QuarterSums(quarter, planned[quarter], realised[quarter], planned_sum, realised_sum)
        )
    return rows


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 times 10ⁿ that is at least ``value``."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return Decimal(step) * power
    return 10 * power  # pragma: no cover - the loop ends at 10 times power


@dataclass(frozen=True, slots=True)
class Curve:
    """The realisation curve's points (``x,y`` pairs), grid lines and axis labels."""

    planned_points: str
    realised_points: str
    dots: list[tuple[float, float, int]]  # realised points: x, y, quarter
    grid: list[tuple[float, Decimal]]  # y of each grid line and its amount
    ticks: list[tuple[float, int]]  # x of each quarter's end and the quarter
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def curve(sums: list[QuarterSums], shown: int) -> Curve:
    """The curve of ``sums``; the realised line covers the first ``shown`` quarters."""
    top_value = _nice_ceiling(
        max([Decimal(0), *(s.planned_to_date for s in sums), *(s.realised_to_date for s in sums)])
    )
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM

    def x(quarter: int) -> float:
        return round(LEFT + span_x * quarter / 4, 1)

    def y(value: Decimal) -> float:
        return round(TOP + span_y * (1 - float(value / top_value)), 1)

    planned = [(x(0), y(Decimal(0)))] + [(x(s.quarter), y(s.planned_to_date)) for s in sums]
    realised = [(x(0), y(Decimal(0)))] + [
        (x(s.quarter), y(s.realised_to_date)) for s in sums if s.quarter <= shown
    ]
    return Curve(
        planned_points=" ".join(f"{a},{b}" for a, b in planned),
        realised_points=" ".join(f"{a},{b}" for a, b in realised) if shown else "",
        dots=[(a, b, q) for q, (a, b) in enumerate(realised) if q],
        grid=[(y(top_value * k / 4), top_value * k / 4) for k in range(5)],
        ticks=[(x(q), q) for q in QUARTERS],
    )


def shown_quarters(sums: list[QuarterSums], ended: int) -> int:
    """How far the realised line goes: the quarters that ended, or further when a later
    quarter already has a reported amount."""
    reported = max((s.quarter for s in sums if s.realised > 0), default=0)
    return max(ended, reported)
