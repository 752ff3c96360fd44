"""Actors, places and factories for the coordination tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.coordination import service, tasks
from pontive.coordination.models import Incident, Task
from pontive.coordination.service import IncidentInput
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

# Jl. Gajah Mada (Benua Melayu Darat, Pontianak Selatan): inside the city on any index.
LON, LAT = 109.3427, -0.0391


def actor(role: Role | None, *, pd: str | None = None, number: int = 7) -> Actor:
    """A signed-in user of ``role`` (``None``: an anonymous visitor)."""
    if role is None:
        return ANONYMOUS
    return Actor(
        kind=ActorKind.USER, role=role, id=number, name=f"{role.value}{number}", pd_kode=pd
    )


OPERATOR = actor(Role.OPERATOR, number=1)
PUPR = actor(Role.PETUGAS_PD, pd="pupr", number=2)
BPBD = actor(Role.PETUGAS_PD, pd="bpbd", number=3)
DISHUB = actor(Role.PETUGAS_PD, pd="dishub", number=4)
WALIKOTA = actor(Role.WALIKOTA, number=5)
DEWAN = actor(Role.DEWAN, number=6)


def incident_input(**overrides: Any) -> IncidentInput:
    """A valid flood incident at Jl. Gajah Mada; ``overrides`` replace fields."""
    values: dict[str, Any] = {
        "title": "Genangan rob di Jl. Gajah Mada",
        "kind": "banjir",
        "severity": "tinggi",
        "lon": LON,
        "lat": LAT,
        "description": "Air setinggi 30 cm menutup badan jalan sejak pukul 17.00 WIB.",
        "lead_pd_kode": "bpbd",
        "agencies": ["pupr"],
    }
    values.update(overrides)
    return IncidentInput(**values)


def open_incident(session: Session, **overrides: Any) -> Incident:
    """An open incident, opened by the operator."""
    return service.open_incident(session, actor=OPERATOR, data=incident_input(**overrides))


def make_task(session: Session, incident: Incident | None = None, **overrides: Any) -> Task:
    """A task for PUPR due in a day."""
    values: dict[str, Any] = {
        "title": "Pompa air di simpang Gajah Mada",
        "pd_kode": "pupr",
        "priority": "tinggi",
        "due_at": utcnow() + timedelta(days=1),
    }
    values.update(overrides)
    return tasks.create_task(
        session, actor=OPERATOR, data=tasks.TaskInput(**values), incident=incident
    )
