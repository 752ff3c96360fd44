"""Issue 5's end-to-end path against a running server (uvicorn on a free port, the in-memory
bus, the rule evaluator and distribution in the web process as ``make run`` has them):

readings crossing a threshold → a draft on the event stream → an operator approves over the
API → the CAP message passes the OASIS XSD and our rules, is in the Atom feed, reaches the SSE
client and a webhook receiver with a valid signature → falling readings draft the Cancel,
which references the alert once approved.
"""

from __future__ import annotations

import http.client
import json
import queue
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import capvalidator
import pytest
import uvicorn
from sqlalchemy import select

from pontive.alerts import webhooks, webhooks_send
from pontive.alerts.cap_rules import check_cap
from pontive.alerts.models import AlertRule
from pontive.alerts.rules_manage import create_rule, set_rule_enabled
from pontive.app import create_app
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.reference.service import load_boundaries
from tests.conftest import BOUNDARIES, _fresh_database_url, make_settings, prepare_database
from tests.web.conftest import _free_port, _wait_until_healthy

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
WAIT = 15.0
# Pos Duga Air Sungai Landak Tanjung Hulu (Pontianak Timur).
GAUGE = {"type": "Point", "coordinates": [109.3671, -0.0318]}

LOCAL = webhooks_send.HttpSender(allow_private=True)  # receivers on 127.0.0.1


