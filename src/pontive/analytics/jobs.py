"""Analytics background work for ``pontive worker``, one tuple of jobs per part."""

from __future__ import annotations

from pontive.analytics import forecast_jobs, hotspot_jobs, quality_jobs, triage_jobs, workspace_jobs
from pontive.core.worker import Job

JOBS: tuple[Job, ...] = (
    *quality_jobs.JOBS,
    *forecast_jobs.JOBS,
    *triage_jobs.JOBS,
    *hotspot_jobs.JOBS,
    *workspace_jobs.JOBS,
)
