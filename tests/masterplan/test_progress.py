"""Realisation through the services, and the roll-up from verified values in the database
against hand-worked numbers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.masterplan import monitoring, progress, service
from pontive.masterplan.choices import Rag, RealisationStatus
from pontive.masterplan.models import Realisation
from tests.masterplan.support import (
    DINKES,
    DISHUB,
    TIM,
    WALIKOTA,
    activity,
    indicator,
    programme,
)


def _verified(
    session: Session, code: str, value: float, day: date = date(2026, 6, 30)
) -> Realisation:
    entry = monitoring.report_value(
        session,
        actor=DINKES,
        indicator=service.get_indicator(session, code),
        period_date=day,
        value=value,
    )
    return monitoring.review(session, actor=TIM, entry=entry, approve=True)


def test_the_programme_rolls_up_indicators_and_activities(session: Session) -> None:
    owner = programme(session)
    first = activity(session, owner, "LIV-01.01", weight=1.0)
    indicator(session, "LIV-01.I1", owner=owner, weight=2.0)  # 90 of 100 → 0.9
    indicator(
        session,
        "LIV-01.I2",
        owner=owner,
        weight=1.0,
        direction="lower",
        targets={2026: 48.0},
        unit="jam",
    )  # 60 hours → 48 / 60 = 0.8
    indicator(session, "LIV-01.01.I1", of_activity=first, targets={2026: 50.0})  # 25 → 0.5
    indicator(session, "LIV-01.I9", owner=owner)  # never reported: left out
    _verified(session, "LIV-01.I1", 90.0)
    _verified(session, "LIV-01.I2", 60.0)
    _verified(session, "LIV-01.01.I1", 25.0)
    (node,) = next(n for n in progress.tree(session, 2026) if n.key == "living").children
    # (2 * 0.9 + 1 * 0.8 + 1 * 0.5) / (2 + 1 + 1) = 3.1 / 4 = 0.775
    assert node.progress == pytest.approx(0.775)
    assert node.rag is Rag.RED
    assert node.children[0].progress == pytest.approx(0.5)
    statuses = {s.indicator.code: s for s in node.indicators}
    assert statuses["LIV-01.I1"].rag is Rag.AMBER
    assert statuses["LIV-01.I2"].rag is Rag.AMBER
    assert statuses["LIV-01.I9"].rag is Rag.NONE
    assert progress.tree(session, 2022)[0].children == []  # the programme starts in 2023


def test_only_verified_values_count_and_corrections_supersede(session: Session) -> None:
    owner = programme(session)
    indicator(session, "LIV-01.I1", owner=owner)
    first = _verified(session, "LIV-01.I1", 70.0)
    submitted = monitoring.report_value(
        session,
        actor=DINKES,
        indicator=service.get_indicator(session, "LIV-01.I1"),
        period_date=date(2026, 9, 30),
        value=95.0,
    )
    status = progress.statuses(session, 2026)[first.indicator_id]
    assert status.value == 70.0  # the newer value waits for verification
    correction = monitoring.report_value(
        session,
        actor=DINKES,
        indicator=service.get_indicator(session, "LIV-01.I1"),
        period_date=date(2026, 6, 30),
        value=75.0,
        note="Salah ketik.",
        replaces=first,
    )
    monitoring.review(session, actor=TIM, entry=correction, approve=True)
    assert first.status is RealisationStatus.SUPERSEDED
    monitoring.review(session, actor=TIM, entry=submitted, approve=False, note="Tanpa bukti.")
    assert progress.statuses(session, 2026)[first.indicator_id].value == 75.0
    with pytest.raises(Conflict):
        monitoring.review(session, actor=TIM, entry=submitted, approve=True)


def test_who_reports_and_who_verifies(session: Session) -> None:
    owner = programme(session)
    mine = indicator(session, "LIV-01.I1", owner=owner)
    with pytest.raises(PermissionDenied):
        monitoring.report_value(
            session, actor=DISHUB, indicator=mine, period_date=date(2026, 1, 31), value=1.0
        )
    with pytest.raises(PermissionDenied):
        monitoring.report_value(
            session, actor=WALIKOTA, indicator=mine, period_date=date(2026, 1, 31), value=1.0
        )
    entry = monitoring.report_value(
        session, actor=DINKES, indicator=mine, period_date=date(2026, 1, 31), value=1.0
    )
    with pytest.raises(PermissionDenied):
        monitoring.review(session, actor=DINKES, entry=entry, approve=True)
    with pytest.raises(InvalidInput):
        monitoring.review(session, actor=TIM, entry=entry, approve=False)  # no reason
    with pytest.raises(InvalidInput):
        monitoring.report_value(
            session, actor=DINKES, indicator=mine, period_date=date(2999, 1, 1), value=1.0
        )


def test_programmes_and_indicators_are_checked(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        service.save_programme(
            session,
            actor=TIM,
            data=service.ProgrammeInput(
                code="",
                name="x",
                dimensi_kode="luar-angkasa",
                pd_kode="bukan",
                start_year=2030,
                end_year=2020,
                kelurahan_kodes=["99"],
            ),
        )
    assert set(refused.value.errors) >= {
        "code",
        "name",
        "dimensi_kode",
        "pd_kode",
        "years",
        "kelurahan_kodes",
    }
    with pytest.raises(InvalidInput) as wrong_priority:
        programme(session, prioritas_kode="governance.a")  # a governance priority on living
    assert "prioritas_kode" in wrong_priority.value.errors
    owner = programme(session)
    with pytest.raises(InvalidInput) as bad:
        indicator(
            session,
            "LIV-01.I1",
            owner=owner,
            direction="band",
            source_kind="live",
            live_metric="tidak-ada",
            amber_at=1.5,
        )
    assert set(bad.value.errors) >= {"band", "live_metric", "thresholds"}
    with pytest.raises(PermissionDenied):
        service.save_programme(
            session,
            actor=DINKES,
            data=service.ProgrammeInput(
                code="X-1",
                name="Program",
                dimensi_kode="living",
                pd_kode="dinkes",
                start_year=2024,
                end_year=2025,
            ),
        )
    with pytest.raises(NotFound):
        service.get_indicator(session, "TIDAK-ADA")
