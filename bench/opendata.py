"""Open data: ``datastore_search`` against Datasette on one million rows, and package_search.

Run with ``make bench`` (or ``.venv/bin/python bench/opendata.py [--quick]``). It shares the
harness of ``bench/complaints.py`` (``bench/_support``). In one run:

1. a throw-away SQLite database (``pontive db upgrade``) filled by
   ``bench/_support/opendata_data.py``: 2,000 public datasets, and one datastore table of
   1,000,000 rows (kelurahan, tahun, bulan, indikator, nilai, tanggal) made by
   ``datastore.create_table`` with the ``indexes`` a CKAN client passes to ``datastore_create``
   for the query it means to ask — one composite index ``[kelurahan, tahun, nilai]`` (every
   column of a narrow table also gets its own index, as for any table) — filled in bulk and
   analysed; the WAL is checkpointed so that Datasette reads the same rows from the file;
2. ``pontive serve`` and ``datasette serve -i`` on that same file, each pinned to CPU 0 (one
   at a time under load);
3. the query: kelurahan = K and tahun = Y (about 3,400 of the million rows), sorted by nilai
   descending, a page of 20. Ours is ``/api/3/action/datastore_search`` with ``filters``,
   ``sort`` and ``limit=20``, **with** ``total`` (CKAN's default); Datasette's is the table's
   JSON with ``_sort_desc=nilai&_size=20`` at its fastest settings: immutable file,
   ``_nocount=1`` (so Datasette does **not** count the matching rows, while we do),
   ``_nofacet=1`` and ``_nosuggest=1``. Both pages are checked to hold the same rows. ``wrk``
   (or ``bench/_support/loadgen.py``) on CPU 1 drives each in turn for several rounds, with a
   session cookie so that Pontive's micro-cache never answers;
4. ``/api/3/action/package_search`` over the 2,000 datasets: one request at a time with
   varied ``q``, ``fq`` and ``facet.field`` (cookie too), latency per request.

Metrics: ``datastore_search_vs_datasette`` = our requests/s ÷ Datasette's (median of the
per-round ratios; target ≥ 5.0), with each side's rps, p50/p99 and server CPU per request;
``package_search_p99_ms`` (target < 50 ms) and its p50. The last line printed is the JSON
object ``{"bench": "opendata", "metrics": {...}}``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# ``bench/http.py`` would shadow the standard library's ``http``: the shared modules of
# ``bench/_support`` go first on sys.path instead of this directory.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent / "_support"))

import argparse
import http.client
import json
import os
import random
import statistics
import tempfile
import time
from urllib.parse import urlencode

from harness import (
    FULL,
    QUICK,
    Context,
    Plan,
    Processes,
    _find_wrk,
    _pinning,
    _pontive_env,
    _run_pontive,
    fetch,
    free_port,
)
from measure import HOST, Endpoint, LoadGenerator, Result, Server
from opendata_data import Built, build

RATIO_TARGET = 5.0
SEARCH_TARGET_MS = 50.0
CONNECTIONS = 16  # tens of ms per Datasette answer: 64 would queue past wrk's timeout
COOKIE = "pontive_session=bench"  # never served from the micro-cache (web/middleware.py)
KELURAHAN_ASKED, YEAR_ASKED = "Tengah", 2020
SEARCH_WORDS = ("", "udara", "sampah", "banjir", "curah hujan", "sekolah", "taman", "pasar")
FACETS = json.dumps(["organization", "groups", "tags", "res_format"])


def _ours_path(resource_id: str) -> str:
    query = {
        "resource_id": resource_id,
        "filters": json.dumps({"kelurahan": KELURAHAN_ASKED, "tahun": YEAR_ASKED}),
        "sort": "nilai desc",
        "limit": "20",
    }
    return f"/api/3/action/datastore_search?{urlencode(query)}"


def _datasette_path(table: str) -> str:
    query = {
        "kelurahan": KELURAHAN_ASKED,
        "tahun": str(YEAR_ASKED),
        "_sort_desc": "nilai",
        "_size": "20",
        "_nocount": "1",
        "_nofacet": "1",
        "_nosuggest": "1",
    }
    return f"/bench/{table}.json?{urlencode(query)}"


def _start_pontive(context: Context, resource_id: str) -> Server:
    """``pontive serve``, checked to answer the bench's datastore_search."""
    server = context.start_pontive()
    status, _type, body = _get(server.port, _ours_path(resource_id))
    if status != 200 or not json.loads(body).get("success"):
        raise RuntimeError(f"pontive serve answers datastore_search with {status}: {body[:200]!r}")
    return server


