"""The report's charts as ReportLab drawings (vector, no image files): the aspects' scores,
the SPBE domains' indices, and each dimension's achievement against its target (100 %).
Bars carry their value printed at the end, so the chart reads without the table too.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from pontive.coordination.pdf import ACCENT, INK, MUTED, RULE
from pontive.masterplan.evaluation_data import number, percent
from pontive.masterplan.evaluation_scoring import CityResult, SpbeResult
from pontive.masterplan.progress import Node

WIDTH = 170 * mm
LABEL_WIDTH = 52 * mm
BAR_ROOM = 9 * mm  # height per bar


def _chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    printed: Sequence[str],
    *,
    top: float,
    step: float,
    title: str,
    fills: Sequence[colors.Color] | None = None,
    target: float | None = None,
) -> Drawing:
    """A horizontal bar chart from 0 to ``top``, one bar per label, values printed."""
    height = BAR_ROOM * len(labels) + 16 * mm
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    # ReportLab's stubs type positions as int; points are precise enough whole.
    chart.x, chart.y = round(LABEL_WIDTH), round(8 * mm)
    chart.width = round(WIDTH - LABEL_WIDTH - 18 * mm)
    chart.height = round(BAR_ROOM * len(labels))
    # Drawn top to bottom in the order given (the chart draws its first bar lowest).
    chart.data = [[v if v is not None else 0 for v in reversed(values)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = "Vera", 7.5
    chart.categoryAxis.labels.boxAnchor, chart.categoryAxis.labels.dx = "e", -3
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = "Vera", 7
    chart.valueAxis.labelTextFormat = lambda v: number(v, 0 if float(v).is_integer() else 1)
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = True, RULE
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = ACCENT
    for position, fill in enumerate(reversed(list(fills or []))):
        chart.bars[(0, position)].fillColor = fill
    chart.barWidth = round(5 * mm)
    drawing.add(chart)
    span = chart.width / top
    for position, (value, text) in enumerate(zip(reversed(values), reversed(printed), strict=True)):
        y = chart.y + (position + 0.5) * chart.height / len(labels) - 1 * mm
        x = chart.x + (value or 0) * span + 1.5 * mm
        drawing.add(String(x, y, text, fontName="Vera-Bold", fontSize=7.5, fillColor=INK))
    if target is not None:
        x = chart.x + target * span
        drawing.add(Line(x, chart.y - 2, x, chart.y + chart.height + 2, strokeColor=colors.red))
        drawing.add(
            String(
                x - 6 * mm,
                chart.y + chart.height + 3,
                f"Target {number(target, 0)} %",
                fontName="Vera",
                fontSize=7,
                fillColor=colors.red,
            )
        )
    drawing.add(
        String(0, height - 5 * mm, title, fontName="Vera-Bold", fontSize=8.5, fillColor=MUTED)
    )
    return drawing


def aspect_chart(city: CityResult) -> Drawing:
    """The five aspects' scores on the 1-5 scale."""
    labels = [f"{a.name} (bobot {number(a.share * 100, 0)} %)" for a in city.aspects]
    values = [a.score for a in city.aspects]
    printed = [number(v, 2) if v is not None else "belum dinilai" for v in values]
    return _chart(labels, values, printed, top=5, step=1, title="Skor per aspek (skala 1-5)")


def domain_chart(spbe: SpbeResult) -> Drawing:
    """The SPBE domains' indices on the 1-5 scale."""
    labels = [f"{d.code} {d.name}" for d in spbe.domains]
    values = [d.index for d in spbe.domains]
    printed = [number(v, 2) if v is not None else "belum lengkap" for v in values]
    return _chart(labels, values, printed, top=5, step=1, title="Indeks per domain SPBE (1-5)")


def dimension_chart(dimensions: Sequence[Node]) -> Drawing:
    """Each dimension's achievement against its target (100 %), coloured by its status."""
    labels = [d.name for d in dimensions]
    values = [None if d.progress is None else d.progress * 100 for d in dimensions]
    printed = [
        percent(d.progress) if d.progress is not None else "belum ada data" for d in dimensions
    ]
    fills = [colors.HexColor(d.rag.meta.colour or "#8a99a5") for d in dimensions]
    return _chart(
        labels,
        values,
        printed,
        top=110,
        step=20,
        title="Capaian per dimensi terhadap target (%)",
        fills=fills,
        target=100,
    )
