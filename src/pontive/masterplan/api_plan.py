"""The programme and its progress in the masterplan API: the dimension tree of a year,
programmes, indicators, and one indicator with its targets, status and recent entries.

These reads are public, like the transparency pages (``/smartcity``): progress counts
verified values only. One indicator's entries awaiting or refused verification, and who
entered and verified each, are shown to the staff who follow that indicator (a PD officer:
its own agency's).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from pontive.masterplan import monitoring, progress, service
from pontive.masterplan.choices import RealisationStatus
from pontive.masterplan.console_monitoring_support import may_follow, owner_codes, this_year
from pontive.masterplan.schemas import (
    DimensionTree,
    IndicatorDetail,
    IndicatorProgress,
    IndicatorRead,
    ProgrammeRead,
    ProgressNode,
    RealisationRead,
)
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Default: this year (WIB).")]
Code = Annotated[str | None, Query(max_length=40)]
RECENT = 50


@router.get("/dimensions", response_model=DimensionTree)
def read_dimensions(session: DbSession, year: Year = None) -> DimensionTree:
    """The six dimensions → programmes → activities with their weighted progress and RAG
    in ``year``, and each indicator's value, target and achievement."""
    year = year or this_year()
    return DimensionTree(
        year=year, dimensions=[ProgressNode.of(node) for node in progress.tree(session, year)]
    )


@router.get("/programmes", response_model=list[ProgrammeRead])
def read_programmes(
    session: DbSession, dimension: Code = None, pd: Code = None
) -> list[ProgrammeRead]:
    """Active programmes with their activities (optionally of one dimension or agency)."""
    rows = service.list_programmes(session, dimensi_kode=dimension or None, pd_kode=pd or None)
    return [ProgrammeRead.of(programme) for programme in rows]


@router.get("/indicators", response_model=list[IndicatorRead])
def read_indicators(
    session: DbSession, pd: Code = None, programme: Code = None
) -> list[IndicatorRead]:
    """Active indicators with their targets (optionally of one agency or programme, the
    programme's activities included)."""
    programme_id = service.get_programme(session, programme.upper()).id if programme else None
    rows = service.list_indicators(session, pd_kode=pd or None, programme_id=programme_id)
    owners = owner_codes(session)
    return [IndicatorRead.of(indicator, owners) for indicator in rows]


@router.get("/indicators/{code}", response_model=IndicatorDetail)
def read_indicator(
    code: str, session: DbSession, actor: CurrentActor, year: Year = None
) -> IndicatorDetail:
    """One indicator: metadata, targets, its status in ``year`` and its newest entries."""
    indicator = service.get_indicator(session, code.upper())
    year = year or this_year()
    status = progress.statuses(session, year, [indicator])[indicator.id]
    staff = may_follow(actor, indicator)
    shown = None if staff else [RealisationStatus.VERIFIED]
    rows = monitoring.entries(session, indicator_ids=[indicator.id], statuses=shown, limit=RECENT)
    base = IndicatorRead.of(indicator, owner_codes(session))
    return IndicatorDetail(
        **base.model_dump(),
        year=year,
        status=IndicatorProgress.of(status),
        recent=[RealisationRead.of(e, indicator.code, with_people=staff) for e in rows],
    )
