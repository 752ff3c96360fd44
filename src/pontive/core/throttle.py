"""A per-client-address throttle of failed sign-ins, beside the per-account lock-out.

The account lock-out (``core/auth.py``) stops guessing one account's password; it does not
stop one address trying a few passwords on many accounts. This counts *failures* per address
in a sliding window: once ``limit`` failures are counted, the address is refused (HTTP 429
with ``Retry-After``) until the oldest failure leaves the window. Successful sign-ins are not
counted, so an office behind one NAT address signing in all morning is never slowed.

Per process, like ``core/ratelimit.py``: with several ``serve`` processes each counts its
own, which still bounds a guesser to ``limit`` times the processes per window.
"""

from __future__ import annotations

import math
from typing import Any

from pontive.core.ratelimit import SlidingWindowLimiter

FAILURES_PER_ADDRESS = 20
WINDOW_SECONDS = 15 * 60


class FailureThrottle(SlidingWindowLimiter):
    """At most ``limit`` failures per key in any ``window`` seconds."""

    def __init__(
        self, limit: int = FAILURES_PER_ADDRESS, window: float = WINDOW_SECONDS, **kw: Any
    ) -> None:
        super().__init__(limit, window, **kw)

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may try again; 0 when it may now."""
        now = self._clock()
        with self._lock:
            if key not in self._hits:  # asking does not make an address remembered
                return 0
            failures = self._window(key, now)
            if len(failures) < self.limit:
                return 0
            return max(1, math.ceil(failures[0] + self.window - now))

    def record_failure(self, key: str) -> None:
        """Count one failed attempt from ``key``."""
        now = self._clock()
        with self._lock:
            failures = self._window(key, now)
            failures.append(now)
            while len(failures) > self.limit:
                failures.popleft()
