"""Who is acting: a signed-in user, a machine's API key, the system, or an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from pontive.core.roles import Role


class ActorKind(StrEnum):
    """How the actor was identified."""

    USER = "user"
    API_KEY = "api_key"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Actor:
    """The identity a service call runs under; passed explicitly to every service."""

    kind: ActorKind
    role: Role | None
    id: int | None = None
    name: str = ""
    pd_kode: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    request_id: str | None = None

    @property
    def label(self) -> str:
        """How the actor appears in the audit trail, e.g. ``user:7:operator1``."""
        if self.kind is ActorKind.ANONYMOUS:
            return "anonymous"
        if self.kind is ActorKind.SYSTEM:
            return f"system:{self.name}"
        return f"{self.kind.value}:{self.id}:{self.name}"

    @property
    def is_authenticated(self) -> bool:
        """Whether the actor proved an identity (user, key or system)."""
        return self.kind is not ActorKind.ANONYMOUS

    def with_request(self, request_id: str | None) -> Actor:
        """The same actor tagged with the request that carries it."""
        return replace(self, request_id=request_id)


ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, role=None)


def system_actor(name: str) -> Actor:
    """The actor for CLI commands and background jobs run by the operator of the machine."""
    return Actor(kind=ActorKind.SYSTEM, role=Role.ADMIN, name=name)
