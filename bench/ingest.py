"""Observation ingest throughput: MQTT and CreateObservations against their bare baselines.

Run with ``make bench`` (or ``.venv/bin/python bench/ingest.py [--quick] [--no-postgres]
[--phase mqtt|create]``).
For SQLite (a temporary file) and PostgreSQL (a fresh database on ``--postgres-url``,
``$PONTIVE_BENCH_POSTGRES_URL``, ``$PONTIVE_TEST_DATABASE_URL`` or the local server, when it
answers), migrated with ``pontive db upgrade``, with 100 Datastreams (a Thing with a Location
each) for MQTT and 10 for CreateObservations:

1. MQTT (``mqtt_vs_bare_subscriber_<db>``, target ≥ 0.8): a private Mosquitto with Pontive's
   ``deploy/mosquitto/pontive.conf`` (no queue limit) pinned to CPU 1 with the publisher; the
   subscriber, pinned to CPU 0, is ``pontive worker`` (MQTT ingest, defaults; started once,
   warm) or ``bench/_support/mqtt_bench.py`` (paho 2.x, MQTT 5, QoS 1, counts and
   acknowledges, nothing else; its topics carry a ``bare/`` prefix so that the worker,
   connected throughout, never sees them). Both reach the broker through a relay
   (``mqtt_bench.Relay``).
   Each round the relay holds the broker back while ``mosquitto_pub -l`` publishes one
   observation per message at QoS 1 to ``v1.1/Observations`` (the Datastream in the body, 100
   Datastreams taking turns), then lets go: the rate is messages ÷ (the N-th message counted,
   or the N-th row committed as the worker's own metrics report, minus the release) — the
   sustained rate from a published QoS 1 message to a committed row, free of the publisher's
   speed. Rounds alternate bare and Pontive; the ratio is the median of the per-round ratios.
2. CreateObservations (``create_observations_vs_executemany_<db>``, target ≥ 0.5):
   ``pontive serve`` pinned to CPU 0 receives sequential ``POST /sta/v1.1/CreateObservations``
   of 1,000 rows (10 Datastreams of 100, ``phenomenonTime`` and ``result``, features from
   the Things' Locations) from this process on CPU 1; the baseline inserts the same rows with
   the driver's ``executemany`` in one transaction per 1,000 (``bench/_support/raw_insert.py``,
   CPU 0). Rows/s ÷ rows/s, median of the rounds.

The last line printed is ``{"bench": "ingest", "metrics": {...}}``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# ``bench/http.py`` would shadow the standard library's ``http`` (which urllib imports): take
# this folder off sys.path before anything imports it; ``bench/_support`` goes first instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent / "_support"))

import argparse
import contextlib
import http.client
import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from harness import Processes, _pinning, _pontive_command, _run_pontive, free_port
from ingest_setup import Backend, available_backends, create_streams, drop_backend, pontive_env
from mqtt_bench import Broker, Relay, publish

SUPPORT = Path(__file__).resolve().parent / "_support"
TARGETS = {"mqtt_vs_bare_subscriber": 0.8, "create_observations_vs_executemany": 0.5}
START = datetime(2026, 1, 1, tzinfo=UTC)
TOPIC = "v1.1/Observations"  # A.7: the Datastream named in each message's body
ROWS_PER_STREAM = 100  # a CreateObservations request: 10 Datastreams x 100 rows
BARE_PREFIX = "bare/"  # the bare subscriber's topics: the worker, still connected, ignores them


@dataclass(frozen=True)
class Plan:
    messages: int  # per MQTT round
    rounds: int
    requests: int  # CreateObservations requests of 1,000 rows per round


FULL = Plan(messages=30_000, rounds=5, requests=60)
QUICK = Plan(messages=4_000, rounds=1, requests=8)


@dataclass
class Run:
    tmp: Path
    plan: Plan
    server_prefix: list[str]
    client_prefix: list[str]
    processes: Processes
    clock: int = 0  # minutes handed out so far: every observation gets its own time

    def times(self, count: int) -> list[datetime]:
        first, self.clock = self.clock, self.clock + count
        return [START + timedelta(minutes=first + n) for n in range(count)]


# --- MQTT --------------------------------------------------------------------------------


def _messages(run: Run, streams: list[int]) -> list[bytes]:
    """One round: ``plan.messages`` observations, the streams taking turns, each stream one
    reading a minute (like the city's gauges) continuing where the last round stopped."""
    per_stream = run.plan.messages // len(streams)
    minutes = run.times(per_stream)
    return [
        json.dumps(
            {
                "Datastream": {"@iot.id": stream},
                "phenomenonTime": minutes[k].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "result": 250.0 + (k + stream) % 97,
            }
        ).encode()
        for k in range(per_stream)
        for stream in streams
    ]


def _sample(address: str, name: str) -> float:
    url = f"http://{address}/metrics"
    with urllib.request.urlopen(url, timeout=2) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    return 0.0


def _start_worker(run: Run, backend: Backend, relay: Relay) -> subprocess.Popen[bytes]:
    """``pontive worker`` with MQTT ingest (through the relay), connected and warm."""
    address = f"127.0.0.1:{free_port()}"
    extra = {
        "PONTIVE_MQTT_URL": f"mqtt://127.0.0.1:{relay.port}",
        "PONTIVE_MQTT_CLIENT_ID": f"pontive-bench-{uuid.uuid4().hex[:6]}",
        "PONTIVE_WORKER_METRICS_ADDRESS": address,
    }
    log = (run.tmp / f"worker-{backend.name}.log").open("ab")
    argv = [*run.server_prefix, _pontive_command(), "worker"]
    process = run.processes.start(argv, pontive_env(backend, extra), log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if _sample(address, "pontive_sensors_mqtt_connected") == 1.0:
                time.sleep(3.0)  # the jobs every worker runs at start-up are done by then
                return process
        time.sleep(0.1)
    raise RuntimeError(f"the worker did not connect; see {log.name}")


def _round_pontive(
    run: Run, broker: Broker, relay: Relay, backend: Backend, streams: list[int]
) -> float:
    """Release a backlog to the warm worker; messages ÷ seconds until all rows are committed
    (counted in the database from this process, on the client's CPU)."""
    lines = _messages(run, streams)
    before = backend.last_id()
    relay.pause()
    publish(broker.port, TOPIC, lines, run.client_prefix, run.tmp)
    started = time.time()
    relay.resume()
    while backend.count_after(before) < len(lines):
        time.sleep(0.02)
    return len(lines) / (time.time() - started)


def _round_bare(run: Run, broker: Broker, relay: Relay, streams: list[int]) -> float:
    lines = _messages(run, streams)
    argv = [*run.server_prefix, sys.executable, str(SUPPORT / "mqtt_bench.py")]
    argv += ["--port", str(relay.port), "--count", str(len(lines)), "--prefix", BARE_PREFIX]
    subscriber = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert subscriber.stdout is not None  # noqa: S101 - narrowed for the type checker
    json.loads(subscriber.stdout.readline())  # {"ready": …}: subscribed
    relay.pause()
    publish(broker.port, BARE_PREFIX + TOPIC, lines, run.client_prefix, run.tmp)
    started = time.time()
    relay.resume()
    last = float(json.loads(subscriber.stdout.readline())["last"])
    subscriber.wait(timeout=30)
    return len(lines) / (last - started)


def mqtt_phase(run: Run, backend: Backend) -> dict[str, float]:
    streams = create_streams(backend, 100, "mqtt")
    broker = Broker(run.tmp / f"broker-{backend.name}", run.client_prefix)
    broker.start()
    relay = Relay(broker.port)
    relay.start()
    worker = None
    try:
        worker = _start_worker(run, backend, relay)
        _round_pontive(run, broker, relay, backend, streams)  # warm-up of both, not counted
        _round_bare(run, broker, relay, streams)
        ours, bare = [], []
        for number in range(1, run.plan.rounds + 1):
            bare.append(_round_bare(run, broker, relay, streams))
            ours.append(_round_pontive(run, broker, relay, backend, streams))
            print(
                f"{backend.name} MQTT round {number}/{run.plan.rounds}: Pontive {ours[-1]:.0f}"
                f" obs/s committed, bare subscriber {bare[-1]:.0f} msg/s"
            )
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        broker.stop()
    return _summary("mqtt_vs_bare_subscriber", backend.name, ours, bare, "obs/s")


# --- CreateObservations --------------------------------------------------------------------


def _document(run: Run, streams: list[tuple[int, int]]) -> bytes:
    """One CreateObservations body: 100 readings a minute apart for each Datastream."""
    minutes = run.times(ROWS_PER_STREAM)
    body = [
        {
            "Datastream": {"@iot.id": stream},
            "components": ["phenomenonTime", "result"],
            "dataArray": [
                [t.strftime("%Y-%m-%dT%H:%M:%SZ"), 250.0 + n % 97] for n, t in enumerate(minutes)
            ],
        }
        for stream, _feature in streams
    ]
    return json.dumps(body).encode()


def _round_create(run: Run, port: int, key: str, streams: list[tuple[int, int]]) -> float:
    bodies = [_document(run, streams) for _ in range(run.plan.requests)]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json", "X-API-Key": key}
    started = time.perf_counter()
    for body in bodies:
        connection.request("POST", "/sta/v1.1/CreateObservations", body, headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 201 or b'"error"' in answer:
            raise RuntimeError(f"CreateObservations answered {response.status}: {answer[:300]!r}")
    seconds = time.perf_counter() - started
    connection.close()
    return run.plan.requests * ROWS_PER_STREAM * len(streams) / seconds


def _round_raw(run: Run, backend: Backend, streams: list[tuple[int, int]]) -> float:
    minutes = run.times(run.plan.requests * ROWS_PER_STREAM)
    first = minutes[0]
    backend.prepare_months(first, minutes[-1])
    plan = {  # the same shape of data as the Pontive round: a reading a minute per stream
        "start": first.isoformat(),
        "step_seconds": 60,
        "requests": run.plan.requests,
        "rows_per_stream": ROWS_PER_STREAM,
        "streams": streams,
    }
    path = run.tmp / "raw-plan.json"
    path.write_text(json.dumps(plan))
    argv = [*run.server_prefix, sys.executable, str(SUPPORT / "raw_insert.py")]
    done = subprocess.run(
        [*argv, "--url", backend.url, "--plan", str(path)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return float(result["rows"]) / float(result["seconds"])


def create_phase(run: Run, backend: Backend) -> dict[str, float]:
    stream_ids = create_streams(backend, 10, "http")
    streams = list(zip(stream_ids, backend.features(stream_ids), strict=True))
    verb = ["apikeys", "create", "--name", f"bench-{uuid.uuid4().hex[:6]}", "--role", "operator"]
    key = _run_pontive(pontive_env(backend), verb).strip().splitlines()[-1]
    port = free_port()
    log = (run.tmp / f"serve-{backend.name}.log").open("wb")
    argv = [*run.server_prefix, _pontive_command(), "serve", "--port", str(port)]
    run.processes.start(argv, pontive_env(backend), log)
    _wait_http(port)
    _round_create(run, port, key, streams)  # warm-up
    ours, raw = [], []
    for number in range(1, run.plan.rounds + 1):
        ours.append(_round_create(run, port, key, streams))
        raw.append(_round_raw(run, backend, streams))
        print(
            f"{backend.name} CreateObservations round {number}/{run.plan.rounds}: Pontive"
            f" {ours[-1]:.0f} rows/s over HTTP, raw executemany {raw[-1]:.0f} rows/s"
        )
    return _summary("create_observations_vs_executemany", backend.name, ours, raw, "rows/s")


def _wait_http(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1),
        ):
            return
        time.sleep(0.2)
    raise RuntimeError("pontive serve did not answer")


# --- summary -------------------------------------------------------------------------------


def _summary(
    metric: str, backend: str, ours: list[float], base: list[float], unit: str
) -> dict[str, float]:
    ratios = [o / b for o, b in zip(ours, base, strict=True)]
    ratio = statistics.median(ratios)
    target = TARGETS[metric]
    verdict = "meets" if ratio >= target else "MISSES"
    print(
        f"{metric}_{backend}: {ratio:.3f} (per round {', '.join(f'{r:.3f}' for r in ratios)}) "
        f"{verdict} target ≥ {target}; Pontive {statistics.median(ours):.0f} {unit}, "
        f"baseline {statistics.median(base):.0f} {unit}"
    )
    what, baseline = metric.split("_vs_")
    per = unit.replace("/", "_per_")
    return {
        f"{metric}_{backend}": round(ratio, 3),
        f"pontive_{what}_{per}_{backend}": round(statistics.median(ours), 1),
        f"{baseline}_{per}_{backend}": round(statistics.median(base), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (CI)")
    parser.add_argument("--postgres-url", default=None, help="server for the PostgreSQL run")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--phase", choices=("all", "mqtt", "create"), default="all", help="measure one phase only"
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    print(f"plan: {'quick' if args.quick else 'full'} — {plan.rounds} round(s), "
          f"{plan.messages} MQTT messages and {plan.requests} x 1000 rows per round")  # fmt: skip
    server_prefix, client_prefix = _pinning()
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {1} if client_prefix else os.sched_getaffinity(0))
    metrics: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="pontive-bench-ingest-") as tmp_name:
        for backend in available_backends(Path(tmp_name), args.postgres_url, args.no_postgres):
            processes = Processes()
            run = Run(Path(tmp_name), plan, server_prefix, client_prefix, processes)
            try:
                _run_pontive(pontive_env(backend), ["db", "upgrade"])
                if args.phase in ("all", "mqtt"):
                    metrics |= mqtt_phase(run, backend)
                if args.phase in ("all", "create"):
                    metrics |= create_phase(run, backend)
            finally:
                processes.stop_all()
                drop_backend(backend)
    print(json.dumps({"bench": "ingest", "metrics": metrics}))


if __name__ == "__main__":
    main()
