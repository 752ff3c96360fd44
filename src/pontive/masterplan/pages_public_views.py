"""What the public transparency pages show (``pages_public``): each dimension's progress,
programmes, indicators with their trend, and budget, from verified values only.

Nothing here names a person: entries appear as values, never with who entered or verified
them, and evidence files stay in the console. Values computed live by Pontive are marked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from pontive.budget import service as budget
from pontive.masterplan import progress, service
from pontive.masterplan.choices import Rag
from pontive.masterplan.console_monitoring_support import plan_years, yearly_values
from pontive.masterplan.models import Programme
from pontive.masterplan.pages_public_charts import TrendChart, trend_chart
from pontive.masterplan.scoring import weighted
from pontive.reference import service as reference
from pontive.reference.schemas import DimensiRead
from pontive.web.forms import kelurahan_names

ZERO = Decimal(0)


def rupiah(amount: Decimal | None, lang: str) -> str:
    """``Rp 1.250.000`` (``Rp 1,250,000`` in English), whole rupiah."""
    if amount is None:
        return "—"
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    grouped = f"{whole:,}"
    return "Rp " + (grouped if lang == "en" else grouped.replace(",", "."))


@dataclass(frozen=True, slots=True)
class Money:
    """Planned and realised amounts and the realisation rate (0-1, None without a plan)."""

    planned: Decimal = ZERO
    realised: Decimal = ZERO

    @property
    def rate(self) -> float | None:
        """Realised ÷ planned."""
        return float(self.realised / self.planned) if self.planned else None

    def __add__(self, other: Money) -> Money:
        return Money(self.planned + other.planned, self.realised + other.realised)


def budget_by_programme(session: Session, year: int) -> dict[int, Money]:
    """Planned and realised amounts of ``year`` per programme (its activities' lines too)."""
    groups: dict[int, Money] = defaultdict(Money)
    for line in budget.list_lines(session, year=year):
        if line.programme_id is None:
            continue
        sums = budget.totals([line])
        groups[line.programme_id] += Money(sums.planned, sums.realised)
    return dict(groups)


@dataclass(frozen=True, slots=True)
class DimensionCard:
    """A dimension as the overview shows it."""

    dimension: DimensiRead
    node: progress.Node
    programmes: int
    indicators: int
    money: Money


def _indicator_count(node: progress.Node) -> int:
    return len(node.indicators) + sum(len(child.indicators) for child in node.children)


def dimension_cards(session: Session, year: int) -> list[DimensionCard]:
    """The six dimensions with their progress, counts and budget in ``year``."""
    nodes = {node.key: node for node in progress.tree(session, year)}
    money = budget_by_programme(session, year)
    programme_dimension = {p.id: p.dimensi_kode for p in service.list_programmes(session)}
    per_dimension: dict[str, Money] = defaultdict(Money)
    for programme_id, amounts in money.items():
        per_dimension[programme_dimension.get(programme_id, "")] += amounts
    cards = []
    for dimension in reference.list_dimensi(session=session):
        node = nodes[dimension.kode]
        cards.append(
            DimensionCard(
                dimension,
                node,
                len(node.children),
                sum(_indicator_count(child) for child in node.children),
                per_dimension.get(dimension.kode, Money()),
            )
        )
    return cards


def overall(cards: list[DimensionCard]) -> progress.Node:
    """The city's progress: the six dimensions' mean (those measured)."""
    node = progress.Node("smartcity", "Smart City", 1.0)
    node.progress = weighted((card.node.progress, 1.0) for card in cards)
    return node


@dataclass(frozen=True, slots=True)
class IndicatorView:
    """An indicator on the public page: its status in the year and its yearly trend."""

    status: progress.IndicatorStatus
    chart: TrendChart
    activity: str  # the activity's name when the indicator measures one


@dataclass(slots=True)
class ProgrammeView:
    """A programme on the public page."""

    programme: Programme
    node: progress.Node | None  # None when it does not run in the year
    money: Money
    kelurahan: list[str]
    indicators: list[IndicatorView] = field(default_factory=list)

    @property
    def rag(self) -> Rag:
        """The programme's colour (grey when it does not run in the year)."""
        return self.node.rag if self.node is not None else Rag.NONE


@dataclass(frozen=True, slots=True)
class DimensionPage:
    """A dimension's page: its text, priorities, progress, programmes and budget."""

    dimension: DimensiRead
    node: progress.Node
    programmes: list[ProgrammeView]
    money: Money
    years: list[int]


def get_dimension(session: Session, kode: str) -> DimensiRead | None:
    """A dimension by code (None when unknown)."""
    return next((d for d in reference.list_dimensi(session=session) if d.kode == kode), None)


def dimension_page(session: Session, dimension: DimensiRead, year: int) -> DimensionPage:
    """Everything the dimension's public page shows for ``year``."""
    node = next(n for n in progress.tree(session, year) if n.key == dimension.kode)
    running = {child.key: child for child in node.children}
    money = budget_by_programme(session, year)
    places = kelurahan_names(session)
    years = plan_years(session, until=year)
    programmes = service.list_programmes(session, dimensi_kode=dimension.kode)
    views = [
        ProgrammeView(
            programme,
            running.get(programme.code),
            money.get(programme.id, Money()),
            [places.get(k, k) for k in programme.kelurahan_kodes or ()],
        )
        for programme in programmes
    ]
    statuses = [
        (view, activity, status)
        for view in views
        if view.node is not None
        for activity, status in _statuses_of(view.node)
    ]
    values = yearly_values(session, [s.indicator.id for _v, _a, s in statuses], years)
    for view, activity, status in statuses:
        by_year = values.get(status.indicator.id, {})
        chart = trend_chart(
            years,
            [by_year.get(y) for y in years],
            [service.target_for(status.indicator, y) for y in years],
        )
        view.indicators.append(IndicatorView(status, chart, activity))
    total = sum((view.money for view in views), Money())
    return DimensionPage(dimension, node, views, total, years)


def _statuses_of(node: progress.Node) -> list[tuple[str, progress.IndicatorStatus]]:
    """A programme's own indicators, then its activities' (with the activity's name)."""
    found = [("", status) for status in node.indicators]
    for child in node.children:
        found += [(child.name, status) for status in child.indicators]
    return found
