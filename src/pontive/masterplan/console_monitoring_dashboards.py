"""Monitoring dashboards (``…/pemantauan/dimensi``, ``/pd``, ``/kelurahan``): the year's
weighted progress and red/amber/green status per dimension → programme → activity, with each
programme's trend over the years of the masterplan as a sparkline; the indicators of each
agency; the programmes working in each kelurahan.

Progress counts verified values only (``progress``); every staff role reads these pages.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.masterplan import progress
from pontive.masterplan.choices import Rag
from pontive.masterplan.console_monitoring_nav import (
    BY_AGENCY,
    BY_DIMENSION,
    BY_KELURAHAN,
    monitor_page,
)
from pontive.masterplan.console_monitoring_support import plan_years, this_year
from pontive.masterplan.console_support import kelurahan_names, pd_names
from pontive.masterplan.pages_public_charts import sparkline
from pontive.masterplan.scoring import weighted
from pontive.masterplan.service import READ
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
YearQuery = Annotated[int | None, Query(alias="tahun", ge=2000, le=2100)]


def _years(session: DbSession, year: int | None) -> tuple[int, list[int]]:
    """The year shown (this year by default) and the years to choose from."""
    chosen = year or this_year()
    return chosen, sorted({*plan_years(session, until=max(chosen, this_year())), chosen})


def programme_trends(session: DbSession, years: list[int]) -> dict[str, list[float | None]]:
    """Each programme's progress in each of ``years`` (``progress.tree`` of every year)."""
    trends: dict[str, list[float | None]] = {}
    for index, year in enumerate(years):
        for dimension in progress.tree(session, year):
            for node in dimension.children:
                trends.setdefault(node.key, [None] * len(years))[index] = node.progress
    return trends


@router.get(BY_DIMENSION, response_class=HTMLResponse)
def by_dimension(
    request: Request, session: DbSession, actor: CurrentActor, year: YearQuery = None
) -> Response:
    """Dimensions → programmes → activities with progress, RAG and trends."""
    permissions.require(actor, READ)
    year, choices = _years(session, year)
    trend_years = [y for y in choices if y <= year]
    trends = programme_trends(session, trend_years)
    colours = {d.kode: d.warna for d in reference.list_dimensi(session=session)}
    dimensions = [
        {
            "node": dimension,
            "colour": colours.get(dimension.key, "#5b6b7a"),
            "programmes": [
                {
                    "node": node,
                    "trend": sparkline(
                        trend_years, trends.get(node.key, [None] * len(trend_years))
                    ),
                    "indicator_count": len(node.indicators)
                    + sum(len(child.indicators) for child in node.children),
                }
                for node in dimension.children
            ],
        }
        for dimension in progress.tree(session, year)
    ]
    context = {
        "year": year,
        "years": choices,
        "trend_years": trend_years,
        "dimensions": dimensions,
        "pds": pd_names(session),
    }
    template = "masterplan/monitor_dimensions.html"
    return monitor_page(request, actor, template, context, current=BY_DIMENSION)


def agency_rows(
    statuses: dict[str, list[progress.IndicatorStatus]], names: dict[str, str]
) -> list[dict[str, Any]]:
    """Per agency: its indicators, how many of each colour, and its weighted achievement."""
    rows = []
    for pd_kode, found in statuses.items():
        rags = Counter(s.rag for s in found)
        rows.append(
            {
                "pd_kode": pd_kode,
                "name": names.get(pd_kode, pd_kode),
                "statuses": sorted(found, key=lambda s: s.indicator.code),
                "counts": [(rag, rags.get(rag, 0)) for rag in Rag],
                "progress": weighted((s.achievement, s.indicator.weight) for s in found),
            }
        )
    return sorted(rows, key=lambda row: str(row["name"]).lower())


@router.get(BY_AGENCY, response_class=HTMLResponse)
def by_agency(
    request: Request, session: DbSession, actor: CurrentActor, year: YearQuery = None
) -> Response:
    """Each agency's indicators and where they stand."""
    permissions.require(actor, READ)
    year, choices = _years(session, year)
    names = pd_names(session)
    rows = agency_rows(progress.by_agency(session, year), names)
    for row in rows:
        row["progress_rag"] = progress.Node("", "", 1.0, row["progress"]).rag
    context = {"year": year, "years": choices, "rows": rows}
    template = "masterplan/monitor_agencies.html"
    return monitor_page(request, actor, template, context, current=BY_AGENCY)


@router.get(BY_KELURAHAN, response_class=HTMLResponse)
def by_kelurahan(
    request: Request, session: DbSession, actor: CurrentActor, year: YearQuery = None
) -> Response:
    """The programmes working in each kelurahan, by kecamatan."""
    permissions.require(actor, READ)
    year, choices = _years(session, year)
    grouped = progress.by_kelurahan(session, year)
    kecamatan = [
        {
            "name": kec.nama_umum,
            "kelurahan": [
                {
                    "kode": kel.kode,
                    "name": kel.nama_umum,
                    "programmes": grouped.get(kel.kode, []),
                    "progress": weighted((n.progress, n.weight) for n in grouped.get(kel.kode, [])),
                }
                for kel in kec.kelurahan
            ],
        }
        for kec in reference.list_kecamatan(session=session)
    ]
    context = {
        "year": year,
        "years": choices,
        "kecamatan": kecamatan,
        "names": kelurahan_names(session),
        "with_programmes": sum(1 for kode in grouped if grouped[kode]),
        "total": sum(len(k["kelurahan"]) for k in kecamatan),
    }
    template = "masterplan/monitor_kelurahan.html"
    return monitor_page(request, actor, template, context, current=BY_KELURAHAN)
