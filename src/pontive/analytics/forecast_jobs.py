"""Background jobs of the forecast part: every hour, refit gauges whose model is missing or
a day old, then issue every gauge's forecast (its points reach the alert rules as any new
observations do)."""

from __future__ import annotations

import logging
from collections import Counter

from pontive.analytics.forecast_service import refresh
from pontive.core.identity import system_actor
from pontive.core.worker import Job, JobContext

log = logging.getLogger(__name__)
ACTOR = system_actor("analytics.forecast")


def run_forecasts(context: JobContext) -> None:
    """Job: refit what is due, issue every forecast."""
    outcomes = refresh(context.session, actor=ACTOR)
    counts = Counter(outcome.status.value for outcome in outcomes)
    log.info("water-level forecasts", extra={"outcomes": dict(counts)})


JOBS: tuple[Job, ...] = (Job("analytics.forecast", 3600.0, run_forecasts),)
