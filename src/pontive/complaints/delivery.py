"""Sending queued notifications: channel adapters, attempts, retries, in-app alerts.

``notify.py`` decides who is told what and queues ``Notification`` rows; this module sends
them from the worker. Each channel is an adapter behind one small protocol: e-mail over SMTP,
WhatsApp and SMS through HTTP gateways (the provider is configuration), a logging adapter for
development, and ``inapp`` (the row itself is the message a staff member reads in the
console). Every attempt is recorded on the row; a failed attempt is retried with growing
pauses until ``PONTIVE_NOTIFY_MAX_ATTEMPTS``, then the row is marked FAILED.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pontive.complaints.choices import DeliveryStatus
from pontive.complaints.models import Notification
from pontive.complaints.notify import BASE_URL
from pontive.core.errors import DomainError, NotFound, PermissionDenied
from pontive.core.identity import Actor, ActorKind
from pontive.core.timeutil import utcnow
from pontive.settings import Settings

log = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt; the last one repeats when more attempts are allowed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
    timedelta(hours=4),
)
BATCH_SIZE = 50
TIMEOUT_SECONDS = 15.0


class DeliveryError(DomainError):
    """A channel could not hand a message over (SMTP refused, gateway down, timeout...)."""

    status_code = 502
    code = "delivery_failed"
    default_id = "Pesan tidak dapat dikirim."
    default_en = "The message could not be delivered."


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message ready to hand to a channel (placeholders filled in)."""

    recipient: str
    subject: str
    body: str


class Channel(Protocol):
    """What every delivery adapter offers."""

    name: str

    def send(self, message: OutgoingMessage) -> None:
        """Hand the message over, or raise ``DeliveryError``."""


def mask_recipient(address: str) -> str:
    """An address with the personal part hidden, for logs: ``b***@e***.com``, ``***1234``."""
    if "@" in address:
        local, _, domain = address.partition("@")
        host, dot, tld = domain.rpartition(".")
        return f"{local[:1]}***@{(host or tld)[:1]}***{dot}{tld if host else ''}"
    digits = [c for c in address if c.isdigit()]
    return "***" + "".join(digits[-4:]) if len(digits) > 4 else "***"


class LogChannel:
    """Development adapter: writes the message to the log instead of sending it."""

    def __init__(self, name: str = "log") -> None:
        self.name = name

    def send(self, message: OutgoingMessage) -> None:
        """Log subject and masked recipient (the body may quote the reporter; not logged)."""
        log.info(
            "notification not sent (no %s channel configured): to %s, subject %r",
            self.name,
            mask_recipient(message.recipient),
            message.subject,
        )


class InAppChannel:
    """Staff alerts shown in the console: the row is the message, so sending is a no-op."""

    name = "inapp"

    def send(self, message: OutgoingMessage) -> None:
        """Nothing to hand over; the console reads the row."""


