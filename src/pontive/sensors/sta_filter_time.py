"""Time values in filters: instants and intervals, their comparison and calendar parts.

SensorThings times are TM_Instant or TM_Period (18-088, 8.2). Comparisons follow FROST-Server
(its ``DateTimeTests`` are the de-facto 1.1 suite), with periods half-open ``[start, end)``:

* ``A lt B``: A is an interval ? ``A.end <= B.start`` : ``A.start < B.start``
* ``A le B``: ``A.start <= B.start and A.end <= B.end`` (an instant's end is its start)
* ``A eq B``: same start and same end; ``ne`` is its negation; ``gt``/``ge`` mirror lt/le.

All parts (year … second) are taken in UTC, where every time is stored. A column is
compared against a constant in the column's own storage form, so indexes keep working.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    Numeric,
    String,
    Time,
    and_,
    case,
    cast,
    extract,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    true,
)

from pontive.sensors.sta_filter_sql import MICROS, Sql, SqlDialect

Instant = datetime | Sql
_PY_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip
_SQL_OPS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip
MIN_INSTANT = datetime(1, 1, 1, tzinfo=UTC)
MAX_INSTANT = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TimeValue:
    """An instant or interval: constants (datetimes) or columns, shifted by ``offset``.

    ``end`` is ``None`` for an instant; for a column it may be NULL row by row (an
    Observation's phenomenonTime is an interval only when its end column is set).
    """

    start: Instant
    end: Instant | None = None
    offset: timedelta = timedelta(0)

    def shifted(self, delta: timedelta) -> TimeValue:
        """This value moved by ``delta`` (``time add duration``)."""
        if isinstance(self.start, datetime):
            end = self.end + delta if isinstance(self.end, datetime) else None
            return TimeValue(self.start + delta, end)
        return replace(self, offset=self.offset + delta)

    def effective_end(self) -> Instant:
        """The end, or the start for an instant (per row for columns)."""
        if self.end is None:
            return self.start
        if isinstance(self.end, datetime) or isinstance(self.start, datetime):
            return self.end
        return func.coalesce(self.end, self.start)


class TimeCompiler:
    """Comparisons and calendar functions of ``TimeValue`` for one backend."""

    def __init__(self, sql: SqlDialect) -> None:
        self.sql = sql

    def _point(
        self, op: str, left: Instant, loff: timedelta, right: Instant, roff: timedelta
    ) -> ColumnElement[bool]:
        if isinstance(left, datetime) and isinstance(right, datetime):
            return true() if _PY_OPS[op](left + loff, right + roff) else false()
        if isinstance(right, datetime) and not isinstance(left, datetime):
            return _SQL_OPS[op](left, self.sql.bind_instant(right + roff - loff, left))
        if isinstance(left, datetime) and not isinstance(right, datetime):
            return _SQL_OPS[op](self.sql.bind_instant(left + loff - roff, right), right)
        assert not isinstance(left, datetime)  # noqa: S101 - both are columns here
        assert not isinstance(right, datetime)  # noqa: S101
        if loff == roff and type(left.type) is type(right.type):
            return _SQL_OPS[op](left, right)
        return _SQL_OPS[op](self.sql.canonical(left, loff), self.sql.canonical(right, roff))

    def compare(self, op: str, a: TimeValue, b: TimeValue) -> ColumnElement[bool]:
        """``a op b`` with the interval rules of the module docstring."""
        if op == "gt":
            return self.compare("lt", b, a)
        if op == "ge":
            return self.compare("le", b, a)
        if op == "lt":
            return self._less(a, b)
        if op == "le":
            return self._less_equal(a, b)
        same = self._both("eq", a, b)
        return same if op == "eq" else not_(same)

    def _cmp(
        self, op: str, left: Instant, a: TimeValue, right: Instant, b: TimeValue
    ) -> ColumnElement[bool]:
        return self._point(op, left, a.offset, right, b.offset)

    def _both(self, op: str, a: TimeValue, b: TimeValue) -> ColumnElement[bool]:
        starts = self._cmp(op, a.start, a, b.start, b)
        if a.end is None and b.end is None:
            return starts
        return and_(starts, self._cmp(op, a.effective_end(), a, b.effective_end(), b))

    def _less(self, a: TimeValue, b: TimeValue) -> ColumnElement[bool]:
        if a.end is None:
            return self._cmp("lt", a.start, a, b.start, b)
        if isinstance(a.end, datetime):
            return self._cmp("le", a.end, a, b.start, b)
        as_instant = and_(a.end.is_(None), self._cmp("lt", a.start, a, b.start, b))
        as_interval = self._cmp("le", a.end, a, b.start, b)
        # The leading start condition is implied; it lets the start index serve the query.
        return and_(self._cmp("le", a.start, a, b.start, b), or_(as_instant, as_interval))

    def _less_equal(self, a: TimeValue, b: TimeValue) -> ColumnElement[bool]:
        starts = self._cmp("le", a.start, a, b.start, b)
        if a.end is None:  # an instant: start <= b.start implies start <= b.end
            return starts
        ends = self._cmp("le", a.effective_end(), a, b.effective_end(), b)
        return and_(starts, ends)

    # --- FROST-Server's temporal functions ----------------------------------------------

    def relation(self, name: str, a: TimeValue, b: TimeValue) -> ColumnElement[bool]:
        """``before``, ``after``, ``meets``, ``during``, ``overlaps``, ``starts`` or
        ``finishes`` of ``a`` and ``b`` (FROST-Server's extension, in its ``DateTimeTests``):
        periods half-open ``[start, end)``, an instant is its own start and end."""
        if name in ("before", "after"):
            return self.compare("lt" if name == "before" else "gt", a, b)
        a_end, b_end = a.effective_end(), b.effective_end()
        same_start = self._cmp("eq", a.start, a, b.start, b)
        if name == "starts":
            return same_start
        if name == "finishes":
            return self._cmp("eq", a_end, a, b_end, b)
        if name == "meets":
            return or_(self._cmp("eq", a_end, a, b.start, b), self._cmp("eq", b_end, b, a.start, a))
        if name == "during":  # within b, and an instant before b's (excluded) end
            return and_(
                self._cmp("ge", a.start, a, b.start, b),
                self._cmp("le", a_end, a, b_end, b),
                or_(self._cmp("lt", a.start, a, b_end, b), same_start),
            )
        # overlaps: each starts before the other ends (or both start together).
        return and_(
            or_(self._cmp("lt", a.start, a, b_end, b), same_start),
            or_(self._cmp("lt", b.start, b, a_end, a), same_start),
        )

    # --- calendar parts (OData 5.1.1.4 date and time functions) ---------------------------

    def part(self, name: str, value: TimeValue) -> Sql:
        """year, month, day, hour, minute or second of the value's start, in UTC."""
        if isinstance(value.start, datetime):
            moment = value.start.astimezone(UTC)
            return literal(getattr(moment, name), Integer)
        if self.sql.is_postgres:
            stamp = func.timezone("UTC", self.sql.canonical(value.start, value.offset))
            return cast(func.floor(extract(name, stamp)), Integer)
        fmt = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M"}
        return cast(self._strftime(fmt.get(name, "%S"), value), Integer)

    def fractional_seconds(self, value: TimeValue) -> Sql:
        """The fraction of the second (0 ≤ f < 1)."""
        if isinstance(value.start, datetime):
            return literal(value.start.microsecond / MICROS, Float)
        if self.sql.is_postgres:
            stamp = self.sql.canonical(value.start, value.offset)
            micros = cast(extract("microseconds", stamp), Numeric) % MICROS
            return cast(micros, Float) / MICROS
        return cast(self._sqlite_fraction(value), Float) / MICROS

    def date(self, value: TimeValue) -> Sql:
        """The UTC calendar date."""
        if isinstance(value.start, datetime):
            return self.sql.date_constant(value.start.astimezone(UTC).date())
        if self.sql.is_postgres:
            stamp = func.timezone("UTC", self.sql.canonical(value.start, value.offset))
            return cast(stamp, Date)
        return self._strftime("%Y-%m-%d", value)

    def time(self, value: TimeValue) -> Sql:
        """The UTC time of day."""
        if isinstance(value.start, datetime):
            return self.sql.time_constant(value.start.astimezone(UTC).timetz().replace(tzinfo=None))
        if self.sql.is_postgres:
            stamp = func.timezone("UTC", self.sql.canonical(value.start, value.offset))
            return cast(stamp, Time)
        fraction = func.printf("%06d", self._sqlite_fraction(value), type_=String)
        return self._strftime("%H:%M:%S", value) + "." + fraction

    def total_offset_minutes(self, value: TimeValue) -> Sql:
        """The zone offset in minutes: a literal's own; 0 for stored times (kept in UTC)."""
        if isinstance(value.start, datetime):
            offset = value.start.utcoffset() or timedelta(0)
            return literal(int(offset.total_seconds() // 60), Integer)
        return case((value.start.is_(None), null()), else_=literal(0, Integer))

    def _sqlite_fraction(self, value: TimeValue) -> Sql:
        micros = self.sql.canonical(value.start, value.offset)  # type: ignore[arg-type]
        return (micros % MICROS + MICROS) % MICROS

    def _strftime(self, fmt: str, value: TimeValue) -> Sql:
        start = value.start
        assert not isinstance(start, datetime)  # noqa: S101 - constants are handled by callers
        if self.sql.is_text_instant(start) and not value.offset:
            return func.strftime(fmt, start, type_=String)
        micros = self.sql.canonical(start, value.offset)
        seconds = (micros - self._sqlite_fraction(value)) // MICROS
        return func.strftime(fmt, seconds, "unixepoch", type_=String)

    def difference(self, a: TimeValue, b: TimeValue) -> Sql:
        """``a sub b`` between the starts, as a duration (interval / microseconds)."""
        return self._canonical(a) - self._canonical(b)

    def _canonical(self, value: TimeValue) -> Sql:
        if isinstance(value.start, datetime):
            return self.sql.instant_constant(value.start)
        return self.sql.canonical(value.start, value.offset)
