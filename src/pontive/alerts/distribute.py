"""Distribution: what happens outside Pontive when an alert is published, updated or ends.

``handle(session, event, channels)`` is called for every ``alerts.*`` event by the
``alerts.distribute`` worker service (or, with the in-process bus, by a thread of the web
process: ``start_in_process``). Per event:

- webhooks: the event is queued for every matching subscription (``webhooks.py`` sends it);
- MQTT, when ``PONTIVE_MQTT_URL`` is set: the CAP XML of a published alert is published
  *retained* on ``pontive/alerts/<identifier>`` (QoS 1), so a device that connects later
  still gets every active alert; the retained message is cleared (empty retained payload,
  MQTT 3.3.1.3) when the alert is updated, cancelled, superseded or expires. A CAP Cancel is
  itself published, not retained;
- e-mail: a published alert goes to confirmed subscribers of the kecamatan it touches and to
  those of the whole city; ``alerts.subscriber.mail_requested`` sends a confirmation.

Each channel is a small adapter with ``send``-style methods that log and count failures and
never raise into the loop. Several workers on a NATS bus each hear every event: webhooks stay
once-only (one row per subscription and event), retained MQTT messages are idempotent, but
e-mails would be sent once per worker: the service is a singleton, run by the worker holding
its lease (``core/leases.py``).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from prometheus_client import Counter
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pontive.alerts import mode, subscribers, webhooks
from pontive.alerts.choices import MsgType, OperatingMode, Severity, Urgency
from pontive.alerts.models import Alert
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus
from pontive.core.timeutil import format_local
from pontive.core.worker import Service
from pontive.reference import service as reference
from pontive.settings import Settings
from pontive.web.i18n import translate

log = logging.getLogger(__name__)

TOPIC_PREFIX = "pontive/alerts/"
SMTP_TIMEOUT_SECONDS = 15.0
_MAIL_POLICY = policy.SMTP.clone(max_line_length=998)
POLL_SECONDS = 0.5  # how often the loop looks at the stop flag while the bus is quiet

SENT = Counter("pontive_alerts_distributed", "Alert messages handed to a channel", ["channel"])
FAILURES = Counter(
    "pontive_alerts_distribution_failures",
    "Alert messages a channel could not hand over, and events the handler failed on",
    ["channel"],  # mqtt, email, handler
)


# --- e-mail --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One e-mail to one person."""

    recipient: str
    subject: str
    body: str
    unsubscribe_url: str | None = None
    urgent: bool = False  # the area is in siaga darurat or tanggap darurat


class Mailer(Protocol):
    """What the e-mail adapters offer."""

    def send_many(self, messages: list[MailMessage]) -> int:
        """Send, returning how many were accepted; failures are logged and counted."""


class LogMailer:
    """Without ``PONTIVE_SMTP_URL``: says in the log that mail would have gone (no address)."""

    def send_many(self, messages: list[MailMessage]) -> int:
        """Log each subject; nothing is sent."""
        for message in messages:
            log.info("alert e-mail not sent (no SMTP configured): %r", message.subject)
        return 0


