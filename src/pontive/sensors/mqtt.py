"""MQTT ingest (SensorThings A.7) run by ``pontive worker`` when ``PONTIVE_MQTT_URL`` is set.

The worker keeps one persistent MQTT 5 session (clean start off, session expiry 7 days,
client id ``PONTIVE_MQTT_CLIENT_ID``) subscribed at QoS 1 to ``v1.1/+/Observations``
(``Datastreams(<id>)`` and ``FeaturesOfInterest(<id>)``) and ``v1.1/Observations``, with
"no local" so that the A.8 updates it publishes itself on the same connection do not come
back, and retained messages never replayed on subscribe.

Acknowledgements are manual. paho's network thread only queues each message; this service's
thread takes batches (``PONTIVE_MQTT_BATCH_SIZE`` messages or ``PONTIVE_MQTT_BATCH_MS``),
stores each batch in one transaction (``mqtt_batch``) and acknowledges its messages — stored,
dead-lettered or ignored alike, in the order received — only after the commit. So a crash or
``kill -9`` loses nothing the broker delivered: unacknowledged messages are delivered again
when the session resumes, and those already committed are recognised and skipped
(``ingest_dedupe``). When the database is unavailable the batch is retried with back-off and
nothing is acknowledged; the broker stops sending once ``ReceiveMaximum`` (four batches)
messages are unacknowledged. A batch the database refuses is split until the one message it
refuses is found and kept as a dead letter. The MQTT side reconnects by itself (1 to 30 s
back-off); messages of a connection that dropped are left to the broker's redelivery.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from paho.mqtt.subscribeoptions import SubscribeOptions
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import EventBus
from pontive.core.worker import Service
from pontive.sensors import ingest
from pontive.sensors import mqtt_metrics as metrics
from pontive.sensors.ingest_publish import sta_root
from pontive.sensors.mqtt_batch import BatchResult, BatchWriter, Decoded, Received, decode
from pontive.sensors.mqtt_client import (
    KEEPALIVE_SECONDS,
    FrameClient,
    broker_address,
    configure,
    connect_properties,
)
from pontive.sensors.mqtt_wire import RawPublish
from pontive.settings import Settings

log = logging.getLogger(__name__)

TOPIC_FILTERS = ("v1.1/+/Observations", "v1.1/Observations")
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600
RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 30.0
_TRANSIENT = (OperationalError, InterfaceError, PoolTimeout)
# A batch refused for one message: split it until that message is found.
_REFUSED = (SQLAlchemyError, DomainError, ValueError, TypeError, ArithmeticError, LookupError)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How the ingest service connects and batches (from the settings)."""

    url: str
    client_id: str
    sta_root: str  # absolute SensorThings root for the A.8 documents' links
    shared_group: str = ""
    batch_size: int = 2000
    batch_seconds: float = 0.05
    session_expiry: int = SESSION_EXPIRY_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestOptions:
        """The options ``PONTIVE_MQTT_*`` describe."""
        return cls(
            url=settings.mqtt_url,
            client_id=settings.mqtt_client_id,
            sta_root=sta_root(settings.base_url),
            shared_group=settings.mqtt_shared_group,
            batch_size=settings.mqtt_batch_size,
            batch_seconds=settings.mqtt_batch_ms / 1000,
        )

    def subscriptions(self) -> list[tuple[str, SubscribeOptions]]:
        """Topic filters with QoS 1; "no local" unless shared (MQTT 5 3.8.3.1 forbids it)."""
        prefix = f"$share/{self.shared_group}/" if self.shared_group else ""
        options = SubscribeOptions(
            qos=1,
            noLocal=not self.shared_group,
            retainHandling=SubscribeOptions.RETAIN_DO_NOT_SEND,
        )
        return [(prefix + topic, options) for topic in TOPIC_FILTERS]


