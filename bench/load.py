"""A flood evening: reports, a sensor burst, public viewers and SSE clients at once.

Run with ``make bench`` (or ``.venv/bin/python bench/load.py [--quick] [--database-url URL]
[--mqtt-url URL] [--bus-url URL] [--seed N]``). On real processes — ``pontive serve`` (one
worker) and ``pontive worker`` (MQTT ingest, alert rules), SQLite by default (PostgreSQL: a
fresh database on the server ``--database-url`` names), the bench's own Mosquitto and NATS
JetStream unless given — migrated and loaded with the demo city (``pontive demo load``), plus
60 water-level Datastreams and a threshold rule (≥ 300 cm) on one more. Two phases, fixed
seconds and seed (docs/load.md has the numbers):

- ``normal``: reports at 0.5/s, a reading a second from the stations, 30 viewers reloading
  ``/situasi`` every 5 s on average, 20 SSE clients (the page's ``EventSource``);
- ``flood``: reports at 20 times that (10/s), readings at 6/s plus, 2 s in, a burst of 100 buffered
  readings from every station, 300 viewers reloading every 3 s, 150 SSE clients.

In both, every 4 s the rule's Datastream reads alternately 320 and 260 cm over MQTT: the
worker raises and cancels a CAP alert, every SSE client receives it (the latency measured: from
the MQTT publication to the client's hands) and, as ``situation.js`` does, fetches the page's
live part and its map data 400 ms later. HTTP is driven by ``bench/_support/load_client.py``
(pinned to CPU 1; reports carry each citizen's own ``X-Forwarded-For`` address, so the
per-address report quota stays on and is never reached).

Baselines, same run, same CPU: ``bench/_support/bare_app.py`` answering Pontive's own bytes for
every page, the live part, the map data and a report's receipt under the same uvicorn options,
driven by the same client (the refreshes at the trigger times, as it has no event stream), and
the bare MQTT subscriber (``mqtt_bench.py``) receiving the same readings. Rounds alternate
bare and Pontive. Metrics (medians of the rounds): per phase and stream (report, page, live,
data) throughput ratio ``<phase>_<stream>_vs_bare`` (answers/s ÷ bare's; 1.0 is keeping up),
p50/p99 and errors of both; ``flood_burst_vs_bare_subscriber`` (rows committed/s ÷ messages
received/s for the burst), the ingest lag p50/p99 and the SSE alert latency p50/p99. The
last line printed is ``{"bench": "load", "metrics": {...}}``.
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
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from harness import QUICK as HARNESS_PLAN
from harness import (
    Context,
    Processes,
    Route,
    _pinning,
    _run_pontive,
    _wait_ready,
    fetch,
    free_port,
)
from ingest_setup import Backend, available_backends, create_streams, drop_backend, pontive_env
from load_report import summarise
from load_setup import (
    TOPIC,
    CommitWatch,
    NatsServer,
    Publisher,
    Readings,
    create_flood_rule,
    wait_for_worker,
)
from measure import LoadGenerator, Server
from mqtt_bench import Broker

SUPPORT = Path(__file__).resolve().parent / "_support"
BARE_PREFIX = "bare/"
SSE_TYPES = "alerts.>,sensors.flood_status_changed,sensors.ispu_category_changed"
REPORT = {
    "category_code": "banjir-genangan",
    "description": "Air masuk rumah setinggi lutut",
    "is_anonymous": True,
}


@dataclass(frozen=True)
class Phase:
    name: str
    seconds: int
    reports_per_s: float
    readings_per_s: int
    viewers: int
    think_s: float
    sse: int


@dataclass(frozen=True)
class Plan:
    phases: tuple[Phase, ...]
    stations: int
    burst_per_station: int
    burst_at: float  # seconds into the flood
    trigger_every: float
    rounds: int


FULL = Plan(
    phases=(
        Phase("normal", 16, 0.5, 1, 30, 5.0, 20),
        Phase("flood", 40, 10.0, 6, 300, 3.0, 150),
    ),
    stations=60,
    burst_per_station=100,
    burst_at=2.0,
    trigger_every=4.0,
    rounds=2,
)
QUICK = Plan(
    phases=(Phase("normal", 5, 0.5, 1, 10, 5.0, 5), Phase("flood", 10, 10.0, 6, 100, 3.0, 50)),
    stations=20,
    burst_per_station=20,
    burst_at=1.0,
    trigger_every=2.5,
    rounds=1,
)


@dataclass
class World:
    """Everything one run needs: where the servers listen, the data, the processes."""

    tmp: Path
    plan: Plan
    seed: int
    backend: Backend
    broker_port: int
    pontive: Server
    bare: Server
    readings: Readings
    server_prefix: list[str]
    client_prefix: list[str]


def _schedule(plan: Plan) -> list[tuple[float, str, int]]:
    """(seconds from the run's start, what, how many): readings each second, the burst and
    the rule's triggers; the same for every run."""
    events: list[tuple[float, str, int]] = []
    start = 0.0
    for phase in plan.phases:
        events += [(start + s + 0.5, "trickle", phase.readings_per_s) for s in range(phase.seconds)]
        if phase.name == "flood":
            events.append((start + plan.burst_at, "burst", plan.burst_per_station))
        at = plan.trigger_every / 2
        while at < phase.seconds - 1:
            events.append((start + at, "trigger", 1))
            at += plan.trigger_every
        start += phase.seconds
    return sorted(events)


def _phase_at(plan: Plan, at: float) -> Phase:
    start = 0.0
    for phase in plan.phases:
        if at < start + phase.seconds:
            return phase
        start += phase.seconds
    return plan.phases[-1]


def _burst_position(plan: Plan) -> tuple[int, int]:
    """How many messages precede the burst, and how many it has."""
    before = 0
    for _when, what, count in _schedule(plan):
        if what == "burst":
            return before, count * plan.stations
        before += count
    raise ValueError("no burst in the plan")


def run_once(world: World, target: str, number: int) -> dict[str, Any]:
    """One run of the whole profile against ``target`` (``pontive`` or ``bare``)."""
    plan = world.plan
    server = world.pontive if target == "pontive" else world.bare
    schedule = _schedule(plan)
    config = {
        "target": target,
        "port": server.port,
        "seed": world.seed + number,
        "sse_types": SSE_TYPES,
        "report": REPORT,
        "phases": [asdict(phase) for phase in plan.phases],
        "refresh_at": [
            (at + 0.1, _phase_at(plan, at).sse) for at, what, _ in schedule if what == "trigger"
        ],
    }
    path = world.tmp / f"client-{target}-{number}.json"
    path.write_text(json.dumps(config))
    before_burst, burst_size = _burst_position(plan)
    topic = TOPIC if target == "pontive" else BARE_PREFIX + TOPIC
    subscriber = None
    watch = CommitWatch(world.backend) if target == "pontive" else None
    if target == "bare":
        argv = [*world.server_prefix, sys.executable, str(SUPPORT / "mqtt_bench.py")]
        argv += ["--port", str(world.broker_port), "--count", str(before_burst + burst_size)]
        subscriber = subprocess.Popen([*argv, "--prefix", BARE_PREFIX], stdout=subprocess.PIPE)
        assert subscriber.stdout is not None  # noqa: S101 - narrowed for the type checker
        json.loads(subscriber.stdout.readline())  # subscribed
    publisher = Publisher(world.broker_port, topic, world.client_prefix)
    argv = [*world.client_prefix, sys.executable, str(SUPPORT / "load_client.py"), str(path)]
    client = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert client.stdout is not None  # noqa: S101 - narrowed for the type checker
    cue = json.loads(client.stdout.readline())  # the first phase starts
    triggers: list[tuple[float, str]] = []
    burst_started = 0.0

    def publish_all() -> None:
        nonlocal burst_started
        started = time.monotonic()
        for at, what, count in schedule:
            time.sleep(max(0.0, started + at - time.monotonic()))
            if what == "trickle":
                publisher.send(world.readings.trickle(count))
            elif what == "burst":
                burst_started = publisher.send(world.readings.burst(count))
            else:
                line, msg_type = world.readings.trigger()
                triggers.append((publisher.send([line]), msg_type))

    thread = threading.Thread(target=publish_all, daemon=True)
    thread.start()
    phase_starts = {cue["phase"]: cue["started"]}
    result: dict[str, Any] = {}
    for line in client.stdout:
        data = json.loads(line)
        if "phase" in data:
            phase_starts[data["phase"]] = data["started"]
        else:
            result = data
    client.wait(timeout=60)
    thread.join(timeout=60)
    publisher.close()
    burst_last = None
    if subscriber is not None:
        assert subscriber.stdout is not None  # noqa: S101 - narrowed for the type checker
        burst_last = float(json.loads(subscriber.stdout.readline())["last"])
        subscriber.wait(timeout=30)
    if watch is not None:
        burst_last = watch.wait_for(before_burst + burst_size, within=120)
        watch.wait_for(len(publisher.sent), within=60)
        watch.stop()
        result["lags"] = _lags_by_phase(watch.lags(publisher.sent), publisher.sent, phase_starts)
    result["burst"] = {
        "size": burst_size,
        "seconds": (burst_last - burst_started) if burst_last else None,
    }
    result["triggers"] = triggers
    result["phase_starts"] = phase_starts
    return result


def _warm_up(world: World) -> None:
    """Readings and one alert with its cancel through the whole chain, not measured: the
    worker's start-up jobs are done and every path is warm when the first round begins."""
    watch = CommitWatch(world.backend)
    publisher = Publisher(world.broker_port, TOPIC, world.client_prefix)
    lines = world.readings.trickle(len(world.readings.stations))
    lines += [world.readings.trigger()[0], world.readings.trigger()[0]]
    publisher.send(lines)
    publisher.close()
    done = watch.wait_for(len(lines), within=180)
    watch.stop()
    if done is None:
        raise RuntimeError("the worker did not commit the warm-up readings")
    print(f"warm-up: {len(lines)} readings committed (the rule fired and cleared once)")


def _lags_by_phase(
    lags: list[float], sent: list[float], starts: dict[str, float]
) -> dict[str, list[float]]:
    ordered = sorted(starts.items(), key=lambda item: item[1])
    found: dict[str, list[float]] = {name: [] for name, _ in ordered}
    for lag, published in zip(lags, sent, strict=False):
        phase = ordered[0][0]
        for name, began in ordered:
            if published >= began:
                phase = name
        found[phase].append(lag)
    return found


def _capture(context: Context, port: int) -> Server:
    """Pontive's answers for the pages, the live part, the map data and a receipt, served by
    the bare app."""
    page = fetch(port, "/situasi")
    live = fetch(port, "/situasi?bagian=isi&v=capture")
    data = fetch(port, "/situasi/data.json?v=capture")
    body = json.dumps({**REPORT, "lat": -0.03, "lon": 109.33})
    receipt = _post_json(port, "/api/v1/complaints", body)
    routes = [
        Route("GET", "/situasi", live[1], live[2], header="x-bench-live"),
        Route("GET", "/situasi", page[1], page[2]),
        Route("GET", "/situasi/data.json", data[1], data[2]),
        Route("POST", "/api/v1/complaints", receipt[0], receipt[1]),
    ]
    for label, answer in (("page", page), ("live part", live), ("map data", data)):
        print(f"{label:<10} {len(answer[2]):>7} bytes of {answer[1]}")
    return context.start_bare(routes)


def _post_json(port: int, path: str, body: str) -> tuple[str, bytes]:
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body.encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": "10.255.255.254"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - fixed URL
        return response.headers.get("content-type", ""), response.read()


def _backend(tmp: Path, database_url: str | None) -> Backend:
    backends = available_backends(tmp, database_url, skip_postgres=database_url is None)
    sqlite = next(backends)
    return next(backends, sqlite) if database_url else sqlite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    parser.add_argument("--database-url", help="PostgreSQL server: a fresh database on it")
    parser.add_argument("--mqtt-url", help="an MQTT broker (default: a private Mosquitto)")
    parser.add_argument("--bus-url", help="a NATS server (default: a private nats-server)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--prepared",
        type=Path,
        help="SQLite: reuse this prepared database (made and kept there on the first run)",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    print(f"plan: {'quick' if args.quick else 'full'}, {plan.rounds} round(s), seed {args.seed}")
    for phase in plan.phases:
        print(
            f"  {phase.name:<7} {phase.seconds:>3} s: reports {phase.reports_per_s}/s, "
            f"readings {phase.readings_per_s}/s, {phase.viewers} viewers (reload every "
            f"{phase.think_s} s), {phase.sse} SSE clients"
        )
    print(
        f"  burst: {plan.burst_per_station} readings from each of {plan.stations} stations "
        f"{plan.burst_at} s into the flood; an alert or its cancel every {plan.trigger_every} s"
    )
    processes = Processes()
    infrastructure: list[Broker | NatsServer] = []
    with tempfile.TemporaryDirectory(prefix="pontive-bench-load-") as tmp_name:
        tmp = Path(tmp_name)
        backend = _backend(tmp, args.database_url)
        try:
            server_prefix, client_prefix = _pinning()
            if args.mqtt_url:
                broker_port = int(args.mqtt_url.rsplit(":", 1)[1])
            else:
                broker = Broker(tmp / "mosquitto", client_prefix)
                broker.start()
                infrastructure.append(broker)
                broker_port = broker.port
            bus_url = args.bus_url
            if not bus_url:
                nats = NatsServer(tmp / "nats", client_prefix, free_port())
                nats.start()
                infrastructure.append(nats)
                bus_url = nats.url
            extra = {
                "PONTIVE_BUS_URL": bus_url,
                "PONTIVE_MQTT_URL": f"mqtt://127.0.0.1:{broker_port}",
                "PONTIVE_MQTT_CLIENT_ID": f"pontive-load-{uuid.uuid4().hex[:6]}",
                "PONTIVE_MEDIA_DIR": str(tmp / "media"),
            }
            env = pontive_env(backend, extra)
            started = time.monotonic()
            streams = _prepare(backend, env, plan, args.prepared)
            print(
                f"database: {backend.name}, migrated, demo city loaded, {plan.stations} "
                f"stations and a rule ({time.monotonic() - started:.0f} s)"
            )
            generator = LoadGenerator(None, client_prefix, 1, tmp)
            context = Context(tmp, env, HARNESS_PLAN, "", generator, server_prefix, processes)
            pontive = _start_serve(processes, env, server_prefix, tmp)
            worker_log = (tmp / "worker.log").open("wb")
            metrics_address = f"127.0.0.1:{free_port()}"
            worker_env = {**env, "PONTIVE_WORKER_METRICS_ADDRESS": metrics_address}
            processes.start([*server_prefix, _pontive(), "worker"], worker_env, worker_log)
            bare = _capture(context, pontive.port)
            wait_for_worker(metrics_address)
            world = World(
                tmp,
                plan,
                args.seed,
                backend,
                broker_port,
                pontive,
                bare,
                Readings(streams[:-1], streams[-1]),
                server_prefix,
                client_prefix,
            )
            _warm_up(world)
            runs: dict[str, list[dict[str, Any]]] = {"bare": [], "pontive": []}
            for number in range(plan.rounds):
                order = ("bare", "pontive") if number % 2 == 0 else ("pontive", "bare")
                for target in order:
                    result = run_once(world, target, number)
                    runs[target].append(result)
                    print(f"round {number + 1}/{plan.rounds} {target} done")
        finally:
            processes.stop_all()
            for service in infrastructure:
                service.stop()
            drop_backend(backend)
        metrics = summarise(runs, [phase.name for phase in plan.phases])
    print(json.dumps({"bench": "load", "metrics": metrics}))


def _prepare(backend: Backend, env: dict[str, str], plan: Plan, prepared: Path | None) -> list[int]:
    """Migrate and load the demo city (with ``--prepared``, SQLite only: copy that file when
    it exists, else keep a copy there for the next run), then add the stations and the rule."""
    database = Path(backend.url.removeprefix("sqlite:///")) if backend.name == "sqlite" else None
    if database and prepared and prepared.exists():
        shutil.copyfile(prepared, database)
    else:
        _run_pontive(env, ["db", "upgrade"])
        _run_pontive(env, ["demo", "load"])
        if database and prepared:
            backend.dispose()
            shutil.copyfile(database, prepared)
    streams = create_streams(backend, plan.stations + 1, f"banjir {uuid.uuid4().hex[:6]}")
    create_flood_rule(backend, streams[-1])
    return streams


def _start_serve(processes: Processes, env: dict[str, str], prefix: list[str], tmp: Path) -> Server:
    """``pontive serve`` (one worker); waits up to three minutes: on a shared machine under
    load the imports alone can take a minute."""
    port = free_port()
    log = tmp / "serve.log"
    argv = [*prefix, _pontive(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = processes.start(argv, env, log.open("wb"))
    for attempt in range(3):
        try:
            _wait_ready(process, port, "pontive serve", log)
            break
        except RuntimeError:
            if process.poll() is not None or attempt == 2:
                raise
    return Server(process.pid, port)


def _pontive() -> str:
    from harness import _pontive_command

    return _pontive_command()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
