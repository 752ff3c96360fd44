"""HTTP throughput of Pontive against a bare ASGI app answering the same bytes.

Run with ``make bench`` (or ``.venv/bin/python bench/http.py [--quick]``). In one run on one
machine it:

1. creates a throw-away SQLite database (``pontive db upgrade`` and ``pontive demo load``);
2. starts ``pontive serve`` and ``bench/_support/bare_app.py`` (raw ASGI, same uvicorn options: one
   worker, uvloop and httptools picked by "auto") on free ports of 127.0.0.1;
3. fetches ``/healthz`` and ``/`` once from Pontive and has the bare app serve exactly those
   bytes with the same content types (checked by fetching both); ``/`` is fetched twice: as an
   anonymous visitor (served from Pontive's page cache) and with ``Cookie: pontive_session=bench``
   (the page cache is bypassed and the page rendered; the invalid signed cookie is treated as
   an anonymous visitor and the response sets a fresh session cookie);
4. drives each server with ``wrk`` (installed with apt-get when missing and root; else the
   asyncio generator in ``bench/_support/loadgen.py``), alternating bare and Pontive for several
   rounds after a warm-up, servers pinned to CPU 0 and the client to CPU 1 with ``taskset``.

Metrics (DESIGN.md, Benchmarks): ``healthz_vs_bare`` = rps(Pontive /healthz) ÷ rps(bare
/healthz), target ≥ 0.5; ``home_vs_bare`` = rps(Pontive /) ÷ rps(bare /), target ≥ 0.2 (the
page-cache path for anonymous visitors); ``home_rendered_vs_bare`` = the same for ``/`` with
the session cookie, rendered on every request, informational (no target); each ratio is the
median of the per-round ratios. Absolute rps, p50/p99 latencies (ms) and server CPU time per
request too.
The last line printed is the JSON object ``{"bench": "http", "metrics": {...}}``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``http`` package, and Python puts a script's
# own directory first on sys.path: take it off before anything imports ``http.client``.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SUPPORT_DIR = BENCH_DIR / "_support"
HOST = "127.0.0.1"
TARGETS = {"healthz_vs_bare": 0.5, "home_vs_bare": 0.2}
# Any ``pontive_session`` cookie makes Pontive skip its page cache (web/middleware.py); this one
# fails verification, so the visitor is anonymous and the home page is rendered every time.
RENDER_HEADER = "Cookie: pontive_session=bench"


@dataclass(frozen=True)
class Endpoint:
    name: str  # metric prefix
    path: str
    label: str  # in the printed lines
    headers: tuple[str, ...] = ()  # extra request headers, "Name: value"


HOME_RENDERED = Endpoint("home_rendered", "/", "/ +cookie", (RENDER_HEADER,))
ENDPOINTS = (
    Endpoint("healthz", "/healthz", "/healthz"),
    Endpoint("home", "/", "/"),
    HOME_RENDERED,
)
INFORMATIONAL = {
    "home_rendered_vs_bare": "renders the page on every request (page cache bypassed)",
}
SERVERS = ("bare", "pontive")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Plan:
    duration: int  # seconds per measured run
    warmup: int  # seconds per server and endpoint before measuring
    rounds: int
    connections: int


# Many short alternating rounds: bursts of work by neighbours hit both servers alike.
FULL = Plan(duration=6, warmup=3, rounds=7, connections=64)
QUICK = Plan(duration=2, warmup=1, rounds=1, connections=32)


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    client_cpu: float  # share of one core used by the load generator
    server_cpu: float  # share of one core used by the server

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU time per answered request: steadier than rps when neighbours are busy."""
        return self.server_cpu / self.rps * 1000 if self.rps else 0.0


# --- processes -------------------------------------------------------------------------


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _fetch(port: int, path: str, headers: tuple[str, ...] = ()) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        headers=dict(_split_header(header) for header in headers),
    )
    # A fixed http:// URL on 127.0.0.1, never a user-supplied scheme.
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.headers.get("content-type", ""), response.read()


