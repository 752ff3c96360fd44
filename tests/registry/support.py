"""Valid rows of any registry, built from its declaration (the generic tests' data).

A row starts from the registry's ``example``; required references get a row of the
referenced registry made the same way (recursively); other required fields get a value of
their kind. Natural keys get a counter so that rows never clash.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.core import permissions
from pontive.core.identity import Actor, ActorKind
from pontive.core.registry import Field, Kind, Registry, get
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference
from pontive.registry import store

_COUNTER = itertools.count(1)
# Roles tried in order to find one allowed to edit a registry (PD officers last).
_EDITORS = (Role.ADMIN, Role.TIM_TEKNIS, Role.OPERATOR, Role.DEWAN, Role.WALIKOTA)


def editor_role(registry: Registry) -> Role:
    """A city-wide role allowed to edit ``registry``."""
    rule = permissions.registered_actions()[registry.edit_action]
    for role in _EDITORS:
        if role in rule.roles:
            return role
    raise AssertionError(f"{registry.name}: only PD officers may edit it")


def actor_for(registry: Registry) -> Actor:
    """A system-made actor allowed to edit ``registry``."""
    return Actor(ActorKind.USER, editor_role(registry), id=None, name="penguji")


def value_for(session: Session, spec: Field) -> Any:
    """A valid value of ``spec``'s kind, as a form would send it."""
    kind = spec.kind
    low = spec.minimum if spec.minimum is not None else 1
    if kind in (Kind.TEXT, Kind.LONGTEXT):
        return f"Contoh {spec.name} {next(_COUNTER)}"[: spec.max_length]
    if kind in (Kind.INT, Kind.DECIMAL):
        return str(int(low) if kind is Kind.INT else low)
    if kind is Kind.DATE:
        return (utcnow().astimezone(WIB).date() + timedelta(days=30)).isoformat()
    if kind is Kind.DATETIME:
        return "2026-11-30T10:00"
    if kind is Kind.BOOL:
        return "false"
    if kind in (Kind.CHOICE, Kind.CHOICES) and spec.choices is not None:
        return next(iter(spec.choices)).value
    if kind is Kind.PD:
        return reference.list_perangkat_daerah(session=session)[0].kode
    if kind is Kind.KELURAHAN:
        return reference.list_kecamatan(session=session)[0].kelurahan[0].kode
    if kind is Kind.URL:
        return "https://contoh.pontianak.go.id/"
    if kind is Kind.EMAIL:
        return "penguji@contoh.id"
    if kind is Kind.PHONE:
        return "+62 812 5555 0101"
    if kind is Kind.LINE:
        return "109.3300 -0.0300\n109.3400 -0.0350"
    raise AssertionError(f"no sample for {kind}")


def sample(session: Session, registry: Registry) -> dict[str, Any]:
    """A valid new row of ``registry`` (creating the rows it must refer to)."""
    values: dict[str, Any] = {k: v for k, v in registry.example.items()}
    for spec in registry.editable:
        if spec.kind is Kind.POINT:
            if spec.required and not values.get("lon"):
                values["lon"], values["lat"] = "109.3425", "-0.0263"
            continue
        present = str(values.get(spec.name, "")).strip()
        if spec.kind is Kind.REF and spec.ref is not None and (spec.required or present):
            if spec.required or not present.isdigit():
                values[spec.name] = str(make_row(session, get(spec.ref)).id)
            continue
        if spec.required and not present:
            values[spec.name] = value_for(session, spec)
    key = registry.natural_key
    if key:
        base = str(values.get(key) or value_for(session, registry.field(key)))
        values[key] = f"{base}-{next(_COUNTER)}"[: registry.field(key).max_length]
    return values


def make_row(session: Session, registry: Registry) -> Any:
    """A stored row of ``registry`` (through the store, so its history exists)."""
    return store.save_row(session, registry, actor_for(registry), sample(session, registry))
