"""Query latency on 10 million observations: a filtered SensorThings page and hourly means.

Run with ``make bench`` (or ``.venv/bin/python bench/sta_query.py [--quick]``). Per backend
(SQLite, and PostgreSQL when reachable: ``--postgres-url``, default
``$PONTIVE_BENCH_POSTGRES_URL``, ``$PONTIVE_TEST_DATABASE_URL`` or the local server):

1. a database with 100 datastreams of 100,000 readings (half every 30 s, half every 5 min, a
   tide-like water level), loaded with ``executemany`` (SQLite) or binary ``COPY``
   (PostgreSQL, monthly partitions), rollups built by ``rollups.rebuild_rollups`` (the code
   path ingest uses), then ANALYZE. It is kept between runs — ``var/bench/`` for SQLite, a
   database on the server for PostgreSQL — under a key of the data version, the row count
   and the migration head; ``--quick`` uses 1 million rows;
2. ``pontive serve`` (one worker, pinned to CPU 0) on it; one keep-alive client (CPU 1) asks,
   one request at a time, after a warm-up:
   (a) ``/sta/v1.1/Datastreams(<id>)/Observations?$filter=phenomenonTime ge <t1> and
   phenomenonTime lt <t2> and result gt 150&$orderby=phenomenonTime desc&$top=100`` for a
   random stream and day — when the SensorThings endpoint answers; otherwise the equivalent
   SQL is measured and ``filtered_page_via_http`` is 0;
   (b) ``/api/v1/datastreams/<id>/aggregate?interval=1h&stat=mean&from=..&to=..``: a random
   30-day window, 720 buckets, checked;
   each with a session cookie and distinct parameters, so no answer comes from a cache;
3. the baseline: the same queries as SQL through the bare driver in this process;
4. the query plans (EXPLAIN) of both, checked for the (datastream, phenomenon time, id)
   index and, on PostgreSQL, for partition pruning; the size on disk per observation; and the
   cost of adding a batch of 1,000 observations across 10 streams to the rollups (ingest's
   ``add_readings``) against the bulk insert of that batch, and of recomputing its buckets
   (``update_rollups``, what a delete or an edit does), in a rolled-back transaction.

Metrics: ``filtered_page_p99_ms_<db>`` and ``hourly_aggregate_p99_ms_<db>`` (target < 50 ms),
the ``_sql_`` baseline beside them, ``filtered_page_via_http``, ``bytes_per_observation_<db>``,
``rollup_batch_vs_insert_<db>`` and ``rollup_recompute_ms_<db>``. The last line printed is the
JSON object ``{"bench": "sta_query", "metrics": {...}}``.
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
from collections.abc import Callable, Sequence
from urllib.parse import quote

from harness import FULL, Context, Processes
from measure import HOST, LoadGenerator, Server, cpu_seconds
from sta_dataset import Backend, Dataset, prepare
from sta_probes import Probes

TARGET_MS = 50.0
COOKIE = "pontive_session=bench"  # never served from the page cache (web/middleware.py)
FILTER_VALUE = 150.0


def _sta_path(stream: int, start: str, end: str) -> str:
    condition = f"phenomenonTime ge {start} and phenomenonTime lt {end} and result gt 150"
    query = f"$filter={quote(condition)}&$orderby={quote('phenomenonTime desc')}&$top=100"
    return f"/sta/v1.1/Datastreams({stream})/Observations?{query}"


def _aggregate_path(stream: int, start: str, end: str) -> str:
    return f"/api/v1/datastreams/{stream}/aggregate?interval=1h&stat=mean&from={start}&to={end}"


def _p99(latencies: Sequence[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def _http_latencies(
    server: Server, paths: Sequence[str], check: Callable[[bytes], None]
) -> tuple[list[float], float]:
    """Milliseconds per request, one at a time on one keep-alive connection, and the
    server's CPU milliseconds per request (steadier than latency on a shared machine)."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
    cpu_before = cpu_seconds(server.pid)
    latencies = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": COOKIE})
        response = connection.getresponse()
        body = response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: {body[:300]!r}")
        check(body)
    connection.close()
    return latencies, (cpu_seconds(server.pid) - cpu_before) * 1000 / len(paths)


def _check_aggregate(body: bytes) -> None:
    buckets = json.loads(body)["buckets"]
    if len(buckets) != 720:
        raise RuntimeError(f"a 30-day hourly aggregate has {len(buckets)} buckets, not 720")


def _check_page(body: bytes) -> None:
    values = json.loads(body)["value"]
    if not values or any(v["result"] <= FILTER_VALUE for v in values):
        raise RuntimeError("the filtered page is empty or holds results that fail the filter")


def _sta_answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", path, headers={"Cookie": COOKIE})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status == 200 and b'"value"' in body:
        return True
    print(f"SensorThings endpoint unavailable ({response.status}): measuring the SQL instead")
    return False


def _serve(backend: Backend, tmp: Path, processes: Processes) -> Server:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PONTIVE_")}
    env.update(
        PONTIVE_ENV="dev",
        PONTIVE_DATABASE_URL=backend.url,
        PONTIVE_LOG_LEVEL="WARNING",
        PONTIVE_MEDIA_DIR=str(tmp / "media"),
    )
    pinned = ["taskset", "-c", "0"] if {0, 1} <= os.sched_getaffinity(0) else []
    context = Context(tmp, env, FULL, "", LoadGenerator(None, [], 1, tmp), pinned, processes)
    return context.start_pontive()


