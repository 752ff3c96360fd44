"""Background work of the privacy domain: retention, the audit-chain alarm and its metrics."""

from __future__ import annotations

import threading

from prometheus_client import REGISTRY

from pontive.core.db import Database
from pontive.core.events import EventBus
from pontive.core.storage import MediaStore
from pontive.core.worker import Job, JobContext, Service
from pontive.privacy import alarm, retention
from pontive.settings import Settings, get_settings

RETENTION_SECONDS = 6 * 3600.0


def run_retention(context: JobContext) -> None:
    """Erase the personal data whose retention period has passed."""
    settings = get_settings()
    retention.expire(context.session, settings=settings, media=MediaStore(settings.media_dir))


def serve_audit_metrics(
    stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """Expose the audit chain's state on the worker's metrics while the worker runs."""
    collector = alarm.AuditChainCollector(lambda: database.session(write=False))
    REGISTRY.register(collector)
    try:
        stop.wait()
    finally:
        REGISTRY.unregister(collector)


JOBS = (Job("privacy.retention", RETENTION_SECONDS, run_retention),)
SERVICES = (
    Service(
        "privacy.audit_metrics",
        serve_audit_metrics,
        is_enabled=lambda settings: bool(settings.worker_metrics_address),
    ),
)
# Called by the core ``audit.verify`` job with each verification's report.
AUDIT_OBSERVERS = (alarm.observe,)
