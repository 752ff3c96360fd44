"""Reminders of the institutions registries, raised by the worker's job for a given day (a
controlled clock): partnerships before they end while active, certifications before and
after expiry, open recommendations before and after their due date, council terms."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.registry import reminders
from pontive.registry.models import Reminder
from tests.institutions.support import (
    TODAY,
    certification,
    day,
    expert,
    meeting,
    member,
    partnership,
    recommendation,
    save,
)


def raised(session: Session, on: date) -> list[tuple[str, int, int, str | None]]:
    """``(kind, object id, stage, agency)`` of the institutions' reminders raised on ``on``."""
    return [
        (r.kind, r.object_id, r.stage, r.pd_kode)
        for r in reminders.raise_due(session, today=on)
        if r.registry_name.startswith("institutions.")
    ]


def test_an_active_partnership_is_reminded_at_each_stage_once(session: Session) -> None:
    kind = "institutions.partnership.expiry"
    active = partnership(session, ends_on=day(100))
    partnership(session, "PKS/UJI/DRAF", ends_on=day(100), status="draf")
    assert raised(session, TODAY) == []  # 100 days left: before the 90-day stage
    assert raised(session, TODAY + timedelta(days=10)) == [(kind, active.id, 90, "diskominfo")]
    assert raised(session, TODAY + timedelta(days=11)) == []  # the 90-day stage is done
    # Nobody ran the job for a while: 5 days left raises the 7-day stage, not 30 and 7.
    assert raised(session, TODAY + timedelta(days=95)) == [(kind, active.id, 7, "diskominfo")]
    assert raised(session, TODAY + timedelta(days=100)) == [(kind, active.id, 0, "diskominfo")]
    assert raised(session, TODAY + timedelta(days=101)) == [(kind, active.id, -1, "diskominfo")]
    stored = session.scalars(select(Reminder).where(Reminder.kind == kind)).all()
    assert [r.stage for r in stored] == [90, 7, 0, -1]
    assert stored[0].subject_id.startswith(
        "Perjanjian kerja sama berakhir: Wi-Fi publik taman kota"
    )


def test_an_ended_partnership_is_not_reminded(session: Session) -> None:
    ended = partnership(session, ends_on=day(20))
    save(session, "partnerships", {"status": "berakhir"}, row=ended)
    assert raised(session, TODAY) == []


def test_certifications_are_reminded_before_and_after_expiry(session: Session) -> None:
    kind = "institutions.certification.expiry"
    expiring = certification(session, expires_on=day(45))
    expired = certification(session, holder_name="Lama", expires_on=day(-3))
    certification(session, holder_name="Tanpa batas", expires_on=None)
    assert sorted(raised(session, TODAY)) == sorted(
        [(kind, expiring.id, 60, "diskominfo"), (kind, expired.id, -1, "diskominfo")]
    )
    assert raised(session, TODAY + timedelta(days=15)) == [(kind, expiring.id, 30, "diskominfo")]


def test_open_recommendations_are_reminded_until_closed(session: Session) -> None:
    kind = "institutions.recommendation.due"
    held = meeting(session)
    open_one = recommendation(session, held, "REK-1", due_on=day(10), addressed_to="pupr")
    recommendation(
        session, held, "REK-2", due_on=day(10), status="selesai", outcome="Sudah dikerjakan."
    )
    assert raised(session, TODAY) == [(kind, open_one.id, 14, "pupr")]
    assert raised(session, TODAY + timedelta(days=11)) == [(kind, open_one.id, -1, "pupr")]
    save(session, "recommendations", {"status": "selesai", "outcome": "Selesai."}, row=open_one)
    later = meeting(session, "Rapat berikutnya")
    recommendation(session, later, "REK-3", due_on=day(40))
    assert raised(session, TODAY + timedelta(days=30)) == [
        (kind, open_one.id + 2, 14, "diskominfo")
    ]


def test_council_terms_and_expert_contracts_are_reminded(session: Session) -> None:
    leaving = member(session, term_ends_on=day(50))
    hired = expert(session, ends_on=day(25))
    assert sorted(raised(session, TODAY)) == sorted(
        [
            ("institutions.member.term", leaving.id, 60, None),
            ("institutions.expert.contract", hired.id, 30, "diskominfo"),
        ]
    )
