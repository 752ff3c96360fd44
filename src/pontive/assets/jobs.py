"""Asset background work for ``pontive worker``: reachability checks of the infrastructure's
monitored endpoints (``infra_reachability``), plus the assessment and Wi-Fi parts' jobs.
The registries' reminders (warranty, end of life, contracts) run in the platform's
``registry.reminders`` job."""

from __future__ import annotations

from pontive.assets import assessment_jobs, infra_reachability, wifi_jobs
from pontive.core.worker import Job, JobContext


def check_reachability(context: JobContext) -> None:
    """Try every monitored endpoint once and record what changed."""
    infra_reachability.check_all(context.session)


JOBS: tuple[Job, ...] = (
    Job("assets.reachability", infra_reachability.INTERVAL_SECONDS, check_reachability),
    *assessment_jobs.JOBS,
    *wifi_jobs.JOBS,
)
