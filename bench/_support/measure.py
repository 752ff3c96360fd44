"""Load generation, alternating rounds and summaries shared by the ``bench/*.py`` scripts.

A :class:`LoadGenerator` drives one server on one :class:`Endpoint` for some seconds with
``wrk`` (GETs with ``-H`` headers; form POSTs through a Lua script written at run time) or,
without wrk, with ``bench/_support/loadgen.py``; :func:`measure` warms up and alternates bare
and Pontive for several rounds; :func:`summarise` turns the runs into the metrics.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
SUPPORT_DIR = Path(__file__).resolve().parent
SERVERS = ("bare", "pontive")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Endpoint:
    name: str  # metric prefix
    path: str
    label: str  # in the printed lines
    headers: tuple[str, ...] = ()  # extra request headers, "Name: value"
    # For POSTs: run id → body prefix; each request appends a number unique in the run.
    body: Callable[[str], str] | None = None
    timeout: int = 5  # seconds wrk waits for one answer

    @property
    def method(self) -> str:
        return "GET" if self.body is None else "POST"


@dataclass(frozen=True)
class Server:
    pid: int
    port: int


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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
# Lua strings: the values are ASCII (form bodies are URL-encoded), for which JSON quoting fits.
WRK_SCRIPT = """
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", {path}, {{{headers}}}, {prefix} .. counter)
end
"""


def _wrk_latency(output: str, percent: str) -> float:
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no {percent}% latency in wrk output:\n{output}")
    return float(match.group(1)) * _WRK_UNITS[match.group(2)]


def split_header(header: str) -> tuple[str, str]:
    name, _, value = header.partition(":")
    return name.strip(), value.strip()


class LoadGenerator:
    def __init__(
        self, wrk: str | None, client_prefix: list[str], connections: int, scratch: Path
    ) -> None:
        self.wrk = wrk
        self.prefix = client_prefix
        self.connections = connections
        self.scratch = scratch  # where wrk's Lua scripts are written
        self.name = (
            f"wrk (1 thread, {connections} keep-alive connections)"
            if wrk
            else f"bench/_support/loadgen.py (asyncio, {connections} keep-alive connections)"
        )

    def with_connections(self, connections: int) -> LoadGenerator:
        return LoadGenerator(self.wrk, self.prefix, connections, self.scratch)

    def run(self, server: Server, endpoint: Endpoint, seconds: int) -> Result:
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_server = cpu_seconds(server.pid)
        started = time.monotonic()
        run_id = uuid.uuid4().hex[:8]
        url = f"http://{HOST}:{server.port}{endpoint.path}"
        argv = (
            self._wrk_argv(endpoint, seconds, run_id)
            if self.wrk
            else self._python_argv(endpoint, seconds, run_id)
        )
        output = subprocess.run(
            [*self.prefix, *argv, url],
            capture_output=True,
            text=True,
            timeout=seconds + 6 * endpoint.timeout,
            check=True,
        ).stdout
        rps, p50, p99 = _parse_wrk(output, endpoint) if self.wrk else _parse_json(output, endpoint)
        wall = time.monotonic() - started
        after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        client = (after_children.ru_utime - before_children.ru_utime) + (
            after_children.ru_stime - before_children.ru_stime
        )
        server_cpu = cpu_seconds(server.pid) - before_server
        return Result(rps, p50, p99, client / wall, server_cpu / wall)

    def _wrk_argv(self, endpoint: Endpoint, seconds: int, run_id: str) -> list[str]:
        assert self.wrk is not None  # noqa: S101 - narrowed for the type checker
        argv = [self.wrk, "-t1", f"-c{self.connections}", f"-d{seconds}s"]
        argv += ["--timeout", f"{endpoint.timeout}s", "--latency"]
        if endpoint.body is None:
            return argv + [arg for header in endpoint.headers for arg in ("-H", header)]
        script = self.scratch / f"post-{run_id}.lua"
        headers = ", ".join(
            f"[{json.dumps(name)}] = {json.dumps(value)}"
            for name, value in map(split_header, endpoint.headers)
        )
        script.write_text(
            WRK_SCRIPT.format(
                path=json.dumps(endpoint.path),
                headers=headers,
                prefix=json.dumps(endpoint.body(run_id)),
            )
        )
        return [*argv, "-s", str(script)]

    def _python_argv(self, endpoint: Endpoint, seconds: int, run_id: str) -> list[str]:
        argv = [
            sys.executable,
            str(SUPPORT_DIR / "loadgen.py"),
            f"--connections={self.connections}",
            f"--duration={seconds}",
            *(f"--header={header}" for header in endpoint.headers),
        ]
        if endpoint.body is not None:
            argv.append(f"--body-prefix={endpoint.body(run_id)}")
        return argv


def _parse_wrk(output: str, endpoint: Endpoint) -> tuple[float, float, float]:
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors against {endpoint.label}:\n{output}")
    match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no Requests/sec in wrk output:\n{output}")
    return float(match.group(1)), _wrk_latency(output, "50"), _wrk_latency(output, "99")


def _parse_json(output: str, endpoint: Endpoint) -> tuple[float, float, float]:
    data = json.loads(output.strip().splitlines()[-1])
    if data["errors"] or data["non_2xx"]:
        raise RuntimeError(f"load generator saw errors against {endpoint.label}: {data}")
    return data["requests"] / data["seconds"], data["p50_ms"], data["p99_ms"]


Phase = tuple[LoadGenerator, Sequence[Endpoint]]
Results = dict[str, dict[str, list[Result]]]


def measure(
    rounds: int, duration: int, warmup: int, phases: Sequence[Phase], servers: dict[str, Server]
) -> Results:
    """Per phase: warm up every server and endpoint, then alternate bare and Pontive."""
    width = max(len(endpoint.label) for _, endpoints in phases for endpoint in endpoints)
    results: Results = {}
    for generator, endpoints in phases:  # in order: a later phase may change the data
        for server in SERVERS:
            for endpoint in endpoints:
                generator.run(servers[server], endpoint, warmup)
        print(f"warmed up: {warmup} s per server and endpoint")
        for round_number in range(1, rounds + 1):
            for endpoint in endpoints:
                for server in SERVERS:
                    result = generator.run(servers[server], endpoint, duration)
                    results.setdefault(endpoint.name, {s: [] for s in SERVERS})[server].append(
                        result
                    )
                    print(
                        f"round {round_number}/{rounds} {endpoint.label:<{width}} {server:<8} "
                        f"{result.rps:>9.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                        f"p99 {result.p99_ms:6.2f} ms  server CPU {result.server_cpu:4.0%} "
                        f"({result.cpu_ms_per_request:.3f} ms/req)  "
                        f"client CPU {result.client_cpu:4.0%}"
                    )
    return results


def summarise(
    results: Results,
    endpoints: Sequence[Endpoint],
    targets: dict[str, float],
    informational: dict[str, str],
    ratio_digits: int = 3,
    latencies: tuple[str, ...] = ("p50", "p99"),
) -> dict[str, float]:
    """Metrics ``<name>_vs_bare`` (median of per-round ratios) and per-server medians."""
    width = max(len(endpoint.label) for endpoint in endpoints)
    metrics: dict[str, float] = {}
    for endpoint in endpoints:
        name, where, label = endpoint.name, endpoint.label, endpoint.label.ljust(width)
        bare, ours = results[name]["bare"], results[name]["pontive"]
        ratios = [o.rps / b.rps for o, b in zip(ours, bare, strict=True)]
        ratio = statistics.median(ratios)
        metrics[f"{name}_vs_bare"] = round(ratio, ratio_digits)
        for server, runs in (("pontive", ours), ("bare", bare)):
            metrics[f"{server}_{name}_rps"] = round(statistics.median(r.rps for r in runs), 1)
            for latency in latencies:
                metrics[f"{server}_{name}_{latency}_ms"] = round(
                    statistics.median(getattr(r, f"{latency}_ms") for r in runs), 3
                )
            metrics[f"{server}_{name}_cpu_ms_per_request"] = round(
                statistics.median(r.cpu_ms_per_request for r in runs), 4
            )
        target = targets.get(f"{name}_vs_bare")
        if target is None:
            verdict = f"informational: {informational[f'{name}_vs_bare']}"
        else:
            verdict = f"{'meets' if ratio >= target else 'MISSES'} target ≥ {target}"
        print(
            f"{label} Pontive {metrics[f'pontive_{name}_rps']:.0f} req/s, "
            f"bare {metrics[f'bare_{name}_rps']:.0f} req/s: ratio {ratio:.{ratio_digits}f} "
            f"(per round {', '.join(f'{r:.{ratio_digits}f}' for r in ratios)}) {verdict}"
        )
        ours_cpu = metrics[f"pontive_{name}_cpu_ms_per_request"]
        bare_cpu = metrics[f"bare_{name}_cpu_ms_per_request"]
        print(
            f"{label} server CPU per request: Pontive {ours_cpu:.3f} ms, bare {bare_cpu:.3f} ms "
            f"(bare ÷ Pontive {bare_cpu / ours_cpu if ours_cpu else 0.0:.3f}: "
            "the rps ratio if CPU bound)"
        )
        server_low = min(r.server_cpu for r in bare + ours)
        if server_low < 0.8:
            print(
                f"note: a server got only {server_low:.0%} of CPU 0 in some run on {where}: "
                "other processes share this machine, so rps is noisy; CPU per request is steadier"
            )
        client_peak = max(r.client_cpu for r in bare + ours)
        if client_peak > 0.9:
            print(f"warning: the load generator used {client_peak:.0%} of a core on {where}")
    return metrics
