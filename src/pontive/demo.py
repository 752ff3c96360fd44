"""``pontive demo load``: believable Pontianak data for every domain that exists.

Creates one account per role (password ``DEMO_PASSWORD``, for local demos only), then calls
each domain's ``demo.load``. Refused outside ``PONTIVE_ENV=dev``/``test`` so a production
database never receives known passwords.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive import domains
from pontive.core import auth
from pontive.core.identity import system_actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.reference import service as reference

DEMO_PASSWORD = "pontive-demo-2026"  # noqa: S105 - documented demo credential, dev only


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One demo account."""

    username: str
    full_name: str
    role: Role
    pd_kode: str | None = None


DEMO_USERS = (
    DemoUser("admin", "Administrator Sistem", Role.ADMIN),
    DemoUser("operator", "Rina Operator Pontive Center", Role.OPERATOR),
    DemoUser("petugas.pupr", "Budi Santoso (Dinas PUPR)", Role.PETUGAS_PD, "pupr"),
    DemoUser("petugas.dlh", "Siti Rahmawati (DLH)", Role.PETUGAS_PD, "dlh"),
    DemoUser("timteknis", "Agus Pratama (Diskominfo)", Role.TIM_TEKNIS),
    DemoUser("dewan", "Dr. Hj. Nurul Aini (Dewan Smart City)", Role.DEWAN),
    DemoUser("walikota", "Wali Kota Pontianak", Role.WALIKOTA),
    DemoUser("warga", "Dewi Lestari", Role.WARGA),
)


def is_empty(session: Session) -> bool:
    """Whether the database has no user accounts yet."""
    return (session.scalar(select(func.count(User.id))) or 0) == 0


def load_demo(session: Session, *, boundaries: Path | None = None) -> list[str]:
    """Fill the database with demo data; returns what was loaded, for the CLI to report."""
    actor = system_actor("demo")
    loaded = []
    for demo_user in DEMO_USERS:
        auth.create_user(
            session=session,
            actor=actor,
            username=demo_user.username,
            password=DEMO_PASSWORD,
            role=demo_user.role,
            full_name=demo_user.full_name,
            email=f"{demo_user.username.replace('.', '-')}@demo.pontianak.go.id",
            pd_kode=demo_user.pd_kode,
        )
    loaded.append(f"{len(DEMO_USERS)} demo accounts (password: {DEMO_PASSWORD})")
    if boundaries is not None:
        count = reference.load_boundaries(session=session, actor=actor, path=boundaries)
        loaded.append(f"{count} kelurahan boundaries from {boundaries.name}")
    for domain, module in domains.domain_modules("demo"):
        loaded.append(f"{domain}: {module.load(session, actor)}")
    return loaded
