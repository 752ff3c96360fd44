"""The NATS JetStream event bus, for more than one process (``PONTIVE_BUS_URL=nats://…``).

Events are published with JetStream into the stream ``PONTIVE`` (subjects ``pontive.>``), so a
worker's durable consumer misses nothing across restarts; live relays (SSE) read them with a
core subscription. The client runs on its own thread and loop, so services (sync, in worker
threads), the CLI and async code all publish the same way.

A path in the URL names a namespace, so that several installations (staging and production,
or test runs) share one NATS cluster without hearing each other:
``nats://host:4222/staging`` uses the stream ``STAGING`` and subjects ``staging.>``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import re
import threading
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import nats
from nats.errors import Error as NatsError
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError

from pontive.core.events import Event, Subscription

log = logging.getLogger(__name__)

STREAM = "PONTIVE"
SUBJECT_PREFIX = "pontive."
_NAMESPACE = re.compile(r"[a-z0-9_-]{1,64}")
PUBLISH_TIMEOUT = 5.0
CONNECT_DEADLINE = 3.0
RETENTION = timedelta(days=7)
T = TypeVar("T")


async def _probe(url: str) -> None:
    parts = urlsplit(url)
    try:
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname or "127.0.0.1", parts.port or 4222),
            CONNECT_DEADLINE,
        )
    except (OSError, TimeoutError) as error:
        raise ConnectionError(f"NATS at {url} not reachable: {error}") from error
    writer.close()
    await writer.wait_closed()


async def _log_error(error: Exception) -> None:
    log.debug("NATS client error: %s", error)


async def _log_disconnect() -> None:
    log.warning("NATS disconnected; reconnecting")


async def _log_reconnect() -> None:
    log.info("NATS reconnected")


def _run_on(
    loop: asyncio.AbstractEventLoop | None, coro: Coroutine[Any, Any, T], timeout: float = 5.0
) -> T:
    """Run ``coro`` on the bus loop from any other thread; failures become ConnectionError."""
    if loop is None or loop.is_closed():
        coro.close()
        raise ConnectionError("NATS bus not started")
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    try:
        return future.result(timeout)
    except (NatsError, TimeoutError, OSError, concurrent.futures.CancelledError) as error:
        future.cancel()
        raise ConnectionError(f"NATS: {error or type(error).__name__}") from error


async def _cancel_pending() -> None:
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def split_namespace(url: str) -> tuple[str, str, str]:
    """The server URL without its path, the stream name and the subject prefix of ``url``."""
    parts = urlsplit(url)
    namespace = parts.path.strip("/")
    server = parts._replace(path="", query="", fragment="").geturl()
    if not namespace:
        return server, STREAM, SUBJECT_PREFIX
    if not _NAMESPACE.fullmatch(namespace):
        raise ValueError(f"NATS namespace {namespace!r}: use a-z, 0-9, '_' or '-' only")
    return server, namespace.upper().replace("-", "_"), namespace + "."


class NatsBus:
    """Bus backed by a NATS server with JetStream."""

    def __init__(self, url: str) -> None:
        self.url, self.stream, self.prefix = split_namespace(url)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._nc: Any = None
        self._js: Any = None
        self._lock = threading.Lock()
        self._subscriptions: dict[Subscription, Any] = {}

    def start(self) -> None:
        """Connect on a private loop thread and make sure the stream exists."""
        with self._lock:
            if self._loop is not None:
                return
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="nats-bus", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        try:
            self._run(self._connect())
        except ConnectionError:
            self.stop()
            raise

    async def _connect(self) -> None:
        # Once connected the client reconnects by itself for ever, but its first connection
        # would also retry for ever: probe the server first so that start() fails fast and
        # the caller decides when to try again.
        await _probe(self.url)
        self._nc = await nats.connect(
            self.url,
            connect_timeout=2,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            allow_reconnect=True,
            name="pontive",
            error_cb=_log_error,
            disconnected_cb=_log_disconnect,
            reconnected_cb=_log_reconnect,
        )
        self._js = self._nc.jetstream()
        config = StreamConfig(
            name=self.stream, subjects=[self.prefix + ">"], max_age=RETENTION.total_seconds()
        )
        try:
            existing = await self._js.stream_info(self.stream)
            # Keep what an operator set on the cluster (``nats stream edit --replicas 3``).
            config.num_replicas = existing.config.num_replicas
            await self._js.update_stream(config)
        except NotFoundError:
            await self._js.add_stream(config)

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = PUBLISH_TIMEOUT) -> T:
        return _run_on(self._loop, coro, timeout)

    def stop(self) -> None:
        """Close subscriptions and the connection, then the loop thread (idempotent)."""
        for subscription in list(self._subscriptions):
            subscription.close()
        with self._lock:
            loop, thread, nc = self._loop, self._thread, self._nc
            self._loop = self._thread = self._nc = self._js = None
        if loop is None:
            return
        if nc is not None:
            try:
                _run_on(loop, nc.drain())
            except ConnectionError:
                log.warning("NATS connection did not drain cleanly")
        with contextlib.suppress(ConnectionError):
            _run_on(loop, _cancel_pending())
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=5)
        loop.close()

    def publish(self, event: Event) -> None:
        """Publish durably; the message id lets JetStream drop a retried duplicate."""
        subject = self.prefix + event.type
        headers = {"Nats-Msg-Id": event.id}
        self._run(self._js_publish(subject, event.to_json(), headers))

    async def _js_publish(self, subject: str, payload: bytes, headers: dict[str, str]) -> None:
        if self._js is None:
            raise ConnectionError("NATS bus not connected")
        await self._js.publish(subject, payload, headers=headers, timeout=PUBLISH_TIMEOUT)

    def subscribe(self, pattern: str = ">") -> Subscription:
        """Subscribe (live, from now on) to events whose type matches ``pattern``."""
        subscription = Subscription(pattern, on_close=self._unsubscribe)

        async def on_message(msg: Any) -> None:
            try:
                subscription.deliver(Event.from_json(msg.data))
            except (ValueError, KeyError) as error:
                log.warning("malformed event on %s dropped: %s", msg.subject, error)

        async def open_subscription() -> Any:
            return await self._nc.subscribe(self.prefix + pattern, cb=on_message)

        self._subscriptions[subscription] = self._run(open_subscription())
        return subscription

    def _unsubscribe(self, subscription: Subscription) -> None:
        nats_sub = self._subscriptions.pop(subscription, None)
        if nats_sub is None or self._loop is None:
            return
        try:
            self._run(nats_sub.unsubscribe())
        except ConnectionError:
            log.debug("unsubscribe after disconnect")

    def is_ready(self) -> bool:
        """Connected and JetStream answering."""
        if self._nc is None or not self._nc.is_connected:
            return False
        try:
            self._run(self._js.stream_info(self.stream), timeout=2)
        except ConnectionError:
            return False
        return True