def run_backend(backend: Backend, dataset: Dataset, requests: int) -> dict[str, float]:
    """Prepare (or reuse) the database, serve it, measure; the metrics of this backend."""
    info = prepare(backend, dataset)
    rng = random.Random(4)
    pages = [dataset.random_day(rng, backend.ids) for _ in range(requests + 20)]
    months = [dataset.random_month(rng, backend.ids) for _ in range(requests + 20)]
    probes = Probes(backend, dataset)
    metrics: dict[str, float] = {}
    name = backend.name
    with tempfile.TemporaryDirectory(prefix="pontive-bench-sta-") as tmp_name:
        processes = Processes()
        try:
            if {0, 1} <= os.sched_getaffinity(0):
                os.sched_setaffinity(0, {1})
            server = _serve(backend, Path(tmp_name), processes)
            via_http = _sta_answers(server.port, _sta_path(*pages[0]))
            sta_paths = [_sta_path(*p) for p in pages]
            agg_paths = [_aggregate_path(*m) for m in months]
            page_cpu = 0.0
            if via_http:
                _http_latencies(server, sta_paths[:20], _check_page)  # warm-up
                page_ms, page_cpu = _http_latencies(server, sta_paths[20:], _check_page)
            else:
                page_ms = probes.filtered_page(pages)[20:]
            _http_latencies(server, agg_paths[:20], _check_aggregate)
            aggregate_ms, aggregate_cpu = _http_latencies(server, agg_paths[20:], _check_aggregate)
        finally:
            processes.stop_all()
    page_sql_ms = probes.filtered_page(pages)[20:]
    aggregate_sql_ms = probes.aggregate(months)[20:]
    for label, values in (
        ("filtered_page", page_ms),
        ("filtered_page_sql", page_sql_ms),
        ("hourly_aggregate", aggregate_ms),
        ("hourly_aggregate_sql", aggregate_sql_ms),
    ):
        p99, p50 = _p99(values), statistics.median(values)
        metrics[f"{label}_p99_ms_{name}"] = round(p99, 2)
        metrics[f"{label}_p50_ms_{name}"] = round(p50, 2)
        verdict = (
            ""
            if label.endswith("_sql")
            else (f"  {'meets' if p99 < TARGET_MS else 'MISSES'} target < {TARGET_MS:.0f} ms")
        )
        print(f"{name:<10} {label:<21} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms{verdict}")
    metrics[f"filtered_page_via_http_{name}"] = 1.0 if via_http else 0.0
    metrics[f"filtered_page_server_cpu_ms_{name}"] = round(page_cpu, 3)
    metrics[f"hourly_aggregate_server_cpu_ms_{name}"] = round(aggregate_cpu, 3)
    print(
        f"{name:<10} server CPU per request: filtered page {page_cpu:.2f} ms, "
        f"hourly aggregate {aggregate_cpu:.2f} ms"
    )
    probes.explain(pages[0], months[0], sta_path=_sta_path(*pages[0]) if via_http else None)
    metrics[f"bytes_per_observation_{name}"] = round(info.bytes_total / dataset.rows, 1)
    batch_ms, recompute_ms, insert_ms = probes.rollup_batch_cost()
    metrics[f"rollup_batch_ms_{name}"] = round(batch_ms, 2)
    metrics[f"rollup_batch_vs_insert_{name}"] = round(batch_ms / insert_ms, 3)
    metrics[f"rollup_recompute_ms_{name}"] = round(recompute_ms, 2)
    print(
        f"{name:<10} 1,000 observations in 10 streams: added to the rollups (ingest) in"
        f" {batch_ms:.2f} ms, their buckets recomputed (a delete or an edit) in"
        f" {recompute_ms:.2f} ms, their bulk insert {insert_ms:.2f} ms"
        f" (ratio of adding {batch_ms / insert_ms:.2f})"
    )
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 million rows, fewer requests")
    parser.add_argument("--postgres-url", default=None, help="server to keep the bench DB on")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--rebuild", action="store_true", help="reload even if cached")
    parser.add_argument("--requests", type=int, default=None, help="measured requests each")
    args = parser.parse_args()
    dataset = Dataset.quick() if args.quick else Dataset.full()
    requests = args.requests or (200 if args.quick else 1000)
    print(
        f"plan: {'quick' if args.quick else 'full'} — {dataset.rows:,} observations in "
        f"{dataset.streams} datastreams; {requests} measured requests per query and backend"
    )
    metrics: dict[str, float] = {}
    for backend in Backend.available(args.postgres_url, skip_postgres=args.no_postgres):
        backend.rebuild = args.rebuild
        metrics.update(run_backend(backend, dataset, requests))
    metrics["filtered_page_via_http"] = min(
        value for key, value in metrics.items() if key.startswith("filtered_page_via_http_")
    )
    print(json.dumps({"bench": "sta_query", "metrics": metrics}))


if __name__ == "__main__":
    main()
