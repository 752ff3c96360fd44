"""Signed webhooks: partners register an HTTPS endpoint and receive alert events.

Each public event whose type matches a subscription's pattern becomes one
``WebhookDelivery`` row (at most one per subscription and event). The delivery job POSTs the
event's wire form (the same JSON the bus and the SSE stream carry) with these headers:

- ``X-Pontive-Event``: the event type; ``X-Pontive-Delivery``: the delivery id (stable across
  retries, so a partner can drop duplicates); ``X-Pontive-Timestamp``: Unix seconds of this
  attempt;
- ``X-Pontive-Signature: sha256=<hex>``: HMAC-SHA256 under the subscription's secret of
  ``"<timestamp>.<body>"``. Partners check it with :func:`verify_signature` (or the same few
  lines in their language) and refuse old timestamps, which stops replays.

Sending, retries and the delivery job are in ``webhooks_send.py``. Only events classified
PUBLIK are ever queued: partners are outside the city's network of trust.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pontive.alerts.choices import DeliveryStatus
from pontive.alerts.models import WebhookDelivery, WebhookSubscription
from pontive.core import audit, permissions
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import Event, matches
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.web.i18n import translate

log = logging.getLogger(__name__)

WEBHOOKS_MANAGE = permissions.register("alerts.webhooks.manage", {Role.ADMIN, Role.OPERATOR})

SIGNATURE_TOLERANCE_SECONDS = 300


# --- signing -------------------------------------------------------------------------------


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The ``X-Pontive-Signature`` value: ``sha256=`` + HMAC-SHA256 of ``"<ts>.<body>"``."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes | str,
    header: str,
    *,
    tolerance_s: int = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """For partners: whether ``header`` (``X-Pontive-Signature``) signs ``body`` sent at
    ``timestamp`` (``X-Pontive-Timestamp``) under ``secret``, within ``tolerance_s`` of now.

    Pass the raw request body, byte for byte, before any JSON parsing.
    """
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance_s:
        return False
    raw = body.encode() if isinstance(body, str) else body
    return hmac.compare_digest(sign(secret, sent, raw), header.strip())


# --- subscriptions -------------------------------------------------------------------------


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    key = "alerts.webhooks.invalid"
    return InvalidInput(translate(key, "id"), translate(key, "en"), errors=errors)


def _is_valid_pattern(pattern: str) -> bool:
    parts = pattern.split(".")
    if not pattern or len(pattern) > 200 or ">" in parts[:-1]:
        return False
    return all(part in ("*", ">") or (part and part.replace("_", "").isalnum()) for part in parts)


def _check(name: str, url: str, event_types: str, lang: str) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip() or len(name) > 200:
        errors["name"] = [translate("alerts.webhooks.name_required", lang)]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        errors["url"] = [translate("alerts.webhooks.url_invalid", lang)]
    if not _is_valid_pattern(event_types):
        errors["event_types"] = [translate("alerts.webhooks.pattern_invalid", lang)]
    if errors:
        raise _invalid(errors)


def _state(row: WebhookSubscription) -> dict[str, Any]:
    # The secret never enters the audit digest input in clear: only whether it changed.
    return {
        "name": row.name,
        "url": row.url,
        "event_types": row.event_types,
        "active": row.active,
        "secret_digest": hashlib.sha256(row.secret.encode()).hexdigest(),
    }


def _subscription_or_404(session: Session, subscription_id: int) -> WebhookSubscription:
    row = session.get(WebhookSubscription, subscription_id)
    if row is None:
        key = "alerts.webhooks.not_found"
        raise NotFound(translate(key, "id"), translate(key, "en"))
    return row


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    row: WebhookSubscription,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="webhook_subscription",
        object_id=row.id,
        before=before,
        after=after,
    )


def new_secret() -> str:
    """A fresh signing secret (256 bits, URL-safe)."""
    return "whsec_" + secrets.token_urlsafe(32)


def create_subscription(
    session: Session,
    *,
    actor: Actor,
    name: str,
    url: str,
    event_types: str = "alerts.>",
    lang: str = "id",
) -> tuple[WebhookSubscription, str]:
    """Register a partner endpoint; returns it and its secret (shown this once only)."""
    permissions.require(actor, WEBHOOKS_MANAGE)
    _check(name, url, event_types, lang)
    secret = new_secret()
    row = WebhookSubscription(
        name=name.strip(),
        url=url.strip(),
        secret=secret,
        event_types=event_types,
        active=True,
        created_by=actor.label,
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "alerts.webhook.create", row, None, _state(row))
    session.commit()
    return row, secret


def update_subscription(
    session: Session,
    *,
    actor: Actor,
    subscription_id: int,
    name: str | None = None,
    url: str | None = None,
    event_types: str | None = None,
    active: bool | None = None,
    lang: str = "id",
) -> WebhookSubscription:
    """Change a subscription's name, URL, pattern or whether it is active."""
    permissions.require(actor, WEBHOOKS_MANAGE)
    row = _subscription_or_404(session, subscription_id)
    before = _state(row)
    name = row.name if name is None else name
    url = row.url if url is None else url
    event_types = row.event_types if event_types is None else event_types
    _check(name, url, event_types, lang)
    row.name, row.url, row.event_types = name.strip(), url.strip(), event_types
    if active is not None:
        row.active = active
    session.flush()
    _audit(session, actor, "alerts.webhook.update", row, before, _state(row))
    session.commit()
    return row


