"""Open311 throughput of Pontive against a bare ASGI app answering the same bytes.

Run with ``make bench`` (or ``.venv/bin/python bench/complaints.py [--quick]``). It follows
``bench/http.py`` (and reuses its process, pinning and load-generator code). In one run:

1. a throw-away SQLite database: ``pontive db upgrade``, ``pontive demo load`` and
   ``pontive apikeys create`` (the key is the last output line);
2. ``pontive serve`` pinned to CPU 0; Open311 POSTs until at least 50 public reports lie in
   the default 90-day window; then Pontive's answer to ``GET /open311/v2/requests.json
   ?page_size=50`` (50 reports) and to one submission are captured, and
   ``bench/_support/complaints_bare.py`` (raw ASGI, same uvicorn options) serves those bytes;
3. ``wrk`` (or the asyncio generators in ``bench/_support``) pinned to CPU 1 drives both,
   alternating bare and Pontive for several rounds after a warm-up: first the list, then
   submissions — form-encoded POSTs with the API key, each a new report with its own
   description (a wrk Lua script written at run time; the bare app reads the whole body).
   The uncached list and submissions use 16 connections (for both servers): at tens of
   requests per second, 64 would queue past wrk's timeout.

Metrics: ``open311_list_vs_bare`` = rps(Pontive list) ÷ rps(bare), target ≥ 0.30 — anonymous
clients, so Pontive answers from its micro-cache (the list is ``public, max-age=10``), as any
client would be answered; ``open311_list_uncached_vs_bare`` = the same with a session cookie,
so every request queries and serialises (informational); ``submit_vs_bare`` = submissions/s
÷ bare POSTs/s, target ≥ 0.10. Each ratio is the median of the per-round ratios. The last line
printed is the JSON object ``{"bench": "complaints", "metrics": {...}}``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# ``bench/http.py`` would shadow the standard library's ``http`` for anything importing it.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import importlib.util
import json
import re
import statistics
import subprocess
import tempfile
import urllib.request
import uuid
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent


def _load_http_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_http", BENCH_DIR / "http.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("bench/http.py cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_http"] = module
    spec.loader.exec_module(module)
    return module


H = _load_http_bench()
HOST = H.HOST
PATH = "/open311/v2/requests.json"
LIST = H.Endpoint("open311_list", f"{PATH}?page_size=50", "list")
LIST_UNCACHED = H.Endpoint(
    "open311_list_uncached", f"{PATH}?page_size=50", "list +cookie", (H.RENDER_HEADER,)
)
SUBMIT = H.Endpoint("submit", PATH, "submit")
TARGETS = {"open311_list_vs_bare": 0.30, "submit_vs_bare": 0.10}
INFORMATIONAL = {"open311_list_uncached_vs_bare": "queries and serialises on every request"}
SERVERS = ("bare", "pontive")
LIST_ITEMS = 50
SLOW_CONNECTIONS = 16
# Jl. Gajah Mada, Pontianak Selatan: inside the city.
FORM = {"service_code": "drainase", "lat": "-0.0391", "long": "109.3427"}
WRK_SCRIPT = """
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "{path}",
    {{["Content-Type"] = "application/x-www-form-urlencoded"}}, "{prefix}" .. counter)
