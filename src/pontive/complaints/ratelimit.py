"""A small in-process sliding-window limiter for public write endpoints (new reports).

Per process: with several ``serve`` processes each allows its own quota, which is acceptable
for slowing down floods of reports; a shared limit belongs in the reverse proxy.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role

# Stated on the form: shared mobile addresses (CGNAT) need headroom.
REPORTS_PER_WINDOW = 10
WINDOW_MINUTES = 10


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any ``window`` seconds."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Count one attempt for ``key``; ``False`` when the quota is already used up."""
        now = self._clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self._max_keys:
                    self._forget_idle(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def _forget_idle(self, now: float) -> None:
        # Bounded memory under a flood of distinct addresses.
        idle = [
            key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window
        ]
        for key in idle:
            del self._hits[key]
        if len(self._hits) >= self._max_keys:
            self._hits.clear()


def report_limiter(app_state: Any) -> SlidingWindowLimiter:
    """The app's one limiter of new reports per client address (form and native API)."""
    limiter: SlidingWindowLimiter | None = getattr(app_state, "complaint_report_limiter", None)
    if limiter is None:
        limiter = SlidingWindowLimiter(REPORTS_PER_WINDOW, WINDOW_MINUTES * 60)
        app_state.complaint_report_limiter = limiter
    return limiter


def is_rate_limited_reporter(actor: Actor) -> bool:
    """Anonymous people and citizens are limited; staff and API keys (revocable) are not."""
    if actor.kind is ActorKind.ANONYMOUS:
        return True
    return actor.kind is ActorKind.USER and actor.role in (None, Role.WARGA)
