"""Background jobs of the analysis workspace.

- ``analytics.export`` (checked hourly): the nightly Parquet export. It writes a new export
  when there is none, or when the current one is older than ``MIN_AGE`` and the hour in
  Pontianak is within ``NIGHT_HOURS`` (the platform's quietest time): once a night.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from pontive.analytics import workspace_export
from pontive.analytics.workspace_manifest import Manifest, current_manifest
from pontive.core.timeutil import WIB, utcnow
from pontive.core.worker import Job, JobContext

log = logging.getLogger(__name__)

CHECK_SECONDS = 3600.0
NIGHT_HOURS = range(1, 5)  # 01:00-04:59 WIB
MIN_AGE = timedelta(hours=20)


def is_due(last: datetime | None, now: datetime) -> bool:
    """Whether a nightly export is due at ``now`` after the one made at ``last``."""
    if last is None:
        return True
    return now - last >= MIN_AGE and now.astimezone(WIB).hour in NIGHT_HOURS


def export_if_due(session: Session, analytics_dir: Path, now: datetime) -> Manifest | None:
    """Write the export into ``analytics_dir`` when it is due at ``now``; the new manifest."""
    current = current_manifest(analytics_dir)
    if not is_due(current.generated if current else None, now):
        return None
    written = workspace_export.export(session, analytics_dir, now=now)
    log.info("nightly analytics export: %s rows in %.1f s", written.total_rows, written.seconds)
    return written


def export_nightly(context: JobContext) -> None:
    """The worker's job: ``export_if_due`` into the configured folder."""
    from pontive.settings import get_settings  # late: the worker's settings

    export_if_due(context.session, get_settings().analytics_dir, utcnow())


JOBS: tuple[Job, ...] = (Job("analytics.export", CHECK_SECONDS, export_nightly),)
