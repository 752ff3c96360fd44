"""The budget demo (``budget/demo.py``) as ``pontive demo load`` leaves it: three years in all
seven Pasal 24 categories and both sources, linked to the masterplan demo's programmes,
realised for the quarters that have ended and for no other."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.budget import demo, service
from pontive.budget.choices import Category, FundingSource
from pontive.core.timeutil import WIB
from pontive.masterplan.models import Programme
from tests.conftest import DemoDatabase


def test_the_demo_budget_covers_three_years_every_category_and_both_sources(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    lines = service.list_lines(demo_session)
    per_year = Counter(line.year for line in lines)
    assert per_year == dict.fromkeys(demo.YEARS, len(demo.DEMO_LINES))
    for year in demo.YEARS:
        of_year = [line for line in lines if line.year == year]
        assert {line.category for line in of_year} == set(Category)
        assert {line.source for line in of_year} == set(FundingSource)
    assert demo_database.summary["budget"] == (
        f"{len(lines)} budget lines 2024-2026 ({sum(1 for x in lines if x.programme_id)} "
        "linked to programmes)"
    )


def test_demo_lines_finance_the_masterplan_demos_programmes(demo_session: Session) -> None:
    programmes = {p.id: p for p in demo_session.scalars(select(Programme))}
    assert programmes  # the masterplan demo runs first (DOMAINS order)
    codes = {p.code for p in programmes.values()}
    for line in service.list_lines(demo_session):
        wanted = next(d for d in demo.DEMO_LINES if d.name == line.name)
        assert line.programme_id is not None, line.code
        programme = programmes[line.programme_id]
        if wanted.programme in codes:
            assert programme.code == wanted.programme
        else:
            assert programme.dimensi_kode == wanted.dimension
    dimensions = {programmes[x.programme_id].dimensi_kode for x in service.list_lines(demo_session)
                  if x.programme_id}  # fmt: skip
    assert len(dimensions) == 6  # the dashboard by dimension has a bar in each


def test_only_ended_quarters_are_realised(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    today = demo_database.loaded_at.astimezone(WIB).date()
    current = (today.month - 1) // 3 + 1
    for line in service.list_lines(demo_session):
        for quarter in line.quarters:
            ended = line.year < today.year or (
                line.year == today.year and quarter.quarter < current
            )
            assert quarter.planned > 0
            assert (quarter.realised > 0) is ended, (line.code, quarter.quarter)
            assert quarter.realised <= quarter.planned
    past = service.totals(service.list_lines(demo_session, year=2025))
    assert past.rate is not None
    assert 0.75 < past.rate < 0.97
