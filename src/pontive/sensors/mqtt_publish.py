"""A.8 updates from a process that stores observations but runs no MQTT ingest (``serve``).

Observations created over HTTP (POST, CreateObservations) are published, after commit, by
the process that stored them: each ``pontive serve`` process keeps one MQTT connection of
its own (clean session, QoS 0, client id ``pontive-a8-<host>-<pid>``), made in the
background and re-made by paho when it drops. While it is down, updates are dropped, never
queued against the request: A.8 is a live feed, the database is the record. The worker
publishes what it ingests on its own ingest connection instead (``mqtt.MqttIngest``).

The worker's subscriptions see these messages too (same topics, other connection) and
ignore them for their ``@iot.id``; each costs the worker one receive (docs/sensors.md).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence

from pontive.sensors import ingest
from pontive.sensors.ingest_publish import sta_root
from pontive.sensors.mqtt_client import (
    KEEPALIVE_SECONDS,
    FrameClient,
    broker_address,
    configure,
)
from pontive.settings import Settings

log = logging.getLogger(__name__)


class MqttPublisher:
    """One process's connection for A.8 updates (``ingest.Publisher``)."""

    def __init__(self, *, url: str, sta_root: str, client_id: str | None = None) -> None:
        self.address = broker_address(url)
        self._root = sta_root
        name = client_id or f"pontive-a8-{socket.gethostname()}-{os.getpid()}"
        self.client = FrameClient(name)
        configure(self.client, self.address)
        self.dropped = 0

    @property
    def sta_root(self) -> str:
        """The SensorThings root the A.8 documents link to."""
        return self._root

    def start(self) -> None:
        """Connect in the background (paho's thread retries until the broker answers)."""
        self.client.connect_async(
            self.address.host, self.address.port, KEEPALIVE_SECONDS, clean_start=True
        )
        self.client.loop_start()

    def stop(self) -> None:
        """Disconnect and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()

    def is_connected(self) -> bool:
        """Whether updates are being sent now."""
        return self.client.is_connected()

    def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """Queue ``messages`` at QoS 0; while disconnected they are dropped and counted."""
        sent = self.client.publish_many(messages)
        if sent < len(messages):
            self.dropped += len(messages) - sent
            log.debug("%d A.8 updates dropped (broker unreachable)", len(messages) - sent)


def start_publisher(settings: Settings) -> MqttPublisher | None:
    """Start this process's A.8 publisher when a broker is configured; register it."""
    if not settings.mqtt_url:
        return None
    publisher = MqttPublisher(url=settings.mqtt_url, sta_root=sta_root(settings.base_url))
    publisher.start()
    ingest.set_publisher(publisher)
    return publisher


def stop_publisher(publisher: MqttPublisher | None) -> None:
    """Unregister and stop a publisher made by :func:`start_publisher`."""
    if publisher is None:
        return
    if ingest.get_publisher() is publisher:
        ingest.set_publisher(None)
    publisher.stop()
