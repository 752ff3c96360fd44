"""Monitoring in the masterplan console (``/console/masterplan/pemantauan``).

The overview (here): the indicators a PD officer's agency owns — or, for the city-wide roles,
every agency's, filtered by agency — with the year's target, the newest verified value, the
red/amber/green status and the entries awaiting verification; live indicators apart, since
Pontive computes them. One indicator's page with the report and correction forms, its history
and evidence (``console_monitoring_indicator``); the technical team's verification queue
(``console_monitoring_verify``); the CSV/XLSX bulk import (``console_monitoring_import``);
dashboards per dimension, agency and kelurahan (``console_monitoring_dashboards``).

The services check every permission; the pages offer only what the role may do (the mayor
and the council read).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.masterplan import (
    console_monitoring_dashboards,
    console_monitoring_import,
    console_monitoring_indicator,
    console_monitoring_verify,
    progress,
    service,
)
from pontive.masterplan.choices import Rag, SourceKind
from pontive.masterplan.console_monitoring_nav import may_report_some, monitor_page
from pontive.masterplan.console_monitoring_support import (
    is_own_agency_only,
    owner_codes,
    pending_counts,
    plan_years,
    this_year,
)
from pontive.masterplan.console_support import MONITORING, flash, pd_names
from pontive.masterplan.models import Indicator
from pontive.masterplan.service import READ, REPORT, VERIFY
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

Filter = Annotated[str, Query(max_length=40)]
YearQuery = Annotated[int | None, Query(alias="tahun", ge=2000, le=2100)]

_overview = PontiveRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """An indicator as the overview lists it."""

    indicator: Indicator
    status: progress.IndicatorStatus
    pending: int  # entries awaiting verification
    owner: str  # the programme's or activity's code
    can_report: bool

    @property
    def is_live(self) -> bool:
        """Whether Pontive computes the values (nobody reports them)."""
        return self.indicator.source_kind is SourceKind.LIVE


@_overview.get(MONITORING, response_class=HTMLResponse)
def overview(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    pd: Filter = "",
    ok: Filter = "",
    year: YearQuery = None,
) -> Response:
    """The indicators the actor follows, with where each stands this year."""
    permissions.require(actor, READ)
    years = plan_years(session)
    year = year or this_year()
    own = is_own_agency_only(actor)
    known = {p.kode for p in reference.list_perangkat_daerah(session=session)}
    scope = actor.pd_kode if own else (pd if pd in known else None)
    indicators = service.list_indicators(session, pd_kode=scope) if not own or scope else []
    found = progress.statuses(session, year, indicators)
    pending = pending_counts(session, [i.id for i in indicators])
    owners = owner_codes(session)
    rows = [
        IndicatorRow(
            indicator=indicator,
            status=found[indicator.id],
            pending=pending.get(indicator.id, 0),
            owner=owners["programme"].get(indicator.programme_id or 0)
            or owners["activity"].get(indicator.activity_id or 0, ""),
            can_report=indicator.source_kind is not SourceKind.LIVE
            and permissions.can(actor, REPORT, owner_pd=indicator.pd_kode),
        )
        for indicator in indicators
    ]
    rags = Counter(row.status.rag for row in rows)
    context: dict[str, Any] = {
        "year": year,
        "years": sorted({*years, year}),
        "rows": [r for r in rows if not r.is_live],
        "live_rows": [r for r in rows if r.is_live],
        "counts": [(rag, rags.get(rag, 0)) for rag in Rag],
        "pending_total": sum(pending.values()),
        "queue_total": sum(pending_counts(session).values())
        if permissions.can(actor, VERIFY)
        else 0,
        "own_pd": scope if own else None,
        "pd_filter": scope if not own else "",
        "pd_options": [
            (p.kode, p.singkatan) for p in reference.list_perangkat_daerah(session=session)
        ],
        "pds": pd_names(session),
        "may_report": may_report_some(actor),
        "may_verify": permissions.can(actor, VERIFY),
        "flash": flash(ok),
    }
    return monitor_page(
        request, actor, "masterplan/monitor_overview.html", context, current=MONITORING
    )


router = PontiveRouter(include_in_schema=False)
router.include_router(_overview)
router.include_router(console_monitoring_verify.router)
router.include_router(console_monitoring_import.router)
router.include_router(console_monitoring_dashboards.router)
router.include_router(console_monitoring_indicator.router)
