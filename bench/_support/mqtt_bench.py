"""MQTT pieces of ``bench/ingest.py``: a private Mosquitto, a publisher, the bare subscriber.

As a module: :class:`Broker` runs ``mosquitto`` with Pontive's shipped configuration
(``deploy/mosquitto/pontive.conf``: no queue limit, so a backlog is never dropped) on a free
port; :func:`publish` publishes observation messages at QoS 1 with ``mosquitto_pub -l``;
:class:`Relay` stands between subscribers and the broker and can hold the broker back.

As a script, the bare subscriber — the baseline: ``python mqtt_bench.py --port P --count N``
connects with paho-mqtt 2.x and MQTT 5 like the worker (Receive Maximum 65535), subscribes at
QoS 1 to the worker's topic filters and counts messages with paho's automatic
acknowledgement, nothing else. It prints ``{"ready": t}`` once subscribed, then ``{"last": t}``
at the N-th message (``time.time()``). ``--prefix bare/`` subscribes to ``bare/v1.1/…``
instead, so that a worker connected to the same broker does not receive its messages.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
BROKER_CONFIG = ROOT / "deploy" / "mosquitto" / "pontive.conf"
TOPIC_FILTERS = ("v1.1/+/Observations", "v1.1/Observations")  # as sensors/mqtt.py
HOST = "127.0.0.1"


def wait_for_port(port: int, name: str, seconds: float = 10.0) -> None:
    """Return once ``name`` accepts connections on ``HOST:port``; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not start on port {port}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Broker:
    """``mosquitto`` with ``pontive.conf``, a listener on a free port, pinned by ``prefix``."""

    folder: Path
    prefix: list[str]
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{HOST}:{self.port}"

    def start(self) -> None:
        binary = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin")
        if binary is None:
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "mosquitto.conf"
        config.write_text(
            f"listener {self.port} {HOST}\nallow_anonymous true\nuser {getpass.getuser()}\n"
            f"persistence false\nlog_dest file {self.folder}/mosquitto.log\n"
            + BROKER_CONFIG.read_text()
        )
        self.process = subprocess.Popen(
            [*self.prefix, binary, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, "mosquitto")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)


def publish(port: int, topic: str, lines: Sequence[bytes], prefix: list[str], folder: Path) -> None:
    """Publish each line as one message at QoS 1 with ``mosquitto_pub -l`` (C: tens of
    thousands of messages a second here, faster than any Python subscriber reads them)."""
    binary = shutil.which("mosquitto_pub")
    if binary is None:
        raise RuntimeError("mosquitto_pub is not installed (apt-get install mosquitto-clients)")
    path = folder / "publish.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    argv = [*prefix, binary, "-h", HOST, "-p", str(port), "-q", "1", "-t", topic, "-l"]
    with path.open("rb") as source:
        subprocess.run(argv, stdin=source, check=True, timeout=600)


class Relay:
    """A TCP relay between subscribers and the broker that can hold back the broker's side.

    While paused, nothing from the broker reaches the subscriber (what the subscriber sends,
    acknowledgements and pings, still goes through), so a backlog can be published to a
    subscriber that is connected and warm, then released at once: what is measured is the
    subscriber draining it, not its start-up nor the publisher's speed.
    """

    def __init__(self, broker_port: int) -> None:
        self.broker_port = broker_port
        self.port = _free_port()
        self._loop = asyncio.new_event_loop()
        self._open = asyncio.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="relay", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("relay did not start")

    def pause(self) -> None:
        self._loop.call_soon_threadsafe(self._open.clear)

    def resume(self) -> None:
        self._loop.call_soon_threadsafe(self._open.set)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._open.set()
        server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, HOST, self.port)
        )
        self._ready.set()
        with contextlib.suppress(RuntimeError):  # stopped with the process
            self._loop.run_until_complete(server.serve_forever())

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            broker_reader, broker_writer = await asyncio.open_connection(HOST, self.broker_port)
        except OSError:  # the broker has stopped: the subscriber finds the door closed
            client_writer.close()
            return
        await asyncio.gather(
            self._pump(client_reader, broker_writer, gated=False),
            self._pump(broker_reader, client_writer, gated=True),
            return_exceptions=True,
        )

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, gated: bool
    ) -> None:
        try:
            while True:
                if gated:
                    await self._open.wait()
                data = await reader.read(262_144)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()


# --- the bare subscriber (run as a script) -------------------------------------------------


def _bare(port: int, count: int, prefix: str) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties
    from paho.mqtt.subscribeoptions import SubscribeOptions

    received = 0
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)

    def on_connect(c: Any, _u: Any, _f: Any, _r: Any, _p: Any) -> None:
        options = SubscribeOptions(qos=1, retainHandling=SubscribeOptions.RETAIN_DO_NOT_SEND)
        c.subscribe([(prefix + topic, options) for topic in TOPIC_FILTERS])

    def on_subscribe(*_: Any) -> None:
        sys.stdout.write(json.dumps({"ready": time.time()}) + "\n")
        sys.stdout.flush()

    def on_message(c: Any, _u: Any, _m: Any) -> None:
        nonlocal received
        received += 1
        if received == count:
            sys.stdout.write(json.dumps({"last": time.time()}) + "\n")
            c.disconnect()

    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    properties = Properties(PacketTypes.CONNECT)
    properties.ReceiveMaximum = 65535
    client.connect(HOST, port, properties=properties)
    client.loop_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description="Bare MQTT subscriber that only counts.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--prefix", default="", help="put before the worker's topic filters")
    args = parser.parse_args()
    _bare(args.port, args.count, args.prefix)


if __name__ == "__main__":
    main()
