"""Findings' follow-up reminders with a controlled clock: 14, 7 and 0 days before the due
date, once more when it has passed (an overdue finding raises a reminder), none for closed
findings; the worker job tells the responsible agency's officers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_service import FINDINGS
from pontive.complaints.models import Notification
from pontive.core.events import MemoryBus
from pontive.core.registry import get
from pontive.core.roles import Role
from pontive.core.worker import JobContext
from pontive.registry import jobs, store
from pontive.registry.models import Reminder
from pontive.registry.reminders import OVERDUE, raise_due
from tests.assets.assessment_support import TEAM, make_assessment, make_finding, make_system

DUE = date(2027, 3, 31)


def _raised(session: Session, today: date) -> list[Reminder]:
    return [r for r in raise_due(session, today=today) if r.registry_name == FINDINGS]


def test_an_open_finding_is_reminded_at_each_stage_and_once_overdue(session: Session) -> None:
    finding = make_finding(
        session, make_assessment(session, make_system(session)), due_on=DUE.isoformat()
    )
    assert _raised(session, DUE - timedelta(days=20)) == []
    stages = []
    for days_before in (14, 10, 7, 3, 0, -1, -30):
        stages += [r.stage for r in _raised(session, DUE - timedelta(days=days_before))]
    assert stages == [14, 7, 0, OVERDUE]
    overdue = session.scalar(
        select(Reminder).where(Reminder.object_id == finding.id, Reminder.stage == OVERDUE)
    )
    assert overdue is not None
    assert overdue.kind == "assessment.finding.due"
    assert overdue.pd_kode == "diskominfo"
    assert "Temuan uji" in overdue.subject_id
    assert "lewat sejak 31-03-2027" in overdue.subject_id
    assert "overdue since 2027-03-31" in overdue.subject_en


def test_a_finding_first_seen_overdue_is_reminded_once(session: Session) -> None:
    make_finding(session, make_assessment(session, make_system(session)), due_on="2026-01-15")
    first = _raised(session, date(2026, 2, 1))
    assert [r.stage for r in first] == [OVERDUE]
    assert _raised(session, date(2026, 2, 2)) == []


def test_closed_findings_are_not_reminded(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    make_finding(session, assessment, due_on="2026-01-15", status="selesai", closed_on="2026-01-10")
    make_finding(
        session, assessment, due_on="2026-01-15", status="risiko_diterima", closed_on="2026-01-12"
    )
    handled = make_finding(session, assessment, due_on="2026-01-15", status="ditangani")
    assert [r.object_id for r in _raised(session, date(2026, 3, 1))] == [handled.id]
    store.save_row(
        session,
        get(FINDINGS),
        TEAM,
        {"status": "selesai", "closed_on": "2026-03-02"},
        row=handled,
        partial=True,
    )
    assert _raised(session, date(2027, 1, 1)) == []


def test_the_worker_tells_the_agency_officers(
    session: Session, bus: MemoryBus, make_user: Any
) -> None:
    officer = make_user(Role.PETUGAS_PD, pd_kode="dlh")
    make_user(Role.TIM_TEKNIS)
    make_finding(
        session,
        make_assessment(session, make_system(session, pd_kode="dlh")),
        owner_pd="dlh",
        due_on="2026-05-01",
    )
    raised = jobs.raise_reminders(JobContext(session, bus), today=date(2026, 6, 1))
    assert any(r.registry_name == FINDINGS and r.stage == OVERDUE for r in raised)
    recipients = session.scalars(select(Notification.recipient)).all()
    assert officer.email in recipients
