"""Correcting a report's category: the agency, due date and timeline follow; only operators,
and only before the agency works it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus, UpdateKind
from pontive.complaints.recategorize import change_category
from pontive.complaints.sla import add_working_days, load_holidays
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.timeutil import WIB

OPERATOR = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=8, name="rina")
OFFICER = Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=9, name="budi", pd_kode="pupr")


def test_the_agency_due_date_and_timeline_follow_the_new_category(
    session: Session,
    report,  # type: ignore[no-untyped-def]
) -> None:
    complaint = report("drainase").complaint  # PUPR, 7 working days
    changed = change_category(
        session=session,
        actor=OPERATOR,
        tracking_number=complaint.tracking_number,
        category_code="banjir-genangan",  # BPBD, 1 working day
        reason="Air sudah menggenang di jalan.",
    )
    assert changed.category.code == "banjir-genangan"
    assert changed.pd_kode == "bpbd"
    received = changed.created_at.astimezone(WIB).date()
    holidays = load_holidays(session, around=received)
    assert changed.due_on == add_working_days(received, 1, holidays)
    last = changed.updates[-1]
    assert (last.kind, last.is_public) == (UpdateKind.REPLY, True)
    assert "Banjir atau genangan air" in last.message
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "complaint.category_changed")
    ).one()
    assert event.object_id == complaint.tracking_number


def test_only_operators_before_the_work_starts(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    waiting = report_in(ComplaintStatus.DIVERIFIKASI)
    with pytest.raises(PermissionDenied):
        change_category(
            session=session,
            actor=OFFICER,
            tracking_number=waiting.tracking_number,
            category_code="sampah",
        )
    working = report_in(ComplaintStatus.DIKERJAKAN)
    with pytest.raises(Conflict):
        change_category(
            session=session,
            actor=OPERATOR,
            tracking_number=working.tracking_number,
            category_code="sampah",
        )


def test_an_unknown_category_is_a_field_error(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    complaint = report().complaint
    with pytest.raises(InvalidInput) as refused:
        change_category(
            session=session,
            actor=OPERATOR,
            tracking_number=complaint.tracking_number,
            category_code="tidak-ada",
        )
    assert "category" in refused.value.errors
