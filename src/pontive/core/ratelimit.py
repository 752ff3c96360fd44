"""A small in-process sliding-window limiter for public write endpoints.

Per process: with several ``serve`` processes each allows its own quota, which is acceptable
for slowing down floods (new reports, camera enrolments); a shared limit belongs in the
reverse proxy.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


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
            hits = self._window(key, now)
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def _window(self, key: str, now: float) -> deque[float]:
        """``key``'s hits still inside the window (a new, empty one for a new key); call with
        the lock held."""
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self._max_keys:
                self._forget_idle(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _forget_idle(self, now: float) -> None:
        # Bounded memory under a flood of distinct addresses.
        idle = [
            key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window
        ]
        for key in idle:
            del self._hits[key]
        if len(self._hits) >= self._max_keys:
            self._hits.clear()