@dataclass
class Server:
    port: int
    database: Database
    operator_key: str

    def request(
        self, method: str, path: str, body: Any = None, key: str | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-API-Key": key or self.operator_key}
        payload = None
        if body is not None:
            payload, headers["Content-Type"] = json.dumps(body), "application/json"
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for url in _fresh_database_url(tmp_path_factory, "alerts_e2e"):
        prepare_database(url)
        database = Database(url)
        with database.session() as session:
            if BOUNDARIES.exists():
                load_boundaries(session=session, actor=system_actor("test"), path=BOUNDARIES)
            for rule_id in session.scalars(select(AlertRule.id)).all():  # seeded defaults: off
                set_rule_enabled(
                    session, actor=system_actor("test"), rule_id=rule_id, enabled=False
                )
            _, operator_key = auth.create_api_key(
                session=session, actor=system_actor("test"), name="pusdalops", role=Role.OPERATOR
            )
            session.commit()
        port = _free_port()
        app = create_app(make_settings(url, base_url=f"http://127.0.0.1:{port}"))
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        uvicorn_server = uvicorn.Server(config)
        thread = threading.Thread(target=uvicorn_server.run, daemon=True)
        thread.start()
        try:
            _wait_until_healthy(f"http://127.0.0.1:{port}", uvicorn_server, thread)
            yield Server(port, database, operator_key)
        finally:
            uvicorn_server.should_exit = True
            thread.join(timeout=10)
            database.dispose()


class EventStream:
    """An SSE client in a thread: every ``alerts.*`` event it reads, in order."""

    def __init__(self, server: Server) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        self.connection.request(
            "GET",
            "/api/v1/events/stream?types=alerts.>",
            headers={"X-API-Key": server.operator_key},
        )
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.response:
                if line.startswith(b"data: "):
                    self.events.put(json.loads(line[6:]))
        except (OSError, ValueError, AttributeError):  # AttributeError: hung up underneath
            return

    def close(self) -> None:
        """Hang up (the server then ends the stream and can shut down at once); the socket is
        shut down first, since the reading thread holds the response until the next line."""
        if self.connection.sock is not None:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()

    def next(self, event_type: str, msg_type: str) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event["type"] == event_type and event["data"]["msg_type"] == msg_type:
                return event["data"]  # type: ignore[no-any-return]
        raise AssertionError(f"no {event_type} ({msg_type}) on the event stream within {WAIT}s")


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[Received]]]:
    """A partner's webhook endpoint on 127.0.0.1 that records what it receives."""
    received: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(Received(dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

    http_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{http_server.server_address[1]}/pontive", received
    finally:
        http_server.shutdown()
        http_server.server_close()


def _gauge(server: Server) -> int:
    status, _ = server.request(
        "POST",
        "/sta/v1.1/Things",
        {
            "name": "Pos Duga Air Tanjung Hulu (uji)",
            "description": "Sungai Landak",
            "Locations": [
                {
                    "name": "Tanjung Hulu",
                    "description": "tepi sungai",
                    "encodingType": "application/geo+json",
                    "location": GAUGE,
                }
            ],
            "Datastreams": [
                {
                    "name": "Tinggi muka air",
                    "description": "papan duga",
                    "observationType": (
                        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
                    ),
                    "unitOfMeasurement": {"name": "centimetre", "symbol": "cm", "definition": "cm"},
                    "Sensor": {
                        "name": "Sensor tekanan",
                        "description": "",
                        "encodingType": "text/html",
                        "metadata": "",
                    },
                    "ObservedProperty": {
                        "name": "Tinggi muka air",
                        "definition": "https://contoh.id/tma",
                        "description": "",
                    },
                }
            ],
        },
    )
    assert status == 201
    status, body = server.request("GET", "/sta/v1.1/Datastreams?$orderby=id%20desc&$top=1")
    assert status == 200
    return int(json.loads(body)["value"][0]["@iot.id"])


def _read(server: Server, stream: int, value: float, at: datetime) -> None:
    reading = {"phenomenonTime": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "result": value}
    status, body = server.request("POST", f"/sta/v1.1/Datastreams({stream})/Observations", reading)
    assert status == 201, body


def _valid_cap(server: Server, identifier: str) -> ET.Element:
    status, xml = server.request("GET", f"/alerts/{identifier}.xml")
    assert status == 200
    result = capvalidator.check_schema(xml)
    assert result.passed, result.message
    assert check_cap(xml) == []
    return ET.fromstring(xml)  # noqa: S314 - our own server's answer


def test_a_flood_reading_becomes_a_signed_valid_cap_alert_and_its_cancel(
    server: Server, receiver: tuple[str, list[Received]]
) -> None:
    url, received = receiver
    with server.database.session() as session:
        stream = _gauge(server)
        create_rule(
            session,
            actor=system_actor("test"),
            data={
                "code": "uji-tanjung-hulu",
                "name_id": "Tanjung Hulu ≥ 250 cm",
                "name_en": "Tanjung Hulu ≥ 250 cm",
                "kind": "threshold",
                "params": {
                    "datastream_id": stream,
                    "op": ">=",
                    "value": 250,
                    "clear_value": 240,
                    "duration_s": 0,
                },
                "cooldown_s": 0,
                "severity": "Severe",
                "event_id": "Banjir pasang",
                "event_en": "Tidal flood",
                "headline_id": "Muka air {value} {unit} di {station}",
                "headline_en": "Water at {value} {unit} at {station}",
            },
        )
        _, secret = webhooks.create_subscription(
            session, actor=system_actor("test"), name="Mitra uji", url=url
        )
        session.commit()
    events = EventStream(server)
    try:
        _follow_the_tide(server, events, stream, secret, received)
    finally:
        events.close()


def _deliver_at_least_one(server: Server) -> None:
    deadline = time.monotonic() + 10
    while True:
        with server.database.session() as session:
            if webhooks_send.deliver_due(session, sender=LOCAL).delivered >= 1:
                return
        assert time.monotonic() < deadline, "no webhook delivery was queued within 10 s"
        time.sleep(0.05)


def _follow_the_tide(
    server: Server, events: EventStream, stream: int, secret: str, received: list[Received]
) -> None:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    for minute, level in enumerate((231.0, 243.5, 252.0)):  # the evening tide rising
        _read(server, stream, level, start + timedelta(minutes=10 * minute))

    draft = events.next("alerts.alert.drafted", "Alert")
    assert draft["headline_id"] == "Muka air 252 cm di Pos Duga Air Tanjung Hulu (uji)"
    status, _ = server.request("GET", f"/alerts/{draft['identifier']}.xml", key="")
    assert status == 404  # a draft is not public
    status, body = server.request("POST", f"/api/v1/alerts/{draft['identifier']}/approve")
    assert status == 200, body
    published = events.next("alerts.alert.published", "Alert")
    identifier = published["identifier"]
    alert = _valid_cap(server, identifier)
    sent = alert.findtext(f"{CAP}sent")
    status, feed = server.request("GET", "/alerts/feed.atom")
    assert status == 200
    assert f"/alerts/{identifier}.xml".encode() in feed

    # The distribution loop queues the webhook when it hears the publication, as the event
    # stream does: the delivery may be queued a moment after the stream showed the alert.
    _deliver_at_least_one(server)
    delivery = next(r for r in received if r.headers["X-Pontive-Event"] == "alerts.alert.published")
    assert webhooks.verify_signature(
        secret,
        delivery.headers["X-Pontive-Timestamp"],
        delivery.body,
        delivery.headers["X-Pontive-Signature"],
    )
    assert json.loads(delivery.body)["data"]["identifier"] == identifier

    for minute, level in enumerate((245.0, 236.0), start=3):  # ebbing: cleared below 240
        _read(server, stream, level, start + timedelta(minutes=10 * minute))
    cancel_draft = events.next("alerts.alert.drafted", "Cancel")
    assert cancel_draft["references"] == [identifier]
    status, body = server.request("POST", f"/api/v1/alerts/{cancel_draft['identifier']}/approve")
    assert status == 200, body
    cancel = events.next("alerts.alert.published", "Cancel")
    message = _valid_cap(server, cancel["identifier"])
    assert message.findtext(f"{CAP}msgType") == "Cancel"
    assert (
        message.findtext(f"{CAP}references")
        == f"{alert.findtext(f'{CAP}sender')},{identifier},{sent}"
    )
    status, body = server.request("GET", f"/api/v1/alerts/{identifier}", key="")
    assert json.loads(body)["state"] == "cancelled"
