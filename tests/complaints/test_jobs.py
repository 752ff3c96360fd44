"""Worker jobs: delivery, SLA escalation and reminders, auto-close; each idempotent."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.complaints import jobs, workflow
from pontive.complaints.choices import ComplaintStatus, DeliveryStatus, UpdateKind
from pontive.complaints.models import Complaint, Notification
from pontive.complaints.service import access_token
from pontive.core.audit import AuditEvent, verify_chain
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.core.timeutil import WIB
from pontive.core.worker import JobContext, registered_jobs
from pontive.settings import Settings

S = ComplaintStatus


def _alerts(session: Session, complaint: Complaint, prefix: str) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(
                Notification.complaint_id == complaint.id,
                Notification.subject.startswith(prefix),
            )
        )
    )


def _audits(session: Session, action: str, complaint: Complaint) -> int:
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action, AuditEvent.object_id == complaint.tracking_number
    )
    return session.scalar(query) or 0


def _wib(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=WIB).astimezone(UTC)


def test_the_worker_knows_the_complaint_jobs() -> None:
    names = {job.name: job.interval_seconds for job in registered_jobs()}
    assert names["complaints.deliver"] == 30
    assert names["complaints.sla"] == 3600
    assert "complaints.autoclose" in names


def test_an_overdue_report_is_escalated_once(
    session: Session, report_in: Any, make_user: Any, bus: MemoryBus
) -> None:
    operator = make_user(Role.OPERATOR)
    officer = make_user(Role.PETUGAS_PD, pd_kode="pupr")
    complaint = report_in(S.DIKERJAKAN)
    assert complaint.due_on is not None
    day_after_due = _wib(complaint.due_on + timedelta(days=1))

    async def run() -> list[str]:
        subscription = bus.subscribe("complaint.overdue")
        escalated = jobs.escalate_overdue(session, now=day_after_due)
        event = await subscription.get(within=1)
        assert event is not None
        assert event.data["tracking_number"] == complaint.tracking_number
        assert "reporter_email" not in event.data
        return escalated

    assert asyncio.run(run()) == [complaint.tracking_number]
    assert complaint.escalated_at == day_after_due
    alerts = _alerts(session, complaint, "Laporan melewati target")
    assert {alert.user_id for alert in alerts} == {operator.id, officer.id}
    assert {alert.channel for alert in alerts} == {"inapp", "email"}
    session.refresh(complaint)
    note = complaint.updates[-1]
    assert (note.kind, note.is_public) == (UpdateKind.NOTE, False)
    assert _audits(session, "complaint.escalate", complaint) == 1

    assert jobs.escalate_overdue(session, now=day_after_due + timedelta(hours=1)) == []
    assert len(_alerts(session, complaint, "Laporan melewati target")) == len(alerts)
    assert verify_chain(session).is_intact


def test_a_report_due_today_is_not_overdue(session: Session, report_in: Any) -> None:
    complaint = report_in(S.DIDISPOSISIKAN)
    assert complaint.due_on is not None
    assert jobs.escalate_overdue(session, now=_wib(complaint.due_on, hour=23)) == []


def test_a_paused_or_closed_report_is_not_escalated(session: Session, report_in: Any) -> None:
    paused = report_in(S.DIKERJAKAN)
    workflow.transition(
        session=session,
        actor=workflow_actor(),
        tracking_number=paused.tracking_number,
        to=S.MENUNGGU_PELAPOR,
        message="Mohon kirim foto lokasi yang lebih jelas.",
    )
    fixed = report_in(S.SELESAI)
    assert paused.due_on is not None
    later = _wib(paused.due_on + timedelta(days=30))
    assert jobs.escalate_overdue(session, now=later) == []
    assert paused.escalated_at is None
    assert fixed.escalated_at is None


def workflow_actor() -> Any:
    from tests.complaints.conftest import STAFF

    return STAFF


def test_the_holder_is_reminded_one_working_day_before_due(
    session: Session, report_in: Any, make_user: Any
) -> None:
    operator = make_user(Role.OPERATOR)
    officer = make_user(Role.PETUGAS_PD, pd_kode="pupr")
    with_pd = report_in(S.DIKERJAKAN)
    with_operator = report_in(S.DITERIMA)
    # Friday 2026-07-03, both due Monday 2026-07-06: Friday is one working day before.
    for complaint in (with_pd, with_operator):
        complaint.due_on = date(2026, 7, 6)
    session.commit()
    thursday = _wib(date(2026, 7, 2))
    assert jobs.remind_due_soon(session, now=thursday) == []
    friday = _wib(date(2026, 7, 3))
    reminded = jobs.remind_due_soon(session, now=friday)
    assert set(reminded) == {with_pd.tracking_number, with_operator.tracking_number}
    assert {a.user_id for a in _alerts(session, with_pd, "Pengingat")} == {officer.id}
    assert {a.user_id for a in _alerts(session, with_operator, "Pengingat")} == {operator.id}
    # Saturday's run must not remind again for the same due date...
    assert jobs.remind_due_soon(session, now=friday + timedelta(days=1)) == []
    # ...but a due date moved by a pause earns a new reminder.
    with_pd.due_on = date(2026, 7, 7)
    session.commit()
    assert jobs.remind_due_soon(session, now=_wib(date(2026, 7, 6))) == [with_pd.tracking_number]


def test_fixed_reports_close_after_14_days(session: Session, report_in: Any) -> None:
    old = report_in(S.SELESAI)
    recent = report_in(S.SELESAI)
    now = old.resolved_at + timedelta(days=1)  # type: ignore[operator]
    old.resolved_at = now - timedelta(days=15)
    session.commit()
    assert jobs.close_resolved(session, now=now) == [old.tracking_number]
    assert old.status is S.DITUTUP
    assert recent.status is S.SELESAI
    closing = old.updates[-1]
    assert closing.is_public
    assert closing.actor == "system:autoclose"
    assert "14 hari" in closing.message
    # Closed, not "fixed again": the reporter may still rate it.
    workflow.rate(
        session=session,
        actor=ANONYMOUS,
        tracking_number=old.tracking_number,
        token=access_token(old.tracking_number),
        rating=4,
    )
    assert jobs.close_resolved(session, now=now) == []


def test_a_reopened_report_is_not_auto_closed(session: Session, report_in: Any) -> None:
    complaint = report_in(S.SELESAI)
    workflow.reopen(
        session=session,
        actor=ANONYMOUS,
        tracking_number=complaint.tracking_number,
        token=access_token(complaint.tracking_number),
        message="Lubangnya muncul lagi setelah hujan.",
    )
    later = datetime.now(UTC) + timedelta(days=30)
    assert jobs.close_resolved(session, now=later) == []
    assert complaint.status is S.DIKERJAKAN


def test_the_delivery_job_sends_pending_notifications(
    session: Session, report: Any, bus: MemoryBus, settings: Settings, monkeypatch: Any
) -> None:
    monkeypatch.setattr(jobs, "get_settings", lambda: settings)
    receipt = report(is_anonymous=False, name="Siti", email="siti@example.com", consent=True)
    jobs.deliver_notifications(JobContext(session=session, bus=bus))
    row = session.scalar(
        select(Notification).where(Notification.complaint_id == receipt.complaint.id)
    )
    assert row is not None
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)  # logged: nothing configured
