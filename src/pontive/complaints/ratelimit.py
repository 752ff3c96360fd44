"""The quota of new reports per client address (the limiter itself is ``core/ratelimit.py``)."""

from __future__ import annotations

from typing import Any

from pontive.core.identity import Actor, ActorKind
from pontive.core.ratelimit import SlidingWindowLimiter
from pontive.core.roles import Role

__all__ = ["SlidingWindowLimiter", "is_rate_limited_reporter", "report_limiter"]

# Stated on the form: shared mobile addresses (CGNAT) need headroom.
REPORTS_PER_WINDOW = 10
WINDOW_MINUTES = 10


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