class SmtpMailer:
    """SMTP, with the URL schemes of ``PONTIVE_SMTP_URL``: ``smtp://`` (STARTTLS required),
    ``smtps://`` (TLS), ``smtp+plain://`` (a relay on the same host). One connection a batch."""

    def __init__(self, url: str, sender: str, *, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps", "smtp+plain") or not parts.hostname:
            raise ValueError(f"unsupported SMTP URL scheme {parts.scheme!r}")
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or {"smtp": 587, "smtps": 465, "smtp+plain": 25}[parts.scheme]
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else ""
        self.sender, self.timeout = sender, timeout

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.scheme == "smtps":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.scheme == "smtp":
            try:
                client.starttls(context=context)  # never a subscriber's address in clear
            except (smtplib.SMTPException, OSError):
                client.close()
                raise
        if self.username:
            client.login(self.username, self.password)
        return client

    def _mail(self, message: MailMessage) -> EmailMessage:
        # RFC 5322 allows 998 characters a line: the unsubscribe URL must stay one plain
        # token, not be folded into encoded words that mail clients do not open.
        mail = EmailMessage(policy=_MAIL_POLICY)
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.recipient, message.subject
        mail["Message-ID"] = make_msgid(domain="pontive")
        if message.unsubscribe_url:
            mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"  # RFC 2369
        if message.urgent:  # what mail clients sort and flag as high priority
            mail["Importance"], mail["X-Priority"] = "high", "1"
        mail.set_content(message.body)
        return mail

    def send_many(self, messages: list[MailMessage]) -> int:
        """Send over one connection; a refused recipient does not stop the others."""
        if not messages:
            return 0
        sent = 0
        try:
            with self._connect() as client:
                for message in messages:
                    try:
                        client.send_message(self._mail(message))
                        sent += 1
                    except smtplib.SMTPRecipientsRefused:
                        FAILURES.labels("email").inc()
                        log.warning("SMTP refused an alert e-mail recipient")
        except (smtplib.SMTPException, OSError) as error:
            FAILURES.labels("email").inc(len(messages) - sent)
            log.error("SMTP %s:%s failed: %s", self.host, self.port, error)
        SENT.labels("email").inc(sent)
        return sent


def mailer_from_settings(settings: Settings) -> Mailer:
    """SMTP when configured, the log otherwise."""
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.smtp_from)
    return LogMailer()


# --- MQTT ----------------------------------------------------------------------------------


