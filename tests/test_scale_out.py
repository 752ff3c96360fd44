"""Scale-out on one machine: two ``pontive serve`` and two ``pontive worker`` processes.

They share a fresh PostgreSQL database, NATS JetStream and Mosquitto (docs/operations.md,
"Scaling out"). One water-level reading above a rule's threshold, published over MQTT, is
stored once (one worker's shared subscription gets it), raises one alert (the rule evaluator
is a singleton: one worker holds its lease) and reaches the SSE clients of both web
processes (NATS carries it). With both workers running, every job runs at most once per
interval (the claim in ``job_runs``) and every singleton service runs in one worker only.

Isolation from the other tests using the same servers at the same time:
- PostgreSQL: a database of its own (advisory-lock leases are per database);
- NATS: the machine's server, under a namespace of its own (``nats://…/<namespace>``: its
  own stream and subjects), deleted afterwards;
- MQTT: a private ``mosquitto`` with Pontive's ``deploy/mosquitto/pontive.conf``. SensorThings
  fixes the topic names (``v1.1/Datastreams(<id>)/Observations``, A.7) and a fresh database's
  ids start at 1 again, so on the shared broker the other passes' ingest workers would take
  our readings into their databases and ours theirs; there is no topic prefix to tell them
  apart (a broker ``mount_point`` needs a listener of its own, i.e. a broker of its own).

Runs when PONTIVE_TEST_DATABASE_URL, PONTIVE_TEST_MQTT_URL and PONTIVE_TEST_BUS_URL are set
(the CI's PostgreSQL pass). The config files shipped in ``deploy/`` are checked below too.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from pontive.alerts.models import Alert
from pontive.alerts.rules_manage import create_rule
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.core.worker import registered_jobs, with_intervals
from pontive.sensors.models import Observation
from tests.conftest import (
    TEST_DATA_KEY,
    TEST_SECRET,
    _fresh_database_url,
    make_settings,
    prepare_database,
)
from tests.sensors.mqtt_support import MOSQUITTO, Broker, free_port, make_stream, publish

PONTIVE = [sys.executable, "-m", "pontive"]
DATABASE_URL = os.environ.get("PONTIVE_TEST_DATABASE_URL", "")
BUS_URL = os.environ.get("PONTIVE_TEST_BUS_URL", "")
MQTT_URL = os.environ.get("PONTIVE_TEST_MQTT_URL", "")
SHORT_JOBS = {"alerts.expire": 2.0, "sensors.health": 2.0}  # seconds (production: 60 s)
SINGLETONS = ("alerts.evaluator", "alerts.distribute", "cctv.health")
SHARED_GROUP = "pontive-scale"
WAIT = 30.0  # for one thing to happen
# A ceiling for four Python processes starting on a busy two-core machine (seconds).
START_WAIT = float(os.environ.get("PONTIVE_TEST_START_WAIT", "300"))

needs_servers = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and BUS_URL and MQTT_URL),
    reason="needs PostgreSQL, NATS and MQTT: PONTIVE_TEST_DATABASE_URL (postgresql://), "
    "PONTIVE_TEST_BUS_URL and PONTIVE_TEST_MQTT_URL",
)
needs_mosquitto = pytest.mark.skipif(
    MOSQUITTO is None, reason="the mosquitto binary is not installed"
)


# --- the processes ---------------------------------------------------------------------------


class SseClient:
    """Reads one web process's event stream in a thread."""

    def __init__(self, port: int, api_key: str) -> None:
        self.events: queue.Queue[dict[str, object]] = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request(
            "GET",
            "/api/v1/events/stream?types=alerts.alert.published",
            headers={"X-API-Key": api_key, "Accept": "text/event-stream"},
        )
        response = self.connection.getresponse()  # the subscription exists once this answers
        assert response.status == 200, response.status
        self.thread = threading.Thread(target=self._read, args=(response,), daemon=True)
        self.thread.start()

    def _read(self, response: http.client.HTTPResponse) -> None:
        try:
            for raw in response:
                if raw.startswith(b"data: "):
                    self.events.put(json.loads(raw[6:]))
        except (OSError, ValueError, AttributeError):  # closed underneath
            return

    def received(self, within: float) -> list[dict[str, object]]:
        """Every event within ``within`` seconds after the first one (none: empty)."""
        try:
            events = [self.events.get(timeout=within)]
        except queue.Empty:
            return []
        time.sleep(1.0)  # a duplicate, if any, would follow closely
        while not self.events.empty():
            events.append(self.events.get_nowait())
        return events

    def close(self) -> None:
        self.connection.close()


