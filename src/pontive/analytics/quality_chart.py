"""The small chart beside each flag on the console: the stream's readings around the flag,
the flagged readings marked and a gap shaded, drawn as SVG on the server (no script, no
inline style: colours come from classes in ``quality.css``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_models import QualityFlag
from pontive.core.timeutil import to_local
from pontive.sensors.indices_quality import flags_of
from pontive.sensors.models import Observation
from pontive.web.i18n import translate

WIDTH, HEIGHT, PAD_X, PAD_Y = 320, 110, 6, 8
MAX_POINTS = 600


@dataclass(frozen=True, slots=True)
class _Point:
    at: datetime
    value: float
    kinds: tuple[str, ...]


def _window(flag: QualityFlag) -> tuple[datetime, datetime]:
    pad = timedelta(days=1) if flag.kind is FlagKind.DRIFT else timedelta(hours=3)
    return flag.period_start - pad, flag.period_end + pad


def _points(session: Session, flag: QualityFlag) -> list[_Point]:
    start, end = _window(flag)
    rows = session.execute(
        select(Observation.phenomenon_time, Observation.result_number, Observation.result_quality)
        .where(
            Observation.datastream_id == flag.datastream_id,
            Observation.phenomenon_time >= start,
            Observation.phenomenon_time <= end,
            Observation.result_number.is_not(None),
        )
        .order_by(Observation.phenomenon_time)
    )
    points = [_Point(t, float(v), tuple(flags_of(q))) for t, v, q in rows if v is not None]
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) // MAX_POINTS + 1  # thin out, keeping every flagged reading
    return [p for i, p in enumerate(points) if i % step == 0 or p.kinds]


def flag_chart(session: Session, flag: QualityFlag, *, lang: str, zone: ZoneInfo) -> Markup:
    """The SVG around ``flag`` (a sentence instead when there is nothing to draw)."""
    points = _points(session, flag)
    if len(points) < 2:
        return Markup(f'<p class="muted small">{escape(translate("an.q.chart_empty", lang))}</p>')  # noqa: S704 - escaped
    start, end = _window(flag)
    low, high = min(p.value for p in points), max(p.value for p in points)
    span = (high - low) or 1.0
    seconds = (end - start).total_seconds()

    def x(at: datetime) -> float:
        return PAD_X + (at - start).total_seconds() / seconds * (WIDTH - 2 * PAD_X)

    def y(value: float) -> float:
        return PAD_Y + (high - value) / span * (HEIGHT - 2 * PAD_Y)

    parts = []
    if flag.kind is FlagKind.GAP:
        left, right = x(flag.period_start), x(flag.period_end)
        title = escape(translate("an.q.chart_gap", lang))
        parts.append(
            f'<rect class="q-gap" x="{left:.1f}" y="0" width="{max(1.0, right - left):.1f}" '
            f'height="{HEIGHT}"><title>{title}</title></rect>'
        )
    elif flag.period_end > flag.period_start:
        left, right = x(flag.period_start), x(flag.period_end)
        parts.append(
            f'<rect class="q-period" x="{left:.1f}" y="0" width="{max(1.0, right - left):.1f}" '
            f'height="{HEIGHT}"/>'
        )
    line = " ".join(f"{x(p.at):.1f},{y(p.value):.1f}" for p in points)
    parts.append(f'<polyline class="q-line" points="{line}"/>')
    for point in points:
        if not point.kinds:
            continue
        kinds = ", ".join(
            FlagKind(k).label(lang) for k in point.kinds if k in FlagKind._value2member_map_
        )
        when = to_local(point.at, zone).strftime("%d-%m %H:%M")
        title = escape(f"{kinds}: {point.value:g} ({when})")
        parts.append(
            f'<circle class="q-mark q-mark-{escape(point.kinds[0])}" cx="{x(point.at):.1f}" '
            f'cy="{y(point.value):.1f}" r="3"><title>{title}</title></circle>'
        )
    label = escape(translate("an.q.chart_label", lang, kind=flag.kind.label(lang)))
    svg = (
        f'<svg class="q-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{label}" focusable="false">{"".join(parts)}</svg>'
    )
    return Markup(svg)  # noqa: S704 - numbers and escaped text only
