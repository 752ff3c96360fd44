"""Alert latency: from a committed reading to the alert event in an SSE client's hands.

Run with ``make bench`` (or ``.venv/bin/python bench/alert_latency.py [--quick]
[--no-postgres]``). Two set-ups, each on a fresh database migrated with ``pontive db upgrade``:

- ``embedded``: SQLite and the in-memory bus; ``pontive serve`` alone stores the reading,
  evaluates the rules (``alerts/lifecycle.py``) and serves the event stream;
- ``postgres_nats``: PostgreSQL and NATS (``$PONTIVE_BENCH_NATS_URL``, default
  ``nats://127.0.0.1:4222``, skipped when it does not answer); ``pontive serve`` stores the
  reading and serves the stream, ``pontive worker`` evaluates the rules.

One water-level Datastream and one rule on it: threshold ≥ 300 cm, cleared at ≤ 280 cm, no
duration, no cooldown, published without approval. An SSE client (an API key of an operator)
follows ``/api/v1/events/stream?types=alerts.alert.published``. Each cycle POSTs a reading of
320 cm (the rule fires: a CAP Alert is published) and then one of 260 cm (it clears: a CAP
Cancel). A sample is the time from sending the POST to the SSE client reading the matching
event: storing and committing the reading is inside it, so it bounds the latency from the
commit from above (the evaluator may publish before the POST's answer is even read).
Metrics: ``alert_p99_ms_embedded`` and ``alert_p99_ms_postgres_nats`` (target under 500 ms),
with p50 beside them. The last line
printed is ``{"bench": "alert_latency", "metrics": {...}}``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# ``bench/http.py`` would shadow the standard library's ``http``: this folder goes off
# sys.path before anything imports it; ``bench/_support`` goes first instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent / "_support"))

import argparse
import http.client
import json
import os
import queue
import socket
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from harness import Processes, _pontive_command, _run_pontive, _wait_ready, free_port
from ingest_setup import Backend, available_backends, create_streams, drop_backend, pontive_env

from pontive.alerts.rules_manage import create_rule
from pontive.core.db import Database
from pontive.core.identity import system_actor

TARGET_MS = 500.0
FIRE, CLEAR = 320.0, 260.0
DEFAULT_NATS = "nats://127.0.0.1:4222"
WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Plan:
    cycles: int  # each cycle: one Alert and one Cancel


FULL = Plan(cycles=100)
QUICK = Plan(cycles=10)


def _nats_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 4222), 2):
            return True
    except OSError:
        return False


def _create_rule(backend: Backend, stream_id: int) -> None:
    database = Database(backend.url)
    try:
        with database.session() as session:
            create_rule(
                session,
                actor=system_actor("bench"),
                data={
                    "code": "bench-kapuas",
                    "name_id": "Bench: Kapuas di atas 300 cm",
                    "name_en": "Bench: Kapuas above 300 cm",
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
            session.commit()
    finally:
        database.dispose()


class SseClient:
    """Reads ``alerts.alert.published`` events in a thread; each arrives with its clock."""

    def __init__(self, port: int, api_key: str) -> None:
        self.events: queue.Queue[tuple[float, dict[str, object]]] = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request(
            "GET",
            "/api/v1/events/stream?types=alerts.alert.published",
            headers={"X-API-Key": api_key, "Accept": "text/event-stream"},
        )
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            raise RuntimeError(f"event stream answered {self.response.status}")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                if raw.startswith(b"data: "):
                    arrived = time.perf_counter()
                    self.events.put((arrived, json.loads(raw[6:])["data"]))
        except (OSError, ValueError, AttributeError):  # AttributeError: closed underneath
            return

    def wait_for(self, msg_type: str, within: float = WAIT_SECONDS) -> float:
        """When the next published message of ``msg_type`` arrived."""
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0:
            try:
                arrived, data = self.events.get(timeout=left)
            except queue.Empty:
                break
            if data.get("msg_type") == msg_type:
                return arrived
        raise RuntimeError(f"no published {msg_type} within {within} s")

    def close(self) -> None:
        self.connection.close()


def _post_reading(port: int, api_key: str, stream_id: int, value: float, at: datetime) -> float:
    body = json.dumps({"phenomenonTime": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "result": value})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    sent = time.perf_counter()
    try:
        connection.request(
            "POST",
            f"/sta/v1.1/Datastreams({stream_id})/Observations",
            body=body,
            headers={"Content-Type": "application/json", "X-API-Key": api_key},
        )
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            raise RuntimeError(f"observation POST answered {response.status}")
    finally:
        connection.close()
    return sent


def measure(backend: Backend, bus_url: str, plan: Plan, tmp: Path, label: str) -> list[float]:
    """Latencies in milliseconds of ``plan.cycles`` Alerts and as many Cancels."""
    env = pontive_env(backend, {"PONTIVE_BUS_URL": bus_url})
    _run_pontive(env, ["db", "upgrade"])
    stream_id = create_streams(backend, 1, label)[0]
    _create_rule(backend, stream_id)
    key = _run_pontive(env, ["apikeys", "create", "--name", "bench", "--role", "operator"])
    api_key = key.strip().splitlines()[-1].strip()
    processes = Processes()
    port = free_port()
    try:
        log = tmp / f"{label}-serve.log"
        serve = processes.start(
            [_pontive_command(), "serve", "--port", str(port)], env, log.open("wb")
        )
        _wait_ready(serve, port, "pontive serve", log)
        if not bus_url.startswith("memory://"):
            worker_log = (tmp / f"{label}-worker.log").open("wb")
            processes.start([_pontive_command(), "worker"], env, worker_log)
        client = SseClient(port, api_key)
        samples: list[float] = []
        logs = sorted(tmp.glob(f"{label}-*.log"))
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
        try:
            start = _warm_up(client, port, api_key, stream_id, start)
            for cycle in range(plan.cycles):
                for step, (value, msg_type) in enumerate(((FIRE, "Alert"), (CLEAR, "Cancel"))):
                    at = start + timedelta(seconds=2 * cycle + step)
                    sent = _post_reading(port, api_key, stream_id, value, at)
                    try:
                        samples.append((client.wait_for(msg_type) - sent) * 1000)
                    except RuntimeError:
                        for path in logs:
                            print(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}")
                        raise
        finally:
            client.close()
        return samples
    finally:
        processes.stop_all()


def _warm_up(client: SseClient, port: int, api_key: str, stream_id: int, at: datetime) -> datetime:
    """One Alert and one Cancel, not measured: readings are repeated until the evaluator (a
    worker still starting, on NATS) hears them. Returns the next reading's time."""
    for value, msg_type in ((FIRE, "Alert"), (CLEAR, "Cancel")):
        deadline = time.monotonic() + 60
        while True:
            at += timedelta(seconds=1)
            _post_reading(port, api_key, stream_id, value, at)
            try:
                client.wait_for(msg_type, within=1.0)
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
    return at + timedelta(seconds=1)


