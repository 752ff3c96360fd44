"""Running the rules: a bus listener that evaluates each event, and the periodic jobs.

The listener subscribes to ``sensors.>``, ``complaint.created`` and
``alerts.incoming.received`` and evaluates each relevant event in its own write transaction,
one at a time (rule states are per subject, so serial evaluation needs no locking). A bad
event is logged, counted and skipped; the listener lives on (STYLE.md, habit 8).

``pontive worker`` runs it as the service ``alerts.evaluator``. With the in-memory bus
(``memory://``) a worker cannot hear what a web process publishes, so each web process runs
the same loop in a thread (``start_in_process`` / ``stop``, called by ``alerts/lifecycle.py``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass

from prometheus_client import Counter
from sqlalchemy.exc import SQLAlchemyError

from pontive.alerts import rules, service
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus, Subscription
from pontive.core.worker import Job, JobContext, Service
from pontive.settings import Settings

log = logging.getLogger(__name__)

PATTERNS = ("sensors.>", "complaint.created", "alerts.incoming.received")
POLL_SECONDS = 0.5  # how often the loop looks at its stop flag when no event arrives
RESTART_SECONDS = 5.0

EVALUATED = Counter(
    "pontive_alerts_events_evaluated", "Events evaluated against the alert rules", ["type"]
)
FAILED = Counter(
    "pontive_alerts_events_failed", "Events whose evaluation failed and was skipped", ["type"]
)
ALERTS_CHANGED = Counter(
    "pontive_alerts_rule_messages", "Alert messages opened or changed by the rules engine"
)


def handle_event(database: Database, bus: EventBus, event: Event) -> list[int]:
    """Evaluate one event in its own transaction; the ids of the messages it touched (a
    failure is logged and counted, never raised)."""
    if event.type not in rules.HANDLED_EVENTS:
        return []
    with database.session(write=False) as reader:
        if not rules.concerns(reader, event):
            EVALUATED.labels(event.type).inc()
            return []
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = bus
        try:
            changed = rules.evaluate(session, event)
            ids = [alert.id for alert in changed]
            session.commit()
        except (SQLAlchemyError, DomainError, KeyError, TypeError, ValueError):
            session.rollback()
            FAILED.labels(event.type).inc()
            log.exception("alert rules failed on event %s (%s); skipped", event.id, event.type)
            return []
    EVALUATED.labels(event.type).inc()
    ALERTS_CHANGED.inc(len(ids))
    return ids


async def _pump(subscription: Subscription, queue: asyncio.Queue[Event]) -> None:
    async for event in subscription:
        if event.type in rules.HANDLED_EVENTS:
            await queue.put(event)


async def consume(
    stop: threading.Event,
    database: Database,
    bus: EventBus,
    *,
    ready: threading.Event | None = None,
) -> None:
    """Evaluate events from ``bus`` one by one until ``stop`` is set (``ready`` is set once
    the subscriptions exist, so a caller knows no later event is missed)."""
    queue: asyncio.Queue[Event] = asyncio.Queue()
    subscriptions = [bus.subscribe(pattern) for pattern in PATTERNS]
    pumps = [asyncio.create_task(_pump(sub, queue)) for sub in subscriptions]
    if ready is not None:
        ready.set()
    try:
        while not stop.is_set():
            try:
                event = await asyncio.wait_for(queue.get(), POLL_SECONDS)
            except TimeoutError:
                continue
            await asyncio.to_thread(handle_event, database, bus, event)
    finally:
        for subscription in subscriptions:
            subscription.close()
        await asyncio.gather(*pumps, return_exceptions=True)


def run(stop: threading.Event, database: Database, bus: EventBus, settings: Settings) -> None:
    """The worker service: listen and evaluate until ``stop`` is set."""
    service.configure(settings)
    asyncio.run(consume(stop, database, bus))


# Every worker hears every event; rule states assume serial evaluation: one worker at a time.
EVALUATOR = Service("alerts.evaluator", run, singleton=lambda _settings: True)
SERVICES: tuple[Service, ...] = (EVALUATOR,)


@dataclass(frozen=True, slots=True)
class InProcessEvaluator:
    """The handle of an evaluator thread inside a web process."""

    thread: threading.Thread
    stop_event: threading.Event


def _run_in_thread(
    stop_event: threading.Event, ready: threading.Event, database: Database, bus: EventBus
) -> None:
    while not stop_event.is_set():
        try:
            asyncio.run(consume(stop_event, database, bus, ready=ready))
        except Exception:  # the thread's supervisor: logged with its traceback, restarted
            log.exception("in-process alert evaluator failed; restarting")
            stop_event.wait(RESTART_SECONDS)


def start_in_process(database: Database, bus: EventBus) -> InProcessEvaluator:
    """Run the evaluator in a daemon thread of this process (in-memory bus); returns once
    it listens."""
    stop_event, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=_run_in_thread,
        args=(stop_event, ready, database, bus),
        name="alerts-evaluator",
        daemon=True,
    )
    thread.start()
    if not ready.wait(timeout=10):
        log.warning("in-process alert evaluator not listening after 10 s")
    return InProcessEvaluator(thread, stop_event)


def stop(handle: InProcessEvaluator | None) -> None:
    """Stop what ``start_in_process`` started and wait for it."""
    if handle is None:
        return
    handle.stop_event.set()
    handle.thread.join(timeout=10)


def expire_alerts(context: JobContext) -> None:
    """Job: published messages past their expiry become expired."""
    expired = service.expire_due(context.session)
    if expired:
        log.info("alerts expired", extra={"identifiers": [a.identifier for a in expired]})


def check_rules(context: JobContext) -> None:
    """Job: silent stations and report spikes whose window has passed."""
    changed = rules.check_periodic(context.session)
    ALERTS_CHANGED.inc(len(changed))


JOBS: tuple[Job, ...] = (
    Job("alerts.expire", 60.0, expire_alerts),
    Job("alerts.rules_periodic", 60.0, check_rules),
)
