"""The baseline for ``bench/http.py``: a raw ASGI app answering Pontive's bytes.

Run as ``python bench/_support/bare_app.py --port P``. It serves, under the very uvicorn
options that ``pontive serve`` uses (src/pontive/cli.py — keep ``UVICORN_OPTIONS`` in step
with it), only:

- ``/healthz``: the body and content type in ``BENCH_HEALTHZ_BODY`` (a file path) and
  ``BENCH_HEALTHZ_CONTENT_TYPE``;
- ``/``: the HTML in ``BENCH_HOME_HTML`` (a file path) with ``BENCH_HOME_CONTENT_TYPE``;
- ``/`` with a ``Cookie`` header, only when ``BENCH_HOME_RENDERED_HTML`` (a file path) is set:
  that HTML, with ``BENCH_HOME_RENDERED_CONTENT_TYPE`` (default: the home page's). Otherwise
  the cookie is ignored and the home HTML above is served.

The bodies are fetched once from a running Pontive by ``bench/http.py``. No framework, no
routing table: the ceiling that no framework work can beat (DESIGN.md, Benchmarks).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

# The keyword arguments ``pontive serve`` passes to ``uvicorn.run`` (loop and http are left at
# "auto" there too, which picks uvloop and httptools when installed).
UVICORN_OPTIONS: dict[str, Any] = {
    "factory": True,
    "workers": 1,
    "log_config": None,
    "proxy_headers": True,
    "timeout_graceful_shutdown": 10,
    "server_header": False,
}

Send = Any
Receive = Any
Scope = dict[str, Any]


def _response(body: bytes, content_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", content_type.encode("latin-1")),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


def create_app() -> Any:
    """The ASGI callable, with both answers built once from the environment."""
    routes = {
        "/healthz": _response(
            Path(os.environ["BENCH_HEALTHZ_BODY"]).read_bytes(),
            os.environ["BENCH_HEALTHZ_CONTENT_TYPE"],
        ),
        "/": _response(
            Path(os.environ["BENCH_HOME_HTML"]).read_bytes(),
            os.environ["BENCH_HOME_CONTENT_TYPE"],
        ),
    }
    rendered_html = os.environ.get("BENCH_HOME_RENDERED_HTML")
    rendered = (
        _response(
            Path(rendered_html).read_bytes(),
            os.environ.get(
                "BENCH_HOME_RENDERED_CONTENT_TYPE", os.environ["BENCH_HOME_CONTENT_TYPE"]
            ),
        )
        if rendered_html
        else None
    )
    not_found = {
        "type": "http.response.start",
        "status": 404,
        "headers": [(b"content-length", b"0")],
    }
    empty = {"type": "http.response.body", "body": b""}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        start, body = routes.get(scope["path"], (not_found, empty))
        if (
            rendered is not None
            and scope["path"] == "/"
            and any(name == b"cookie" for name, _value in scope["headers"])
        ):
            start, body = rendered
        # uvicorn does not mutate the messages it is sent, so they can be reused.
        await send(start)
        await send(body)

    return app


def _configure_logging_like_pontive() -> None:
    # pontive.core.logging.configure_logging: one stderr handler on the root logger at the
    # configured level, uvicorn's own loggers propagating, the access logger disabled.
    handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("PONTIVE_LOG_LEVEL", "WARNING").upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    _configure_logging_like_pontive()
    uvicorn.run("bare_app:create_app", host=args.host, port=args.port, **UVICORN_OPTIONS)


if __name__ == "__main__":
    main()
