"""What the workspace page shows, built from the form, the result and the saved queries: the
editor's values, the result's cells (times in WIB), the chart, the list of tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pontive.analytics import workspace_chart
from pontive.analytics.workspace_chart import KINDS, ChartSpec
from pontive.analytics.workspace_engine import QueryResult
from pontive.analytics.workspace_models import SavedQuery
from pontive.core.models import User
from pontive.core.timeutil import WIB
from pontive.web.forms import text

CELL_CHARS = 300


@dataclass(frozen=True, slots=True)
class Editor:
    """What the editor holds: the SQL, the chart choice and the saved query's fields."""

    sql: str = ""
    kind: str = ""
    x: str = ""
    y: str = ""
    series: str = ""
    name: str = ""
    description: str = ""
    is_shared: bool = True
    query_id: int | None = None

    @property
    def chart(self) -> ChartSpec | None:
        """The chart asked for (``None``: none)."""
        if self.kind not in KINDS:
            return None
        return ChartSpec(self.kind, self.x, self.y, self.series or None)

    @classmethod
    def from_form(cls, form: FormData) -> Editor:
        """The editor as posted."""
        raw_id = text(form, "query_id")
        return cls(
            sql=str(form.get("sql") or "")[:40_000],
            kind=text(form, "chart_kind"),
            x=text(form, "chart_x"),
            y=text(form, "chart_y"),
            series=text(form, "chart_series"),
            name=text(form, "name"),
            description=text(form, "description"),
            is_shared=form.get("shared") == "1",
            query_id=int(raw_id) if raw_id.isdigit() else None,
        )

    @classmethod
    def from_saved(cls, query: SavedQuery) -> Editor:
        """The editor holding a saved query."""
        chart = ChartSpec.from_json(query.chart)
        return cls(
            sql=query.sql,
            kind=chart.kind if chart else "",
            x=chart.x if chart else "",
            y=chart.y if chart else "",
            series=(chart.series or "") if chart else "",
            name=query.name,
            description=query.description,
            is_shared=query.is_shared,
            query_id=query.id,
        )


@dataclass
class Shown:
    """A result as the page shows it."""

    result: QueryResult
    cells: list[list[str]]
    chart: Markup = field(default_factory=Markup)
    chart_problems: list[str] = field(default_factory=list)


def cell(value: Any) -> str:
    """One value as text: times in WIB, numbers as DuckDB gave them, long text cut."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(WIB) if value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal | bool | int):
        return str(value).lower() if isinstance(value, bool) else str(value)
    shown = str(value)
    return shown if len(shown) <= CELL_CHARS else shown[: CELL_CHARS - 1] + "…"


def shown(result: QueryResult, editor: Editor, *, title: str, lang: str) -> Shown:
    """The result's cells and, when asked for and possible, its chart."""
    view = Shown(result, [[cell(value) for value in row] for row in result.rows])
    spec = editor.chart
    if spec is None:
        return view
    found = workspace_chart.problems(spec, result)
    if found:
        view.chart_problems = [en if lang == "en" else id_ for id_, en in found]
        return view
    view.chart = workspace_chart.render(spec, result, title=title, lang=lang, uid="ws-chart")
    return view


def owner_names(session: Session, queries: list[SavedQuery]) -> dict[int, str]:
    """Owner id → full name, for the saved queries' list."""
    ids = {query.owner_id for query in queries if query.owner_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def column_options(editor: Editor, result: QueryResult | None) -> list[str]:
    """Names the chart's column choices offer: the result's, plus those already chosen."""
    names = [column.name for column in result.columns] if result else []
    for chosen in (editor.x, editor.y, editor.series):
        if chosen and chosen not in names:
            names.append(chosen)
    return names
