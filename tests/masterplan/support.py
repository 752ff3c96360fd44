"""Actors and factories for the masterplan tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.masterplan import service
from pontive.masterplan.models import Activity, Indicator, Programme


def actor(role: Role, *, pd: str | None = None, number: int = 11) -> Actor:
    """A signed-in user of ``role``."""
    return Actor(
        kind=ActorKind.USER, role=role, id=number, name=f"{role.value}{number}", pd_kode=pd
    )


TIM = actor(Role.TIM_TEKNIS, number=1)
DINKES = actor(Role.PETUGAS_PD, pd="dinkes", number=2)
DISHUB = actor(Role.PETUGAS_PD, pd="dishub", number=3)
WALIKOTA = actor(Role.WALIKOTA, number=4)


def programme(session: Session, code: str = "LIV-01", **overrides: Any) -> Programme:
    """A Smart Living programme of Dinkes, 2023-2032."""
    values: dict[str, Any] = {
        "code": code,
        "name": "Layanan kesehatan digital",
        "dimensi_kode": "living",
        "pd_kode": "dinkes",
        "start_year": 2023,
        "end_year": 2032,
        "prioritas_kode": None,
    }
    values.update(overrides)
    return service.save_programme(session, actor=TIM, data=service.ProgrammeInput(**values))


def activity(session: Session, owner: Programme, code: str, **overrides: Any) -> Activity:
    """An activity of ``owner``."""
    values: dict[str, Any] = {
        "code": code,
        "name": f"Kegiatan {code}",
        "pd_kode": owner.pd_kode,
        "start_year": 2023,
        "end_year": 2032,
    }
    values.update(overrides)
    return service.save_activity(
        session, actor=TIM, programme=owner, data=service.ActivityInput(**values)
    )


def indicator(
    session: Session,
    code: str,
    *,
    owner: Programme | None = None,
    of_activity: Activity | None = None,
    **overrides: Any,
) -> Indicator:
    """A manual, higher-is-better indicator with a target of 100 in 2026."""
    values: dict[str, Any] = {
        "code": code,
        "name_id": f"Indikator {code}",
        "unit": "%",
        "direction": "higher",
        "pd_kode": "dinkes",
        "targets": {2026: 100.0},
    }
    values.update(overrides)
    return service.save_indicator(
        session,
        actor=TIM,
        data=service.IndicatorInput(**values),
        programme=owner,
        activity=of_activity,
    )
