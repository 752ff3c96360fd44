"""Actors and factories for the budget tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from pontive.budget import service
from pontive.budget.models import BudgetLine
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role


def actor(role: Role, *, pd: str | None = None, number: int = 21) -> Actor:
    """A signed-in user of ``role``."""
    return Actor(
        kind=ActorKind.USER, role=role, id=number, name=f"{role.value}{number}", pd_kode=pd
    )


TIM = actor(Role.TIM_TEKNIS, number=1)
DLH = actor(Role.PETUGAS_PD, pd="dlh", number=2)
PUPR = actor(Role.PETUGAS_PD, pd="pupr", number=3)
WALIKOTA = actor(Role.WALIKOTA, number=4)


def line(
    session: Session,
    code: str = "T-001",
    *,
    planned: tuple[int, int, int, int] = (100_000_000, 200_000_000, 300_000_000, 400_000_000),
    realised: tuple[int, ...] = (),
    **overrides: Any,
) -> BudgetLine:
    """A 2026 APBD technology line of DLH, planned by quarter, realised as given."""
    values: dict[str, Any] = {
        "year": 2026,
        "code": code,
        "name": f"Mata anggaran {code}",
        "pd_kode": "dlh",
        "source": "apbd",
        "category": "teknologi",
        "planned": {q: Decimal(v) for q, v in enumerate(planned, start=1)},
    }
    values.update(overrides)
    saved = service.save_line(session, actor=TIM, data=service.LineInput(**values))
    for quarter, amount in enumerate(realised, start=1):
        service.report_realisation(
            session, actor=TIM, line=saved, quarter=quarter, realised=Decimal(amount)
        )
    return saved
