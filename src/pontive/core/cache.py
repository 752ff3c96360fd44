"""Process-local caches for slow-changing data (reference lists, not user data).

Values are kept per database for ``ttl`` seconds and dropped at once when this process
changes the data; another process's change shows within ``ttl``. Keep only immutable values
(Pydantic models, tuples), never ORM objects bound to a session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TimedCache:
    """A named group of cached values with one time-to-live."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get_or_load(self, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value for ``key``, loading it when missing or stale."""
        now = time.monotonic()
        with self._lock:
            entry = self._values.get(key)
        if entry is not None and entry[0] > now:
            value: T = entry[1]
            return value
        value = load()
        with self._lock:
            self._values[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        """Forget everything (after a change made by this process)."""
        with self._lock:
            self._values.clear()
