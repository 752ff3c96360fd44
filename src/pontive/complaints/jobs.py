"""Background jobs of the complaints domain, run by ``pontive worker``.

- ``complaints.deliver`` (every 30 s): send queued notifications, retrying failures.
- ``complaints.sla`` (hourly): escalate reports past their due date once, and remind the
  people holding a report one working day before it is due (issue #3, SLA).
- ``complaints.autoclose`` (hourly): close reports fixed more than 14 days ago that the
  reporter did not reopen.

Every job is idempotent: running it twice in a row changes nothing the second time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from pontive.complaints import delivery, notify, workflow
from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus, DeliveryStatus, UpdateKind
from pontive.complaints.models import Complaint, ComplaintUpdate, Notification
from pontive.complaints.service import complaint_event
from pontive.complaints.sla import add_working_days, load_holidays
from pontive.core import audit
from pontive.core.errors import DomainError
from pontive.core.events import emit
from pontive.core.identity import system_actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.core.worker import Job, JobContext
from pontive.settings import get_settings

log = logging.getLogger(__name__)

SLA_ACTOR = system_actor("sla")
CLOSE_ACTOR = system_actor("autoclose")
BATCH = 200
# States in which the Perangkat Daerah holds the report; in the others the operator does.
WITH_PD = frozenset({ComplaintStatus.DIDISPOSISIKAN, ComplaintStatus.DIKERJAKAN})
AUTO_CLOSE_REASON = (
    "Ditutup otomatis: {days} hari setelah dinyatakan selesai dan tidak dibuka kembali oleh "
    "pelapor. Jika masalah muncul lagi, silakan kirim laporan baru."
)


def deliver_notifications(context: JobContext) -> None:
    """Send due notifications through the configured channels."""
    settings = get_settings()
    report = delivery.deliver_pending(
        session=context.session,
        channels=delivery.channels_from_settings(settings),
        base_url=settings.base_url,
        max_attempts=settings.notify_max_attempts,
    )
    if report.sent or report.retrying or report.failed:
        log.info(
            "notifications delivered",
            extra={"sent": report.sent, "retrying": report.retrying, "failed": report.failed},
        )


def escalate_overdue(session: Session, *, now: datetime) -> list[str]:
    """Mark open, running reports past ``due_on`` (WIB date) as escalated, once each."""
    today = now.astimezone(WIB).date()
    overdue = session.scalars(
        select(Complaint)
        .options(selectinload(Complaint.category))
        .where(
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.paused_at.is_(None),  # waiting for the reporter: the clock is stopped
            Complaint.due_on < today,
            Complaint.escalated_at.is_(None),
        )
        .order_by(Complaint.due_on, Complaint.id)
        .limit(BATCH)
    ).all()
    for complaint in overdue:
        due = f"{complaint.due_on:%d-%m-%Y}"
        complaint.escalated_at = now
        session.add(
            ComplaintUpdate(
                complaint_id=complaint.id,
                kind=UpdateKind.NOTE,
                is_public=False,
                message=f"Melewati target penyelesaian {due}; dieskalasi ke operator dan PD.",
                actor=SLA_ACTOR.label,
                created_at=now,
            )
        )
        audit.record(
            session,
            actor=SLA_ACTOR,
            action="complaint.escalate",
            object_type="complaint",
            object_id=complaint.tracking_number,
            after={"due_on": str(complaint.due_on), "escalated": True},
        )
        emit(session, complaint_event("complaint.overdue", complaint, due_on=str(complaint.due_on)))
        notify.queue_staff_alert(session, complaint, f"Laporan melewati target penyelesaian {due}")
    session.commit()
    return [complaint.tracking_number for complaint in overdue]


def _reminded(session: Session, complaint: Complaint) -> bool:
    # One reminder per due date: a due date moved by a pause earns a new reminder.
    return bool(
        session.scalar(
            select(
                exists().where(
                    audit.AuditEvent.action == "complaint.sla_reminder",
                    audit.AuditEvent.object_id == complaint.tracking_number,
                    audit.AuditEvent.after_digest
                    == audit.digest({"due_on": str(complaint.due_on)}),
                )
            )
        )
    )


def _holders(session: Session, complaint: Complaint) -> list[User]:
    holder = (
        (User.role == Role.PETUGAS_PD) & (User.pd_kode == complaint.pd_kode)
        if complaint.status in WITH_PD
        else User.role == Role.OPERATOR
    )
    return list(session.scalars(select(User).where(User.is_active.is_(True), holder)))


def _alert(session: Session, complaint: Complaint, users: list[User], subject: str) -> None:
    body = f"{subject}: {complaint.tracking_number} — {complaint.public_description[:200]}"
    for user in users:
        channels = [("inapp", user.username)] + ([("email", user.email)] if user.email else [])
        for channel, recipient in channels:
            session.add(
                Notification(
                    complaint_id=complaint.id,
                    channel=channel,
                    recipient=recipient,
                    user_id=user.id,
                    subject=subject[:200],
                    body=body,
                    status=DeliveryStatus.PENDING,
                    attempts=0,
                    next_attempt_at=utcnow(),
                    created_at=utcnow(),
                )
            )


def remind_due_soon(session: Session, *, now: datetime) -> list[str]:
    """Remind whoever holds a running report one working day before it is due."""
    today = now.astimezone(WIB).date()
    holidays = load_holidays(session, around=today)
    next_working_day = add_working_days(today, 1, holidays)
    candidates = session.scalars(
        select(Complaint)
        .where(
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.paused_at.is_(None),
            Complaint.due_on > today,
            Complaint.due_on <= next_working_day,
        )
        .order_by(Complaint.id)
        .limit(BATCH)
    ).all()
    reminded = []
    for complaint in candidates:
        if _reminded(session, complaint):
            continue
        subject = f"Pengingat: laporan jatuh tempo {complaint.due_on:%d-%m-%Y}"
        _alert(session, complaint, _holders(session, complaint), subject)
        audit.record(
            session,
            actor=SLA_ACTOR,
            action="complaint.sla_reminder",
            object_type="complaint",
            object_id=complaint.tracking_number,
            after={"due_on": str(complaint.due_on)},
        )
        reminded.append(complaint.tracking_number)
    session.commit()
    return reminded


def check_sla(context: JobContext) -> None:
    """Escalate overdue reports and send due-tomorrow reminders."""
    now = utcnow()
    escalated = escalate_overdue(context.session, now=now)
    reminded = remind_due_soon(context.session, now=now)
    if escalated or reminded:
        log.info("sla checked", extra={"escalated": len(escalated), "reminded": len(reminded)})


def close_resolved(session: Session, *, now: datetime) -> list[str]:
    """Close reports fixed more than ``REOPEN_DAYS`` ago, with a reason the public reads."""
    cutoff = now - timedelta(days=workflow.REOPEN_DAYS)
    numbers = session.scalars(
        select(Complaint.tracking_number)
        .where(Complaint.status == ComplaintStatus.SELESAI, Complaint.resolved_at < cutoff)
        .order_by(Complaint.resolved_at, Complaint.id)
        .limit(BATCH)
    ).all()
    closed = []
    for number in numbers:
        try:
            workflow.transition(
                session=session,
                actor=CLOSE_ACTOR,
                tracking_number=number,
                to=ComplaintStatus.DITUTUP,
                message=AUTO_CLOSE_REASON.format(days=workflow.REOPEN_DAYS),
            )
        except DomainError as error:  # e.g. reopened between the query and now
            session.rollback()
            log.warning("report %s not auto-closed: %s", number, error.message_en)
            continue
        closed.append(number)
    return closed


def auto_close(context: JobContext) -> None:
    """Close reports left fixed for 14 days."""
    closed = close_resolved(context.session, now=utcnow())
    if closed:
        log.info("reports auto-closed", extra={"closed": len(closed)})


JOBS = [
    Job("complaints.deliver", 30.0, deliver_notifications),
    Job("complaints.sla", 3600.0, check_sla),
    Job("complaints.autoclose", 3600.0, auto_close),
]
