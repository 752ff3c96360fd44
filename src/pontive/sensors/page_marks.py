"""What the data-quality checks add to a station's charts (``page_svg``): diamonds on the
readings they flagged (from the readings' ``resultQuality``) and shaded periods without data,
each with an SVG ``<title>`` that screen readers and a hovering pointer read. The legend under
the chart names both (``templates/sensors/_charts.html``)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pontive.sensors.page_format import digits_for, format_number
from pontive.sensors.page_series import Series
from pontive.web.i18n import translate

if TYPE_CHECKING:
    from pontive.sensors.page_svg import Frame


def _local(when: datetime, zone: ZoneInfo) -> str:
    return when.astimezone(zone).strftime("%d-%m %H:%M")


def gap_periods(series: Series, *, gap_factor: float) -> list[tuple[datetime, datetime]]:
    """Periods without data: where consecutive points are more than ``gap_factor`` usual
    steps apart (where the line breaks), and before the first or after the last point when
    the chart's range reaches that much further."""
    points = series.points
    if len(points) < 2:
        return []
    steps = sorted((b.start - a.start).total_seconds() for a, b in pairwise(points))
    limit = gap_factor * (steps[len(steps) // 2] or 1.0)
    holes = [
        (a.start, b.start)
        for a, b in pairwise(points)
        if (b.start - a.start).total_seconds() > limit
    ]
    if (points[0].start - series.start).total_seconds() > limit:
        holes.insert(0, (series.start, points[0].start))
    if (series.end - points[-1].start).total_seconds() > limit:
        holes.append((points[-1].start, series.end))
    return holes


def no_data(frame: Frame, series: Series, lang: str, zone: ZoneInfo, *, gap_factor: float) -> str:
    """The shaded ``gap_periods``, each titled with its WIB start and end."""
    canvas, parts = frame.canvas, []
    for begins, ends in gap_periods(series, gap_factor=gap_factor):
        left, width = frame.x(begins), max(1.0, frame.x(ends) - frame.x(begins))
        title = translate(
            "an.q.chart.gap_title", lang, start=_local(begins, zone), end=_local(ends, zone)
        )
        parts.append(
            f'<rect class="nodata" x="{left:.1f}" y="{canvas.top}" width="{width:.1f}" '
            f'height="{canvas.plot_h}"><title>{escape(title)}</title></rect>'
        )
    return "".join(parts)


def flag_marks(frame: Frame, series: Series, lang: str, zone: ZoneInfo) -> str:
    """A diamond on each reading the quality checks flagged, titled with what and when."""
    digits = digits_for(series.stream.quantity, series.stream.unit)
    parts = []
    for point in series.flagged:
        x = frame.x(point.start)
        y = frame.y(min(frame.high, max(frame.low, point.value)))
        kinds = ", ".join(translate(f"an.q.kind.{kind}", lang) for kind in point.kinds)
        title = translate(
            "an.q.chart.flag_title",
            lang,
            kinds=kinds,
            value=format_number(point.value, lang, digits),
            time=_local(point.start, zone),
        )
        shape = (
            f"M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z"
        )
        parts.append(
            f'<path class="qflag qflag-{escape(point.kinds[0])}" d="{shape}">'
            f"<title>{escape(title)}</title></path>"
        )
    return "".join(parts)
