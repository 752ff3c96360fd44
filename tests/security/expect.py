"""What each principal should get from a route, derived from its access class, and how a
response is judged allowed or refused."""

from __future__ import annotations

from enum import StrEnum

import httpx2 as httpx

from pontive.core import permissions
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from tests.security.conftest import OWN_PD, Principal
from tests.security.routes import RouteInfo

# Registries asked of every staff principal in the default run (their routes are one generic
# implementation): a PD-owned one with a sealed personal field, a public one with personal
# fields, a PD-owned one with documents. Every registry is asked of everyone under soak.
SAMPLED_REGISTRIES = frozenset(
    {"institutions.participants", "institutions.council-members", "assets.infrastructure"}
)


class Outcome(StrEnum):
    """What the matrix expects."""

    ALLOW = "allow"  # answered: not refused, not sent to sign in
    REFUSE = "refuse"  # 401, 403, 404, or sent to sign in
    ANY = "any"  # anything but a server error


def actor_of(principal: Principal) -> Actor:
    """The actor the app makes of this principal (no id: permissions never read it)."""
    if principal.role is None:
        return ANONYMOUS
    return Actor(ActorKind.USER, principal.role, name=principal.name, pd_kode=principal.pd_kode)


def _has_object(route: RouteInfo) -> bool:
    return "{" in route.path


def expected(route: RouteInfo, principal: Principal) -> Outcome:
    """The outcome of a read of ``route`` by ``principal``."""
    access = route.access or ""
    if access == "public":
        return Outcome.ALLOW
    if access == "staff":
        return Outcome.ANY if principal.is_staff else Outcome.REFUSE
    if access == "staff-or-citizen":
        return Outcome.ALLOW if principal.role is not None else Outcome.REFUSE
    action = route.action
    if action is None:  # link, write, machine: their own tests
        return Outcome.ANY
    rule = permissions.registered_actions()[action]
    actor = actor_of(principal)
    if rule.pd_scoped and principal.role is not None and principal.pd_kode is not None:
        if not _has_object(route):
            return Outcome.ANY  # a list: scoped by the service, not refused
        owned = route.registry is None or route.registry.owner_field is not None
        if not owned:
            return Outcome.ANY
    allowed = permissions.can(actor, action, owner_pd=OWN_PD)
    return Outcome.ALLOW if allowed else Outcome.REFUSE


def is_sign_in_redirect(response: httpx.Response) -> bool:
    """A page asking an anonymous visitor to sign in."""
    return response.status_code in (302, 303, 307) and response.headers.get(
        "location", ""
    ).startswith("/masuk")


def is_refused(response: httpx.Response) -> bool:
    """Refused: not authenticated, forbidden, hidden as not found, or sent to sign in."""
    return response.status_code in (401, 403, 404) or is_sign_in_redirect(response)


def check(route: RouteInfo, principal: Principal, response: httpx.Response) -> str | None:
    """What is wrong with ``response``, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    outcome = expected(route, principal)
    if outcome is Outcome.REFUSE and not is_refused(response):
        return f"expected refusal, got {status}"
    if outcome is Outcome.ALLOW and (status in (401, 403) or is_sign_in_redirect(response)):
        return f"expected access, got {status} {response.headers.get('location', '')}"
    return None
