"""Pieces of ``bench/load.py`` around the load client: a private NATS server, the alert rule,
the sensor readings published over MQTT on a schedule, and the watch on committed rows.

Readings are JSON messages on ``v1.1/Observations`` (the Datastream in the body, as
``bench/ingest.py`` sends them), published at QoS 1 by one ``mosquitto_pub -l`` fed line by
line, so that each message's publication time is known. Each Datastream's readings are one
second apart from its own starting point, so no two collide.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from ingest_setup import Backend
from mqtt_bench import HOST, wait_for_port

from pontive.alerts.rules_manage import create_rule
from pontive.core.db import Database
from pontive.core.identity import system_actor

FIRE, CLEAR = 320.0, 260.0  # the rule fires at ≥ 300 cm and clears at ≤ 280 cm
TOPIC = "v1.1/Observations"


class NatsServer:
    """``nats-server -js`` on a free port with its store in ``folder`` (never the machine's)."""

    def __init__(self, folder: Path, prefix: list[str], port: int) -> None:
        self.folder, self.prefix, self.port = folder, prefix, port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{HOST}:{self.port}"

    def start(self) -> None:
        binary = shutil.which("nats-server") or shutil.which("nats-server", path="/usr/sbin")
        if binary is None:
            raise RuntimeError("nats-server is not installed; give --bus-url")
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [*self.prefix, binary, "-a", HOST, "-p", str(self.port), "-js"]
        self.process = subprocess.Popen(
            [*argv, "-sd", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, "nats-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


def create_flood_rule(backend: Backend, stream_id: int) -> None:
    """A threshold rule on ``stream_id``: published at once, no duration, no cooldown."""
    database = Database(backend.url)
    try:
        with database.session() as session:
            create_rule(
                session,
                actor=system_actor("bench"),
                data={
                    "code": f"bench-load-{stream_id}",
                    "name_id": "Bench: muka air di atas 300 cm",
                    "name_en": "Bench: water above 300 cm",
                    "kind": "threshold",
                    "params": {
                        "datastream_id": stream_id,
                        "op": ">=",
                        "value": 300,
                        "clear_value": 280,
                        "duration_s": 0,
                    },
                    "auto_publish": True,
                    "cooldown_s": 0,
                    "event_id": "Banjir",
                    "event_en": "Flood",
                    "headline_id": "Muka air {value} {unit} di {station}",
                    "headline_en": "Water at {value} {unit} at {station}",
                },
            )
    finally:
        database.dispose()


@dataclass
class Readings:
    """The messages of the run's Datastreams, each stream's clock running on by itself."""

    stations: list[int]
    rule_stream: int
    clocks: dict[int, datetime] = field(default_factory=dict)
    turn: int = 0
    triggers: int = 0

    def __post_init__(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        self.clocks = {stream: now - timedelta(days=2) for stream in self.stations}
        self.clocks[self.rule_stream] = now - timedelta(hours=1)

    def _message(self, stream: int, value: float) -> bytes:
        self.clocks[stream] += timedelta(seconds=1)
        at = self.clocks[stream].strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {"Datastream": {"@iot.id": stream}, "phenomenonTime": at, "result": value}
        return json.dumps(body).encode()

    def trickle(self, count: int) -> list[bytes]:
        """``count`` readings, the stations taking turns."""
        lines = []
        for _ in range(count):
            stream = self.stations[self.turn % len(self.stations)]
            lines.append(self._message(stream, 150.0 + self.turn % 97))
            self.turn += 1
        return lines

    def burst(self, per_station: int) -> list[bytes]:
        """Every station's buffered readings at once (loggers back on the network)."""
        return [
            self._message(stream, 200.0 + (k * 7 + stream) % 90)
            for k in range(per_station)
            for stream in self.stations
        ]

    def trigger(self) -> tuple[bytes, str]:
        """The rule stream's next reading, alternately firing and clearing; the CAP message
        type the alert it causes carries."""
        self.triggers += 1
        firing = self.triggers % 2 == 1
        return self._message(self.rule_stream, FIRE if firing else CLEAR), (
            "Alert" if firing else "Cancel"
        )


class Publisher:
    """One ``mosquitto_pub -l`` fed line by line; remembers when each line was handed over."""

    def __init__(self, port: int, topic: str, prefix: list[str]) -> None:
        binary = shutil.which("mosquitto_pub")
        if binary is None:
            raise RuntimeError("mosquitto_pub is not installed (apt-get install mosquitto-clients)")
        argv = [*prefix, binary, "-h", HOST, "-p", str(port), "-q", "1", "-t", topic, "-l"]
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE)
        self.sent: list[float] = []  # time.time() of each line, in order
        self._lock = threading.Lock()

    def send(self, lines: list[bytes]) -> float:
        """Publish ``lines``; the time the first was handed over."""
        stdin: IO[bytes] | None = self.process.stdin
        assert stdin is not None  # noqa: S101 - narrowed for the type checker
        with self._lock:
            first = time.time()
            for line in lines:
                stdin.write(line + b"\n")
                stdin.flush()
                self.sent.append(time.time())
        return first

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def wait_for_worker(address: str, within: float = 180.0) -> None:
    """Until ``pontive worker`` reports its MQTT ingest connected on its metrics endpoint."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            url = f"http://{address}/metrics"
            with urllib.request.urlopen(url, timeout=2) as response:
                text = response.read().decode()
        except OSError:
            time.sleep(0.5)
            continue
        if "pontive_sensors_mqtt_connected 1.0" in text:
            return
        time.sleep(0.5)
    raise RuntimeError("the worker's MQTT ingest did not connect")


class CommitWatch:
    """Polls how many observations are committed past a starting id, every 20 ms."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.base = backend.last_id()
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), self.backend.count_after(self.base)))
            self._stop.wait(0.02)

    def wait_for(self, count: int, within: float) -> float | None:
        """When ``count`` rows were first seen committed (``None`` if not within ``within``)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = self.committed_at(count)
            if found is not None:
                return found
            time.sleep(0.05)
        return None

    def committed_at(self, count: int) -> float | None:
        for at, seen in list(self.samples):
            if seen >= count:
                return at
        return None

    def lags(self, sent: list[float]) -> list[float]:
        """Per message (in publication order, as the worker commits them): seconds from its
        publication to the first poll that saw it committed."""
        samples, lags, index = list(self.samples), [], 0
        for number, published in enumerate(sent, start=1):
            while index < len(samples) and samples[index][1] < number:
                index += 1
            if index == len(samples):
                break
            lags.append(samples[index][0] - published)
        return lags

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
