"""Working-day arithmetic: weekends, holidays, and the pause while waiting for the reporter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Holiday
from pontive.complaints.service import access_token
from pontive.complaints.sla import (
    add_working_days,
    is_working_day,
    load_holidays,
    working_days_between,
)
from pontive.core.identity import ANONYMOUS
from pontive.core.timeutil import WIB
from tests.complaints.conftest import STAFF

S = ComplaintStatus
INDEPENDENCE_DAY = date(2026, 8, 17)  # a Monday
HOLIDAYS = frozenset({INDEPENDENCE_DAY})


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 7, 3), True),  # Friday
        (date(2026, 7, 4), False),  # Saturday
        (date(2026, 7, 5), False),  # Sunday
        (INDEPENDENCE_DAY, False),
        (date(2026, 8, 18), True),
    ],
)
def test_working_days_are_weekdays_that_are_not_holidays(day: date, expected: bool) -> None:
    assert is_working_day(day, HOLIDAYS) is expected


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 7, 1), 2, date(2026, 7, 3)),  # Wednesday + 2 = Friday
        (date(2026, 7, 3), 1, date(2026, 7, 6)),  # Friday + 1 = Monday
        (date(2026, 7, 4), 1, date(2026, 7, 6)),  # made on Saturday: counts from Monday
        (date(2026, 7, 5), 5, date(2026, 7, 10)),  # Sunday + 5 = next Friday
        (date(2026, 8, 14), 1, date(2026, 8, 18)),  # Friday before the Monday holiday
        (date(2026, 8, 13), 3, date(2026, 8, 19)),  # Thu: Fri, (weekend, 17th), Tue, Wed
        (date(2026, 7, 1), 0, date(2026, 7, 1)),
    ],
)
def test_due_dates_skip_weekends_and_holidays(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days, HOLIDAYS) == due


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 7, 6), date(2026, 7, 6), 0),  # same day
        (date(2026, 7, 6), date(2026, 7, 9), 3),  # Mon -> Thu
        (date(2026, 7, 3), date(2026, 7, 6), 1),  # Fri -> Mon: only Monday
        (date(2026, 8, 14), date(2026, 8, 18), 1),  # Fri -> Tue over the holiday
        (date(2026, 7, 9), date(2026, 7, 6), 0),  # backwards
    ],
)
def test_working_days_between_counts_after_start_up_to_end(
    start: date, end: date, count: int
) -> None:
    assert working_days_between(start, end, HOLIDAYS) == count


def test_adding_then_counting_round_trips() -> None:
    start = date(2026, 8, 10)
    for days in range(0, 30):
        assert working_days_between(start, add_working_days(start, days, HOLIDAYS), HOLIDAYS) == (
            days
        )


def test_seeded_holidays_are_loaded_around_a_date(session: Session) -> None:
    holidays = load_holidays(session, around=date(2026, 6, 1))
    assert INDEPENDENCE_DAY in holidays
    assert date(2026, 12, 25) in holidays
    session.add(Holiday(day=date(2027, 1, 1), name="Tahun Baru 2027 Masehi"))
    session.flush()
    assert date(2027, 1, 1) in load_holidays(session, around=date(2026, 12, 30))


def test_a_report_due_date_counts_working_days_from_its_wib_date(
    session: Session, report: Any
) -> None:
    # Friday 14 August 2026, 23:30 WIB (16:30 UTC): still Friday in Pontianak.
    created = datetime(2026, 8, 14, 23, 30, tzinfo=WIB)
    complaint = report("pohon-tumbang", created_at=created, attributes={"menutup_jalan": "ya"})
    assert complaint.complaint.category.sla_days == 2
    # Saturday, Sunday and the 17th do not count: Tuesday 18th, Wednesday 19th.
    assert complaint.complaint.due_on == date(2026, 8, 19)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(workflow, "utcnow", lambda: moment.astimezone(UTC))


def test_waiting_for_the_reporter_extends_the_due_date(
    session: Session, report_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaint = report_in(S.DIKERJAKAN)
    complaint.due_on = date(2026, 8, 20)
    session.commit()
    _at(monkeypatch, datetime(2026, 8, 14, 10, tzinfo=WIB))  # Friday
    workflow.transition(
        session=session,
        actor=STAFF,
        tracking_number=complaint.tracking_number,
        to=S.MENUNGGU_PELAPOR,
        message="Mohon kirim foto lokasi.",
    )
    assert complaint.paused_at is not None
    _at(monkeypatch, datetime(2026, 8, 19, 8, tzinfo=WIB))  # Wednesday; 17th is a holiday
    workflow.reporter_reply(
        session=session,
        actor=ANONYMOUS,
        tracking_number=complaint.tracking_number,
        token=access_token(complaint.tracking_number),
        message="Foto sudah saya kirim lewat WhatsApp.",
    )
    # Paused over Tue 18 and Wed 19 (two working days): Thursday 20th becomes Monday 24th.
    assert complaint.paused_at is None
    assert complaint.status is S.DIDISPOSISIKAN
    assert complaint.due_on == date(2026, 8, 24)


def test_a_pause_resumed_the_same_day_keeps_the_due_date(
    session: Session, report_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaint = report_in(S.DIKERJAKAN)
    complaint.due_on = date(2026, 7, 10)
    session.commit()
    _at(monkeypatch, datetime(2026, 7, 6, 9, tzinfo=WIB))
    for target in (S.MENUNGGU_PELAPOR, S.DIKERJAKAN):
        workflow.transition(
            session=session,
            actor=STAFF,
            tracking_number=complaint.tracking_number,
            to=target,
            message="Menunggu konfirmasi.",
        )
    assert complaint.due_on == date(2026, 7, 10)


def test_a_second_pause_does_not_restart_the_first(
    session: Session, report_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaint = report_in(S.DIKERJAKAN)
    complaint.due_on = date(2026, 7, 10)
    session.commit()
    steps = [
        (datetime(2026, 7, 6, 9, tzinfo=WIB), S.MENUNGGU_PELAPOR),  # Monday
        (datetime(2026, 7, 7, 9, tzinfo=WIB), S.DIKERJAKAN),  # Tuesday: +1
        (datetime(2026, 7, 8, 9, tzinfo=WIB), S.MENUNGGU_PELAPOR),  # Wednesday
        (datetime(2026, 7, 10, 9, tzinfo=WIB), S.DIKERJAKAN),  # Friday: +2
    ]
    for moment, target in steps:
        _at(monkeypatch, moment)
        workflow.transition(
            session=session,
            actor=STAFF,
            tracking_number=complaint.tracking_number,
            to=target,
            message="Menunggu data tambahan.",
        )
    # Friday 10th + 3 working days = Wednesday 15th.
    assert complaint.due_on == date(2026, 7, 15)
