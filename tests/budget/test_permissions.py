"""Who may do what with the budget (``masterplan/service.py``: ``BUDGET_MANAGE``,
``BUDGET_REPORT``), through the services the console, the API and the import call."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.budget import service
from pontive.core.audit import AuditEvent
from pontive.core.errors import PermissionDenied
from pontive.core.roles import Role
from tests.budget.support import DLH, PUPR, TIM, WALIKOTA, actor, line


def test_a_pd_officer_reports_its_own_lines_realisation_only(session: Session) -> None:
    own = line(session, "P-001")  # DLH's
    service.report_realisation(session, actor=DLH, line=own, quarter=1, realised="90.000.000")
    assert own.quarters[0].realised == Decimal("90000000.00")
    with pytest.raises(PermissionDenied):
        service.report_realisation(session, actor=PUPR, line=own, quarter=1, realised=1)
    assert own.quarters[0].realised == Decimal("90000000.00")
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "budget.line.realised")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert event.object_id == "2026:P-001"


@pytest.mark.parametrize("role", [Role.WALIKOTA, Role.DEWAN, Role.OPERATOR, Role.PETUGAS_PD])
def test_only_the_technical_team_and_admins_keep_lines(session: Session, role: Role) -> None:
    target = line(session, "P-010")
    who = actor(role, pd="dlh" if role is Role.PETUGAS_PD else None)
    data = service.LineInput(2026, "P-011", "Baris baru", "dlh", "apbd", "sdm")
    with pytest.raises(PermissionDenied):
        service.save_line(session, actor=who, data=data)
    with pytest.raises(PermissionDenied):
        service.save_line(session, actor=who, data=data, line=target)


def test_the_mayor_reports_nothing_and_the_technical_team_any_line(session: Session) -> None:
    target = line(session, "P-020", pd_kode="pupr")
    with pytest.raises(PermissionDenied):
        service.report_realisation(session, actor=WALIKOTA, line=target, quarter=2, realised=5)
    service.report_realisation(session, actor=TIM, line=target, quarter=2, realised=5)
    assert target.quarters[1].realised == Decimal("5.00")
