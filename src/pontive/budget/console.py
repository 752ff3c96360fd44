"""The budget console (``/console/anggaran``, Perda 9/2022 Pasal 24), a tab of the masterplan
console: the year's dashboards (this module), the lines with their quarters and forms
(``console_lines``), spreadsheet imports (``console_import``). The exports are the API's
(``/api/v1/budget/export.csv``, ``/fiscal-data-package.zip``), linked from here.

Every staff role reads; the technical team and admins keep the lines; a PD officer reports
the realisation of its own agency's lines. The services check; the pages offer only what
the role may do. The console card is the masterplan's (``console_plan.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.budget import console_import, console_lines, exports, service
from pontive.budget.console_charts import bars, curve, quarter_sums, shown_quarters
from pontive.budget.console_support import BUDGET, chosen_year, ended_quarters, flash, page
from pontive.core import permissions
from pontive.masterplan.service import BUDGET_MANAGE, READ
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

Filter = Annotated[str, Query(max_length=20)]
# The dashboards, in the order the page shows them: (grouping, catalogue key of the title,
# the lines list's filter a row links to, or "" when the list has none).
DASHBOARDS = (
    ("category", "bud.dash.by_category", "category"),
    ("source", "bud.dash.by_source", "source"),
    ("dimension", "bud.dash.by_dimension", ""),
    ("pd", "bud.dash.by_pd", "pd"),
)

_dashboard = PontiveRouter(include_in_schema=False)


@_dashboard.get(BUDGET, response_class=HTMLResponse)
def dashboard(
    request: Request, session: DbSession, actor: CurrentActor, year: Filter = "", ok: Filter = ""
) -> Response:
    """The year's budget: totals, realisation by quarter, and by category, source, dimension
    and agency."""
    permissions.require(actor, READ)
    lang = get_lang(request)
    chosen, years = chosen_year(session, year)
    lines = service.list_lines(session, year=chosen)
    sums = quarter_sums(lines)
    shown = shown_quarters(sums, ended_quarters(chosen))
    charts = [
        {
            "by": by,
            "title": title,
            "filter": link,
            "rows": bars(exports.grouped_totals(session, year=chosen, by=by, lang=lang)),
        }
        for by, title, link in DASHBOARDS
    ]
    context = {
        "year": chosen,
        "years": years,
        "line_count": len(lines),
        "total": service.totals(lines),
        "quarters": sums,
        "shown": shown,
        "curve": curve(sums, shown),
        "charts": charts,
        "can_manage": permissions.can(actor, BUDGET_MANAGE),
        "flash": flash(ok),
    }
    return page(request, actor, "budget/dashboard.html", context)


router = PontiveRouter(include_in_schema=False)
# The fixed paths (impor, baris/baru) come before a line's ``baris/{id}``.
router.include_router(console_import.router)
router.include_router(console_lines.router)
router.include_router(_dashboard)
