"""Who may do what: one table of actions and roles, checked inside services.

Domains add their own actions with ``register``. An action marked ``pd_scoped`` lets a
``petugas_pd`` act only on objects owned by the actor's own Perangkat Daerah; city-wide roles
act on any. ``tests/core/test_permissions.py`` checks the whole matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pontive.core.choices import Classification
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.identity import Actor
from pontive.core.roles import Role

STAFF = frozenset(role for role in Role if role.is_staff)
CITY_WIDE = frozenset({Role.OPERATOR, Role.TIM_TEKNIS, Role.WALIKOTA, Role.ADMIN})
LEADERSHIP = frozenset({Role.DEWAN, Role.WALIKOTA})


@dataclass(frozen=True, slots=True)
class Rule:
    """Roles allowed an action, and whether PD officers are limited to their own PD."""

    roles: frozenset[Role]
    pd_scoped: bool = False


_RULES: dict[str, Rule] = {}


def register(action: str, roles: Iterable[Role], *, pd_scoped: bool = False) -> str:
    """Declare an action and the roles that may perform it; returns the action name."""
    if action in _RULES:
        raise ValueError(f"action {action!r} registered twice")
    _RULES[action] = Rule(frozenset(roles), pd_scoped)
    return action


def registered_actions() -> dict[str, Rule]:
    """Every declared action (for the matrix test and the admin page)."""
    return dict(_RULES)


def can(actor: Actor, action: str, *, owner_pd: str | None = None) -> bool:
    """Whether ``actor`` may perform ``action`` on an object owned by ``owner_pd``."""
    rule = _RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown action {action!r}: register it in permissions")
    if actor.role is None or actor.role not in rule.roles:
        return False
    if rule.pd_scoped and actor.role is Role.PETUGAS_PD:
        return owner_pd is not None and owner_pd == actor.pd_kode
    return True


def require(actor: Actor, action: str, *, owner_pd: str | None = None) -> None:
    """Raise ``NotAuthenticated`` or ``PermissionDenied`` unless ``can`` allows it."""
    if can(actor, action, owner_pd=owner_pd):
        return
    if not actor.is_authenticated:
        raise NotAuthenticated
    raise PermissionDenied


def can_see(actor: Actor, classification: Classification, *, owner_pd: str | None = None) -> bool:
    """Whether ``actor`` may see a thing of this classification (events, data, pages)."""
    if classification is Classification.PUBLIK:
        return True
    role = actor.role
    if role is None or not role.is_staff:
        return False
    if classification is Classification.RAHASIA:
        return role is Role.ADMIN or (
            role is Role.PETUGAS_PD and owner_pd is not None and owner_pd == actor.pd_kode
        )
    # terbatas: all staff, but a PD officer only for their own PD's things
    if role is Role.PETUGAS_PD and owner_pd is not None:
        return owner_pd == actor.pd_kode
    return True


# Foundation actions. Domain packages register theirs in their own service modules.
CONSOLE_VIEW = register("console.view", STAFF)
USERS_MANAGE = register("users.manage", {Role.ADMIN})
USERS_VIEW = register("users.view", {Role.ADMIN, Role.TIM_TEKNIS})
APIKEYS_MANAGE = register("apikeys.manage", {Role.ADMIN})
AUDIT_VIEW = register("audit.view", {Role.ADMIN, Role.TIM_TEKNIS})
REFERENCE_MANAGE = register("reference.manage", {Role.ADMIN, Role.TIM_TEKNIS})
