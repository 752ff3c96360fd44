"""Distribution of alert events: webhooks, e-mail over SMTP, retained MQTT (alerts/distribute.py).

E-mail goes to a tiny real SMTP server (the one of tests/complaints/test_delivery.py); MQTT
to the broker named by ``PONTIVE_TEST_MQTT_URL``. ``handle`` is checked with a recording MQTT
adapter, since what matters there is which topics are set and cleared.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import distribute, mode, subscribers, webhooks
from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    Certainty,
    MsgType,
    Severity,
    Urgency,
)
from pontive.alerts.models import Alert, WebhookDelivery
from pontive.core.auth import actor_for_user
from pontive.core.events import Event
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.settings import Settings
from tests.alerts.test_subscribers import token_of
from tests.complaints.test_delivery import _serve, _SmtpServer
from tests.sensors.mqtt_support import MQTT_URL, needs_mqtt

BASE = "https://pontive.example"
KEL_SELATAN = "61.71.01.1002"  # Benua Melayu Laut, Pontianak Selatan
SELATAN = "61.71.01"
BARAT = "61.71.03"
KEL_BARAT = "61.71.03.1004"  # Sungai Beliung, Pontianak Barat


@dataclass
class RecordingMqtt:
    """Which topics ``handle`` sets and clears."""

    sent: list[tuple[str, bytes, bool]] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)

    def send(self, identifier: str, payload: bytes, *, retain: bool) -> bool:
        self.sent.append((identifier, payload, retain))
        return True

    def clear(self, identifier: str) -> bool:
        self.cleared.append(identifier)
        return True


@pytest.fixture
def smtp() -> Iterator[_SmtpServer]:
    yield from _serve(_SmtpServer(None))


@pytest.fixture
def channels(settings: Settings, smtp: _SmtpServer) -> distribute.Channels:
    port = smtp.server_address[1]
    local = settings.model_copy(update={"base_url": BASE})
    mailer = distribute.SmtpMailer(f"smtp+plain://127.0.0.1:{port}", "Pontive <noreply@x.id>")
    return distribute.Channels(settings=local, mailer=mailer, mqtt=RecordingMqtt())


def recorded(channels: distribute.Channels) -> RecordingMqtt:
    assert isinstance(channels.mqtt, RecordingMqtt)
    return channels.mqtt


def mails(smtp: _SmtpServer) -> list[tuple[str, Message]]:
    """(To, message) of each e-mail (the test server's RCPT list spans one connection)."""
    messages = [message_from_bytes(data) for _sender, _rcpt, data in smtp.log.messages]
    return [(str(message["To"]), message) for message in messages]


def make_alert(session: Session, **values: Any) -> Alert:
    number = uuid.uuid4().int % 1_000_000
    fields: dict[str, Any] = {
        "identifier": f"ptk-20261129-{number:06d}",
        "sender": "pontive@pontianak.go.id",
        "state": AlertState.PUBLISHED,
        "msg_type": MsgType.ALERT,
        "category": CapCategory.MET,
        "event_id": "Banjir",
        "event_en": "Flood",
        "urgency": Urgency.IMMEDIATE,
        "severity": Severity.SEVERE,
        "certainty": Certainty.OBSERVED,
        "headline_id": "Status Siaga banjir di Benua Melayu Laut",
        "headline_en": "Flood alert level Siaga at Benua Melayu Laut",
        "description_id": "Muka air Kapuas 2,1 m.",
        "description_en": "Kapuas water level 2.1 m.",
        "instruction_id": "Amankan barang berharga.",
        "instruction_en": "Move valuables to safety.",
        "area_desc_id": "Kelurahan Benua Melayu Laut",
        "area_desc_en": "Benua Melayu Laut",
        "kelurahan_kodes": [KEL_SELATAN],
        "created_by": "test",
        "sent_at": utcnow(),
        **values,
    }
    alert = Alert(**fields)
    session.add(alert)
    session.flush()
    return alert


def published_event(alert: Alert, references: list[str] | None = None) -> Event:
    return Event(
        "alerts.alert.published",
        {
            "id": alert.id,
            "identifier": alert.identifier,
            "msg_type": alert.msg_type.value,
            "references": references or [],
        },
    )


def confirmed(session: Session, email: str, kecamatan: str | None, lang: str = "id") -> None:
    subscribers.subscribe(session, email=email, kecamatan_kode=kecamatan, lang=lang)
    subscribers.confirm(session, token=token_of(session, email))


def test_a_published_alert_reaches_webhooks_mail_and_a_retained_topic(
    session: Session, make_user: Any, channels: distribute.Channels, smtp: _SmtpServer
) -> None:
    admin = actor_for_user(make_user(Role.ADMIN))
    webhooks.create_subscription(session, actor=admin, name="BPBD", url="https://bpbd.example/h")
    confirmed(session, "selatan@x.id", SELATAN, lang="en")
    confirmed(session, "barat@x.id", BARAT)
    confirmed(session, "kota@x.id", None)
    alert = make_alert(session)
    distribute.handle(session, published_event(alert), channels)

    assert session.scalars(select(WebhookDelivery.event_type)).all() == ["alerts.alert.published"]
    sent = mails(smtp)
    assert sorted(to for to, _ in sent) == ["kota@x.id", "selatan@x.id"]
    english = next(m for to, m in sent if to == "selatan@x.id")
    assert english["Subject"] == "[Alert] Flood alert level Siaga at Benua Melayu Laut"
    token = token_of(session, "selatan@x.id")
    assert english["List-Unsubscribe"] == f"<{BASE}/peringatan/langganan/berhenti?token={token}>"
    assert f"{BASE}/peringatan/{alert.identifier}" in english.get_payload(decode=True).decode()
    ((identifier, payload, retain),) = recorded(channels).sent
    assert (identifier, retain) == (alert.identifier, True)
    assert alert.identifier.encode() in payload  # the CAP message names itself


def test_in_an_emergency_mode_the_mails_are_marked_urgent(
    session: Session, make_user: Any, channels: distribute.Channels, smtp: _SmtpServer
) -> None:
    confirmed(session, "selatan@x.id", SELATAN)
    confirmed(session, "barat@x.id", BARAT)
    mode.declare_mode(
        session,
        actor=actor_for_user(make_user(Role.WALIKOTA)),
        mode="tanggap_darurat",
        kecamatan_kode=SELATAN,
        reason="Banjir pasang besar",
    )
    distribute.handle(session, published_event(make_alert(session)), channels)
    distribute.handle(
        session, published_event(make_alert(session, kelurahan_kodes=[KEL_BARAT])), channels
    )
    sent = {to: message for to, message in mails(smtp)}
    assert sent["selatan@x.id"]["Subject"].startswith("[DARURAT] [Peringatan]")
    assert sent["selatan@x.id"]["Importance"] == "high"
    assert not sent["barat@x.id"]["Subject"].startswith("[DARURAT]")  # its area is normal
    assert sent["barat@x.id"]["Importance"] is None


def test_a_cancel_clears_what_it_cancels_and_is_not_retained(
    session: Session, channels: distribute.Channels
) -> None:
    first = make_alert(session, state=AlertState.CANCELLED)
    cancel = make_alert(session, msg_type=MsgType.CANCEL, references_id=first.id)
    distribute.handle(session, published_event(cancel, [first.identifier]), channels)
    mqtt_log = recorded(channels)
    assert mqtt_log.cleared == [first.identifier]
    assert [(i, retain) for i, _payload, retain in mqtt_log.sent] == [(cancel.identifier, False)]


def test_an_expired_alert_leaves_its_retained_topic(
    session: Session, channels: distribute.Channels
) -> None:
    event = Event("alerts.alert.expired", {"id": 9, "identifier": "ptk-20261129-000009"})
    distribute.handle(session, event, channels)
    assert recorded(channels).cleared == ["ptk-20261129-000009"]


def test_a_subscription_request_mails_a_link_that_confirms(
    session: Session, channels: distribute.Channels, smtp: _SmtpServer
) -> None:
    subscribers.subscribe(session, email="warga@x.id", kecamatan_kode=SELATAN)
    row_id = session.scalar(select(subscribers.AlertSubscriber.id))
    event = Event(subscribers.MAIL_REQUESTED, {"subscriber_id": row_id, "kind": "confirm"})
    distribute.handle(session, event, channels)
    ((rcpt, message),) = mails(smtp)
    body = message.get_payload(decode=True).decode()
    assert rcpt == "warga@x.id"
    assert "Pontianak Selatan" in body
    link = next(line for line in body.splitlines() if "/konfirmasi?token=" in line)
    subscribers.confirm(session, token=link.split("token=", 1)[1])
    assert len(subscribers.confirmed_recipients(session, {SELATAN})) == 1


def test_an_unreachable_smtp_server_is_counted_not_raised() -> None:
    mailer = distribute.SmtpMailer("smtp+plain://127.0.0.1:9", "x@x.id", timeout=2)
    message = distribute.MailMessage("a@x.id", "s", "b")
    before = distribute.FAILURES.labels("email")._value.get()
    assert mailer.send_many([message]) == 0
    assert distribute.FAILURES.labels("email")._value.get() == before + 1


@needs_mqtt
def test_the_mqtt_adapter_retains_an_alert_and_clears_it() -> None:
    identifier = f"test-{uuid.uuid4().hex[:12]}"
    publisher = distribute.MqttAlertPublisher(MQTT_URL, client_id=f"pontive-test-{identifier}")
    connected = threading.Event()
    publisher.client.on_connect = lambda *_args: connected.set()
    publisher.start()
    try:
        assert connected.wait(10)
        payload = b"<alert>fixed payload</alert>"
        assert publisher.send(identifier, payload, retain=True)
        # send() queues the publication: the broker holds it a moment later.
        assert eventually_retained(identifier, payload)  # a device connecting later gets it
        assert publisher.clear(identifier)
        assert eventually_retained(identifier, None)
    finally:
        publisher.stop()


def eventually_retained(identifier: str, expected: bytes | None) -> bool:
    """Whether the broker retains ``expected`` on the alert's topic within 10 s."""
    deadline = time.monotonic() + 10
    while retained(identifier) != expected:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def retained(identifier: str) -> bytes | None:
    """What a newly connecting subscriber receives retained on the alert's topic.

    After SUBACK the subscriber publishes a marker on the same topic; the broker sends the
    retained message (if any) before it, so the marker's arrival ends the wait either way.
    """
    topic, marker = distribute.TOPIC_PREFIX + identifier, uuid.uuid4().bytes
    received: list[bytes] = []
    subscribed, done = threading.Event(), threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    address = distribute.MqttAlertPublisher(MQTT_URL)

    def on_message(_client: Any, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        if message.payload == marker:
            done.set()
        elif message.retain:
            received.append(message.payload)

    client.on_message = on_message
    client.on_subscribe = lambda *_args: subscribed.set()
    client.on_connect = lambda c, *_args: c.subscribe(topic, qos=1)
    client.connect(address.host, address.port)
    client.loop_start()
    try:
        assert subscribed.wait(10)
        client.publish(topic, marker, qos=1)
        assert done.wait(10)
    finally:
        client.disconnect()
        client.loop_stop()
    return received[0] if received else None
