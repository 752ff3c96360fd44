"""Sending webhook deliveries (queued by ``webhooks.queue_deliveries``): the delivery job
POSTs each due delivery, signed, and records every attempt.

A 2xx answer means delivered. Anything else (another status, a redirect, a timeout, a refused
connection) is recorded on the row and retried after 1, 5, 15 and 60 minutes, then every 4
hours, until ``MAX_ATTEMPTS``; then the delivery is failed.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.choices import DeliveryStatus
from pontive.alerts.models import WebhookDelivery, WebhookSubscription
from pontive.alerts.webhooks import sign
from pontive.core.timeutil import utcnow
from pontive.core.worker import Job, JobContext
from pontive.settings import get_settings

log = logging.getLogger(__name__)

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
    timedelta(hours=4),
)
MAX_ATTEMPTS = 8  # about 13 hours of retries
TIMEOUT_SECONDS = 10.0
BATCH_SIZE = 50
DELIVERY_INTERVAL_SECONDS = 15.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: following it would resend the signed body
    (or, for 301-303, drop it) to an address nobody registered."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True, slots=True)
class Attempt:
    """How one POST went."""

    status_code: int | None
    error: str | None

    @property
    def is_delivered(self) -> bool:
        """2xx only."""
        return self.status_code is not None and 200 <= self.status_code < 300


def _refused_address(host: str, port: int) -> str | None:
    """Why ``host`` may not receive webhooks (an address of the city's own network, the
    machine itself, link-local cloud metadata …), or ``None`` when every address is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        return f"cannot resolve {host}: {error}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"{host} resolves to {address}, which is not a public address"
    return None


class HttpSender:
    """The HTTP adapter: one signed POST, every failure turned into an ``Attempt``.

    Deliveries go to public addresses only unless ``allow_private`` (the setting
    ``PONTIVE_WEBHOOK_PRIVATE_ADDRESSES``): a console form must not become a way to make the
    server POST into the city's internal network (SSRF)."""

    def __init__(self, *, timeout: float = TIMEOUT_SECONDS, allow_private: bool = False) -> None:
        self.timeout = timeout
        self.allow_private = allow_private

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> Attempt:
        """POST ``body``; never raises."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return Attempt(None, "URL scheme must be http or https")
        if not self.allow_private:
            default_port = 443 if parts.scheme == "https" else 80
            refused = _refused_address(parts.hostname or "", parts.port or default_port)
            if refused is not None:
                return Attempt(None, refused[:500])
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, data=body, method="POST", headers=headers
        )
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                response.read(1024)  # the answer is not used; read a little so it completes
                return Attempt(int(response.status), None)
        except urllib.error.HTTPError as error:
            return Attempt(error.code, f"HTTP {error.code}")
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return Attempt(None, f"{type(error).__name__}: {reason}"[:500])


def retry_delay(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt (1, 5, 15, 60 min, then 4 h)."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def _headers(delivery: WebhookDelivery, secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Pontive-Webhooks/1",
        "X-Pontive-Event": delivery.event_type,
        "X-Pontive-Delivery": str(delivery.id),
        "X-Pontive-Timestamp": str(timestamp),
        "X-Pontive-Signature": sign(secret, timestamp, body),
    }


def attempt_delivery(
    delivery: WebhookDelivery,
    subscription: WebhookSubscription,
    sender: HttpSender,
    *,
    now: datetime,
    max_attempts: int = MAX_ATTEMPTS,
) -> Attempt:
    """Send one delivery once and record the attempt on its row."""
    body = delivery.payload.encode()
    timestamp = int(now.timestamp())
    outcome = sender.send(
        subscription.url, body, _headers(delivery, subscription.secret, body, timestamp)
    )
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    entry = {"at": now.isoformat(), "status_code": outcome.status_code, "error": outcome.error}
    delivery.attempt_log = [*delivery.attempt_log, entry]  # a new list: JSON columns track sets
    if outcome.is_delivered:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
    elif delivery.attempts >= max_attempts:
        delivery.status = DeliveryStatus.FAILED
        log.error(
            "webhook delivery %s to %s failed for good after %d attempts: %s",
            delivery.id,
            subscription.name,
            delivery.attempts,
            outcome.error,
        )
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        log.warning(
            "webhook delivery %s to %s attempt %d failed: %s",
            delivery.id,
            subscription.name,
            delivery.attempts,
            outcome.error,
        )
    return outcome


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(session: Session, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    # One row locked at a time for the length of its POST (PostgreSQL; SQLite has one
    # writer anyway), so two workers never send the same delivery.
    return session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .with_for_update(skip_locked=True)
    ).first()


def deliver_due(
    session: Session,
    *,
    sender: HttpSender | None = None,
    now: datetime | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    batch_size: int = BATCH_SIZE,
) -> DeliveryReport:
    """Send the due deliveries, oldest first, committing after each so none is sent twice."""
    sender = sender or HttpSender()
    now = now or utcnow()
    due_ids = session.scalars(
        select(WebhookDelivery.id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
            WebhookSubscription.active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(batch_size)
    ).all()
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    for delivery_id in due_ids:
        delivery = _claim(session, delivery_id, now)
        if delivery is None:
            continue  # another worker holds it or has just sent it
        subscription = session.get(WebhookSubscription, delivery.subscription_id)
        if subscription is None:
            continue
        outcome = attempt_delivery(
            delivery, subscription, sender, now=now, max_attempts=max_attempts
        )
        if outcome.is_delivered:
            counts["delivered"] += 1
        elif delivery.status is DeliveryStatus.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
        session.commit()  # releases the row lock taken by _claim
    return DeliveryReport(**counts)


def _run_deliveries(context: JobContext) -> None:
    sender = HttpSender(allow_private=get_settings().webhook_private_addresses)
    report = deliver_due(context.session, sender=sender)
    if report.delivered or report.retrying or report.failed:
        log.info(
            "webhooks: %d delivered, %d retrying, %d failed",
            report.delivered,
            report.retrying,
            report.failed,
        )


JOBS = (Job("alerts.webhooks.deliver", DELIVERY_INTERVAL_SECONDS, _run_deliveries),)
