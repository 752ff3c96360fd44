"""Signed webhook deliveries against a real HTTP receiver on 127.0.0.1 (alerts/webhooks.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import webhooks, webhooks_send
from pontive.alerts.choices import DeliveryStatus
from pontive.alerts.models import WebhookDelivery, WebhookSubscription
from pontive.core.audit import AuditEvent
from pontive.core.auth import actor_for_user
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.core.events import Event
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

LOCAL = webhooks_send.HttpSender(allow_private=True)  # receivers on 127.0.0.1


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A partner's endpoint: answers each POST with the next status of ``statuses``."""

    url: str
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = state.statuses.pop(0) if state.statuses else 204
            self.send_response(status)
            if status in (301, 302, 307):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/pontive"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def admin(make_user: Any) -> Actor:
    return actor_for_user(make_user(Role.ADMIN))


def alert_event(kind: str = "alerts.alert.published", **extra: Any) -> Event:
    data = {"id": 1, "identifier": "ptk-20261129-000001", "msg_type": "Alert"}
    return Event(kind, {**data, **extra})


def test_signature_round_trip_and_its_refusals() -> None:
    body = b'{"a": 1}'
    header = webhooks.sign("rahasia", 1_800_000_000, body)
    assert header.startswith("sha256=")
    check = webhooks.verify_signature
    assert check("rahasia", "1800000000", body, header, now=1_800_000_100)
    assert check("rahasia", "1800000000", body.decode(), header, now=1_800_000_100)
    assert not check("lain", "1800000000", body, header, now=1_800_000_100)
    assert not check("rahasia", "1800000000", b'{"a": 2}', header, now=1_800_000_100)
    assert not check("rahasia", "1800000001", body, header, now=1_800_000_100)
    assert not check("rahasia", "1800000000", body, header, now=1_800_000_301)  # replayed late
    assert not check("rahasia", "kemarin", body, header, now=1_800_000_100)


def test_a_delivery_is_signed_and_verifiable_by_the_partner(
    session: Session, admin: Actor, receiver: Receiver
) -> None:
    subscription, secret = webhooks.create_subscription(
        session, actor=admin, name="BPBD Kalbar", url=receiver.url
    )
    event = alert_event()
    assert webhooks.queue_deliveries(session, event) == 1
    report = webhooks_send.deliver_due(session, sender=LOCAL)
    assert report == webhooks_send.DeliveryReport(delivered=1)
    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert request.path == "/hooks/pontive"
    assert headers["content-type"] == "application/json"
    assert headers["x-pontive-event"] == "alerts.alert.published"
    assert webhooks.verify_signature(
        secret, headers["x-pontive-timestamp"], request.body, headers["x-pontive-signature"]
    )
    assert json.loads(request.body)["id"] == event.id
    delivery = session.scalars(select(WebhookDelivery)).one()
    assert headers["x-pontive-delivery"] == str(delivery.id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.DELIVERED,
        1,
        204,
    )
    assert delivery.subscription_id == subscription.id


def test_the_secret_is_stored_sealed(session: Session, admin: Actor, receiver: Receiver) -> None:
    row, secret = webhooks.create_subscription(session, actor=admin, name="P", url=receiver.url)
    stored = session.connection().exec_driver_sql(
        f"SELECT secret FROM webhook_subscriptions WHERE id = {row.id}"  # noqa: S608 - an int id
    )
    assert secret not in stored.scalar_one()


def test_a_failed_attempt_is_retried_with_back_off_then_delivered(
    session: Session, admin: Actor, receiver: Receiver
) -> None:
    webhooks.create_subscription(session, actor=admin, name="P", url=receiver.url)
    webhooks.queue_deliveries(session, alert_event())
    receiver.statuses = [500]
    start = utcnow()
    assert webhooks_send.deliver_due(session, sender=LOCAL, now=start).retrying == 1
    delivery = session.scalars(select(WebhookDelivery)).one()
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    assert webhooks_send.deliver_due(session, sender=LOCAL, now=start + timedelta(seconds=30)) == (
        webhooks_send.DeliveryReport()
    )  # not due yet: nothing sent
    assert (
        webhooks_send.deliver_due(session, sender=LOCAL, now=start + timedelta(minutes=1)).delivered
        == 1
    )
    assert len(receiver.requests) == 2
    assert [entry["status_code"] for entry in delivery.attempt_log] == [500, 204]
    assert delivery.attempt_log[0]["error"] == "HTTP 500"
    # the same delivery id on each attempt lets the partner drop duplicates
    assert len({r.headers["X-Pontive-Delivery"] for r in receiver.requests}) == 1


def test_a_delivery_gives_up_after_the_last_attempt(
    session: Session, admin: Actor, receiver: Receiver
) -> None:
    webhooks.create_subscription(session, actor=admin, name="P", url=receiver.url)
    webhooks.queue_deliveries(session, alert_event())
    receiver.statuses = [500, 502, 503]
    now = utcnow()
    for _ in range(3):
        webhooks_send.deliver_due(session, sender=LOCAL, now=now, max_attempts=3)
        now += timedelta(hours=5)
    delivery = session.scalars(select(WebhookDelivery)).one()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.FAILED,
        3,
        503,
    )
    assert (
        webhooks_send.deliver_due(session, sender=LOCAL, now=now + timedelta(days=1))
        == webhooks_send.DeliveryReport()
    )
    assert len(receiver.requests) == 3


