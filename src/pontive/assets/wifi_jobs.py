"""Background jobs of public Wi-Fi, run by ``pontive worker``.

- ``assets.wifi_reconcile`` (every 5 minutes): hotspots' open report counts follow their
  complaints (``wifi_reconcile.py`` says why this reads the complaints instead of listening
  to their events); a hotspot that reports made *gangguan* is *aktif* again once all its
  reports are closed.
"""

from __future__ import annotations

import logging

from pontive.assets.wifi_reconcile import reconcile
from pontive.core.worker import Job, JobContext

log = logging.getLogger(__name__)

RECONCILE_SECONDS = 300.0


def reconcile_reports(context: JobContext) -> None:
    """One reconciliation run in the worker's session."""
    done = reconcile(context.session)
    if done.adopted or done.refreshed or done.recounted or done.restored:
        log.info(
            "wifi reports reconciled",
            extra={
                "adopted": done.adopted,
                "refreshed": done.refreshed,
                "recounted": done.recounted,
                "restored": done.restored,
            },
        )


JOBS: tuple[Job, ...] = (Job("assets.wifi_reconcile", RECONCILE_SECONDS, reconcile_reports),)