class Deployment:
    """Two web processes and two workers on one database, bus and broker."""

    def __init__(self, folder: Path, database_url: str, mqtt_url: str, bus_url: str) -> None:
        self.folder = folder
        self.web_ports = [free_port(), free_port()]
        self.metrics_ports = [free_port(), free_port()]
        self.processes: list[subprocess.Popen[bytes]] = []
        self.log_files: list[IO[bytes]] = []
        self.base_env = {
            **os.environ,
            "PONTIVE_ENV": "test",
            "PONTIVE_DATABASE_URL": database_url,
            "PONTIVE_SECRET_KEY": TEST_SECRET,
            "PONTIVE_DATA_KEY": TEST_DATA_KEY,
            "PONTIVE_BUS_URL": bus_url,
            "PONTIVE_MQTT_URL": mqtt_url,
            "PONTIVE_MQTT_SHARED_GROUP": SHARED_GROUP,
            "PONTIVE_MEDIA_DIR": str(folder / "media"),
            "PONTIVE_ANALYTICS_DIR": str(folder / "analytics"),
            "PONTIVE_LOG_LEVEL": "INFO",
            "PYTHONFAULTHANDLER": "1",  # SIGABRT on a timeout shows where each one was
            "PONTIVE_WORKER_JOB_INTERVALS": ",".join(f"{k}={v:g}" for k, v in SHORT_JOBS.items()),
        }
        self.started = 0.0

    def _start(self, name: str, args: list[str], extra: dict[str, str]) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.log_files.append(log)
        self.processes.append(
            subprocess.Popen(
                [*PONTIVE, *args], env={**self.base_env, **extra}, stdout=log, stderr=log
            )
        )

    def start(self) -> None:
        self.started = time.monotonic()
        for number, port in enumerate(self.metrics_ports):
            self._start(
                f"worker{number}",
                ["worker"],
                {
                    "PONTIVE_WORKER_METRICS_ADDRESS": f"127.0.0.1:{port}",
                    "PONTIVE_MQTT_CLIENT_ID": f"pontive-scale-{number}-{uuid.uuid4().hex[:6]}",
                },
            )
        for number, port in enumerate(self.web_ports):
            self._start(f"web{number}", ["serve", "--port", str(port)], {})

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-6000:]}"
            for path in sorted(self.folder.glob("*.log"))
        )

    def stop(self) -> list[int | None]:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes: list[int | None] = []
        for process in self.processes:
            try:
                codes.append(process.wait(timeout=20))
            except subprocess.TimeoutExpired:
                process.kill()
                codes.append(None)
        for log in self.log_files:
            log.close()
        return codes

    def metrics(self) -> list[dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
        """Each worker's samples: (name, labels) -> value."""
        scraped = []
        for port in self.metrics_ports:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
                body = answer.read().decode()
            samples = {
                (sample.name, tuple(sorted(sample.labels.items()))): sample.value
                for family in text_string_to_metric_families(body)
                for sample in family.samples
            }
            scraped.append(samples)
        return scraped


def _wait(what: str, check: object, deployment: Deployment, within: float = WAIT) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            if callable(check) and check():
                return
        except OSError:
            pass
        for process in deployment.processes:
            if process.poll() is not None:
                pytest.fail(f"a process ended while waiting for {what}\n{deployment.logs()}")
        if time.monotonic() > deadline:
            for process in deployment.processes:
                process.send_signal(signal.SIGABRT)
            time.sleep(2)
            pytest.fail(f"{what}: not within {within} s\n{deployment.logs()}")
        time.sleep(0.2)


def _healthy(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
        return bool(answer.status == 200)


def _total(
    scraped: list[dict[tuple[str, tuple[tuple[str, str], ...]], float]],
    metric: str,
    /,
    **labels: str,
) -> list[float]:
    """One value per worker: the sum of ``metric``'s samples carrying ``labels``."""
    wanted = set(labels.items())
    return [
        sum(v for (n, ls), v in samples.items() if n == metric and wanted <= set(ls))
        for samples in scraped
    ]


async def _delete_stream(url: str, stream: str) -> None:
    import nats

    connection = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=0)
    try:
        await connection.jetstream().delete_stream(stream)
    finally:
        await connection.close()


@pytest.fixture
def scale_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for url in _fresh_database_url(tmp_path_factory, "scale"):
        prepare_database(url)
        yield url


class LoggingBroker(Broker):
    """The private broker, logging subscriptions (to know when both workers listen)."""

    def config(self) -> Path:
        path = super().config()
        path.write_text(path.read_text() + "\nlog_type subscribe\n")
        return path


@pytest.fixture
def private_broker(tmp_path: Path) -> Iterator[Broker]:
    folder = tmp_path / "broker"
    folder.mkdir()
    broker = LoggingBroker(folder)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def bus_url() -> Iterator[str]:
    namespace = f"scale_{uuid.uuid4().hex[:10]}"
    server = BUS_URL.rstrip("/")
    yield f"{server}/{namespace}"
    # Cleanup only: the stream is absent when no process got as far as connecting.
    with contextlib.suppress(Exception):
        asyncio.run(_delete_stream(server, namespace.upper()))


def _set_up(database_url: str) -> tuple[int, str]:
    """A water-level Datastream, a rule at 300 cm on it, an operator's API key."""
    database = Database(database_url)
    try:
        stream_id = make_stream(database, "Pos duga air Kapuas (skala)")
        with database.session() as session:
            create_rule(
                session,
                actor=system_actor("test"),
                data={
                    "code": "skala-kapuas",
                    "name_id": "Kapuas di atas 300 cm",
                    "name_en": "Kapuas above 300 cm",
                    "kind": "threshold",
                    "params": {
                        "datastream_id": stream_id,
                        "op": ">=",
                        "value": 300,
                        "clear_value": 280,
                        "duration_s": 0,
                    },
                    "auto_publish": True,
                    "cooldown_s": 0,
                    "event_id": "Banjir pasang",
                    "event_en": "Tidal flood",
                    "headline_id": "Muka air {value} {unit} di {station}",
                    "headline_en": "Water at {value} {unit} at {station}",
                },
            )
            _key, secret = auth.create_api_key(
                session=session, actor=system_actor("test"), name="skala", role=Role.OPERATOR
            )
            session.commit()
        return stream_id, secret
    finally:
        database.dispose()


def _counts(database_url: str, stream_id: int) -> tuple[int, int]:
    database = Database(database_url)
    try:
        with database.session(write=False) as session:
            observations = session.scalar(
                select(func.count())
                .select_from(Observation)
                .where(Observation.datastream_id == stream_id)
            )
            alerts = session.scalar(select(func.count()).select_from(Alert))
        return int(observations or 0), int(alerts or 0)
    finally:
        database.dispose()


def _subscribed(broker: Broker, count: int) -> bool:
    log = (broker.folder / "mosquitto.log").read_text(errors="replace")
    return log.count(f"$share/{SHARED_GROUP}/v1.1/Observations") >= count


@pytest.mark.postgres
@pytest.mark.nats
@needs_servers
@needs_mosquitto
def test_two_webs_two_workers_one_alert_everywhere_and_no_job_twice(
    tmp_path: Path, scale_database_url: str, private_broker: Broker, bus_url: str
) -> None:
    database_url = scale_database_url
    stream_id, api_key = _set_up(database_url)
    deployment = Deployment(tmp_path, database_url, private_broker.url, bus_url)
    deployment.start()
    clients: list[SseClient] = []
    try:
        for port in deployment.web_ports:
            _wait(
                f"web process on {port}",
                lambda port=port: _healthy(port),
                deployment,
                within=START_WAIT,
            )
        _wait(
            "both workers' MQTT subscriptions",
            lambda: _subscribed(private_broker, 2),
            deployment,
            within=START_WAIT,
        )
        _wait(
            "every singleton service's lease held",
            lambda: all(
                sum(_total(deployment.metrics(), "pontive_worker_service_lease_held", service=s))
                == 1
                for s in SINGLETONS
            ),
            deployment,
            within=START_WAIT,
        )
        clients = [SseClient(port, api_key) for port in deployment.web_ports]

        reading = {"phenomenonTime": datetime.now(UTC).isoformat(), "result": 320}
        topic = f"v1.1/Datastreams({stream_id})/Observations"
        publish(private_broker.url, [(topic, json.dumps(reading).encode())])

        seen = [client.received(within=WAIT) for client in clients]
        for number, events in enumerate(seen):
            assert len(events) == 1, (number, events, deployment.logs())
            data = events[0]["data"]
            assert isinstance(data, dict)
            assert data["msg_type"] == "Alert"
        assert seen[0][0]["id"] == seen[1][0]["id"]  # the same event on both web processes
        assert _counts(database_url, stream_id) == (1, 1)

        time.sleep(max(0.0, 10.0 - (time.monotonic() - deployment.started)))
        scraped = deployment.metrics()
        window = time.monotonic() - deployment.started
    finally:
        for client in clients:
            client.close()
        codes = deployment.stop()

    # Exactly one worker stored the reading (the shared subscription gave it to one). The
    # two A.8 updates it published (the Datastream's topic and the global one) come back
    # through the shared subscription too (no "no local" there) and are recognised and
    # ignored: 3 messages received in all, 2 ignored.
    stored = _total(scraped, "pontive_sensors_mqtt_observations_stored_total")
    assert sorted(stored) == [0, 1]
    assert sum(_total(scraped, "pontive_sensors_mqtt_messages_received_total")) == 3
    assert sum(_total(scraped, "pontive_sensors_mqtt_messages_ignored_total")) == 2
    # Each singleton ran in one worker; the other stood by.
    for service in SINGLETONS:
        held = _total(scraped, "pontive_worker_service_lease_held", service=service)
        assert sorted(held) == [0, 1], (service, held)
    # No job ran twice in an interval: runs 0.9 interval apart at least, across both workers.
    intervals = _job_intervals()
    for job, interval in intervals.items():
        runs = sum(_total(scraped, "pontive_worker_job_runs_total", name=job, outcome="ran"))
        runs += sum(_total(scraped, "pontive_worker_job_runs_total", name=job, outcome="failed"))
        tried = sum(_total(scraped, "pontive_worker_job_runs_total", name=job))
        assert 1 <= runs <= math.floor(window / (0.9 * interval)) + 1, (job, runs, window)
        assert tried >= 2, (job, tried)  # both workers tried it: one ran, one skipped
    for job in SHORT_JOBS:  # ran again and again, by one worker per interval
        runs = sum(_total(scraped, "pontive_worker_job_runs_total", name=job, outcome="ran"))
        assert runs >= 3, (job, runs)
    assert all(code in (0, -signal.SIGTERM) for code in codes), (codes, deployment.logs())


def _job_intervals() -> dict[str, float]:
    settings = make_settings(
        "sqlite://",
        worker_job_intervals=",".join(f"{k}={v:g}" for k, v in SHORT_JOBS.items()),
    )
    return {job.name: job.interval_seconds for job in with_intervals(registered_jobs(), settings)}
