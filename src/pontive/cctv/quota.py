"""The quota of camera enrolments per client address, shared by the form and the API."""

from __future__ import annotations

from typing import Any

from pontive.core.ratelimit import SlidingWindowLimiter

ENROLMENTS_PER_HOUR = 5


def enrol_limiter(app_state: Any) -> SlidingWindowLimiter:
    """The app's one quota of enrolments per client address (``ENROLMENTS_PER_HOUR``)."""
    limiter: SlidingWindowLimiter | None = getattr(app_state, "cctv_enrol_limiter", None)
    if limiter is None:
        limiter = SlidingWindowLimiter(ENROLMENTS_PER_HOUR, 3600)
        app_state.cctv_enrol_limiter = limiter
    return limiter
