"""Rows and actors the infrastructure and software-catalogue tests share (no tests here):
sites, assets, systems and integrations written through the registry store as a form would
send them, with a counter so that codes never clash."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from pontive.assets.infra_registries import INFRASTRUCTURE, SITES
from pontive.assets.software_registries import INTEGRATIONS, SYSTEMS
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.registry import store

_COUNTER = itertools.count(1)
ADMIN = Actor(ActorKind.USER, Role.ADMIN, id=None, name="uji-admin")
TEAM = Actor(ActorKind.USER, Role.TIM_TEKNIS, id=None, name="uji-tim")


def officer(pd_kode: str) -> Actor:
    """A PD officer of agency ``pd_kode``."""
    return Actor(ActorKind.USER, Role.PETUGAS_PD, id=None, name=f"uji-{pd_kode}", pd_kode=pd_kode)


def code(prefix: str) -> str:
    """A code no other row of the run uses."""
    return f"{prefix}-{next(_COUNTER):04d}"


def make_site(session: Session, actor: Actor = ADMIN, **values: Any) -> Any:
    """A site (a POP of Diskominfo unless told otherwise)."""
    raw = {
        "code": code("UJI-SITE"),
        "name": "Lokasi uji",
        "kind": "pop",
        "pd_kode": "diskominfo",
        "lon": "109.3410",
        "lat": "-0.0300",
    } | values
    return store.save_row(session, SITES, actor, raw)


def make_asset(session: Session, actor: Actor = ADMIN, **values: Any) -> Any:
    """An infrastructure asset (an active Diskominfo server unless told otherwise)."""
    raw = {
        "code": code("UJI-AST"),
        "name": "Aset uji",
        "kind": "server",
        "status": "aktif",
        "pd_kode": "diskominfo",
    } | values
    return store.save_row(session, INFRASTRUCTURE, actor, raw)


def make_system(session: Session, actor: Actor = ADMIN, **values: Any) -> Any:
    """A catalogued system (a Diskominfo information system in production by default)."""
    raw = {
        "code": code("UJI-SYS"),
        "name": f"Sistem uji {next(_COUNTER)}",
        "category": "sistem_informasi",
        "pd_kode": "diskominfo",
        "status": "produksi",
        "classification": "terbatas",
    } | values
    return store.save_row(session, SYSTEMS, actor, raw)


def make_link(
    session: Session, source: Any, target: Any, actor: Actor = ADMIN, **values: Any
) -> Any:
    """An integration from ``source`` to ``target``."""
    raw = {
        "code": code("UJI-INT"),
        "name": "Integrasi uji",
        "source_id": str(source.id),
        "target_id": str(target.id),
        "method": "api",
        "direction": "satu_arah",
        "status": "aktif",
        "pd_kode": source.pd_kode,
    } | values
    return store.save_row(session, INTEGRATIONS, actor, raw)
