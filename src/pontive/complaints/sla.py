"""Working-day arithmetic for service levels: weekends and configured holidays don't count."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.models import Holiday


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
