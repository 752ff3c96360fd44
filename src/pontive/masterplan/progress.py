"""Where the programme stands in a year: each indicator's value, target, achievement and
red/amber/green status, rolled up by weight to activities, programmes and dimensions; and the
same grouped by agency and by kelurahan for the dashboards.

The value of an indicator in a year is its newest verified realisation dated in that year;
a live indicator without a recorded value that year is computed now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import metrics, monitoring
from pontive.masterplan.choices import Rag, SourceKind
from pontive.masterplan.models import Activity, Indicator, Programme
from pontive.masterplan.scoring import Rule, achievement, rag, weighted
from pontive.masterplan.service import list_indicators, list_programmes, target_for
from pontive.reference import service as reference


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    """One indicator in one year."""

    indicator: Indicator
    value: float | None
    target: float | None
    achievement: float | None  # 0-1
    rag: Rag
    is_live: bool  # computed now rather than recorded


@dataclass(slots=True)
class Node:
    """An activity, programme or dimension with its rolled-up progress (0-1 or None)."""

    key: str
    name: str
    weight: float
    progress: float | None = None
    indicators: list[IndicatorStatus] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def rag(self) -> Rag:
        """The node's colour by the same thresholds as an indicator's default."""
        if self.progress is None:
            return Rag.NONE
        return Rag.GREEN if self.progress >= 1.0 else Rag.AMBER if self.progress >= 0.8 else Rag.RED


def rule_of(indicator: Indicator) -> Rule:
    """The scoring rule of an indicator."""
    return Rule(
        direction=indicator.direction,
        green_at=indicator.green_at,
        amber_at=indicator.amber_at,
        baseline=indicator.baseline_value,
        band_low=indicator.band_low,
        band_high=indicator.band_high,
        band_tolerance=indicator.band_tolerance,
    )


def statuses(
    session: Session, year: int, indicators: list[Indicator] | None = None
) -> dict[int, IndicatorStatus]:
    """Every indicator's status in ``year``."""
    indicators = indicators if indicators is not None else list_indicators(session)
    latest = monitoring.latest_verified(session, [i.id for i in indicators], year=year)
    this_year = utcnow().astimezone(WIB).year
    found: dict[int, IndicatorStatus] = {}
    for indicator in indicators:
        entry = latest.get(indicator.id)
        value, is_live = (entry.value if entry else None), False
        # A live value is today's: it stands for the current year only, never for a past one.
        if value is None and year == this_year and indicator.source_kind is not SourceKind.MANUAL:
            value, is_live = metrics.computed_value(session, indicator), True
        target = target_for(indicator, year)
        rule = rule_of(indicator)
        found[indicator.id] = IndicatorStatus(
            indicator,
            value,
            target,
            achievement(rule, value, target),
            rag(rule, value, target),
            is_live,
        )
    return found


def _activity_node(activity: Activity, by_activity: dict[int, list[IndicatorStatus]]) -> Node:
    own = by_activity.get(activity.id, [])
    node = Node(activity.code, activity.name, activity.weight, indicators=own)
    node.progress = weighted((s.achievement, s.indicator.weight) for s in own)
    return node


def _programme_node(
    programme: Programme,
    by_programme: dict[int, list[IndicatorStatus]],
    by_activity: dict[int, list[IndicatorStatus]],
) -> Node:
    """A programme's progress: its own indicators (each by its weight) and its activities
    (each by its weight), as one weighted mean."""
    node = Node(
        programme.code,
        programme.name,
        programme.weight,
        indicators=by_programme.get(programme.id, []),
    )
    node.children = [_activity_node(a, by_activity) for a in programme.activities]
    parts = [(s.achievement, s.indicator.weight) for s in node.indicators]
    parts += [(child.progress, child.weight) for child in node.children]
    node.progress = weighted(parts)
    return node


def tree(session: Session, year: int) -> list[Node]:
    """Dimensions → programmes → activities with their progress in ``year``."""
    found = statuses(session, year)
    by_programme: dict[int, list[IndicatorStatus]] = defaultdict(list)
    by_activity: dict[int, list[IndicatorStatus]] = defaultdict(list)
    for status in found.values():
        if status.indicator.activity_id is not None:
            by_activity[status.indicator.activity_id].append(status)
        elif status.indicator.programme_id is not None:
            by_programme[status.indicator.programme_id].append(status)
    programmes = list_programmes(session)
    dimensions = []
    for dimension in reference.list_dimensi(session=session):
        node = Node(dimension.kode, dimension.nama_id, 1.0)
        node.children = [
            _programme_node(p, by_programme, by_activity)
            for p in programmes
            if p.dimensi_kode == dimension.kode and p.start_year <= year <= p.end_year
        ]
        node.progress = weighted((child.progress, child.weight) for child in node.children)
        dimensions.append(node)
    return dimensions


def by_agency(session: Session, year: int) -> dict[str, list[IndicatorStatus]]:
    """Indicators by owning agency, for the per-PD dashboard."""
    grouped: dict[str, list[IndicatorStatus]] = defaultdict(list)
    for status in statuses(session, year).values():
        grouped[status.indicator.pd_kode].append(status)
    return dict(grouped)


def by_kelurahan(session: Session, year: int) -> dict[str, list[Node]]:
    """Programmes working in each kelurahan, with their progress (the per-kelurahan view)."""
    grouped: dict[str, list[Node]] = defaultdict(list)
    programmes = {p.code: p for p in list_programmes(session)}
    for dimension in tree(session, year):
        for node in dimension.children:
            for kode in programmes[node.key].kelurahan_kodes or ():
                grouped[kode].append(node)
    return dict(grouped)
