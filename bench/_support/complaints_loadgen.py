"""Fallback POST load generator for ``bench/complaints.py`` when ``wrk`` is not installed.

``python bench/_support/complaints_loadgen.py --port P --path /open311/v2/requests.json
--body-prefix 'api_key=...&service_code=...&description=Parit+' --connections 32 --duration 6``
keeps N keep-alive HTTP/1.1 connections busy, each POSTing a form body (the prefix plus a
number unique in the run, so each request is a new report) one at a time, and prints one JSON
object like ``loadgen.py``: requests, non_2xx, errors, seconds, p50_ms, p99_ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from array import array
from collections.abc import Iterator


async def _connection(
    port: int,
    path: str,
    bodies: Iterator[bytes],
    deadline: float,
    latencies: array[float],
    counters: dict[str, int],
) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        counters["errors"] += 1
        return
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
    )
    clock = time.perf_counter
    try:
        while (started := clock()) < deadline:
            body = next(bodies)
            writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            answer = await reader.readuntil(b"\r\n\r\n")
            lower = answer.lower()
            at = lower.find(b"\r\ncontent-length:")
            if at >= 0:
                end = lower.index(b"\r\n", at + 2)
                await reader.readexactly(int(lower[at + 17 : end]))
            latencies.append(clock() - started)
            if not answer.startswith(b"HTTP/1.1 2"):
                counters["non_2xx"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError):
        counters["errors"] += 1
    finally:
        writer.close()


async def run(
    port: int, path: str, prefix: str, connections: int, duration: float
) -> dict[str, float]:
    bodies = (f"{prefix}{n}".encode() for n in itertools.count(1))
    latencies: array[float] = array("d")
    counters = {"errors": 0, "non_2xx": 0}
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(
            _connection(port, path, bodies, deadline, latencies, counters)
            for _ in range(connections)
        )
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
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--body-prefix", required=True)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=6.0)
    args = parser.parse_args()
    result = asyncio.run(
        run(args.port, args.path, args.body_prefix, args.connections, args.duration)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
