"""Background jobs of the quality part: the data-quality checks every five minutes, after
ingest and never in its path (``quality_run``)."""

from __future__ import annotations

import logging

from pontive.analytics.quality_run import run_checks
from pontive.core.identity import system_actor
from pontive.core.worker import Job, JobContext

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 300.0


def check_quality(context: JobContext) -> None:
    """Check the observations that arrived since the last run and store the flags."""
    report = run_checks(context.session, actor=system_actor("analytics.quality"))
    log.info("quality checks: %s", report.summary())


JOBS: tuple[Job, ...] = (Job("analytics.quality", INTERVAL_SECONDS, check_quality),)