def _split_header(header: str) -> tuple[str, str]:
    name, _, value = header.partition(":")
    return name.strip(), value.strip()


def _wait_ready(process: subprocess.Popen[bytes], port: int, name: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if _fetch(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"{name} did not become ready on port {port}; its log ends:\n{tail}")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# --- set-up ----------------------------------------------------------------------------


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


def _prepare_database(env: dict[str, str]) -> None:
    for verb in (["db", "upgrade"], ["demo", "load"]):
        done = subprocess.run(
            [_pontive_command(), *verb],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pontive {' '.join(verb)} failed:\n{done.stdout}{done.stderr}")
    print("database: temporary SQLite, migrated and demo data loaded")


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


# --- load generation -------------------------------------------------------------------


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_latency(output: str, percent: str) -> float:
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no {percent}% latency in wrk output:\n{output}")
    return float(match.group(1)) * _WRK_UNITS[match.group(2)]


class LoadGenerator:
    def __init__(self, wrk: str | None, client_prefix: list[str], connections: int) -> None:
        self.wrk = wrk
        self.prefix = client_prefix
        self.connections = connections
        self.name = (
            f"wrk (1 thread, {connections} keep-alive connections)"
            if wrk
            else f"bench/_support/loadgen.py (asyncio, {connections} keep-alive connections)"
        )

    def run(self, server_pid: int, port: int, endpoint: Endpoint, seconds: int) -> Result:
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_server = _cpu_seconds(server_pid)
        started = time.monotonic()
        if self.wrk:
            rps, p50, p99 = self._run_wrk(port, endpoint, seconds)
        else:
            rps, p50, p99 = self._run_python(port, endpoint, seconds)
        wall = time.monotonic() - started
        after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        client = (after_children.ru_utime - before_children.ru_utime) + (
            after_children.ru_stime - before_children.ru_stime
        )
        server = _cpu_seconds(server_pid) - before_server
        return Result(rps, p50, p99, client / wall, server / wall)

    def _run_wrk(self, port: int, endpoint: Endpoint, seconds: int) -> tuple[float, float, float]:
        assert self.wrk is not None  # noqa: S101 - narrowed for the type checker
        argv = [
            *self.prefix,
            self.wrk,
            "-t1",
            f"-c{self.connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            *(arg for header in endpoint.headers for arg in ("-H", header)),
            f"http://{HOST}:{port}{endpoint.path}",
        ]
        output = subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds + 30, check=True
        ).stdout
        if "Non-2xx" in output or "Socket errors" in output:
            raise RuntimeError(f"wrk saw errors against {endpoint.label}:\n{output}")
        match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no Requests/sec in wrk output:\n{output}")
        return float(match.group(1)), _wrk_latency(output, "50"), _wrk_latency(output, "99")

    def _run_python(
        self, port: int, endpoint: Endpoint, seconds: int
    ) -> tuple[float, float, float]:
        argv = [
            *self.prefix,
            sys.executable,
            str(SUPPORT_DIR / "loadgen.py"),
            f"--port={port}",
            f"--path={endpoint.path}",
            f"--connections={self.connections}",
            f"--duration={seconds}",
            *(f"--header={header}" for header in endpoint.headers),
        ]
        output = subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds + 30, check=True
        ).stdout
        data = json.loads(output.strip().splitlines()[-1])
        if data["errors"] or data["non_2xx"]:
            raise RuntimeError(f"load generator saw errors against {endpoint.label}: {data}")
        return data["requests"] / data["seconds"], data["p50_ms"], data["p99_ms"]


# --- the benchmark ---------------------------------------------------------------------


