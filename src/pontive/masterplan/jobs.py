"""Masterplan background work for ``pontive worker``.

- ``masterplan.live_metrics`` (daily): record today's value of every live indicator
  (``monitoring.record_live``: complaint SLA compliance, sensor uptime, CCTV coverage …), so
  each year keeps its history of values computed from Pontive itself. Idempotent: a second
  run the same day (WIB) records nothing new.
"""

from __future__ import annotations

import logging

from pontive.core.worker import Job, JobContext
from pontive.masterplan import monitoring

log = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600.0


def record_live_metrics(context: JobContext) -> None:
    """Record today's values of the live indicators."""
    recorded = monitoring.record_live(context.session)
    if recorded:
        log.info("live indicator values recorded", extra={"recorded": recorded})


JOBS = (Job("masterplan.live_metrics", DAY_SECONDS, record_live_metrics),)