def test_redirects_and_unreachable_hosts_are_failed_attempts(
    session: Session, admin: Actor, receiver: Receiver
) -> None:
    moved, _ = webhooks.create_subscription(session, actor=admin, name="Pindah", url=receiver.url)
    dead, _ = webhooks.create_subscription(
        session, actor=admin, name="Mati", url="http://127.0.0.1:9/x"
    )
    webhooks.queue_deliveries(session, alert_event())
    receiver.statuses = [307]
    assert webhooks_send.deliver_due(session, sender=LOCAL).retrying == 2
    outcome = {
        d.subscription_id: (d.last_status_code, d.last_error)
        for d in session.scalars(select(WebhookDelivery))
    }
    assert outcome[moved.id] == (307, "HTTP 307")
    assert outcome[dead.id][0] is None
    assert "refused" in (outcome[dead.id][1] or "").lower()
    assert len(receiver.requests) == 1  # the redirect was not followed


def test_queueing_is_idempotent_filtered_by_pattern_and_public_only(
    session: Session, admin: Actor, receiver: Receiver
) -> None:
    webhooks.create_subscription(session, actor=admin, name="Semua", url=receiver.url)
    webhooks.create_subscription(
        session, actor=admin, name="Mode", url=receiver.url, event_types="alerts.mode.*"
    )
    off, _ = webhooks.create_subscription(session, actor=admin, name="Mati", url=receiver.url)
    webhooks.update_subscription(session, actor=admin, subscription_id=off.id, active=False)
    event = alert_event()
    assert webhooks.queue_deliveries(session, event) == 1
    assert webhooks.queue_deliveries(session, event) == 0
    assert webhooks.queue_deliveries(session, Event("alerts.mode.changed", {"mode": "x"})) == 2
    draft = Event("alerts.alert.drafted", {"id": 2}, classification=Classification.TERBATAS)
    assert webhooks.queue_deliveries(session, draft) == 0
    assert len(session.scalars(select(WebhookDelivery)).all()) == 3


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"url": "ftp://mitra.example/x"}, "url"),
        ({"url": "https:///tanpa-host"}, "url"),
        ({"name": " "}, "name"),
        ({"event_types": "alerts.>.x"}, "event_types"),
        ({"event_types": "alerts..x"}, "event_types"),
    ],
)
def test_bad_subscriptions_are_refused(
    session: Session, admin: Actor, values: dict[str, str], field: str
) -> None:
    arguments = {"name": "Mitra", "url": "https://mitra.example/hook", **values}
    with pytest.raises(InvalidInput) as caught:
        webhooks.create_subscription(session, actor=admin, **arguments)
    assert list(caught.value.errors) == [field]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.ADMIN, True), (Role.OPERATOR, True), (Role.TIM_TEKNIS, False), (Role.WARGA, False)],
)
def test_who_manages_webhooks(session: Session, make_user: Any, role: Role, allowed: bool) -> None:
    actor = actor_for_user(make_user(role))
    if allowed:
        webhooks.create_subscription(session, actor=actor, name="M", url="https://m.example/h")
        assert len(webhooks.list_subscriptions(session, actor=actor)) == 1
    else:
        with pytest.raises(PermissionDenied):
            webhooks.create_subscription(session, actor=actor, name="M", url="https://m.example")


def test_rotating_the_secret_changes_the_signature_and_is_audited(
    session: Session, admin: Actor, receiver: Receiver
) -> None:
    row, old = webhooks.create_subscription(session, actor=admin, name="P", url=receiver.url)
    new = webhooks.rotate_secret(session, actor=admin, subscription_id=row.id)
    assert new != old
    webhooks.queue_deliveries(session, alert_event())
    webhooks_send.deliver_due(session, sender=LOCAL)
    (request,) = receiver.requests
    timestamp, signature = (
        request.headers["X-Pontive-Timestamp"],
        request.headers["X-Pontive-Signature"],
    )
    assert webhooks.verify_signature(new, timestamp, request.body, signature)
    assert not webhooks.verify_signature(old, timestamp, request.body, signature)
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.startswith("alerts.webhook"))
    ).all()
    assert actions == ["alerts.webhook.create", "alerts.webhook.rotate_secret"]
    webhooks.delete_subscription(session, actor=admin, subscription_id=row.id)
    assert session.get(WebhookSubscription, row.id) is None
    assert webhooks.list_deliveries(session, actor=admin) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",  # cloud metadata
        "http://[::1]/hook",
    ],
)
def test_deliveries_to_the_internal_network_are_refused_by_default(url: str) -> None:
    attempt = webhooks_send.HttpSender().send(url, b"{}", {})
    assert attempt.status_code is None
    assert attempt.error is not None
    assert "not a public address" in attempt.error
