"""The real ``pontive worker`` process: killed with SIGKILL mid-stream, restarted, and every
observation published is stored exactly once (issue #4, "Done when").
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from pontive.core.db import Database
from pontive.core.worker import registered_services
from pontive.sensors.models import Observation
from pontive.sensors.mqtt import MQTT_INGEST
from tests.conftest import TEST_DATA_KEY, TEST_SECRET, make_settings
from tests.sensors.mqtt_support import (
    Broker,
    broker,  # noqa: F401 - fixture
    free_port,
    make_stream,
    needs_mosquitto,
    own_database,  # noqa: F401 - fixture
    publish,
)

PONTIVE = [sys.executable, "-m", "pontive"]
MESSAGES = 3000


def test_the_worker_runs_mqtt_ingest_exactly_when_a_broker_is_set() -> None:
    assert MQTT_INGEST in registered_services()
    assert MQTT_INGEST.is_enabled(make_settings("sqlite://", mqtt_url="mqtt://127.0.0.1:1883"))
    assert not MQTT_INGEST.is_enabled(make_settings("sqlite://", mqtt_url=""))


class Worker:
    """``pontive worker`` with MQTT ingest on a database and broker of the test's own."""

    def __init__(self, database_url: str, broker_url: str, log: Path) -> None:
        self.metrics = f"127.0.0.1:{free_port()}"
        self.env = dict(os.environ) | {
            "PONTIVE_ENV": "test",
            "PONTIVE_DATABASE_URL": database_url,
            "PONTIVE_SECRET_KEY": TEST_SECRET,
            "PONTIVE_DATA_KEY": TEST_DATA_KEY,
            "PONTIVE_MQTT_URL": broker_url,
            "PONTIVE_MQTT_CLIENT_ID": f"pontive-crash-{uuid.uuid4().hex[:8]}",
            "PONTIVE_MQTT_BATCH_SIZE": "100",
            "PONTIVE_WORKER_METRICS_ADDRESS": self.metrics,
            "PONTIVE_LOG_JSON": "false",
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([*PONTIVE, "worker"], env=self.env, stderr=out)
        deadline = time.monotonic() + 30
        while self.sample("pontive_sensors_mqtt_connected") != 1.0:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker did not connect to the broker"
            time.sleep(0.1)

    def sample(self, name: str) -> float | None:
        """A value from the worker's own /metrics (None while it does not answer)."""
        try:
            url = f"http://{self.metrics}/metrics"
            with urllib.request.urlopen(url, timeout=1) as response:
                text = response.read().decode()
        except OSError:
            return None
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def worker(
    own_database: Database,  # noqa: F811 - the fixture imported above
    broker: Broker,  # noqa: F811
    tmp_path: Path,
) -> Iterator[Worker]:
    url = own_database.engine.url.render_as_string(hide_password=False)
    started = Worker(url, broker.url, tmp_path / "worker.log")
    yield started
    if started.process is not None and started.process.poll() is None:
        started.kill()


def stored(database: Database, stream: int) -> tuple[int, int]:
    """(rows, distinct phenomenon times) of ``stream``.

    On PostgreSQL a restarted worker's partition upkeep (DDL) can meet this poll and the
    killed worker's not yet ended session in a deadlock, and the server may pick this read as
    the one to abort: the read is then simply asked again (the worker's own work is retried
    from the broker, which is what the test checks)."""
    query = select(func.count(), func.count(func.distinct(Observation.phenomenon_time)))
    for attempt in range(5):
        try:
            with database.session(write=False) as session:
                row = session.execute(query.where(Observation.datastream_id == stream)).one()
            return int(row[0]), int(row[1])
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


@needs_mosquitto
def test_a_killed_worker_loses_nothing_and_stores_nothing_twice(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
    worker: Worker,
) -> None:
    stream = make_stream(own_database, "Pos duga Kapuas uji mati")
    topic = f"v1.1/Datastreams({stream})/Observations"
    messages = [
        (topic, orjson.dumps({"phenomenonTime": f"2026-11-29T00:00:{n // 1000:02d}.{n % 1000:03d}Z",
                              "result": 250.0 + n % 97}))
        for n in range(MESSAGES)
    ]  # fmt: skip
    worker.start()
    sender = threading.Thread(
        target=lambda: [publish(broker.url, messages[k : k + 100]) for k in range(0, MESSAGES, 100)]
    )
    sender.start()
    for kill_after in (MESSAGES // 4, MESSAGES // 2, MESSAGES * 3 // 4):
        deadline = time.monotonic() + 60
        while stored(own_database, stream)[0] < kill_after:
            assert time.monotonic() < deadline, "ingest stalled"
            time.sleep(0.01)
        worker.kill()  # mid-stream: batches in flight, acknowledgements unsent
        worker.start()
    sender.join(timeout=120)
    deadline = time.monotonic() + 60
    while stored(own_database, stream)[0] < MESSAGES and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # anything redelivered late would land now
    assert stored(own_database, stream) == (MESSAGES, MESSAGES)
    assert worker.stop() == 0