def _p(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (CI)")
    parser.add_argument("--postgres-url", default=None, help="server for the PostgreSQL run")
    parser.add_argument("--no-postgres", action="store_true", help="embedded only")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    nats = os.environ.get("PONTIVE_BENCH_NATS_URL", DEFAULT_NATS)
    print(f"plan: {'quick' if args.quick else 'full'} — {plan.cycles} alerts and cancels each")
    metrics: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pontive-bench-alerts-") as tmp_name:
        tmp = Path(tmp_name)
        for backend in available_backends(tmp, args.postgres_url, args.no_postgres):
            try:
                if backend.name == "sqlite":
                    label, bus = "embedded", "memory://"
                elif _nats_answers(nats):
                    label, bus = "postgres_nats", nats
                else:
                    print(f"postgres_nats: skipped (no NATS server at {nats})")
                    continue
                samples = measure(backend, bus, plan, tmp, label)
                p50, p99 = _p(samples, 50), _p(samples, 99)
                verdict = "meets" if p99 < TARGET_MS else "MISSES"
                print(
                    f"{label}: {len(samples)} alerts, p50 {p50:.1f} ms, p99 {p99:.1f} ms "
                    f"({verdict} target < {TARGET_MS:.0f} ms)"
                )
                metrics[f"alert_p99_ms_{label}"] = round(p99, 1)
                metrics[f"alert_p50_ms_{label}"] = round(p50, 1)
            finally:
                drop_backend(backend)
    print(json.dumps({"bench": "alert_latency", "metrics": metrics}))


if __name__ == "__main__":
    main()
