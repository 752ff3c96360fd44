"""The baseline of the ``bench/*.py`` scripts: a raw ASGI app answering Pontive's bytes.

Run as ``python bench/_support/bare_app.py --port P``. It serves, under the very uvicorn
options that ``pontive serve`` uses (src/pontive/cli.py — keep ``UVICORN_OPTIONS`` in step
with it), only the answers listed in the JSON file named by ``BENCH_BARE_ROUTES``: a list of
``{"method", "path", "body" (a file path), "content_type", "header" (optional)}``. A request
gets the first answer whose method and path match and, when ``header`` is given, that carries
a request header of that name (so ``/`` with a ``Cookie`` can be answered apart from ``/``).
Request bodies (of POSTs, say) are read in full, as Pontive must. ``GET /healthz`` answers
``{"status":"ok"}`` unless listed (for the readiness check); anything else is a 404.

The answers are fetched once from a running Pontive by the benchmark (``harness.start_bare``).
No framework, no routing table beyond one dict: the ceiling that no framework work can beat
(DESIGN.md, Benchmarks).
"""

from __future__ import annotations

import argparse
import json
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
Answer = tuple[dict[str, Any], dict[str, Any]]


def _response(body: bytes, content_type: str, status: int = 200) -> Answer:
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", content_type.encode("latin-1")),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


def _routes() -> dict[tuple[str, str], list[tuple[bytes | None, Answer]]]:
    """(method, path) → [(required request header or None, answer)], in the listed order."""
    routes: dict[tuple[str, str], list[tuple[bytes | None, Answer]]] = {
        ("GET", "/healthz"): [(None, _response(b'{"status":"ok"}', "application/json"))]
    }
    listed: set[tuple[str, str]] = set()
    for route in json.loads(Path(os.environ["BENCH_BARE_ROUTES"]).read_text()):
        key = (route["method"], route["path"])
        if key not in listed:  # a listed answer replaces the default one
            listed.add(key)
            routes[key] = []
        header = route.get("header")
        answer = _response(Path(route["body"]).read_bytes(), route["content_type"])
        routes[key].append((header.lower().encode("latin-1") if header else None, answer))
    return routes


def create_app() -> Any:
    """The ASGI callable, with every answer built once from the configuration."""
    routes = _routes()
    not_found = _response(b"", "text/plain", 404)

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
        if scope["method"] not in ("GET", "HEAD"):
            more = True
            while more:  # the whole body is read, as Pontive must
                message = await receive()
                more = message.get("more_body", False)
        start, body = not_found
        for header, answer in routes.get((scope["method"], scope["path"]), ()):
            if header is None or any(name == header for name, _value in scope["headers"]):
                start, body = answer
                break
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
