"""Capturing what a piece of code announces on a ``MemoryBus``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from pontive.core.events import Event, MemoryBus

QUIET_SECONDS = 0.3  # no further event for this long: the capture is complete


def outcome_and_events(
    bus: MemoryBus, pattern: str, action: Callable[[], Any]
) -> tuple[Any, list[Event]]:
    """Run ``action`` (which commits) and return its result and the events matching
    ``pattern`` it published."""

    async def run() -> tuple[Any, list[Event]]:
        subscription = bus.subscribe(pattern)
        outcome = action()
        events = []
        while (event := await subscription.get(within=QUIET_SECONDS)) is not None:
            events.append(event)
        subscription.close()
        return outcome, events

    return asyncio.run(run())


def collect_events(
    bus: MemoryBus, session: Session, pattern: str, action: Callable[[], Any]
) -> list[Event]:
    """Run ``action``, commit ``session``, and return the events matching ``pattern``."""

    def act_and_commit() -> None:
        action()
        session.commit()

    return outcome_and_events(bus, pattern, act_and_commit)[1]
