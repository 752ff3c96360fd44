"""Gateway keys: API keys that let one device's gateway write the observations of one Thing.

A gateway key holds the scope ``sta:thing:<id>`` (``service.gateway_scope``) and the least
role there is (``warga``): the scope, not the role, is what lets it write, and the sensors
service refuses it everything but new Observations in that Thing's Datastreams. Command-center
staff who register devices issue these keys (``sensors.gateway_keys.manage``), through
``core.auth`` like every other key (audited as ``apikey.create`` / ``apikey.revoke``); the
secret is shown once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import auth, permissions
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.models import ApiKey
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.sensors.models import Thing
from pontive.sensors.service import gateway_scope

GATEWAY_KEYS = permissions.register(
    "sensors.gateway_keys.manage", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
)
GATEWAY_ROLE = Role.WARGA  # least privilege: the scope grants the writes


def _thing_or_raise(session: Session, thing_id: int) -> Thing:
    thing = session.get(Thing, thing_id)
    if thing is None:
        raise NotFound("Perangkat tidak ditemukan.", "Thing not found.")
    return thing


def list_gateway_keys(*, session: Session, actor: Actor, thing_id: int) -> list[ApiKey]:
    """Every key bound to ``thing_id``, newest first (secrets are never stored)."""
    permissions.require(actor, GATEWAY_KEYS)
    scope = gateway_scope(thing_id)
    rows = session.scalars(
        select(ApiKey).where(ApiKey.scopes.contains(scope)).order_by(ApiKey.created_at.desc())
    )
    return [key for key in rows if scope in key.scope_list]


def create_gateway_key(
    *, session: Session, actor: Actor, thing_id: int, name: str = ""
) -> tuple[ApiKey, str]:
    """A new key for the gateway of ``thing_id``; returns the row and the secret (shown once)."""
    permissions.require(actor, GATEWAY_KEYS)
    thing = _thing_or_raise(session, thing_id)
    chosen = name.strip() or f"gateway-{thing.id}-{utcnow().astimezone(WIB):%Y%m%d-%H%M%S}"
    return auth.create_api_key(
        session=session,
        actor=actor,
        name=chosen[:100],
        role=GATEWAY_ROLE,
        scopes=[gateway_scope(thing.id)],
        permission=GATEWAY_KEYS,
    )


def revoke_gateway_key(*, session: Session, actor: Actor, thing_id: int, key_id: int) -> ApiKey:
    """Revoke one of ``thing_id``'s gateway keys (no other key can be revoked here)."""
    permissions.require(actor, GATEWAY_KEYS)
    key = session.get(ApiKey, key_id)
    if key is None or gateway_scope(thing_id) not in key.scope_list:
        raise NotFound("Kunci gateway tidak ditemukan.", "Gateway key not found.")
    return auth.revoke_api_key(session=session, actor=actor, name=key.name, permission=GATEWAY_KEYS)
