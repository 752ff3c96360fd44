"""CCTV background work for ``pontive worker``: the health service and footage expiry."""

from __future__ import annotations

import logging

from pontive.cctv import footage
from pontive.cctv.health import HEALTH_SERVICE
from pontive.core.worker import Job, JobContext

log = logging.getLogger(__name__)


def expire_footage_requests(context: JobContext) -> None:
    """Close footage requests their owners did not answer in time."""
    expired = footage.expire_requests(context.session)
    if expired:
        log.info("footage requests expired", extra={"count": expired})


JOBS = (Job("cctv.footage_expire", 3600.0, expire_footage_requests),)
SERVICES = (HEALTH_SERVICE,)
