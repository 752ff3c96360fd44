"""The assessment report's charts as ReportLab drawings (vector, no image files): each area's
score as a horizontal bar, and the system's scores over its assessments as columns. Each bar
carries its value printed, so the chart reads without the table too."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from pontive.coordination.pdf import ACCENT, INK, MUTED, RULE

WIDTH = 170 * mm
LABEL_WIDTH = 48 * mm
BAR_ROOM = 8 * mm


def number(value: float | None, digits: int = 1) -> str:
    """``82,5`` the Indonesian way, or a dash."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def area_chart(
    labels: Sequence[str], values: Sequence[float | None], fills: Sequence[str], title: str
) -> Drawing:
    """Scores 0-100 of the areas, top to bottom in the order given."""
    height = BAR_ROOM * len(labels) + 16 * mm
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    # ReportLab's stubs type positions as int; points are precise enough whole.
    chart.x, chart.y = round(LABEL_WIDTH), round(8 * mm)
    chart.width = round(WIDTH - LABEL_WIDTH - 20 * mm)
    chart.height = round(BAR_ROOM * len(labels))
    chart.data = [[v if v is not None else 0 for v in reversed(values)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = "Vera", 7.5
    chart.categoryAxis.labels.boxAnchor, chart.categoryAxis.labels.dx = "e", -3
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = "Vera", 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, RULE
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = ACCENT
    for position, fill in enumerate(reversed(list(fills))):
        chart.bars[(0, position)].fillColor = colors.HexColor(fill)
    chart.barWidth = round(4.5 * mm)
    drawing.add(chart)
    span = chart.width / 100
    for position, value in enumerate(reversed(values)):
        y = chart.y + (position + 0.5) * chart.height / len(labels) - 1 * mm
        x = chart.x + (value or 0) * span + 1.5 * mm
        text = number(value) if value is not None else "tidak dinilai"
        drawing.add(String(x, y, text, fontName="Vera-Bold", fontSize=7.5, fillColor=INK))
    drawing.add(
        String(0, height - 5 * mm, title, fontName="Vera-Bold", fontSize=8.5, fillColor=MUTED)
    )
    return drawing


def trend_chart(labels: Sequence[str], values: Sequence[float], title: str) -> Drawing:
    """Scores 0-100 of a system's assessments, oldest first, as columns."""
    height = 62 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = round(14 * mm), round(12 * mm)
    chart.width = round(WIDTH - 20 * mm)
    chart.height = round(height - 24 * mm)
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = "Vera", 7
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = "Vera", 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, RULE
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = ACCENT
    chart.barWidth = round(6 * mm)
    drawing.add(chart)
    step = chart.width / max(1, len(values))
    for position, value in enumerate(values):
        x = chart.x + (position + 0.5) * step
        y = chart.y + value * chart.height / 100 + 1.5 * mm
        drawing.add(
            String(
                x,
                y,
                number(value),
                fontName="Vera-Bold",
                fontSize=7.5,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    drawing.add(
        String(0, height - 5 * mm, title, fontName="Vera-Bold", fontSize=8.5, fillColor=MUTED)
    )
    return drawing
