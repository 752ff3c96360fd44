"""Background jobs of the triage part of analytics, run by ``pontive worker``.

- ``analytics.triage`` (every minute): a suggestion for every received report (status
  *diterima*) that has none yet, with the live model; nothing before a model is trained.
  Idempotent: a report gets one suggestion, so a second run right after makes none.
"""

from __future__ import annotations

import logging

from pontive.analytics import triage_service
from pontive.core.worker import Job, JobContext

log = logging.getLogger(__name__)


def suggest_for_new_reports(context: JobContext) -> None:
    """Suggest category, PD and urgency for new reports."""
    made = triage_service.suggest_new_reports(context.session)
    if made:
        log.info("triage suggestions made", extra={"count": made})


JOBS: tuple[Job, ...] = (Job("analytics.triage", 60.0, suggest_for_new_reports),)
