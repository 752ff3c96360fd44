"""Fallback HTTP load generator for ``bench/http.py`` when ``wrk`` is not installed.

``python bench/_support/loadgen.py --port P --path /healthz --connections 64 --duration 10
[--header "Name: value" ...]`` opens N keep-alive HTTP/1.1 connections to 127.0.0.1, each
sending one pre-encoded GET (with the extra headers given, like wrk's ``-H``) at a time, reads
responses with minimal parsing (status line and Content-Length), and prints one JSON object:
requests, non-2xx, errors, seconds, p50_ms, p99_ms. uvloop is used when installed so that the
client is not the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from array import array


async def _connection(
    port: int,
    request: bytes,
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
        while True:
            started = clock()
            if started >= deadline:
                break
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
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


async def run(
    port: int, path: str, connections: int, duration: float, headers: tuple[str, ...] = ()
) -> dict[str, float]:
    extra = "".join(f"{header}\r\n" for header in headers)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()
    latencies: array[float] = array("d")
    counters = {"errors": 0, "non_2xx": 0}
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(_connection(port, request, deadline, latencies, counters) for _ in range(connections))
    )
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(q: float) -> float:
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

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
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
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
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        runner = asyncio.run
    else:
        runner = uvloop.run
    result = runner(run(args.port, args.path, args.connections, args.duration, tuple(args.header)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
