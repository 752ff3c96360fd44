"""The event bus: typed events published after commit, relayed to subscribers.

Services call ``emit(session, event)``; the event is published only when the transaction
commits (and dropped on rollback, including the rollback of a savepoint it was emitted in), so
nobody hears of a change that did not happen. The bus is
``MemoryBus`` in one process (default) or ``NatsBus`` (``core/events_nats.py``) between
processes, chosen by ``PONTIVE_BUS_URL``. Both are safe to publish to from any thread and
deliver to each subscriber on the subscriber's own event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from pontive.core.choices import Classification
from pontive.core.timeutil import utcnow

log = logging.getLogger(__name__)

SESSION_BUS_KEY = "pontive_bus"
_PENDING_KEY = "pontive_pending_events"
SUBSCRIBER_QUEUE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, e.g. ``Event("complaint.created", {"id": 7})``."""

    type: str
    data: dict[str, Any]
    classification: Classification = Classification.PUBLIK
    pd_kode: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: datetime = field(default_factory=utcnow)

    def to_json(self) -> bytes:
        """The wire form used by every bus and the SSE stream."""
        return orjson.dumps(
            {
                "id": self.id,
                "type": self.type,
                "occurred_at": self.occurred_at.isoformat(),
                "classification": self.classification.value,
                "pd_kode": self.pd_kode,
                "data": self.data,
            }
        )

    @classmethod
    def from_json(cls, raw: bytes) -> Event:
        """Parse the wire form."""
        body = orjson.loads(raw)
        return cls(
            type=body["type"],
            data=body["data"],
            classification=Classification(body["classification"]),
            pd_kode=body.get("pd_kode"),
            id=body["id"],
            occurred_at=datetime.fromisoformat(body["occurred_at"]),
        )


def matches(pattern: str, event_type: str) -> bool:
    """NATS-style match on dot-separated types: ``*`` one token, ``>`` the rest."""
    if pattern in (">", "*.>"):
        return True
    want, have = pattern.split("."), event_type.split(".")
    for index, part in enumerate(want):
        if part == ">":
            return len(have) > index
        if index >= len(have) or (part != "*" and part != have[index]):
            return False
    return len(want) == len(have)


class Subscription:
    """An async iterator of events delivered onto the subscriber's loop."""

    def __init__(self, pattern: str, on_close: Any = None) -> None:
        self.pattern = pattern
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self.dropped = 0
        self._on_close = on_close
        self.closed = False

    def deliver(self, event: Event) -> None:
        """Hand an event over from any thread; a full queue drops its oldest event."""
        if not self.closed:
            self.loop.call_soon_threadsafe(self._put, event)

    def _put(self, event: Event | None) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)

    def close(self) -> None:
        """End the iteration (from any thread)."""
        if self.closed:
            return
        self.closed = True
        if self._on_close is not None:
            self._on_close(self)
        try:
            self.loop.call_soon_threadsafe(self._put, None)
        except RuntimeError:  # the subscriber's loop is already closed
            log.debug("subscription loop closed before the end marker")

    async def get(self, within: float | None = None) -> Event | None:
        """The next event, or ``None`` when ``within`` seconds pass first or on close."""
        try:
            return await asyncio.wait_for(self.queue.get(), within)
        except TimeoutError:
            return None

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while (item := await self.queue.get()) is not None:
            yield item


class FanIn:
    """Several subscriptions read as one (``/api/v1/events/stream?types=a.>,b.c``)."""

    def __init__(self, subscriptions: list[Subscription]) -> None:
        self.subscriptions = subscriptions
        self.queue: asyncio.Queue[Event] = asyncio.Queue(SUBSCRIBER_QUEUE_SIZE)
        self._pumps = [asyncio.ensure_future(self._pump(s)) for s in subscriptions]

    async def _pump(self, subscription: Subscription) -> None:
        async for event in subscription:
            if self.queue.full():
                self.queue.get_nowait()
            self.queue.put_nowait(event)

    @property
    def closed(self) -> bool:
        """Whether the bus ended any of the subscriptions (the stream should end)."""
        return any(subscription.closed for subscription in self.subscriptions)

    async def get(self, within: float | None = None) -> Event | None:
        """The next event of any subscription, or ``None`` when ``within`` passes first."""
        try:
            return await asyncio.wait_for(self.queue.get(), within)
        except TimeoutError:
            return None

    def close(self) -> None:
        """End every subscription."""
        for subscription in self.subscriptions:
            subscription.close()
        for pump in self._pumps:
            pump.cancel()


class EventBus(Protocol):
    """What every bus implementation offers."""

    url: str

    def start(self) -> None:
        """Connect (idempotent)."""

    def stop(self) -> None:
        """Disconnect and end every subscription."""

    def publish(self, event: Event) -> None:
        """Publish from any thread; raises when a durable bus cannot accept it."""

    def subscribe(self, pattern: str = ">") -> Subscription:
        """A new subscription on the calling coroutine's loop."""

    def is_ready(self) -> bool:
        """Whether the bus can accept events now (for ``/readyz``)."""


class MemoryBus:
    """In-process bus: fan-out to subscriptions in this process only."""

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._subscriptions: set[Subscription] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Nothing to connect."""

    def stop(self) -> None:
        """End every subscription."""
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            subscription.close()

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to every matching subscription."""
        with self._lock:
            targets = [s for s in self._subscriptions if matches(s.pattern, event.type)]
        for subscription in targets:
            subscription.deliver(event)

    def subscribe(self, pattern: str = ">") -> Subscription:
        """Subscribe to events whose type matches ``pattern``."""
        subscription = Subscription(pattern, on_close=self._forget)
        with self._lock:
            self._subscriptions.add(subscription)
        return subscription

    def _forget(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def is_ready(self) -> bool:
        """Always ready."""
        return True


def create_bus(url: str) -> EventBus:
    """The bus named by ``PONTIVE_BUS_URL``."""
    if url.startswith("memory://"):
        return MemoryBus(url)
    from pontive.core.events_nats import NatsBus  # imported only when configured

    return NatsBus(url)


def emit(session: Session, event: Event) -> None:
    """Queue ``event`` to be published when ``session`` commits."""
    entry = (session.get_nested_transaction(), event)
    session.info.setdefault(_PENDING_KEY, []).append(entry)


def is_outermost_commit(session: Session) -> bool:
    """Whether an ``after_commit`` is the real commit: SQLAlchemy also fires it when a
    savepoint is released, and what a savepoint holds is not committed yet."""
    return session.get_nested_transaction() is None


@sa_event.listens_for(Session, "after_commit")
def _publish_pending(session: Session) -> None:
    if not is_outermost_commit(session):
        return
    pending: list[tuple[SessionTransaction | None, Event]] = session.info.pop(_PENDING_KEY, [])
    bus: EventBus | None = session.info.get(SESSION_BUS_KEY)
    if bus is None:
        if pending:
            log.warning("no bus attached to session; %d events not published", len(pending))
        return
    for _savepoint, item in pending:
        try:
            bus.publish(item)
        except ConnectionError:
            # The change is committed; losing the notification must not undo it.
            log.exception("event %s (%s) not published", item.id, item.type)


def within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    """Whether ``transaction`` is ``ended`` or nested inside it (what a rollback undid)."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    # Fired for every rollback, a savepoint's too (``after_rollback`` cannot tell them apart).
    pending = session.info.get(_PENDING_KEY)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(_PENDING_KEY, None)
        return
    kept = [entry for entry in pending if not within(entry[0], previous_transaction)]
    session.info[_PENDING_KEY] = kept