def _start_servers(
    tmp: Path, env: dict[str, str], server_prefix: list[str], processes: Processes
) -> dict[str, tuple[int, int]]:
    """Start Pontive, capture its answers, start the bare app on them; name → (pid, port)."""
    pontive_port = _free_port()
    pontive_log_path = tmp / "pontive.log"
    pontive = processes.start(
        [*server_prefix, _pontive_command(), "serve", "--host", HOST, "--port", str(pontive_port)],
        env,
        pontive_log_path.open("wb"),
    )
    _wait_ready(pontive, pontive_port, "pontive serve", pontive_log_path)

    answers: dict[str, tuple[str, bytes]] = {}
    for endpoint in ENDPOINTS:
        status, content_type, body = _fetch(pontive_port, endpoint.path, endpoint.headers)
        if status != 200:
            raise RuntimeError(f"Pontive answered {status} on {endpoint.label}")
        answers[endpoint.name] = (content_type, body)
        (tmp / f"{endpoint.name}.body").write_bytes(body)

    bare_env = {
        **env,
        "BENCH_HEALTHZ_BODY": str(tmp / "healthz.body"),
        "BENCH_HEALTHZ_CONTENT_TYPE": answers["healthz"][0],
        "BENCH_HOME_HTML": str(tmp / "home.body"),
        "BENCH_HOME_CONTENT_TYPE": answers["home"][0],
    }
    # The rendered page carries the session's CSRF token, so its bytes can differ from the
    # cached page's; only then does the bare app answer cookie-carrying requests to ``/`` with
    # it (otherwise it serves the cached page's bytes and ignores the cookie).
    rendered_differs = answers["home_rendered"] != answers["home"]
    if rendered_differs:
        bare_env["BENCH_HOME_RENDERED_HTML"] = str(tmp / "home_rendered.body")
        bare_env["BENCH_HOME_RENDERED_CONTENT_TYPE"] = answers["home_rendered"][0]
    bare_port = _free_port()
    bare_log_path = tmp / "bare.log"
    bare = processes.start(
        [
            *server_prefix,
            sys.executable,
            str(SUPPORT_DIR / "bare_app.py"),
            "--port",
            str(bare_port),
        ],
        bare_env,
        bare_log_path.open("wb"),
    )
    _wait_ready(bare, bare_port, "bare app", bare_log_path)

    for endpoint in ENDPOINTS:
        _status, content_type, body = _fetch(bare_port, endpoint.path, endpoint.headers)
        want_type, want_body = answers[endpoint.name]
        if (content_type, len(body)) != (want_type, len(want_body)):
            raise RuntimeError(
                f"bare {endpoint.label} differs: {content_type!r}, {len(body)} bytes; "
                f"Pontive: {want_type!r}, {len(want_body)} bytes"
            )
        print(f"{endpoint.label:<9} both servers answer {len(body)} bytes of {content_type}")
    home_length, rendered_length = len(answers["home"][1]), len(answers["home_rendered"][1])
    if not rendered_differs:
        note = "the same bytes as its cached page"
    else:
        note = (
            f"{rendered_length} bytes, {rendered_length - home_length:+d} against its cached page "
            "(not the same bytes); the bare app serves the rendered bytes for it"
        )
    print(f"{HOME_RENDERED.label:<9} Pontive's rendered page: {note}")
    return {"bare": (bare.pid, bare_port), "pontive": (pontive.pid, pontive_port)}


def _measure(
    plan: Plan, generator: LoadGenerator, servers: dict[str, tuple[int, int]]
) -> dict[str, dict[str, list[Result]]]:
    for server in SERVERS:
        pid, port = servers[server]
        for endpoint in ENDPOINTS:
            generator.run(pid, port, endpoint, plan.warmup)
    print(f"warmed up: {plan.warmup} s per server and endpoint")
    results: dict[str, dict[str, list[Result]]] = {
        endpoint.name: {server: [] for server in SERVERS} for endpoint in ENDPOINTS
    }
    for round_number in range(1, plan.rounds + 1):
        for endpoint in ENDPOINTS:
            for server in SERVERS:
                pid, port = servers[server]
                result = generator.run(pid, port, endpoint, plan.duration)
                results[endpoint.name][server].append(result)
                print(
                    f"round {round_number}/{plan.rounds} {endpoint.label:<9} {server:<8} "
                    f"{result.rps:>9.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                    f"p99 {result.p99_ms:6.2f} ms  server CPU {result.server_cpu:4.0%} "
                    f"({result.cpu_ms_per_request:.3f} ms/req)  client CPU {result.client_cpu:4.0%}"
                )
    return results


