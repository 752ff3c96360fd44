"""What a ``pontive serve`` process starts and stops for the alerts domain.

With the embedded in-memory bus (``PONTIVE_BUS_URL=memory://``) a worker cannot hear what a
web process stores, so each web process runs the rule evaluator and the distribution loop on
its own bus (in threads). With NATS the worker runs them (``jobs.SERVICES``) and web
processes only serve pages, feeds and the event stream.
"""

from __future__ import annotations

from dataclasses import dataclass

from pontive.alerts import distribute, evaluator, service
from pontive.core.db import Database
from pontive.core.events import EventBus, MemoryBus
from pontive.settings import Settings


@dataclass(frozen=True, slots=True)
class Running:
    """The loops one web process started."""

    evaluator: evaluator.InProcessEvaluator
    distribution: distribute.InProcess


def start(settings: Settings, database: Database, bus: EventBus) -> Running | None:
    """Sign this process's CAP messages with the configured sender; start the evaluator and
    the distribution here when the bus is in-memory."""
    service.configure(settings)
    if not isinstance(bus, MemoryBus):
        return None
    return Running(
        evaluator.start_in_process(database, bus),
        distribute.start_in_process(database, bus, settings),
    )


def stop(handle: Running | None) -> None:
    """Stop what ``start`` started."""
    if handle is None:
        return
    evaluator.stop(handle.evaluator)
    distribute.stop(handle.distribution)
