"""What every ``bench/*.py`` script does around its own measurements.

:func:`main` parses ``--quick`` and ``--generator``, creates a throw-away SQLite database
(``pontive`` verbs), picks CPU pinning (servers on CPU 0, client on CPU 1 with ``taskset``) and
the load generator (``wrk``, installed with apt-get when missing and root; else
``bench/_support/loadgen.py``), hands a :class:`Context` to the script's ``setup`` (which starts
Pontive and the bare app and names the phases to run), measures, stops every server and prints
the summary with, last, the JSON object ``{"bench": NAME, "metrics": {...}}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from measure import (
    HOST,
    SUPPORT_DIR,
    Endpoint,
    LoadGenerator,
    Phase,
    Server,
    measure,
    split_header,
    summarise,
)

ROOT = SUPPORT_DIR.parent.parent


@dataclass(frozen=True)
class Plan:
    duration: int  # seconds per measured run
    warmup: int  # seconds per server and endpoint before measuring
    rounds: int
    connections: int


# Many short alternating rounds: bursts of work by neighbours hit both servers alike.
FULL = Plan(duration=6, warmup=3, rounds=7, connections=64)
QUICK = Plan(duration=2, warmup=1, rounds=1, connections=32)


# --- processes ---------------------------------------------------------------------------


class Processes:
    """Every server started here, stopped (whole process group) in ``stop_all``."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []

    def start(
        self, argv: list[str], env: dict[str, str], log: IO[bytes]
    ) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    # The group is the one created for this very process (start_new_session=True).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(
    port: int, path: str, headers: Sequence[str] = (), form: str | None = None
) -> tuple[int, str, bytes]:
    """One request (a POST when ``form``, URL-encoded, is given): status, content type, body."""
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        data=None if form is None else form.encode(),
        headers=dict(split_header(header) for header in headers),
    )
    # A fixed http:// URL on 127.0.0.1, never a user-supplied scheme.
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers.get("content-type", ""), response.read()


def _wait_ready(process: subprocess.Popen[bytes], port: int, name: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if fetch(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"{name} did not become ready on port {port}; its log ends:\n{tail}")


# --- set-up ------------------------------------------------------------------------------


def _pontive_env(tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PONTIVE_")}
    env.update(
        PONTIVE_ENV="dev",
        PONTIVE_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
        PONTIVE_LOG_LEVEL="WARNING",
        PONTIVE_MEDIA_DIR=str(tmp / "media"),
    )
    return env


def _pontive_command() -> str:
    beside = Path(sys.executable).parent / "pontive"
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "pontive")


def _run_pontive(env: dict[str, str], verb: Sequence[str], stdin: str | None = None) -> str:
    done = subprocess.run(
        [_pontive_command(), *verb],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pontive {' '.join(verb)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _pinning() -> tuple[list[str], list[str]]:
    """``taskset`` prefixes: servers on CPU 0, the client on CPU 1, when possible."""
    taskset = shutil.which("taskset")
    if taskset and {0, 1} <= os.sched_getaffinity(0):
        print("pinning: servers on CPU 0, load generator on CPU 1 (taskset)")
        return [taskset, "-c", "0"], [taskset, "-c", "1"]
    print("pinning: none (taskset or two CPUs unavailable); numbers are noisier")
    return [], []


def _find_wrk(allow_install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not allow_install:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return None
    print("wrk: not installed; trying apt-get install -y wrk")
    for step in ([apt, "install", "-y", "wrk"], [apt, "update"], [apt, "install", "-y", "wrk"]):
        try:
            done = subprocess.run(
                step,
                capture_output=True,
                timeout=300,
                check=False,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        except subprocess.TimeoutExpired:
            return None
        if step[1] == "install" and done.returncode == 0:
            break
    return shutil.which("wrk")


# --- one run -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One answer of the bare app (``bare_app.py``): ``header`` must be present when given."""

    method: str
    path: str
    content_type: str
    body: bytes
    header: str | None = None


@dataclass
class Context:
    tmp: Path
    env: dict[str, str]
    plan: Plan
    database_output: str  # what the last database verb printed
    generator: LoadGenerator  # with the plan's connections
    server_prefix: list[str]
    processes: Processes = field(default_factory=Processes)

    def _start(self, name: str, argv: list[str], env: dict[str, str]) -> Server:
        port = free_port()
        log = self.tmp / f"{name.split()[0]}.log"
        argv = [*self.server_prefix, *argv, "--host", HOST, "--port", str(port)]
        process = self.processes.start(argv, env, log.open("wb"))
        _wait_ready(process, port, name, log)
        return Server(process.pid, port)

    def start_pontive(self) -> Server:
        return self._start("pontive serve", [_pontive_command(), "serve"], self.env)

    def start_bare(self, routes: Sequence[Route]) -> Server:
        """``bare_app.py`` answering exactly ``routes`` (bodies written beside the database)."""
        listed = []
        for number, route in enumerate(routes):
            body = self.tmp / f"bare-{number}.body"
            body.write_bytes(route.body)
            entry = {"method": route.method, "path": route.path, "body": str(body)}
            listed.append({**entry, "content_type": route.content_type, "header": route.header})
        config = self.tmp / "bare-routes.json"
        config.write_text(json.dumps(listed))
        env = {**self.env, "BENCH_BARE_ROUTES": str(config)}
        return self._start("bare app", [sys.executable, str(SUPPORT_DIR / "bare_app.py")], env)


@dataclass(frozen=True)
class Bench:
    name: str  # in the JSON line and the temporary folder's name
    description: str
    database_verbs: tuple[tuple[str, ...], ...]
    database_note: str  # printed after "database: temporary SQLite, "
    targets: dict[str, float]
    informational: dict[str, str]
    ratio_digits: int = 3
    latencies: tuple[str, ...] = ("p50", "p99")


def main(bench: Bench, setup: Callable[[Context], tuple[dict[str, Server], list[Phase]]]) -> None:
    parser = argparse.ArgumentParser(description=bench.description)
    parser.add_argument("--quick", action="store_true", help="short smoke run (CI)")
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if available (default), or force one",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    print(
        f"plan: {'quick' if args.quick else 'full'} — {plan.rounds} round(s) of "
        f"{plan.duration} s per server and endpoint, {plan.connections} connections"
    )
    processes = Processes()
    with tempfile.TemporaryDirectory(prefix=f"pontive-bench-{bench.name}-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            env = _pontive_env(tmp)
            output = ""
            for verb in bench.database_verbs:
                output = _run_pontive(env, verb)
            print(f"database: temporary SQLite, {bench.database_note}")
            server_prefix, client_prefix = _pinning()
            wrk = None if args.generator == "python" else _find_wrk(allow_install=True)
            if args.generator == "wrk" and wrk is None:
                raise RuntimeError("wrk was asked for and is not available")
            generator = LoadGenerator(wrk, client_prefix, plan.connections, tmp)
            print(f"load generator: {generator.name}")
            context = Context(tmp, env, plan, output, generator, server_prefix, processes)
            servers, phases = setup(context)
            results = measure(plan.rounds, plan.duration, plan.warmup, phases, servers)
        finally:
            processes.stop_all()
    endpoints: list[Endpoint] = [endpoint for _, group in phases for endpoint in group]
    metrics = summarise(
        results, endpoints, bench.targets, bench.informational, bench.ratio_digits, bench.latencies
    )
    print(json.dumps({"bench": bench.name, "metrics": metrics}))
