"""HTTP throughput of Pontive against a bare ASGI app answering the same bytes.

Run with ``make bench`` (or ``.venv/bin/python bench/http.py [--quick]``). In one run on one
machine it (with ``bench/_support/harness.py``):

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
# own directory first on sys.path: take it off before anything imports ``http.client``, and
# put the shared modules of ``bench/_support`` (none of them named like the stdlib) there.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent / "_support"))

from harness import Bench, Context, Route, fetch, main
from measure import Endpoint, Phase, Server

# Any ``pontive_session`` cookie makes Pontive skip its page cache (web/middleware.py); this one
# fails verification, so the visitor is anonymous and the home page is rendered every time.
RENDER_HEADER = "Cookie: pontive_session=bench"
HOME_RENDERED = Endpoint("home_rendered", "/", "/ +cookie", (RENDER_HEADER,))
ENDPOINTS = (Endpoint("healthz", "/healthz", "/healthz"), Endpoint("home", "/", "/"), HOME_RENDERED)
BENCH = Bench(
    name="http",
    description=__doc__.splitlines()[0],
    database_verbs=(("db", "upgrade"), ("demo", "load")),
    database_note="migrated and demo data loaded",
    targets={"healthz_vs_bare": 0.5, "home_vs_bare": 0.2},
    informational={
        "home_rendered_vs_bare": "renders the page on every request (page cache bypassed)",
    },
)


def setup(context: Context) -> tuple[dict[str, Server], list[Phase]]:
    """Start Pontive, capture its answers, start the bare app on them."""
    pontive = context.start_pontive()
    answers: dict[str, tuple[str, bytes]] = {}
    for endpoint in ENDPOINTS:
        status, content_type, body = fetch(pontive.port, endpoint.path, endpoint.headers)
        if status != 200:
            raise RuntimeError(f"Pontive answered {status} on {endpoint.label}")
        answers[endpoint.name] = (content_type, body)

    routes = [Route("GET", "/healthz", *answers["healthz"]), Route("GET", "/", *answers["home"])]
    # The rendered page carries the session's CSRF token, so its bytes can differ from the
    # cached page's; only then does the bare app answer cookie-carrying requests to ``/`` with
    # it (otherwise it serves the cached page's bytes and ignores the cookie).
    rendered_differs = answers["home_rendered"] != answers["home"]
    if rendered_differs:
        routes.insert(0, Route("GET", "/", *answers["home_rendered"], header="Cookie"))
    bare = context.start_bare(routes)

    for endpoint in ENDPOINTS:
        _status, content_type, body = fetch(bare.port, endpoint.path, endpoint.headers)
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
    return {"bare": bare, "pontive": pontive}, [(context.generator, ENDPOINTS)]


if __name__ == "__main__":
    main(BENCH, setup)