def rotate_secret(session: Session, *, actor: Actor, subscription_id: int) -> str:
    """Replace a subscription's secret; returns the new one (shown this once only)."""
    permissions.require(actor, WEBHOOKS_MANAGE)
    row = _subscription_or_404(session, subscription_id)
    before = _state(row)
    secret = new_secret()
    row.secret = secret
    session.flush()
    _audit(session, actor, "alerts.webhook.rotate_secret", row, before, _state(row))
    session.commit()
    return secret


def delete_subscription(session: Session, *, actor: Actor, subscription_id: int) -> None:
    """Remove a subscription and its delivery log."""
    permissions.require(actor, WEBHOOKS_MANAGE)
    row = _subscription_or_404(session, subscription_id)
    _audit(session, actor, "alerts.webhook.delete", row, _state(row), None)
    session.delete(row)
    session.commit()


def list_subscriptions(session: Session, *, actor: Actor) -> list[WebhookSubscription]:
    """Every subscription by name (secrets are sealed; never show ``secret``)."""
    permissions.require(actor, WEBHOOKS_MANAGE)
    query = select(WebhookSubscription).order_by(WebhookSubscription.name)
    return list(session.scalars(query))


def list_deliveries(
    session: Session,
    *,
    actor: Actor,
    subscription_id: int | None = None,
    status: DeliveryStatus | None = None,
    limit: int = 50,
) -> list[WebhookDelivery]:
    """The delivery log, newest first (each row's ``attempt_log`` lists every attempt)."""
    permissions.require(actor, WEBHOOKS_MANAGE)
    query = select(WebhookDelivery).order_by(WebhookDelivery.id.desc())
    if subscription_id is not None:
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return list(session.scalars(query.limit(min(max(limit, 1), 500))))


# --- queueing ------------------------------------------------------------------------------


def queue_deliveries(session: Session, event: Event) -> int:
    """Queue ``event`` for every active subscription whose pattern matches; returns how many
    new rows (an event already queued for a subscription is not queued again)."""
    if event.classification is not Classification.PUBLIK:
        return 0  # drafts and staff-only news never leave the city
    active = session.execute(
        select(WebhookSubscription.id, WebhookSubscription.event_types).where(
            WebhookSubscription.active.is_(True)
        )
    )
    targets = {row.id for row in active if matches(row.event_types, event.type)}
    queued = session.scalars(
        select(WebhookDelivery.subscription_id).where(WebhookDelivery.event_id == event.id)
    )
    targets -= set(queued)
    if not targets:
        return 0
    payload = event.to_json().decode()
    now = utcnow()
    rows = [
        {
            "subscription_id": subscription_id,
            "event_id": event.id,
            "event_type": event.type,
            "payload": payload,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "attempt_log": [],
            "next_attempt_at": now,
            "created_at": now,
        }
        for subscription_id in sorted(targets)
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(WebhookDelivery).on_conflict_do_nothing(
        index_elements=["subscription_id", "event_id"]
    )
    # A concurrent queueing of the same event (two workers) is absorbed by the unique key.
    session.execute(statement, rows)
    return len(rows)