def _summarise(results: dict[str, dict[str, list[Result]]]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for endpoint in ENDPOINTS:
        name, label = endpoint.name, endpoint.label
        bare, ours = results[name]["bare"], results[name]["pontive"]
        ratios = [o.rps / b.rps for o, b in zip(ours, bare, strict=True)]
        ratio = statistics.median(ratios)
        metrics[f"{name}_vs_bare"] = round(ratio, 3)
        for server, runs in (("pontive", ours), ("bare", bare)):
            metrics[f"{server}_{name}_rps"] = round(statistics.median(r.rps for r in runs), 1)
            metrics[f"{server}_{name}_p50_ms"] = round(statistics.median(r.p50_ms for r in runs), 3)
            metrics[f"{server}_{name}_p99_ms"] = round(statistics.median(r.p99_ms for r in runs), 3)
            metrics[f"{server}_{name}_cpu_ms_per_request"] = round(
                statistics.median(r.cpu_ms_per_request for r in runs), 4
            )
        client_peak = max(r.client_cpu for r in bare + ours)
        target = TARGETS.get(f"{name}_vs_bare")
        if target is None:
            verdict = f"informational: {INFORMATIONAL[f'{name}_vs_bare']}"
        else:
            verdict = f"{'meets' if ratio >= target else 'MISSES'} target ≥ {target}"
        print(
            f"{label:<9} Pontive {metrics[f'pontive_{name}_rps']:.0f} req/s, "
            f"bare {metrics[f'bare_{name}_rps']:.0f} req/s: ratio {ratio:.3f} "
            f"(per round {', '.join(f'{r:.3f}' for r in ratios)}) {verdict}"
        )
        cpu_ratio = (
            metrics[f"bare_{name}_cpu_ms_per_request"]
            / metrics[f"pontive_{name}_cpu_ms_per_request"]
        )
        print(
            f"{label:<9} server CPU per request: Pontive "
            f"{metrics[f'pontive_{name}_cpu_ms_per_request']:.3f} ms, bare "
            f"{metrics[f'bare_{name}_cpu_ms_per_request']:.3f} ms "
            f"(bare ÷ Pontive {cpu_ratio:.3f}: the rps ratio if CPU bound)"
        )
        server_low = min(r.server_cpu for r in bare + ours)
        if server_low < 0.8:
            print(
                f"note: a server got only {server_low:.0%} of CPU 0 in some run on {label}: "
                "other processes share this machine, so rps is noisy; CPU per request is steadier"
            )
        if client_peak > 0.9:
            print(f"warning: the load generator used {client_peak:.0%} of a core on {label}")
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    with tempfile.TemporaryDirectory(prefix="pontive-bench-http-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            env = _pontive_env(tmp)
            _prepare_database(env)
            server_prefix, client_prefix = _pinning()
            wrk = None if args.generator == "python" else _find_wrk(allow_install=True)
            if args.generator == "wrk" and wrk is None:
                raise RuntimeError("wrk was asked for and is not available")
            generator = LoadGenerator(wrk, client_prefix, plan.connections)
            print(f"load generator: {generator.name}")
            servers = _start_servers(tmp, env, server_prefix, processes)
            results = _measure(plan, generator, servers)
        finally:
            processes.stop_all()
    metrics = _summarise(results)
    print(json.dumps({"bench": "http", "metrics": metrics}))


if __name__ == "__main__":
    main()
