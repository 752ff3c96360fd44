"""The broker and the database go away under a running ``pontive serve`` and ``pontive
worker``, and come back: both processes recover by themselves, ``/readyz`` says what is
missing while it is, and every observation a device published is stored exactly once.

One private Mosquitto (Pontive's configuration, persistence on), one ``serve`` and one
``worker`` with MQTT ingest serve both tests. The database test needs a server to stop: it
runs in the PostgreSQL pass on a private PostgreSQL; the embedded SQLite is a file inside
the processes, with no server that could go away.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy import func, select

from pontive.core import auth
from pontive.core.db import Database
from pontive.core.events_nats import NatsBus
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.sensors.models import Observation
from tests.faults.support import (
    NATS_SERVER,
    NatsServer,
    PrivatePostgres,
    Process,
    Serve,
    copy_database,
    drop_database,
    process_env,
    wait_for,
)
from tests.sensors.mqtt_support import MOSQUITTO, Broker, free_port, make_stream

pytestmark = pytest.mark.skipif(
    MOSQUITTO is None, reason="needs the mosquitto binary (a private broker to restart)"
)
ON_POSTGRES = bool(os.environ.get("PONTIVE_TEST_DATABASE_URL"))
DB_MESSAGE_ID = "Basis data sedang tidak dapat dijangkau. Coba lagi sebentar lagi."


@dataclass
class Stack:
    broker: Broker
    postgres: PrivatePostgres | None
    database: Database
    serve: Serve
    worker: Process
    metrics: str
    stream: int
    api_key: str
    nats: NatsServer | None

    def sample(self, name: str) -> float | None:
        """A value from the worker's own /metrics (None while it does not answer)."""
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://{self.metrics}/metrics", timeout=2) as answer:
                lines = answer.read().decode().splitlines()
        except OSError:
            return None
        values = [float(line.split()[1]) for line in lines if line.startswith(name + " ")]
        return values[0] if values else None

    def stored(self) -> tuple[int, int]:
        """(rows, distinct phenomenon times) of the test stream."""
        query = select(func.count(), func.count(func.distinct(Observation.phenomenon_time)))
        with self.database.session(write=False) as session:
            row = session.execute(query.where(Observation.datastream_id == self.stream)).one()
        return int(row[0]), int(row[1])


