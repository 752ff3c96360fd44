"""What the evaluation report shows, gathered once from the services so that the PDF, the XLSX
and the pages print the same numbers: the two scores, the achievements per dimension against
their targets (``progress.tree``), the budget's realisation (``budget.service.totals_by``) and
the council's recommendations; with the Indonesian number formats they are printed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.budget import service as budget
from pontive.budget.choices import Category
from pontive.core.errors import Conflict
from pontive.core.models import User
from pontive.masterplan import progress
from pontive.masterplan.evaluation_scoring import CityResult, SpbeResult, city_index, spbe_index
from pontive.masterplan.models import Evaluation, EvaluationFramework, Recommendation
from pontive.masterplan.progress import IndicatorStatus, Node
from pontive.reference import service as reference


def frameworks_of(
    session: Session, evaluation: Evaluation
) -> tuple[EvaluationFramework, EvaluationFramework]:
    """The Smart City and SPBE frameworks the evaluation is scored with."""
    city = session.get(EvaluationFramework, evaluation.framework_id or -1)
    spbe = session.get(EvaluationFramework, evaluation.spbe_framework_id or -1)
    if city is None or spbe is None:
        raise Conflict(
            "Kerangka evaluasi belum tersedia (jalankan pontive db upgrade).",
            "The evaluation frameworks are missing (run pontive db upgrade).",
        )
    return city, spbe


def scores_of(evaluation: Evaluation) -> dict[str, float | None]:
    """Aspect code → score as stored."""
    return {code: entry.get("score") for code, entry in (evaluation.aspect_scores or {}).items()}


def levels_of(evaluation: Evaluation) -> dict[str, int | None]:
    """SPBE indicator code → level as stored."""
    return {code: entry.get("level") for code, entry in (evaluation.spbe_levels or {}).items()}


def results(session: Session, evaluation: Evaluation) -> tuple[CityResult, SpbeResult]:
    """The evaluation index and the SPBE index as the stored scores give them."""
    city, spbe = frameworks_of(session, evaluation)
    return city_index(city.config, scores_of(evaluation)), spbe_index(
        spbe.config, levels_of(evaluation)
    )


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """Planned and realised money of one group (a category, a dimension, or all)."""

    key: str
    label: str
    planned: Decimal
    realised: Decimal

    @property
    def rate(self) -> float | None:
        """Realised ÷ planned, or None when nothing was planned."""
        return float(self.realised / self.planned) if self.planned else None


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report prints, computed once."""

    evaluation: Evaluation
    city_framework: EvaluationFramework
    spbe_framework: EvaluationFramework
    city: CityResult
    spbe: SpbeResult
    dimensions: list[Node]
    budget_by_category: list[BudgetRow]
    budget_by_dimension: list[BudgetRow]
    budget_total: BudgetRow
    recommendations: list[Recommendation]
    dimension_names: dict[str, str]
    pd_names: dict[str, str]
    people: dict[str, str]  # actor label → full name

    @property
    def year(self) -> int:
        """The year evaluated."""
        return self.evaluation.year

    def programme_indicators(self, programme: Node) -> Iterator[IndicatorStatus]:
        """A programme's own indicators, then its activities'."""
        yield from programme.indicators
        for activity in programme.children:
            yield from activity.indicators

    def indicator_rows(self) -> Iterator[tuple[Node, Node, IndicatorStatus]]:
        """Every indicator with its dimension and programme, in the tree's order."""
        for dimension in self.dimensions:
            for programme in dimension.children:
                for status in self.programme_indicators(programme):
                    yield dimension, programme, status


def _budget_rows(session: Session, year: int, names: dict[str, str]) -> list[list[BudgetRow]]:
    by_category = budget.totals_by(session, year=year, key="category")
    by_dimension = budget.totals_by(session, year=year, key="dimension")
    categories = [
        BudgetRow(
            c.value, c.label("id"), by_category[c.value].planned, by_category[c.value].realised
        )
        for c in Category
        if c.value in by_category
    ]
    dimensions = [
        BudgetRow(code, names.get(code) or "Tanpa dimensi", totals.planned, totals.realised)
        for code, totals in sorted(by_dimension.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    planned = sum((row.planned for row in categories), Decimal(0))
    realised = sum((row.realised for row in categories), Decimal(0))
    return [categories, dimensions, [BudgetRow("total", "Jumlah", planned, realised)]]


def _people(session: Session, evaluation: Evaluation) -> dict[str, str]:
    """Full names of the staff named in the workflow (labels ``user:<id>:<username>``)."""
    labels = [evaluation.created_by, evaluation.reviewed_by, evaluation.approved_by]
    ids = {
        int(label.split(":")[1]): label
        for label in labels
        if label and label.startswith("user:") and label.split(":")[1].isdigit()
    }
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {ids[user_id]: name for user_id, name in rows}


def report_data(session: Session, evaluation: Evaluation) -> ReportData:
    """Gather the report's figures from the services."""
    city_fw, spbe_fw = frameworks_of(session, evaluation)
    city, spbe = results(session, evaluation)
    names = {d.kode: d.nama_id for d in reference.list_dimensi(session=session)}
    categories, dimensions, (total,) = _budget_rows(session, evaluation.year, names)
    query = select(Recommendation).where(Recommendation.year == evaluation.year)
    pds = {
        pd.kode: pd.singkatan
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    return ReportData(
        evaluation,
        city_fw,
        spbe_fw,
        city,
        spbe,
        progress.tree(session, evaluation.year),
        categories,
        dimensions,
        total,
        list(session.scalars(query.order_by(Recommendation.created_at, Recommendation.id))),
        names,
        pds,
        _people(session, evaluation),
    )


# --- Indonesian number formats -------------------------------------------------------------------


def number(value: float | Decimal | None, places: int = 2) -> str:
    """``1.234,56`` (half-up), or a dash for nothing."""
    if value is None:
        return "—"
    step = Decimal(1).scaleb(-places)
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = f"{exact.quantize(step, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def index_text(lang: str) -> Callable[[float | None], str]:
    """How pages print an index: two decimals, half-up, as the report does (3,10 / 3.10)."""

    def shown(value: float | None) -> str:
        text = number(value)
        return text.replace(".", "_").replace(",", ".").replace("_", ",") if lang == "en" else text

    return shown


def percent(share: float | None, places: int = 1) -> str:
    """A share (0.853) as ``85,3 %``, or a dash."""
    return "—" if share is None else f"{number(share * 100, places)} %"


def rupiah(value: Decimal | int | None) -> str:
    """``Rp 1.250.000`` (whole rupiah)."""
    return "—" if value is None else f"Rp {number(Decimal(value), 0)}"


def value_text(value: float | None, unit: str = "") -> str:
    """An indicator value with up to two decimals and its unit."""
    if value is None:
        return "—"
    text = number(value, 0 if float(value).is_integer() else 2)
    return f"{text} {unit}".strip()
