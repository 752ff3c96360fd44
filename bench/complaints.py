"""Open311 throughput of Pontive against a bare ASGI app answering the same bytes.

Run with ``make bench`` (or ``.venv/bin/python bench/complaints.py [--quick]``). It follows
``bench/http.py`` and shares its harness (``bench/_support``). In one run:

1. a throw-away SQLite database: ``pontive db upgrade``, ``pontive demo load`` and
   ``pontive apikeys create`` (the key is the last output line);
2. ``pontive serve`` pinned to CPU 0; Open311 POSTs until at least 50 public reports lie in
   the default 90-day window; then Pontive's answer to ``GET /open311/v2/requests.json
   ?page_size=50`` (50 reports) and to one submission are captured, and
   ``bench/_support/bare_app.py`` (raw ASGI, same uvicorn options) serves those bytes;
3. ``wrk`` (or the asyncio generator ``bench/_support/loadgen.py``) pinned to CPU 1 drives both,
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

import json
import sys
from pathlib import Path
from urllib.parse import urlencode

# ``bench/http.py`` would shadow the standard library's ``http`` for anything importing it; the
# shared modules of ``bench/_support`` (none of them named like the stdlib) go first instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent / "_support"))

from harness import Bench, Context, Route, fetch, main
from measure import Endpoint, Phase, Server

PATH = "/open311/v2/requests.json"
LIST_ITEMS = 50
SLOW_CONNECTIONS = 16
# Any ``pontive_session`` cookie makes Pontive skip its micro-cache (web/middleware.py).
COOKIE = "Cookie: pontive_session=bench"
FORM_HEADER = "Content-Type: application/x-www-form-urlencoded"
# Jl. Gajah Mada, Pontianak Selatan: inside the city.
FORM = {"service_code": "drainase", "lat": "-0.0391", "long": "109.3427"}
BENCH = Bench(
    name="complaints",
    description=__doc__.splitlines()[0],
    database_verbs=(
        ("db", "upgrade"),
        ("demo", "load"),
        ("apikeys", "create", "--name", "bench", "--role", "warga"),
    ),
    database_note="migrated, demo data loaded, API key created",
    targets={"open311_list_vs_bare": 0.30, "submit_vs_bare": 0.10},
    informational={"open311_list_uncached_vs_bare": "queries and serialises on every request"},
    ratio_digits=4,
    latencies=("p50",),
)
LIST = Endpoint("open311_list", f"{PATH}?page_size={LIST_ITEMS}", "list")
LIST_UNCACHED = Endpoint("open311_list_uncached", LIST.path, "list +cookie", (COOKIE,))


def _form(api_key: str, description: str) -> str:
    return urlencode({**FORM, "api_key": api_key, "description": description})


def _submit(api_key: str) -> Endpoint:
    # Each body ends with a number unique in its run: every submission is a new report.
    def body(run: str) -> str:
        return _form(api_key, f"Parit tersumbat bench {run} nomor ")

    return Endpoint("submit", PATH, "submit", (FORM_HEADER,), body, timeout=10)


def _fill_window(port: int, api_key: str) -> None:
    """Open311 POSTs until the 90-day window holds at least 50 public reports."""
    have = len(json.loads(fetch(port, LIST.path, LIST_UNCACHED.headers)[2]))
    for number in range(LIST_ITEMS - have):
        fetch(port, PATH, (FORM_HEADER,), _form(api_key, f"Parit tersumbat pengisi {number}"))
    print(f"reports: {have} public in the 90-day window from the demo, {LIST_ITEMS - have} added")


def setup(context: Context) -> tuple[dict[str, Server], list[Phase]]:
    """Fill the window, capture Pontive's list and a submission answer, start the bare app."""
    api_key = context.database_output.strip().splitlines()[-1].strip()
    pontive = context.start_pontive()
    _fill_window(pontive.port, api_key)
    _status, list_type, list_body = fetch(pontive.port, LIST.path, LIST_UNCACHED.headers)
    if len(json.loads(list_body)) != LIST_ITEMS:
        raise RuntimeError(f"Pontive's list does not hold {LIST_ITEMS} reports")
    form = _form(api_key, "Parit tersumbat contoh jawaban")
    status, submit_type, submit_body = fetch(pontive.port, PATH, (FORM_HEADER,), form)
    if status != 200:
        raise RuntimeError(f"Pontive answered {status} to a submission")
    bare = context.start_bare(
        [Route("GET", PATH, list_type, list_body), Route("POST", PATH, submit_type, submit_body)]
    )
    _status, bare_type, bare_body = fetch(bare.port, LIST.path)
    if (bare_type, bare_body) != (list_type, list_body):
        raise RuntimeError("the bare app's list differs from Pontive's")
    print(f"list      both servers answer {len(list_body)} bytes of {list_type} (50 reports)")
    print(f"submit    both servers answer {len(submit_body)} bytes of {submit_type}")
    # Requests that cost Pontive milliseconds each would queue for seconds behind 64
    # connections and hit wrk's timeout: those run with fewer, for both servers.
    reader = context.generator
    narrow = reader.with_connections(min(SLOW_CONNECTIONS, context.plan.connections))
    phases: list[Phase] = [
        (reader, [LIST]),
        (narrow, [LIST_UNCACHED]),
        (narrow, [_submit(api_key)]),
    ]
    return {"bare": bare, "pontive": pontive}, phases


if __name__ == "__main__":
    main(BENCH, setup)