@pytest.fixture(scope="module")
def stack(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("faults-outage")
    postgres = None
    if ON_POSTGRES and PrivatePostgres.missing() is None:
        postgres = PrivatePostgres()
        postgres.init()
        postgres.start()
    url = copy_database(database_url, folder, server_url=postgres.url if postgres else None)
    database = Database(url)
    stream = make_stream(database, "Pos duga uji gangguan")
    with database.session() as session:
        _key, api_key = auth.create_api_key(
            session=session, actor=system_actor("test"), name="saksi", role=Role.OPERATOR
        )
    broker = Broker(folder)
    broker.start()
    nats = NatsServer(folder / "nats") if NATS_SERVER else None
    if nats is not None:
        nats.start()
    metrics = f"127.0.0.1:{free_port()}"
    env = process_env(
        url,
        folder / "media",
        PONTIVE_MQTT_URL=broker.url,
        PONTIVE_MQTT_CLIENT_ID=f"pontive-faults-{uuid.uuid4().hex[:8]}",
        PONTIVE_MQTT_BATCH_SIZE="20",
        PONTIVE_WORKER_METRICS_ADDRESS=metrics,
        PONTIVE_MEDIA_MIN_FREE_MB="1",
        PONTIVE_BUS_URL=nats.url if nats else "memory://",
    )
    serve = Serve.on(env, folder / "serve.log")
    worker = Process(["worker"], env, folder / "worker.log")
    running = Stack(broker, postgres, database, serve, worker, metrics, stream, api_key, nats)
    try:
        worker.spawn()
        serve.start()
        wait_for(
            lambda: running.sample("pontive_sensors_mqtt_connected") == 1.0,
            600,
            f"the worker did not connect\n{worker.tail()}",
        )
        yield running
    finally:
        serve.stop()
        worker.stop()
        broker.stop()
        if nats is not None:
            nats.stop()
        database.dispose()
        if postgres is not None:
            postgres.destroy()
        else:
            drop_database(url)


class Device:
    """A gateway with a persistent MQTT 5 session publishing at QoS 1; paho keeps what it
    publishes while the broker is away and sends it when it is back."""

    def __init__(self, url: str, stream: int) -> None:
        host, port = url.removeprefix("mqtt://").split(":")
        self.topic = f"v1.1/Datastreams({stream})/Observations"
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"gateway-{secrets.token_hex(4)}",
            protocol=mqtt.MQTTv5,
        )
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(min_delay=1, max_delay=2)
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        properties.SessionExpiryInterval = 3600
        self.client.connect(host, int(port), clean_start=False, properties=properties)
        self.client.loop_start()
        self.infos: list[Any] = []
        wait_for(self.client.is_connected, 10, "the device did not connect")

    def send(self, numbers: range) -> None:
        for n in numbers:
            document = {"phenomenonTime": f"2026-11-30T01:{n // 60:02d}:{n % 60:02d}Z",
                        "result": 100.0 + n}  # fmt: skip
            self.infos.append(self.client.publish(self.topic, orjson.dumps(document), qos=1))

    def wait_sent(self, timeout: float) -> None:
        for info in self.infos:
            info.wait_for_publish(timeout=timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _ready(stack: Stack) -> dict[str, Any]:
    return dict(stack.serve.get("/readyz", timeout=10)[1])


def test_a_broker_restart_loses_no_observation_and_readyz_tells(stack: Stack) -> None:
    wait_for(lambda: stack.serve.get("/readyz")[0] == 200, 30, f"not ready: {_ready(stack)}")
    base = stack.stored()[0]
    device = Device(stack.broker.url, stack.stream)
    try:
        device.send(range(0, 10))
        device.wait_sent(20)
        wait_for(lambda: stack.stored()[0] == base + 10, 60, "ingest did not start")

        stack.broker.stop()  # SIGTERM: Mosquitto saves its sessions on the way out
        started = time.monotonic()
        status, ready = stack.serve.get("/readyz")
        assert status == 503
        assert ready["checks"]["mqtt"].startswith("unreachable")
        assert ready["checks"]["database"] == "ok"
        assert time.monotonic() - started < 5
        assert stack.serve.get("/healthz")[0] == 200
        wait_for(
            lambda: stack.sample("pontive_sensors_mqtt_connected") == 0.0,
            30,
            "the worker did not notice",
        )
        device.send(range(10, 30))  # kept by the device while the broker is away

        stack.broker.start()  # same port; its persistence file kept the worker's session
        # paho marks what it kept as "not connected" but sends it once it is: the stored
        # rows, not the client's receipts, are what counts.
        wait_for(device.client.is_connected, 30, "the device did not reconnect")
        device.send(range(30, 40))
        wait_for(lambda: stack.serve.get("/readyz")[0] == 200, 30, "readyz stayed 503")
        wait_for(lambda: stack.stored()[0] >= base + 40, 90, f"lost: {stack.stored()}")
        time.sleep(1.0)  # anything delivered twice would land now
        assert stack.stored() == (base + 40, base + 40)
        assert stack.worker.is_running()
        assert stack.serve.is_running()
    finally:
        device.close()


NO_SERVER = (
    "SQLite is a file inside the processes, with no server to stop; the PostgreSQL pass runs "
    "this on a private PostgreSQL server"
)


@pytest.mark.skipif(not ON_POSTGRES, reason=NO_SERVER)
def test_a_database_restart_is_reported_answered_cleanly_and_survived(stack: Stack) -> None:
    postgres = stack.postgres
    if postgres is None:
        pytest.skip(PrivatePostgres.missing() or "no private PostgreSQL")
    status, before = file_report(stack, f"sebelum-{secrets.token_hex(4)}")
    assert status == 201
    base = stack.stored()[0]
    device = Device(stack.broker.url, stack.stream)
    try:
        postgres.stop()
        started = time.monotonic()
        status, ready = stack.serve.get("/readyz")
        assert status == 503
        assert ready["checks"]["database"] != "ok"
        assert ready["checks"]["mqtt"] == "ok"
        assert stack.serve.get("/healthz")[0] == 200
        tracking = before["tracking_number"]
        status, body = stack.serve.get(f"/api/v1/complaints/{tracking}")
        assert (status, body["detail"]) == (503, DB_MESSAGE_ID)
        page = stack.serve.request("GET", "/lapor", headers={"Accept": "text/html"})
        assert page[0] == 503
        assert DB_MESSAGE_ID in page[1]
        assert "Traceback" not in page[1]
        assert time.monotonic() - started < 10  # answers, not hangs
        device.send(range(100, 120))  # the worker cannot store these yet: held, not acked
        device.wait_sent(20)

        postgres.start()
        wait_for(lambda: stack.serve.get("/readyz")[0] == 200, 30, "readyz stayed 503")
        status, after = file_report(stack, f"sesudah-{secrets.token_hex(4)}")
        assert status == 201
        assert stack.serve.get(f"/api/v1/complaints/{tracking}", timeout=10)[0] == 200
        wait_for(lambda: _stored_or_none(stack) == (base + 20, base + 20), 90, "ingest stalled")
        assert after["tracking_number"] != tracking
        assert stack.worker.is_running()
        assert stack.serve.is_running()
    finally:
        device.close()


def _stored_or_none(stack: Stack) -> tuple[int, int] | None:
    try:
        return stack.stored()
    except Exception:  # noqa: BLE001 - the test's own pool reconnecting after the outage
        return None


def file_report(stack: Stack, key: str) -> tuple[int, Any]:
    """POST a report with ``key`` through the API as the test's API key."""
    headers = {"X-API-Key": stack.api_key, "Content-Type": "application/json"}
    text = "Gorong-gorong tersumbat, dilaporkan di sela gangguan layanan."
    report = {"category_code": "drainase", "idempotency_key": key, "description": text,
              "lon": 109.3425, "lat": -0.0263}  # fmt: skip
    body = orjson.dumps(report)
    return stack.serve.request("POST", "/api/v1/complaints", body=body, headers=headers)


def test_a_nats_restart_is_reported_and_events_flow_again(stack: Stack) -> None:
    if stack.nats is None:
        pytest.skip("needs the nats-server binary (a private NATS JetStream to restart)")
    nats = stack.nats
    listener = NatsBus(nats.url)
    listener.start()
    try:
        asyncio.run(_nats_scenario(stack, nats, listener))
    finally:
        listener.stop()
    assert stack.serve.is_running()
    assert stack.worker.is_running()


async def _nats_scenario(stack: Stack, nats: NatsServer, listener: NatsBus) -> None:
    """Events reach a listener; NATS goes away (/readyz says so, reports are still taken) and
    comes back; the web process and the listener reconnect by themselves and events flow."""
    subscription = listener.subscribe("complaint.created")

    async def tracking_numbers_until(wanted: str) -> list[str]:
        seen: list[str] = []
        while wanted not in seen:
            event = await subscription.get(within=30)
            assert event is not None, f"no event for {wanted}; got {seen}"
            seen.append(event.data["tracking_number"])
        return seen

    async def call(function: Any, *args: Any) -> Any:
        return await asyncio.to_thread(function, *args)

    try:
        ready = lambda: stack.serve.get("/readyz")[0] == 200  # noqa: E731
        await call(wait_for, ready, 30, "not ready before the NATS restart")
        status, first = await call(file_report, stack, f"bus-a-{secrets.token_hex(4)}")
        assert status == 201
        assert await tracking_numbers_until(first["tracking_number"]) == [first["tracking_number"]]

        await call(nats.stop)
        status, readiness = await call(stack.serve.get, "/readyz")
        assert (status, readiness["checks"]["bus"]) == (503, "unreachable")
        assert (await call(stack.serve.get, "/healthz"))[0] == 200
        # The report is kept; its notification may be lost (logged), never the report.
        status, _during = await call(file_report, stack, f"bus-b-{secrets.token_hex(4)}")
        assert status == 201

        await call(nats.start)  # same port, same JetStream store
        await call(wait_for, ready, 60, "readyz stayed 503 after NATS came back")
        await call(wait_for, listener.is_ready, 30, "the listener did not reconnect")
        status, after = await call(file_report, stack, f"bus-c-{secrets.token_hex(4)}")
        assert status == 201
        await tracking_numbers_until(after["tracking_number"])
    finally:
        subscription.close()