def _get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", path, headers={"Cookie": COOKIE})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.headers.get("content-type", ""), body


def _start_datasette(context: Context, database: Path) -> Server:
    port = free_port()
    log = context.tmp / "datasette.log"
    argv = [
        *context.server_prefix,
        str(Path(sys.executable).parent / "datasette"),
        "serve",
        "-i",
        str(database),
        "--host",
        HOST,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "20000",
    ]
    process = context.processes.start(argv, context.env, log.open("wb"))
    deadline = time.monotonic() + 120  # an immutable file is counted at start-up
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if fetch(port, "/-/versions.json")[0] == 200:
                return Server(process.pid, port)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"datasette did not start:\n{log.read_text(errors='replace')[-2000:]}")


def _same_page(ours: bytes, theirs: bytes) -> int:
    """Check both answers list the same 20 rows; our ``total``."""
    result = json.loads(ours)["result"]
    our_ids = [record["_id"] for record in result["records"]]
    data = json.loads(theirs)
    id_at = data["columns"].index("_id")
    their_ids = [row[id_at] for row in data["rows"]]
    if len(our_ids) != 20 or our_ids != their_ids:
        raise RuntimeError(f"the pages differ: ours {our_ids[:5]}…, Datasette's {their_ids[:5]}…")
    if data.get("filtered_table_rows_count") is not None:
        print("note: Datasette counted the rows although _nocount=1 was given")
    return int(result["total"])


def _alternate(
    plan: Plan, generator: LoadGenerator, servers: dict[str, tuple[Server, Endpoint]]
) -> dict[str, list[Result]]:
    for server, endpoint in servers.values():
        generator.run(server, endpoint, plan.warmup)
    print(f"warmed up: {plan.warmup} s per server")
    results: dict[str, list[Result]] = {name: [] for name in servers}
    for number in range(1, plan.rounds + 1):
        for name, (server, endpoint) in servers.items():
            result = generator.run(server, endpoint, plan.duration)
            results[name].append(result)
            print(
                f"round {number}/{plan.rounds} {name:<9} {result.rps:>8.1f} req/s  "
                f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                f"server CPU {result.server_cpu:4.0%} ({result.cpu_ms_per_request:.3f} ms/req)"
            )
    return results


def _search_paths(count: int, orgs: list[str]) -> list[str]:
    rng = random.Random(9)
    paths = []
    for number in range(count):
        query: dict[str, str] = {"rows": "10", "start": str(rng.choice((0, 0, 10, 20)))}
        if word := rng.choice(SEARCH_WORDS):
            query["q"] = word
        if number % 3 == 0:
            query["fq"] = f"organization:{rng.choice(orgs)}"
        if number % 2 == 0:
            query["facet.field"] = FACETS
        paths.append(f"/api/3/action/package_search?{urlencode(query)}")
    return paths


def _package_search(server: Server, paths: list[str]) -> list[float]:
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    latencies = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": COOKIE})
        response = connection.getresponse()
        body = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200 or not json.loads(body)["success"]:
            raise RuntimeError(f"{path} answered {response.status}: {body[:300]!r}")
    connection.close()
    return latencies