class MqttAlertPublisher:
    """A paho connection of its own, publishing CAP XML at QoS 1 (retained while active)."""

    def __init__(self, url: str, *, client_id: str = "") -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "tcp", "mqtts", "ssl"):
            raise ValueError(f"not an MQTT URL: {url!r}")
        is_tls = parts.scheme in ("mqtts", "ssl")
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (8883 if is_tls else 1883)
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5
        )
        if parts.username:
            self.client.username_pw_set(unquote(parts.username), unquote(parts.password or ""))
        if is_tls:
            self.client.tls_set()
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)

    def start(self) -> None:
        """Connect in the background (paho retries until the broker answers)."""
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        """Disconnect and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()

    def is_connected(self) -> bool:
        """Whether messages can be sent now."""
        return self.client.is_connected()

    def send(self, identifier: str, payload: bytes, *, retain: bool) -> bool:
        """Publish one message on ``pontive/alerts/<identifier>``; False (counted) when the
        broker is unreachable."""
        info = self.client.publish(TOPIC_PREFIX + identifier, payload, qos=1, retain=retain)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            FAILURES.labels("mqtt").inc()
            log.warning("MQTT publish of alert %s failed (rc %s)", identifier, info.rc)
            return False
        SENT.labels("mqtt").inc()
        return True

    def clear(self, identifier: str) -> bool:
        """Remove the retained message of an alert that is no longer active."""
        return self.send(identifier, b"", retain=True)


class AlertMqtt(Protocol):
    """What ``handle`` needs of the MQTT adapter."""

    def send(self, identifier: str, payload: bytes, *, retain: bool) -> bool:
        """Publish one message."""

    def clear(self, identifier: str) -> bool:
        """Clear a retained message."""


# --- the handler ---------------------------------------------------------------------------


@dataclass
class Channels:
    """The adapters ``handle`` uses (tests pass their own)."""

    settings: Settings
    mailer: Mailer
    mqtt: AlertMqtt | None = None


def _cap_xml(session: Session, alert: Alert, settings: Settings) -> bytes | None:
    try:
        from pontive.alerts.cap import alert_xml  # helper module; absent in partial installs
    except ImportError:
        log.warning("pontive.alerts.cap is missing: alert %s not sent on MQTT", alert.identifier)
        return None
    return alert_xml(session, alert, settings=settings)


def _kecamatan_of(session: Session, kelurahan_kodes: list[str]) -> set[str] | None:
    """The kecamatan an area touches; None for an area that names no kelurahan (the city)."""
    if not kelurahan_kodes:
        return None
    wanted = set(kelurahan_kodes)
    return {
        kecamatan.kode
        for kecamatan in reference.list_kecamatan(session=session)
        if any(kelurahan.kode in wanted for kelurahan in kecamatan.kelurahan)
    }


def _in_emergency(session: Session, area: set[str] | None) -> bool:
    """Whether the city, or any kecamatan of the area, is out of normal mode."""
    modes = mode.current_modes(session)
    if area is None:
        return modes.is_emergency
    return any(modes.effective(kode) is not OperatingMode.NORMAL for kode in area)


def _alert_mail(
    alert: Alert, recipient: subscribers.Recipient, base_url: str, *, urgent: bool = False
) -> MailMessage:
    lang = recipient.lang
    text: dict[str, str] = {
        "headline": alert.headline_en if lang == "en" else alert.headline_id,
        "description": alert.description_en if lang == "en" else alert.description_id,
        "instruction": alert.instruction_en if lang == "en" else alert.instruction_id,
        "area": alert.area_desc_en if lang == "en" else alert.area_desc_id,
    }
    unsubscribe_url = f"{base_url}{subscribers.UNSUBSCRIBE_PATH}?token={recipient.token}"
    body = translate(
        "alerts.mail.alert_body",
        lang,
        effective=format_local(alert.effective_at or alert.sent_at),
        expires=format_local(alert.expires_at),
        severity=Severity(alert.severity).label(lang),
        urgency=Urgency(alert.urgency).label(lang),
        url=f"{base_url}/peringatan/{alert.identifier}",
        unsubscribe_url=unsubscribe_url,
        **text,
    )
    subject = translate(
        "alerts.mail.alert_subject",
        lang,
        msg_type=MsgType(alert.msg_type).label(lang),
        headline=text["headline"],
    )
    if urgent:
        subject = translate("alerts.mail.urgent_prefix", lang) + " " + subject
    return MailMessage(recipient.email, subject, body, unsubscribe_url, urgent)


def _send_alert_mail(session: Session, alert: Alert, channels: Channels) -> int:
    base_url = channels.settings.base_url.rstrip("/")
    area = _kecamatan_of(session, list(alert.kelurahan_kodes or []))
    recipients = subscribers.confirmed_recipients(session, area)
    urgent = _in_emergency(session, area)  # Pasal 16(1): the mode sets the urgency
    messages = [_alert_mail(alert, r, base_url, urgent=urgent) for r in recipients]
    return channels.mailer.send_many(messages)


def _send_subscriber_mail(session: Session, data: dict[str, Any], channels: Channels) -> int:
    recipient = subscribers.get_recipient(session, int(data["subscriber_id"]))
    if recipient is None:
        return 0  # unsubscribed before the mail went out
    lang, base_url = recipient.lang, channels.settings.base_url.rstrip("/")
    links = {
        "confirm_url": f"{base_url}{subscribers.CONFIRM_PATH}?token={recipient.token}",
        "unsubscribe_url": f"{base_url}{subscribers.UNSUBSCRIBE_PATH}?token={recipient.token}",
    }
    kind = "already" if data.get("kind") == "already" else "confirm"
    area = translate("alerts.mail.all_city", lang)
    if recipient.kecamatan_kode is not None:
        names = {k.kode: k.nama for k in reference.list_kecamatan(session=session)}
        area = f"Kecamatan {names.get(recipient.kecamatan_kode, recipient.kecamatan_kode)}"
    message = MailMessage(
        recipient.email,
        translate(f"alerts.mail.{kind}_subject", lang),
        translate(f"alerts.mail.{kind}_body", lang, area=area, **links),
        links["unsubscribe_url"],
    )
    return channels.mailer.send_many([message])


def _publish_mqtt(session: Session, alert: Alert, data: dict[str, Any], channels: Channels) -> None:
    if channels.mqtt is None:
        return
    for identifier in data.get("references") or []:
        channels.mqtt.clear(str(identifier))  # an update or cancel ends what it references
    payload = _cap_xml(session, alert, channels.settings)
    if payload is not None:
        is_active = alert.msg_type is not MsgType.CANCEL
        channels.mqtt.send(alert.identifier, payload, retain=is_active)


def handle(session: Session, event: Event, channels: Channels) -> None:
    """Distribute one ``alerts.*`` event on every channel it concerns."""
    webhooks.queue_deliveries(session, event)
    if event.type == subscribers.MAIL_REQUESTED:
        _send_subscriber_mail(session, event.data, channels)
    elif event.type == "alerts.alert.published":
        alert = session.get(Alert, int(event.data["id"]))
        if alert is None:
            log.warning("published alert %s not found", event.data.get("identifier"))
            return
        _publish_mqtt(session, alert, event.data, channels)
        _send_alert_mail(session, alert, channels)
    elif (
        event.type in ("alerts.alert.expired", "alerts.alert.superseded")
        and channels.mqtt is not None
        and event.data.get("identifier")
    ):
        channels.mqtt.clear(str(event.data["identifier"]))


# --- the service ---------------------------------------------------------------------------


def _handle_one(database: Database, bus: EventBus, event: Event, channels: Channels) -> None:
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = bus
        try:
            handle(session, event, channels)
            session.commit()
        except (SQLAlchemyError, DomainError, KeyError, ValueError, OSError):
            session.rollback()
            FAILURES.labels("handler").inc()
            log.exception("distribution of event %s (%s) failed", event.id, event.type)


async def _listen(
    stop: threading.Event, database: Database, bus: EventBus, channels: Channels
) -> None:
    subscription = bus.subscribe("alerts.>")
    try:
        while not stop.is_set():
            event = await subscription.get(within=POLL_SECONDS)
            if event is not None:
                await asyncio.to_thread(_handle_one, database, bus, event, channels)
    finally:
        subscription.close()


def channels_from_settings(settings: Settings) -> Channels:
    """The adapters the settings ask for (MQTT only with ``PONTIVE_MQTT_URL``)."""
    publisher = MqttAlertPublisher(settings.mqtt_url) if settings.mqtt_url else None
    return Channels(settings=settings, mailer=mailer_from_settings(settings), mqtt=publisher)


def run_distribution(
    stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """The worker service: distribute every ``alerts.*`` event until ``stop`` is set."""
    channels = channels_from_settings(settings)
    publisher = channels.mqtt if isinstance(channels.mqtt, MqttAlertPublisher) else None
    if publisher is not None:
        publisher.start()
    try:
        asyncio.run(_listen(stop, database, bus, channels))
    finally:
        if publisher is not None:
            publisher.stop()


# One worker at a time (a lease): every worker hears every event, and e-mails must go once.
SERVICES = (Service("alerts.distribute", run_distribution, singleton=lambda _settings: True),)


@dataclass(frozen=True, slots=True)
class InProcess:
    """A distribution loop running in a thread of a web process (in-memory bus)."""

    thread: threading.Thread
    stop_event: threading.Event


def start_in_process(database: Database, bus: EventBus, settings: Settings) -> InProcess:
    """Run the service loop in a daemon thread (for ``memory://``, where the worker cannot
    hear the web process's events)."""
    stop_event = threading.Event()
    thread = threading.Thread(
        target=run_distribution,
        args=(stop_event, database, bus, settings),
        name="alerts-distribute",
        daemon=True,
    )
    thread.start()
    return InProcess(thread, stop_event)


def stop(handle_: InProcess, *, timeout: float = 5.0) -> None:
    """Stop a loop made by :func:`start_in_process`."""
    handle_.stop_event.set()
    handle_.thread.join(timeout)