class SmtpChannel:
    """E-mail through an SMTP server: ``smtp://`` (STARTTLS required), ``smtps://`` (TLS),
    ``smtp+plain://`` (no TLS, for a relay on the same host)."""

    name = "email"

    def __init__(
        self,
        url: str,
        sender: str,
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps", "smtp+plain") or not parts.hostname:
            raise ValueError(f"unsupported SMTP URL scheme {parts.scheme!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or {"smtp": 587, "smtps": 465, "smtp+plain": 25}[parts.scheme]
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else ""
        self.sender = sender
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.timeout = timeout

    def _connect(self) -> smtplib.SMTP:
        if self.scheme == "smtps":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.ssl_context
            )
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.scheme == "smtp":
            try:
                client.ehlo()
                # Never send a password or a reporter's message in clear over the network.
                client.starttls(context=self.ssl_context)
                client.ehlo()
            except (smtplib.SMTPException, OSError):
                client.close()
                raise
        return client

    def send(self, message: OutgoingMessage) -> None:
        """Send one e-mail; any SMTP or network failure becomes ``DeliveryError``."""
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(domain="pontive")
        mail.set_content(message.body)
        try:
            with self._connect() as client:
                if self.username:
                    client.login(self.username, self.password)
                client.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(
                f"SMTP {self.host}:{self.port} menolak pesan: {error}",
                f"SMTP {self.host}:{self.port} failed: {error}",
            ) from error


class HttpGatewayChannel:
    """WhatsApp or SMS through an HTTP gateway: POST JSON ``{"to", "subject", "message"}``
    with ``Authorization: Bearer <token>``; any 2xx answer means accepted."""

    def __init__(
        self, name: str, url: str, token: str, *, timeout: float = TIMEOUT_SECONDS
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"gateway URL must be http(s): {url!r}")
        self.name = name
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, message: OutgoingMessage) -> None:
        """POST the message; a non-2xx answer or a network error becomes ``DeliveryError``."""
        payload = {
            "channel": self.name,
            "to": message.recipient,
            "subject": message.subject,
            "message": message.body,
        }
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=json.dumps(payload).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "User-Agent": "Pontive",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            raise DeliveryError(
                f"Gateway {self.name} menjawab HTTP {error.code}.",
                f"Gateway {self.name} answered HTTP {error.code}.",
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(
                f"Gateway {self.name} tidak dapat dihubungi: {error}",
                f"Gateway {self.name} unreachable: {error}",
            ) from error


def channels_from_settings(settings: Settings) -> dict[str, Channel]:
    """The adapter for each channel name notify.py queues; unconfigured ones log instead.

    WhatsApp falls back to the SMS gateway when only SMS is configured.
    """
    email: Channel = (
        SmtpChannel(settings.smtp_url, settings.smtp_from)
        if settings.smtp_url
        else LogChannel("email")
    )
    sms: Channel = (
        HttpGatewayChannel("sms", settings.sms_gateway_url, settings.sms_gateway_token)
        if settings.sms_gateway_url
        else LogChannel("sms")
    )
    whatsapp: Channel = (
        HttpGatewayChannel(
            "whatsapp", settings.whatsapp_gateway_url, settings.whatsapp_gateway_token
        )
        if settings.whatsapp_gateway_url
        else sms
        if settings.sms_gateway_url
        else LogChannel("whatsapp")
    )
    return {
        "email": email,
        "whatsapp": whatsapp,
        "sms": sms,
        "inapp": InAppChannel(),
        "log": LogChannel(),
    }


def retry_delay(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed attempt (1, 5, 15, 60 min, then 4 h)."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def _fill(text: str, base_url: str) -> str:
    return text.replace(BASE_URL, base_url.rstrip("/"))


def attempt(
    notification: Notification,
    channel: Channel | None,
    *,
    base_url: str,
    max_attempts: int,
    now: datetime,
) -> bool:
    """Try one notification once and record the attempt on its row; True when sent."""
    notification.attempts += 1
    try:
        if channel is None:
            raise DeliveryError(
                f"Saluran '{notification.channel}' tidak dikenal.",
                f"Unknown channel '{notification.channel}'.",
            )
        channel.send(
            OutgoingMessage(
                recipient=notification.recipient,
                subject=_fill(notification.subject, base_url),
                body=_fill(notification.body, base_url),
            )
        )
    except DeliveryError as error:
        notification.last_error = error.message_en[:1000]
        if notification.attempts >= max_attempts:
            notification.status = DeliveryStatus.FAILED
            notification.next_attempt_at = None
            log.error(
                "notification %s failed for good after %d attempts: %s",
                notification.id,
                notification.attempts,
                error.message_en,
            )
        else:
            notification.next_attempt_at = now + retry_delay(notification.attempts)
            log.warning(
                "notification %s attempt %d failed: %s",
                notification.id,
                notification.attempts,
                error.message_en,
            )
        return False
    notification.status = DeliveryStatus.SENT
    notification.sent_at = now
    notification.last_error = None
    notification.next_attempt_at = None
    return True


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_pending(
    *,
    session: Session,
    channels: Mapping[str, Channel],
    base_url: str,
    max_attempts: int,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send due notifications, oldest first, committing after each so none is sent twice."""
    now = now or utcnow()
    due = session.scalars(
        select(Notification)
        .where(
            Notification.status == DeliveryStatus.PENDING,
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(batch_size)
    ).all()
    sent = retrying = failed = 0
    for notification in due:
        if attempt(
            notification,
            channels.get(notification.channel),
            base_url=base_url,
            max_attempts=max_attempts,
            now=now,
        ):
            sent += 1
        elif notification.status is DeliveryStatus.FAILED:
            failed += 1
        else:
            retrying += 1
        session.commit()
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)


# --- in-app alerts for staff -----------------------------------------------------------------


def _require_user(actor: Actor) -> int:
    if actor.kind is not ActorKind.USER or actor.id is None:
        raise PermissionDenied
    return actor.id


def list_inapp(
    *, session: Session, actor: Actor, unread_only: bool = False, limit: int = 50
) -> list[Notification]:
    """The signed-in staff member's in-app alerts, newest first."""
    user_id = _require_user(actor)
    query = select(Notification).where(
        Notification.user_id == user_id, Notification.channel == "inapp"
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    order = (Notification.created_at.desc(), Notification.id.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))


def count_unread(*, session: Session, actor: Actor) -> int:
    """How many in-app alerts the staff member has not read."""
    user_id = _require_user(actor)
    query = select(func.count(Notification.id)).where(
        Notification.user_id == user_id,
        Notification.channel == "inapp",
        Notification.read_at.is_(None),
    )
    return session.scalar(query) or 0


def mark_read(*, session: Session, actor: Actor, notification_id: int | None = None) -> int:
    """Mark one in-app alert (or, without an id, all of them) read; returns how many."""
    user_id = _require_user(actor)
    query = update(Notification).where(
        Notification.user_id == user_id,
        Notification.channel == "inapp",
        Notification.read_at.is_(None),
    )
    if notification_id is not None:
        owned = session.scalar(
            select(Notification.id).where(
                Notification.id == notification_id,
                Notification.user_id == user_id,
                Notification.channel == "inapp",
            )
        )
        if owned is None:
            raise NotFound  # someone else's alert looks like no alert at all
        query = query.where(Notification.id == notification_id)
    result = session.execute(
        query.values(read_at=utcnow()).execution_options(synchronize_session="fetch")
    )
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