end
"""


def _body_prefix(api_key: str, run: str) -> str:
    # Each body ends with a number unique in its run: every submission is a new report.
    text = {**FORM, "api_key": api_key, "description": f"Parit tersumbat bench {run} nomor "}
    return urlencode(text)


class SubmitGenerator(H.LoadGenerator):  # type: ignore[misc, name-defined]
    """POSTs a new report per request (wrk with a Lua script, or complaints_loadgen.py)."""

    def __init__(self, base: Any, tmp: Path, api_key: str) -> None:
        super().__init__(base.wrk, base.prefix, base.connections)
        self.tmp, self.api_key = tmp, api_key

    def _run_wrk(self, port: int, endpoint: Any, seconds: int) -> tuple[float, float, float]:
        script = self.tmp / f"submit-{uuid.uuid4().hex[:8]}.lua"
        prefix = _body_prefix(self.api_key, script.stem)
        script.write_text(WRK_SCRIPT.format(path=endpoint.path, prefix=prefix))
        argv = [
            *self.prefix,
            self.wrk,
            "-t1",
            f"-c{self.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://{HOST}:{port}{endpoint.path}",
        ]
        output = subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
        if "Non-2xx" in output or "Socket errors" in output:
            raise RuntimeError(f"wrk saw errors against {endpoint.label}:\n{output}")
        match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no Requests/sec in wrk output:\n{output}")
        return float(match.group(1)), H._wrk_latency(output, "50"), H._wrk_latency(output, "99")

    def _run_python(self, port: int, endpoint: Any, seconds: int) -> tuple[float, float, float]:
        argv = [
            *self.prefix,
            sys.executable,
            str(H.SUPPORT_DIR / "complaints_loadgen.py"),
            f"--port={port}",
            f"--path={endpoint.path}",
            f"--body-prefix={_body_prefix(self.api_key, uuid.uuid4().hex[:8])}",
            f"--connections={self.connections}",
            f"--duration={seconds}",
        ]
        output = subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
        data = json.loads(output.strip().splitlines()[-1])
        if data["errors"] or data["non_2xx"]:
            raise RuntimeError(f"load generator saw errors against {endpoint.label}: {data}")
        return data["requests"] / data["seconds"], data["p50_ms"], data["p99_ms"]


# --- set-up ------------------------------------------------------------------------------


def _prepare_database(env: dict[str, str]) -> str:
    """Migrate, load the demo, create an API key; returns the key."""
    output = ""
    verbs = (["db", "upgrade"], ["demo", "load"], ["apikeys", "create", "--name", "bench"])
    for verb in verbs:
        if verb[0] == "apikeys":
            verb = [*verb, "--role", "warga"]
        done = subprocess.run(
            [H._pontive_command(), *verb],
            env=env,
            cwd=H.ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pontive {' '.join(verb)} failed:\n{done.stdout}{done.stderr}")
        output = done.stdout
    print("database: temporary SQLite, migrated, demo data loaded, API key created")
    return output.strip().splitlines()[-1].strip()


def _post(port: int, form: dict[str, str]) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{PATH}",
        data=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    # A fixed http:// URL on 127.0.0.1, never a user-supplied scheme.
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers.get("content-type", ""), response.read()


def _fill_window(port: int, api_key: str) -> None:
    """Open311 POSTs until the 90-day window holds at least 50 public reports."""
    _status, _type, body = H._fetch(port, LIST.path, LIST_UNCACHED.headers)
    have = len(json.loads(body))
    for number in range(LIST_ITEMS - have):
        form = {**FORM, "api_key": api_key, "description": f"Parit tersumbat pengisi {number}"}
        _post(port, form)
    print(f"reports: {have} public in the 90-day window from the demo, {LIST_ITEMS - have} added")


def _start_servers(
    tmp: Path, env: dict[str, str], server_prefix: list[str], api_key: str, processes: Any
) -> dict[str, tuple[int, int]]:
    port = H._free_port()
    log_path = tmp / "pontive.log"
    pontive = processes.start(
        [*server_prefix, H._pontive_command(), "serve", "--host", HOST, "--port", str(port)],
        env,
        log_path.open("wb"),
    )
    H._wait_ready(pontive, port, "pontive serve", log_path)
    _fill_window(port, api_key)
    _status, list_type, list_body = H._fetch(port, LIST.path, LIST_UNCACHED.headers)
    if len(json.loads(list_body)) != LIST_ITEMS:
        raise RuntimeError(f"Pontive's list does not hold {LIST_ITEMS} reports")
    form = {**FORM, "api_key": api_key, "description": "Parit tersumbat contoh jawaban"}
    status, submit_type, submit_body = _post(port, form)
    if status != 200:
        raise RuntimeError(f"Pontive answered {status} to a submission")
    (tmp / "list.body").write_bytes(list_body)
    (tmp / "submit.body").write_bytes(submit_body)
    bare_env = {
        **env,
        "BENCH_LIST_BODY": str(tmp / "list.body"),
        "BENCH_LIST_CONTENT_TYPE": list_type,
        "BENCH_SUBMIT_BODY": str(tmp / "submit.body"),
        "BENCH_SUBMIT_CONTENT_TYPE": submit_type,
    }
    bare_port = H._free_port()
    bare_log = tmp / "bare.log"
    bare = processes.start(
        [
            *server_prefix,
            sys.executable,
            str(H.SUPPORT_DIR / "complaints_bare.py"),
            "--port",
            str(bare_port),
        ],
        bare_env,
        bare_log.open("wb"),
    )
    H._wait_ready(bare, bare_port, "bare app", bare_log)
    _status, bare_type, bare_body = H._fetch(bare_port, LIST.path)
    if (bare_type, bare_body) != (list_type, list_body):
        raise RuntimeError("the bare app's list differs from Pontive's")
    print(f"list      both servers answer {len(list_body)} bytes of {list_type} (50 reports)")
    print(f"submit    both servers answer {len(submit_body)} bytes of {submit_type}")
    return {"bare": (bare.pid, bare_port), "pontive": (pontive.pid, port)}


# --- measuring ---------------------------------------------------------------------------


def _measure(
    plan: Any,
    phases: list[tuple[Any, list[Any]]],
    servers: dict[str, tuple[int, int]],
) -> dict[str, dict[str, list[Any]]]:
    results: dict[str, dict[str, list[Any]]] = {}
    for generator, endpoints in phases:  # the list first: submissions change the data
        for server in SERVERS:
            pid, port = servers[server]
            for endpoint in endpoints:
                generator.run(pid, port, endpoint, plan.warmup)
        for round_number in range(1, plan.rounds + 1):
            for endpoint in endpoints:
                for server in SERVERS:
                    pid, port = servers[server]
                    result = generator.run(pid, port, endpoint, plan.duration)
                    results.setdefault(endpoint.name, {s: [] for s in SERVERS})[server].append(
                        result
                    )
                    print(
                        f"round {round_number}/{plan.rounds} {endpoint.label:<12} {server:<8} "
                        f"{result.rps:>9.0f} req/s  p50 {result.p50_ms:7.2f} ms  "
                        f"p99 {result.p99_ms:7.2f} ms  server CPU {result.server_cpu:4.0%} "
                        f"({result.cpu_ms_per_request:.3f} ms/req)"
                    )
    return results


def _summarise(results: dict[str, dict[str, list[Any]]]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for name, runs in results.items():
        bare, ours = runs["bare"], runs["pontive"]
        ratios = [o.rps / b.rps for o, b in zip(ours, bare, strict=True)]
        ratio = statistics.median(ratios)
        metrics[f"{name}_vs_bare"] = round(ratio, 4)
        for server, series in (("pontive", ours), ("bare", bare)):
            metrics[f"{server}_{name}_rps"] = round(statistics.median(r.rps for r in series), 1)
            metrics[f"{server}_{name}_p50_ms"] = round(
                statistics.median(r.p50_ms for r in series), 3
            )
            metrics[f"{server}_{name}_cpu_ms_per_request"] = round(
                statistics.median(r.cpu_ms_per_request for r in series), 4
            )
        target = TARGETS.get(f"{name}_vs_bare")
        verdict = (
            f"informational: {INFORMATIONAL[f'{name}_vs_bare']}"
            if target is None
            else f"{'meets' if ratio >= target else 'MISSES'} target ≥ {target}"
        )
        print(
            f"{name:<22} Pontive {metrics[f'pontive_{name}_rps']:.0f} req/s, bare "
            f"{metrics[f'bare_{name}_rps']:.0f} req/s: ratio {ratio:.4f} "
            f"(per round {', '.join(f'{r:.4f}' for r in ratios)}) {verdict}"
        )
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (CI)")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    plan = H.QUICK if args.quick else H.FULL
    print(
        f"plan: {'quick' if args.quick else 'full'} — {plan.rounds} round(s) of "
        f"{plan.duration} s per server and endpoint, {plan.connections} connections"
    )
    processes = H.Processes()
    with tempfile.TemporaryDirectory(prefix="pontive-bench-complaints-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            env = H._pontive_env(tmp)
            api_key = _prepare_database(env)
            server_prefix, client_prefix = H._pinning()
            wrk = None if args.generator == "python" else H._find_wrk(allow_install=True)
            if args.generator == "wrk" and wrk is None:
                raise RuntimeError("wrk was asked for and is not available")
            reader = H.LoadGenerator(wrk, client_prefix, plan.connections)
            print(f"load generator: {reader.name}")
            servers = _start_servers(tmp, env, server_prefix, api_key, processes)
            # Requests that cost Pontive milliseconds each would queue for seconds behind 64
            # connections and hit wrk's timeout: those run with fewer, for both servers.
            narrow = H.LoadGenerator(wrk, client_prefix, min(SLOW_CONNECTIONS, plan.connections))
            phases = [
                (reader, [LIST]),
                (narrow, [LIST_UNCACHED]),
                (SubmitGenerator(narrow, tmp, api_key), [SUBMIT]),
            ]
            results = _measure(plan, phases, servers)
        finally:
            processes.stop_all()
    metrics = _summarise(results)
    print(json.dumps({"bench": "complaints", "metrics": metrics}))


if __name__ == "__main__":
    main()
