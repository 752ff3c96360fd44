"""Support for the ingest and MQTT tests: own databases, a private Mosquitto, a subscriber.

Tests whose writes must really commit (a worker process, concurrent writers) get a database
of their own (``own_database``), migrated like the suite's, dropped afterwards. MQTT tests run
only when ``PONTIVE_TEST_MQTT_URL`` names a broker; those that publish many messages, kill
the worker or restart the broker start a private ``mosquitto`` with Pontive's configuration
(``deploy/mosquitto/pontive.conf``) on a free port, so that nothing else on the machine's
broker interferes and the broker itself can be stopped and started.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy.orm import Session

from pontive.core.db import Database
from pontive.sensors.models import Datastream
from tests.conftest import _fresh_database_url, prepare_database
from tests.sensors.conftest import datastream, sta_thing

REPO = Path(__file__).resolve().parents[2]
BROKER_CONFIG = REPO / "deploy" / "mosquitto" / "pontive.conf"
MQTT_URL = os.environ.get("PONTIVE_TEST_MQTT_URL", "")
MOSQUITTO = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin:/usr/local/sbin")
needs_mqtt = pytest.mark.skipif(
    not MQTT_URL, reason="PONTIVE_TEST_MQTT_URL is not set (no MQTT broker for tests)"
)
needs_mosquitto = pytest.mark.skipif(
    not MQTT_URL or MOSQUITTO is None,
    reason="needs PONTIVE_TEST_MQTT_URL and the mosquitto binary (private broker)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A freshly migrated database for this module only (SQLite file or PostgreSQL)."""
    for url in _fresh_database_url(tmp_path_factory, "ingest"):
        prepare_database(url)
        database = Database(url)
        yield database
        database.dispose()


def make_stream(database: Database, name: str, **fields: Any) -> int:
    """A committed Thing (with its Location) and Datastream; the Datastream id."""
    with database.session() as session:
        stream = datastream(session, thing=sta_thing(session, name=name), **fields)
        session.commit()
        return stream.id


def stream_of(session: Session, stream_id: int) -> Datastream:
    stream = session.get(Datastream, stream_id)
    assert stream is not None
    return stream


# --- a private broker ------------------------------------------------------------------------


@dataclass
class Broker:
    """A ``mosquitto`` process with Pontive's configuration on a free port."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def config(self) -> Path:
        """This broker's listener and folders, then ``pontive.conf`` exactly as shipped."""
        header = (
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            f"user {getpass.getuser()}\n"  # as root Mosquitto would switch to "mosquitto"
            "persistence true\n"
            f"persistence_location {self.folder}/\n"
            f"log_dest file {self.folder}/mosquitto.log\n"
        )
        path = self.folder / "mosquitto.conf"
        path.write_text(header + BROKER_CONFIG.read_text())
        return path

    def start(self) -> None:
        self.process = subprocess.Popen(
            [MOSQUITTO or "mosquitto", "-c", str(self.config())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not listen on {self.port}")

    def stop(self) -> None:
        """SIGTERM: Mosquitto saves its persistence file on the way out."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A private Mosquitto for one test."""
    running = Broker(tmp_path)
    running.start()
    yield running
    running.stop()


# --- publishing and listening -----------------------------------------------------------------


def publish(url: str, messages: list[tuple[str, bytes]], qos: int = 1) -> None:
    """Publish ``messages`` and wait until the broker has them all (QoS 1: PUBACKed)."""
    host, port = url.removeprefix("mqtt://").split(":")
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect(host, int(port))
    client.loop_start()
    try:
        infos = [client.publish(topic, payload, qos=qos) for topic, payload in messages]
        for info in infos:
            info.wait_for_publish(timeout=30)
    finally:
        client.disconnect()
        client.loop_stop()


class Listener:
    """A plain MQTT subscriber that keeps what it receives (A.8 tests)."""

    def __init__(self, url: str, topic: str) -> None:
        host, port = url.removeprefix("mqtt://").split(":")
        self.messages: list[tuple[str, bytes]] = []
        self._ready = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        self.client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *_: self._ready.set()
        self.client.on_message = lambda _c, _u, m: self.messages.append((m.topic, m.payload))
        self.client.connect(host, int(port))
        self.client.loop_start()
        assert self._ready.wait(10), "subscription not acknowledged"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[str, bytes]]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
