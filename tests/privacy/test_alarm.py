"""The audit-chain alarm: a tampered row reaches every admin, the gauge says 0, then 1."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pontive.complaints.models import Notification
from pontive.core import audit
from pontive.core.events import MemoryBus
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.core.worker import JobContext, verify_audit_chain
from pontive.privacy import alarm
from pontive.privacy.models import AuditCheck


def _gauges(session: Session) -> dict[str, float]:
    return {family.name: family.samples[0].value for family in alarm.metric_families(session)}


def _allow_tampering(session: Session) -> None:
    # What an intruder with database access would do first.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
    else:
        session.execute(text("DROP TRIGGER audit_events_no_update"))


def _set_action(session: Session, event_id: int, action: str) -> None:
    session.execute(
        text("UPDATE audit_events SET action = :action WHERE id = :id"),
        {"action": action, "id": event_id},
    )
    session.expire_all()


def _alarms_to(session: Session, user_id: int) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.subject.like("PERINGATAN%")
            )
        )
    )


def test_a_tampered_audit_row_alarms_every_admin_and_the_gauge_drops(
    session: Session, make_user: Any
) -> None:
    admins = [make_user(Role.ADMIN), make_user(Role.ADMIN)]
    operator = make_user(Role.OPERATOR)
    event = audit.record(
        session, actor=system_actor("t"), action="t.x", object_type="t", object_id=1
    )
    audit.record(session, actor=system_actor("t"), action="t.y", object_type="t", object_id=2)
    context = JobContext(session=session, bus=MemoryBus())

    verify_audit_chain(context)
    assert _gauges(session)["pontive_audit_chain_intact"] == 1.0

    _allow_tampering(session)
    _set_action(session, event.id, "t.forged")
    verify_audit_chain(context)

    gauges = _gauges(session)
    assert gauges["pontive_audit_chain_intact"] == 0.0
    assert gauges["pontive_audit_chain_verified_timestamp_seconds"] > 0
    for admin in admins:
        channels = sorted(message.channel for message in _alarms_to(session, admin.id))
        assert channels == ["email", "inapp"], admin.username
    assert _alarms_to(session, operator.id) == []
    check = alarm.latest_check(session)
    assert check is not None
    assert (check.broken_id, check.alarmed) == (event.id, True)

    # The next hour: still broken at the same place, told already today → no new message.
    verify_audit_chain(context)
    assert len(_alarms_to(session, admins[0].id)) == 2

    _set_action(session, event.id, "t.x")  # repaired (restored from a backup)
    verify_audit_chain(context)
    assert _gauges(session)["pontive_audit_chain_intact"] == 1.0


def test_a_break_left_unrepaired_is_told_again_the_next_day(
    session: Session, make_user: Any
) -> None:
    admin = make_user(Role.ADMIN)
    event = audit.record(
        session, actor=system_actor("t"), action="t.x", object_type="t", object_id=1
    )
    audit.record(session, actor=system_actor("t"), action="t.y", object_type="t", object_id=2)
    _allow_tampering(session)
    _set_action(session, event.id, "t.forged")
    context = JobContext(session=session, bus=MemoryBus())
    verify_audit_chain(context)
    # A day later (the stored check is moved back instead of the clock forward).
    for check in session.scalars(select(AuditCheck)):
        check.checked_at -= alarm.REMIND_AFTER + timedelta(minutes=1)
    session.flush()
    verify_audit_chain(context)
    assert len(_alarms_to(session, admin.id)) == 4


def test_nothing_is_exposed_before_the_first_check(session: Session) -> None:
    if alarm.latest_check(session) is None:
        assert alarm.metric_families(session) == []
    session.add(AuditCheck(is_intact=True, checked=3))
    session.flush()
    assert _gauges(session)["pontive_audit_chain_checked_events"] == 3.0
