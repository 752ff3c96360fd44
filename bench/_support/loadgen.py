"""Fallback HTTP load generator for the ``bench/*.py`` scripts when ``wrk`` is not installed.

``python bench/_support/loadgen.py --connections 64 --duration 10 [--header "Name: value" ...]
[--body-prefix 'api_key=...&description=Parit+'] http://127.0.0.1:P/path`` opens N keep-alive
HTTP/1.1 connections to the URL's port on 127.0.0.1, each sending one request at a time: a
pre-encoded GET (with the extra headers given, like wrk's ``-H``), or with ``--body-prefix`` a
POST whose body is the prefix plus a number unique in the run (so each request is, say, a new
report). It reads responses with minimal parsing (status line and Content-Length) and prints
one JSON object: requests, non_2xx, errors, seconds, p50_ms, p99_ms. uvloop is used when
installed so that the client is not the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from array import array
from collections.abc import Iterator
from urllib.parse import urlsplit


async def _connection(
    port: int,
    requests: Iterator[bytes],
    deadline: float,
    latencies: array[float],
    counters: dict[str, int],
) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        counters["errors"] += 1
        return
    clock = time.perf_counter
    try:
        while (started := clock()) < deadline:
            writer.write(next(requests))
            head = await reader.readuntil(b"\r\n\r\n")
            lower = head.lower()
            at = lower.find(b"\r\ncontent-length:")
            if at >= 0:
                end = lower.index(b"\r\n", at + 2)
                length = int(lower[at + 17 : end])
                if length:
                    await reader.readexactly(length)
            latencies.append(clock() - started)
            if not head.startswith(b"HTTP/1.1 2"):
                counters["non_2xx"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError):
        counters["errors"] += 1
    finally:
        writer.close()


def _header(text: str) -> str:
    """One ``Name: value`` request header, as given on the command line."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or "\r" in text or "\n" in text:
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return f"{name.strip()}: {value.strip()}"


def _requests(
    port: int, target: str, headers: tuple[str, ...], body_prefix: str | None
) -> Iterator[bytes]:
    """The requests to send, in order: one GET over and over, or numbered POSTs."""
    extra = "".join(f"{header}\r\n" for header in headers)
    if body_prefix is None:
        return itertools.repeat(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()
        )
    head = f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}"
    return (
        f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
        for body in (f"{body_prefix}{n}".encode() for n in itertools.count(1))
    )


async def run(
    url: str,
    connections: int,
    duration: float,
    headers: tuple[str, ...] = (),
    body_prefix: str | None = None,
) -> dict[str, float]:
    parts = urlsplit(url)
    port = parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    requests = _requests(port, target or "/", headers, body_prefix)
    latencies: array[float] = array("d")
    counters = {"errors": 0, "non_2xx": 0}
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(_connection(port, requests, deadline, latencies, counters) for _ in range(connections))
    )
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    return {
        "requests": len(ordered),
        "non_2xx": counters["non_2xx"],
        "errors": counters["errors"],
        "seconds": seconds,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", help="http://127.0.0.1:PORT/path?query")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument(
        "--header",
        type=_header,
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="extra request header (repeatable)",
    )
    parser.add_argument("--body-prefix", help="POST bodies: this prefix plus a running number")
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        runner = asyncio.run
    else:
        runner = uvloop.run
    result = runner(
        run(args.url, args.connections, args.duration, tuple(args.header), args.body_prefix)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
