"""The HTTP and SSE side of ``bench/load.py``: citizens, viewers and event-stream clients.

``python load_client.py CONFIG.json`` (pinned to the client's CPU by the bench) runs, against
one server on 127.0.0.1 (``pontive serve`` or the bare app), the phases listed in the
configuration, one after the other, each for its fixed seconds and with a fixed seed:

- reports: an open (Poisson) stream of ``POST /api/v1/complaints`` at ``reports_per_s``, each
  a new citizen on a new connection, with its own ``X-Forwarded-For`` address (10.x.y.z) as
  the reverse proxy in front sends it (``pontive serve`` trusts it from 127.0.0.1): the
  per-address quota of the code path measured stays on, and no citizen reaches it;
- viewers: ``viewers`` people, each on a keep-alive connection, opening ``/situasi`` again
  after an exponential pause of mean ``think_s`` (people pressing reload);
- SSE: ``sse`` clients on ``/api/v1/events/stream?types=…`` (the situation page's
  ``EventSource``); on each event, 400 ms later, every one fetches ``/situasi?bagian=isi&v=ID``
  and ``/situasi/data.json?v=ID`` on a second connection, exactly as ``situation.js`` does.
  Against the bare app, which has no event stream, the same fetches are made at the times
  listed in ``refresh_at`` (seconds after the run's start).

It prints ``{"phase": NAME, "started": time.time()}`` when each phase begins (the bench
publishes the sensor readings on those cues) and, last, one JSON object: per phase and
stream the requests, non-2xx answers, errors (timeouts, refused or broken connections),
p50/p99 latency; and every event received (id, type, msg_type, client, arrival time).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
TIMEOUT = 10.0  # seconds: a slower answer counts as an error
DEBOUNCE = 0.4  # situation.js waits this long after an event before it fetches
STREAMS = ("report", "page", "live", "data")


@dataclass
class Stream:
    latencies: array[float] = field(default_factory=lambda: array("d"))
    non_2xx: int = 0
    errors: int = 0

    def summary(self, seconds: float) -> dict[str, float]:
        ordered = sorted(self.latencies)

        def percentile(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

        return {
            "requests": len(ordered),
            "rps": round(len(ordered) / seconds, 2),
            "non_2xx": self.non_2xx,
            "errors": self.errors,
            "p50_ms": round(percentile(0.50), 2),
            "p99_ms": round(percentile(0.99), 2),
        }


class Connection:
    """One keep-alive HTTP/1.1 connection, one request at a time, reopened after a failure."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: bytes, body: bytes = b"") -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None  # noqa: S101 - narrowed for the type checker
        self.writer.write(head + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lower = raw.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at < 0:
            raise ValueError("answer without Content-Length")
        end = lower.index(b"\r\n", at + 2)
        await self.reader.readexactly(int(lower[at + 17 : end]))
        return int(raw[9:12])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _get(port: int, path: str, extra: str = "") -> bytes:
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/html\r\n"
    return f"{head}{extra}\r\n".encode()


class Run:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.port: int = config["port"]
        self.random = random.Random(config["seed"])
        self.phase = ""
        self.stats: dict[str, dict[str, Stream]] = {}
        self.events: list[tuple[str, str, str, int, float]] = []
        self.sse_connected = 0
        self.sse_errors = 0
        self.stop = asyncio.Event()

    def stream(self, name: str) -> Stream:
        return self.stats.setdefault(self.phase, {}).setdefault(name, Stream())

    async def timed(
        self, name: str, connection: Connection, head: bytes, body: bytes = b""
    ) -> None:
        stream = self.stream(name)
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(connection.request(head, body), TIMEOUT)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            stream.errors += 1
            connection.close()
            return
        stream.latencies.append(time.perf_counter() - started)
        if not 200 <= status < 300:
            stream.non_2xx += 1

    # --- citizens ---------------------------------------------------------------------

    async def report(self, number: int) -> None:
        body = json.dumps(
            {
                **self.config["report"],
                "description": f"{self.config['report']['description']} (warga {number})",
                "lat": -0.03 - self.random.random() / 50,
                "lon": 109.32 + self.random.random() / 50,
            }
        ).encode()
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        head = (
            f"POST /api/v1/complaints HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            f"Content-Type: application/json\r\nX-Forwarded-For: {address}\r\n"
            f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        connection = Connection(self.port)
        try:
            await self.timed("report", connection, head, body)
        finally:
            connection.close()

    async def citizens(self, rate: float, until: float) -> None:
        tasks: set[asyncio.Task[None]] = set()
        while (now := time.monotonic()) < until and rate > 0:
            await asyncio.sleep(min(self.random.expovariate(rate), until - now))
            self.config["reports_sent"] = number = self.config.get("reports_sent", 0) + 1
            task = asyncio.create_task(self.report(number))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks, timeout=TIMEOUT + 1)

    # --- viewers ----------------------------------------------------------------------

    async def viewer(self, think: float, until: float, seed: int) -> None:
        pace = random.Random(seed)
        connection = Connection(self.port)
        head = _get(self.port, "/situasi")
        try:
            while (now := time.monotonic()) < until:
                await asyncio.sleep(min(pace.expovariate(1 / think), until - now))
                if time.monotonic() < until:
                    await self.timed("page", connection, head)
        finally:
            connection.close()

    async def refresh(self, connection: Connection, version: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        # The header only tells the bare app this from the full page (it ignores queries).
        live = _get(self.port, f"/situasi?bagian=isi&v={version}", "X-Bench-Live: 1\r\n")
        await self.timed("live", connection, live)
        await self.timed("data", connection, _get(self.port, f"/situasi/data.json?v={version}"))

    # --- event-stream clients ---------------------------------------------------------

    async def sse_client(self, number: int) -> None:
        path = f"/api/v1/events/stream?types={self.config['sse_types']}"
        head = (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
        fetcher = Connection(self.port)
        pending: asyncio.Task[None] | None = None
        try:
            reader, writer = await asyncio.open_connection(HOST, self.port)
            writer.write(head)
            answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
            if not answer.startswith(b"HTTP/1.1 200"):
                raise ValueError(answer[:40].decode(errors="replace"))
            self.sse_connected += 1
            buffer = b""
            while not self.stop.is_set():
                size = int((await reader.readline()).strip() or b"0", 16)  # chunked
                if size == 0:
                    break
                buffer += await reader.readexactly(size + 2)
                *blocks, buffer = buffer.replace(b"\r\n", b"\n").split(b"\n\n")
                for block in blocks:
                    event = _parse_event(block)
                    if event is None:
                        continue
                    arrived = time.time()
                    self.events.append((event[0], event[1], event[2], number, arrived))
                    if pending is None or pending.done():
                        pending = asyncio.create_task(self.refresh(fetcher, event[0]))
            writer.close()
        except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError):
            if not self.stop.is_set():
                self.sse_errors += 1
        finally:
            fetcher.close()

    async def timed_refreshes(self, started: float) -> None:
        """The bare app's stand-in for the event stream: refreshes at the listed times."""
        most = max((clients for _, clients in self.config["refresh_at"]), default=0)
        connections = [Connection(self.port) for _ in range(most)]
        for number, (at, clients) in enumerate(self.config["refresh_at"]):
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            version = f"bare-{number}"
            await asyncio.gather(*(self.refresh(c, version) for c in connections[:clients]))
        for connection in connections:
            connection.close()

    # --- the run ----------------------------------------------------------------------

    async def main(self) -> dict[str, Any]:
        started = time.monotonic()
        bare = self.config["target"] == "bare"
        sse: list[asyncio.Task[None]] = []
        background = asyncio.create_task(self.timed_refreshes(started)) if bare else None
        viewers: list[asyncio.Task[None]] = []
        seconds: dict[str, float] = {}
        for phase in self.config["phases"]:
            self.phase = phase["name"]
            for name in STREAMS:
                self.stream(name)
            print(json.dumps({"phase": self.phase, "started": time.time()}), flush=True)
            begun = time.monotonic()
            until = begun + phase["seconds"]
            if not bare:
                while len(sse) < phase["sse"]:
                    sse.append(asyncio.create_task(self.sse_client(len(sse))))
            viewers = [
                asyncio.create_task(
                    self.viewer(phase["think_s"], until, self.config["seed"] * 1000 + number)
                )
                for number in range(phase["viewers"])
            ]
            await self.citizens(phase["reports_per_s"], until)
            await asyncio.gather(*viewers)
            seconds[self.phase] = time.monotonic() - begun
        self.stop.set()
        if background is not None:
            background.cancel()
        await asyncio.sleep(DEBOUNCE + 0.2)
        for task in sse:
            task.cancel()
        await asyncio.gather(*sse, return_exceptions=True)
        return {
            "phases": {
                name: {stream: s.summary(seconds[name]) for stream, s in streams.items()}
                for name, streams in self.stats.items()
            },
            "sse_connected": self.sse_connected,
            "sse_errors": self.sse_errors,
            "events": self.events,
        }


def _parse_event(block: bytes) -> tuple[str, str, str] | None:
    """(id, type, msg_type) of one SSE event block; ``None`` for comments and heartbeats."""
    fields: dict[bytes, bytes] = {}
    for line in block.split(b"\n"):
        name, _, value = line.partition(b": ")
        if name in (b"id", b"event", b"data"):
            fields[name] = value
    if b"data" not in fields:
        return None
    data = json.loads(fields[b"data"]).get("data") or {}
    msg_type = str(data.get("msg_type", "")) if isinstance(data, dict) else ""
    return fields.get(b"id", b"").decode(), fields.get(b"event", b"").decode(), msg_type


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text())
    try:
        import uvloop
    except ImportError:
        runner = asyncio.run
    else:
        runner = uvloop.run
    result = runner(Run(config).main())
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
