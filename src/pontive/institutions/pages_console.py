"""The institutions' own console pages beside the registries of ``/console/kelembagaan``:

- the follow-up of the council's recommendations (Pasal 5(3)c): per agency what is open,
  overdue and closed, then every recommendation with its status and outcome;
- the capacity overview of a year (Pasal 12-13, 20-21): people trained, events by kind,
  certifications and partnerships in force and those falling due soon, with the live
  metrics that masterplan indicators can follow.

Every staff role reads them; nothing here writes (changes go through the registries).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.core.identity import Actor
from pontive.institutions import service
from pontive.institutions.choices import CapacityKind, RecommendationStatus
from pontive.institutions.panels import agency_names
from pontive.institutions.paths import CAPACITY_PAGE, CONSOLE, FOLLOWUP_PAGE, PUBLIC_PAGE
from pontive.institutions.registries import AREA
from pontive.masterplan.metrics import METRICS
from pontive.registry.pages_support import page
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

YearQuery = Annotated[int | None, Query(alias="tahun", ge=2000, le=2100)]
PdQuery = Annotated[str | None, Query(alias="pd", max_length=40)]
YEARS_BACK = 5


def _page(request: Request, actor: Actor, template: str, context: dict[str, Any]) -> Response:
    """A console page of this area, with the area's navigation; never cached."""
    full = {"console": CONSOLE, "public_page": PUBLIC_PAGE} | context
    return page(request, actor, template, full, area=AREA)


@router.get(FOLLOWUP_PAGE, response_class=HTMLResponse)
def recommendation_followup(
    request: Request, session: DbSession, actor: CurrentActor, pd: PdQuery = None
) -> Response:
    """Recommendations per agency and each one's status and outcome."""
    today = service.today_local()
    by_agency = service.followup(session, actor=actor, today=today)
    listed = service.recommendations(session, today=today)
    if pd:
        listed = [r for r in listed if r.addressed_to == pd]
    open_first = sorted(
        listed,
        key=lambda r: (not r.status.is_open, not r.is_overdue, r.due_on or today, r.number),
    )
    context = {
        "by_agency": by_agency,
        "listed": open_first,
        "agencies": agency_names(session),
        "pd": pd,
        "today": today,
        "statuses": list(RecommendationStatus),
    }
    return _page(request, actor, "institutions/followup.html", context)


METRIC_PREFIX = "inst_"  # the masterplan's live metrics computed from these registries


@router.get(CAPACITY_PAGE, response_class=HTMLResponse)
def capacity_overview(
    request: Request, session: DbSession, actor: CurrentActor, year: YearQuery = None
) -> Response:
    """The year's capacity building and what is in force."""
    today = service.today_local()
    shown = min(year, today.year) if year else today.year
    summary = service.capacity_summary(session, actor=actor, year=shown, today=today)
    context = {
        "summary": summary,
        "kinds": list(CapacityKind),
        "years": list(range(today.year, today.year - YEARS_BACK, -1)),
        "today": today,
        "agencies": agency_names(session),
        "metrics": [
            (metric, metric.compute(session))
            for key, metric in METRICS.items()
            if key.startswith(METRIC_PREFIX)
        ],
    }
    return _page(request, actor, "institutions/capacity.html", context)
