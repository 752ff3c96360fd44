"""Working-day arithmetic for service levels: weekends and configured holidays don't count."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.models import Holiday
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    """Monday to Friday, and not a holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date ``days`` working days after ``start`` (a report made on a Saturday counts from
    Monday)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            count += 1
    return count


def load_holidays(session: Session, *, around: date, years: int = 1) -> set[date]:
    """Holidays from a year before ``around`` to ``years`` after it."""
    first = date(around.year - 1, 1, 1)
    last = date(around.year + years, 12, 31)
    rows = session.scalars(select(Holiday.day).where(Holiday.day.between(first, last)))
    return set(rows)


# --- managing the holiday calendar (``pontive complaints holidays``) -------------------------


def list_holidays(session: Session, *, year: int | None = None) -> list[Holiday]:
    """Configured non-working days, by date (of one year when given)."""
    query = select(Holiday).order_by(Holiday.day)
    if year is not None:
        query = query.where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
    return list(session.scalars(query))


def add_holiday(*, session: Session, actor: Actor, day: date, name: str) -> Holiday:
    """Declare a non-working day (e.g. a cuti bersama announced during the year).

    Due dates already set are not moved; reports received from now on count around it.
    """
    from pontive.complaints.service import MANAGE_CATALOGUE  # late: service imports sla

    permissions.require(actor, MANAGE_CATALOGUE)
    name = name.strip()
    if not 2 <= len(name) <= 120:
        raise InvalidInput(errors={"name": ["Nama hari libur 2 sampai 120 karakter."]})
    if session.get(Holiday, day) is not None:
        raise Conflict(
            f"Tanggal {day:%d-%m-%Y} sudah tercatat sebagai hari libur.",
            f"{day.isoformat()} is already a holiday.",
        )
    holiday = Holiday(day=day, name=name)
    session.add(holiday)
    audit.record(
        session,
        actor=actor,
        action="complaint.holiday_add",
        object_type="holiday",
        object_id=day.isoformat(),
        after={"name": name},
    )
    session.commit()
    return holiday


def remove_holiday(*, session: Session, actor: Actor, day: date) -> None:
    """Remove a non-working day from the calendar."""
    from pontive.complaints.service import MANAGE_CATALOGUE  # late: service imports sla

    permissions.require(actor, MANAGE_CATALOGUE)
    holiday = session.get(Holiday, day)
    if holiday is None:
        raise NotFound(
            f"Tanggal {day:%d-%m-%Y} bukan hari libur yang tercatat.",
            f"{day.isoformat()} is not a recorded holiday.",
        )
    audit.record(
        session,
        actor=actor,
        action="complaint.holiday_remove",
        object_type="holiday",
        object_id=day.isoformat(),
        before={"name": holiday.name},
    )
    session.delete(holiday)
    session.commit()
