"""The baseline for ``bench/complaints.py``: a raw ASGI app answering Pontive's Open311 bytes.

Run as ``python bench/_support/complaints_bare.py --port P`` under the very uvicorn options of
``pontive serve`` (``bare_app.UVICORN_OPTIONS``). It serves only:

- ``GET /open311/v2/requests.json``: the body in ``BENCH_LIST_BODY`` (a file path) with
  ``BENCH_LIST_CONTENT_TYPE`` — Pontive's answer of 50 reports, fetched once;
- ``POST /open311/v2/requests.json``: reads the whole request body, then answers the body in
  ``BENCH_SUBMIT_BODY`` with ``BENCH_SUBMIT_CONTENT_TYPE`` — a Pontive submission answer;
- ``/healthz`` (for the readiness check).

No framework, no routing table, no database: the ceiling no framework work can beat.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import uvicorn
from bare_app import UVICORN_OPTIONS, _configure_logging_like_pontive

PATH = "/open311/v2/requests.json"
Scope = dict[str, Any]


def _response(body: bytes, content_type: str, status: int = 200) -> tuple[dict[str, Any], ...]:
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", content_type.encode("latin-1")),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


def create_app() -> Any:
    """The ASGI callable, with the answers built once from the environment."""
    listed = _response(
        Path(os.environ["BENCH_LIST_BODY"]).read_bytes(), os.environ["BENCH_LIST_CONTENT_TYPE"]
    )
    submitted = _response(
        Path(os.environ["BENCH_SUBMIT_BODY"]).read_bytes(), os.environ["BENCH_SUBMIT_CONTENT_TYPE"]
    )
    healthy = _response(b'{"status":"ok"}', "application/json")
    missing = _response(b"", "text/plain", 404)

    async def app(scope: Scope, receive: Any, send: Any) -> None:
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
        answer = missing
        if scope["path"] == PATH and scope["method"] == "GET":
            answer = listed
        elif scope["path"] == PATH and scope["method"] == "POST":
            more = True
            while more:  # the form body is read in full, as Pontive must
                message = await receive()
                more = message.get("more_body", False)
            answer = submitted
        elif scope["path"] == "/healthz":
            answer = healthy
        for message in answer:
            await send(message)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    _configure_logging_like_pontive()
    uvicorn.run("complaints_bare:create_app", host=args.host, port=args.port, **UVICORN_OPTIONS)


if __name__ == "__main__":
    main()