def is_transient(error: BaseException) -> bool:
    """Whether a database error means "try again later" rather than "this batch is bad"."""
    if isinstance(error, _TRANSIENT):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class MqttIngest:
    """One worker's MQTT ingest: a paho network thread feeding this service's thread."""

    def __init__(self, *, database: Database, bus: EventBus, options: IngestOptions) -> None:
        self.options = options
        self.writer = BatchWriter(database, bus)
        self.client = FrameClient(
            options.client_id, manual_ack=True, on_raw_publish=self._on_raw_publish
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self._queue: deque[Received] = deque()
        self._wake = threading.Event()
        self._generation = 0
        self._subscribed = threading.Event()

    # --- the service thread ----------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Connect, then store batches until ``stop`` is set; then drain and disconnect."""
        address = broker_address(self.options.url)
        configure(self.client, address)
        properties = connect_properties(
            session_expiry=self.options.session_expiry,
            receive_maximum=4 * self.options.batch_size,
        )
        self.client.connect_async(
            address.host, address.port, KEEPALIVE_SECONDS, clean_start=False, properties=properties
        )
        self.client.loop_start()
        ingest.set_publisher(self)
        try:
            while not stop.is_set():
                batch = self._collect(stop)
                if batch:
                    self._handle(batch, stop)
            self._handle(self._take(len(self._queue)), stop)  # what already arrived
        finally:
            if ingest.get_publisher() is self:
                ingest.set_publisher(None)
            self.client.disconnect()
            self.client.loop_stop()

    def wait_subscribed(self, timeout: float) -> bool:
        """Whether the subscriptions are in place within ``timeout`` seconds (tests, tools)."""
        return self._subscribed.wait(timeout)

    def _take(self, count: int) -> list[Received]:
        taken: list[Received] = []
        generation = self._generation
        while len(taken) < count and self._queue:
            message = self._queue.popleft()
            if message.generation == generation:  # older: the broker sends it again
                taken.append(message)
        return taken

    def _collect(self, stop: threading.Event) -> list[Received]:
        """Up to ``batch_size`` messages, waiting at most ``batch_seconds`` for a full batch."""
        if not self._queue:
            self._wake.wait(0.5)
            self._wake.clear()
            if not self._queue:
                return []
        deadline = time.monotonic() + self.options.batch_seconds
        while len(self._queue) < self.options.batch_size and not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._wake.wait(remaining)
            self._wake.clear()
        return self._take(self.options.batch_size)

    def _handle(self, batch: Sequence[Received], stop: threading.Event) -> None:
        if not batch:
            return
        started = time.monotonic()
        metrics.RECEIVED.inc(len(batch))
        entries = [decode(message) for message in batch]
        result = BatchResult()
        if not self._store(entries, stop, result):
            return  # stopping while the database is away: nothing acknowledged
        self._acknowledge(batch)
        now = time.time()
        metrics.BATCHES.inc()
        metrics.BATCH_SECONDS.observe(time.monotonic() - started)
        metrics.LAG_SECONDS.set(now - min(message.received_at for message in batch))
        metrics.PENDING.set(len(self._queue))
        _count(result)

    def _store(self, entries: Sequence[Decoded], stop: threading.Event, total: BatchResult) -> bool:
        """Commit ``entries`` (split on refusal); ``False`` if stopped before it could."""
        delay = RETRY_FIRST_SECONDS
        while True:
            try:
                _add(total, self.writer.write(entries))
            except _REFUSED as error:
                if is_transient(error):
                    log.warning("database unavailable (%s); retry in %.1f s", error, delay)
                    metrics.DATABASE_RETRIES.inc()
                    if stop.wait(delay):
                        return False
                    delay = min(delay * 2, RETRY_MAX_SECONDS)
                    continue
                return self._split(entries, error, stop, total)
            return True

    def _split(
        self,
        entries: Sequence[Decoded],
        error: Exception,
        stop: threading.Event,
        total: BatchResult,
    ) -> bool:
        if len(entries) > 1:
            half = len(entries) // 2
            return self._store(entries[:half], stop, total) and self._store(
                entries[half:], stop, total
            )
        message = entries[0].message
        log.error("message on %s could not be stored: %r", message.topic, error)
        while True:
            try:
                _add(total, self.writer.write_failure(entries[0], error))
            except _REFUSED as failure:
                if is_transient(failure):
                    if stop.wait(RETRY_FIRST_SECONDS):
                        return False
                    continue
                # Not even a dead letter can be written: the payload stays in the log only.
                log.exception("message on %s dropped: %r", message.topic, message.payload[:2000])
            return True

    def _acknowledge(self, batch: Sequence[Received]) -> None:
        generation = self._generation
        # QoS 0 messages (mid 0) have no acknowledgement: a PUBACK of 0 is a protocol error.
        mids = [m.mid for m in batch if m.mid and m.generation == generation]
        if mids and not self.client.ack_many(mids):
            log.info("connection lost before %d acknowledgements; the broker resends", len(mids))

    # --- Publisher (A.8 updates of what this worker stored, on the ingest connection) ------

    @property
    def sta_root(self) -> str:
        """The SensorThings root the A.8 documents link to."""
        return self.options.sta_root

    def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """Publish at QoS 0 on this connection ("no local" keeps them from coming back)."""
        self.client.publish_many(messages)

    # --- paho callbacks (network thread) ---------------------------------------------------

    def _on_connect(
        self, client: Any, _userdata: Any, flags: Any, reason: Any, _properties: Any
    ) -> None:
        if reason.is_failure:
            log.error("MQTT broker refused the connection: %s", reason)
            return
        self._generation += 1
        if not flags.session_present:
            log.warning("MQTT session %s is new: no earlier messages kept", self.options.client_id)
        client.subscribe(self.options.subscriptions())
        metrics.CONNECTIONS.inc()
        metrics.CONNECTED.set(1)
        metrics.CONNECTED_SINCE.set_to_current_time()
        self._subscribed.set()
        log.info("MQTT ingest connected", extra={"client_id": self.options.client_id})

    def _on_disconnect(
        self, _client: Any, _userdata: Any, _flags: Any, reason: Any, _properties: Any
    ) -> None:
        self._generation += 1  # what is queued will come again with the session
        self._subscribed.clear()
        metrics.CONNECTED.set(0)
        metrics.CONNECTED_SINCE.set(0)
        log.warning("MQTT ingest disconnected: %s", reason)

    def _on_raw_publish(self, message: RawPublish) -> None:
        """A plain PUBLISH, read by ``FrameClient`` itself (most messages)."""
        self._queue.append(
            Received(
                message.topic,
                message.payload,
                message.mid,
                message.dup,
                self._generation,
                time.time(),
            )
        )
        self._wake_if_due()

    def _on_message(self, _client: Any, _userdata: Any, message: Any) -> None:
        """A PUBLISH paho decoded (one with properties, say)."""
        self._queue.append(
            Received(
                message.topic,
                message.payload,
                message.mid,
                bool(message.dup),
                self._generation,
                time.time(),
            )
        )
        self._wake_if_due()

    def _wake_if_due(self) -> None:
        # The service thread waits for a first message, then for a full batch; the queue
        # grows past a batch while it stores one, and it looks before waiting again.
        size = len(self._queue)
        if size == 1 or size == self.options.batch_size:
            self._wake.set()


def _add(total: BatchResult, part: BatchResult) -> None:
    total.stored += part.stored
    total.redelivered += part.redelivered
    total.ignored += part.ignored
    for kind, count in part.dead.items():
        total.dead[kind] = total.dead.get(kind, 0) + count


def _count(result: BatchResult) -> None:
    metrics.STORED.inc(result.stored)
    metrics.REDELIVERED.inc(result.redelivered)
    metrics.IGNORED.inc(result.ignored)
    for kind, count in result.dead.items():
        metrics.DEAD_LETTERS.labels(kind).inc(count)


def run_mqtt_ingest(
    stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """The ``sensors.mqtt_ingest`` service: MQTT ingest until ``stop`` is set."""
    MqttIngest(database=database, bus=bus, options=IngestOptions.from_settings(settings)).run(stop)


MQTT_INGEST = Service(
    "sensors.mqtt_ingest",
    run_mqtt_ingest,
    is_enabled=lambda settings: bool(settings.mqtt_url),
    # Without a shared subscription every worker would get every message (or, with the same
    # client id, take the session from the other): one worker ingests, the others stand by.
    singleton=lambda settings: not settings.mqtt_shared_group,
)
