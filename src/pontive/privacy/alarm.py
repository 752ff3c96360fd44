"""The audit-chain alarm: every verification is kept, a broken chain reaches the admins.

The worker's hourly ``audit.verify`` job (``core/worker.py``) hands its report to
``observe``: the result is stored in ``privacy_audit_checks``; when the chain is broken and
the admins have not been told about this break in the last day, every active admin gets an
in-app message and an e-mail (through the complaints notification queue, delivered and
retried by the worker). The console home shows admins a banner while the last check is
broken, and each worker serves ``pontive_audit_chain_intact`` (1 intact, 0 broken) and the
time of the last verification to Prometheus, read from the stored checks so that every
worker process tells the same truth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import ChainReport
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.privacy.models import AuditCheck

log = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=1)  # a break still unrepaired is told again once a day


def latest_check(session: Session) -> AuditCheck | None:
    """The most recent verification, if any."""
    return session.scalar(select(AuditCheck).order_by(AuditCheck.id.desc()).limit(1))


def _last_alarm(session: Session) -> AuditCheck | None:
    return session.scalar(
        select(AuditCheck).where(AuditCheck.alarmed.is_(True)).order_by(AuditCheck.id.desc())
    )


def _needs_alarm(session: Session, report: ChainReport) -> bool:
    if report.is_intact:
        return False
    previous = latest_check(session)
    if previous is None or previous.is_intact or previous.broken_id != report.broken_id:
        return True  # newly broken, or broken somewhere else
    last = _last_alarm(session)
    return last is None or utcnow() - last.checked_at >= REMIND_AFTER


def _tell_admins(session: Session, report: ChainReport) -> int:
    from pontive.complaints import service as complaints  # the notification queue

    now = utcnow().astimezone(WIB)
    subject = "PERINGATAN: rantai audit Pontive rusak / audit chain broken"
    body = (
        f"Pemeriksaan rantai audit pada {now:%d-%m-%Y %H:%M} WIB menemukan kerusakan pada "
        f"kejadian #{report.broken_id}: {report.reason}. Jejak audit mungkin telah diubah. "
        "Periksa di /console/audit?verify=1 dan ikuti prosedur insiden keamanan "
        "(docs/privacy.md).\n\n"
        f"The audit chain check found a break at event #{report.broken_id}: {report.reason}. "
        "The audit trail may have been tampered with; see docs/privacy.md."
    )
    return complaints.queue_to_staff(
        session, subject=subject, body=body, roles=(Role.ADMIN,), pd_kode=None
    )


def observe(session: Session, report: ChainReport) -> AuditCheck:
    """Store one verification; alarm the admins when the chain is (still) broken."""
    alarmed = _needs_alarm(session, report)
    check = AuditCheck(
        checked_at=utcnow(),
        is_intact=report.is_intact,
        checked=report.checked,
        broken_id=report.broken_id,
        reason=(report.reason or "")[:300],
        alarmed=alarmed,
    )
    if alarmed:
        told = _tell_admins(session, report)
        log.error("audit chain broken at %s: %d admins told", report.broken_id, told)
    session.add(check)
    session.flush()
    return check


def metric_families(session: Session) -> list[Metric]:
    """The chain's state as Prometheus gauges, from the last stored verification."""
    check = latest_check(session)
    if check is None:
        return []
    intact = GaugeMetricFamily(
        "pontive_audit_chain_intact", "1 when the last audit-chain verification found it intact"
    )
    intact.add_metric([], 1.0 if check.is_intact else 0.0)
    verified = GaugeMetricFamily(
        "pontive_audit_chain_verified_timestamp_seconds", "When the audit chain was last verified"
    )
    verified.add_metric([], check.checked_at.timestamp())
    checked = GaugeMetricFamily(
        "pontive_audit_chain_checked_events", "Audit events the last verification walked"
    )
    checked.add_metric([], float(check.checked))
    return [intact, verified, checked]


class AuditChainCollector(Collector):
    """Reads the last verification at each scrape."""

    def __init__(self, open_session: Callable[[], AbstractContextManager[Session]]) -> None:
        self.open_session = open_session

    def collect(self) -> Iterator[Metric]:
        with self.open_session() as session:
            yield from metric_families(session)