def _summary(results: dict[str, list[Result]], metrics: dict[str, float]) -> None:
    ratios = [o.rps / d.rps for o, d in zip(results["pontive"], results["datasette"], strict=True)]
    ratio = statistics.median(ratios)
    metrics["datastore_search_vs_datasette"] = round(ratio, 2)
    for name, runs in results.items():
        metrics[f"{name}_datastore_search_rps"] = round(statistics.median(r.rps for r in runs), 1)
        for latency in ("p50", "p99"):
            metrics[f"{name}_datastore_search_{latency}_ms"] = round(
                statistics.median(getattr(r, f"{latency}_ms") for r in runs), 2
            )
        metrics[f"{name}_datastore_search_cpu_ms_per_request"] = round(
            statistics.median(r.cpu_ms_per_request for r in runs), 3
        )
    verdict = "meets" if ratio >= RATIO_TARGET else "MISSES"
    print(
        f"datastore_search: Pontive {metrics['pontive_datastore_search_rps']:.0f} req/s (with "
        f"total), Datasette {metrics['datasette_datastore_search_rps']:.0f} req/s (_nocount: "
        f"no total): ratio {ratio:.2f} (per round {', '.join(f'{r:.2f}' for r in ratios)}) "
        f"{verdict} target ≥ {RATIO_TARGET}"
    )
    print(
        "server CPU per request: Pontive "
        f"{metrics['pontive_datastore_search_cpu_ms_per_request']:.3f} ms, Datasette "
        f"{metrics['datasette_datastore_search_cpu_ms_per_request']:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (CI)")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the table")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    searches = 300 if args.quick else 2000
    print(
        f"plan: {'quick' if args.quick else 'full'} — {plan.rounds} round(s) of "
        f"{plan.duration} s per server, {CONNECTIONS} connections; {searches} package_search"
    )
    metrics: dict[str, float] = {}
    processes = Processes()
    with tempfile.TemporaryDirectory(prefix="pontive-bench-opendata-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            env = _pontive_env(tmp)
            _run_pontive(env, ("db", "upgrade"))
            built = _build(env, args.rows)
            server_prefix, client_prefix = _pinning()
            wrk = None if args.generator == "python" else _find_wrk(allow_install=True)
            generator = LoadGenerator(wrk, client_prefix, CONNECTIONS, tmp)
            print(f"load generator: {generator.name}")
            context = Context(tmp, env, plan, "", generator, server_prefix, processes)
            pontive = _start_pontive(context, built.resource_id)
            datasette = _start_datasette(context, tmp / "bench.db")
            ours = Endpoint("datastore_search", _ours_path(built.resource_id), "ours")
            theirs = Endpoint("datastore_search", _datasette_path(built.table_name), "datasette")
            total = _same_page(
                _get(pontive.port, ours.path)[2], _get(datasette.port, theirs.path)[2]
            )
            print(f"query: {KELURAHAN_ASKED}, {YEAR_ASKED}, nilai desc, 20 rows of {total}")
            results = _alternate(
                plan, generator, {"pontive": (pontive, ours), "datasette": (datasette, theirs)}
            )
            orgs = json.loads(_get(pontive.port, "/api/3/action/organization_list")[2])["result"]
            paths = _search_paths(searches + 50, orgs)
            _package_search(pontive, paths[:50])  # warm-up
            latencies = _package_search(pontive, paths[50:])
        finally:
            processes.stop_all()
    _summary(results, metrics)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    metrics["package_search_p99_ms"] = round(p99, 2)
    metrics["package_search_p50_ms"] = round(statistics.median(latencies), 2)
    metrics["datastore_search_total_rows"] = float(total)
    print(
        f"package_search over {built.datasets} datasets: p50 {metrics['package_search_p50_ms']}"
        f" ms, p99 {p99:.2f} ms {'meets' if p99 < SEARCH_TARGET_MS else 'MISSES'} target < "
        f"{SEARCH_TARGET_MS:.0f} ms"
    )
    print("note: Datasette ran with _nocount=1 (no total); Pontive computed total every time")
    print(json.dumps({"bench": "opendata", "metrics": metrics}))


def _build(env: dict[str, str], rows: int) -> Built:
    os.environ.update({k: v for k, v in env.items() if k.startswith("PONTIVE_")})
    from pontive.core.db import Database
    from pontive.domains import load_models

    load_models()
    database = Database(env["PONTIVE_DATABASE_URL"])
    built = build(database, rows=rows, datasets=2000)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.engine.dispose()
    print(
        f"database: temporary SQLite, {built.datasets} datasets and a table of {built.rows:,} "
        f"rows built in {built.seconds:.0f} s"
    )
    return built


if __name__ == "__main__":
    main()
