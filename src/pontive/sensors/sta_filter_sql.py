"""SQL building blocks that differ between SQLite and PostgreSQL (plain, no PostGIS).

JSON members are read *typed*: a number comparison sees only JSON numbers, a boolean one
only JSON booleans, and a string one JSON strings and the text of JSON numbers (FROST-Server
does the same: ``parameters/int eq '5'`` matches 5 and "5"), so that a stray string never
breaks a numeric comparison with a cast error on PostgreSQL. Instants are compared in each
backend's own form (``timestamptz``; integer microseconds or UTC text on SQLite) and brought
to one canonical form only when two columns of different storage meet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    Interval,
    Numeric,
    String,
    Text,
    Time,
    case,
    cast,
    func,
    literal,
    null,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY

from pontive.core.db import UTCDateTime
from pontive.sensors.models import InstantColumn, to_micros

JsonPath = tuple[str | int, ...]
Sql = ColumnElement[Any]
MICROS = 1_000_000


class SqlDialect:
    """Builders for one backend: ``sqlite`` or ``postgresql``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_postgres = name == "postgresql"

    # --- JSON members ---------------------------------------------------------------------

    def _sqlite_path(self, path: JsonPath) -> Sql:
        text = "$" + "".join(
            f"[{part}]" if isinstance(part, int) else f'."{part}"' for part in path
        )
        return literal(text, String)

    def _pg_member(self, column: Sql, path: JsonPath, *, as_text: bool) -> Sql:
        # ``#>> '{}'`` is the whole value as text (a JSON string without its quotes).
        parts = literal([str(part) for part in path], ARRAY(Text))
        if as_text:
            return column.op("#>>", return_type=Text)(parts)
        return column.op("#>", return_type=column.type)(parts)

    def json_type(self, column: Sql, path: JsonPath) -> Sql:
        """The JSON type name of a member (SQLite and PostgreSQL spellings), NULL if missing."""
        if self.is_postgres:
            return func.json_typeof(self._pg_member(column, path, as_text=False))
        return func.json_type(column, self._sqlite_path(path))

    def _sqlite_extract(self, column: Sql, path: JsonPath) -> Sql:
        return func.json_extract(column, self._sqlite_path(path))

    def json_number(self, column: Sql, path: JsonPath) -> Sql:
        """The member as a float when it is a JSON number, else NULL."""
        kind = self.json_type(column, path)
        if self.is_postgres:
            text = self._pg_member(column, path, as_text=True)
            return case((kind == "number", cast(text, Float)), else_=null())
        value = cast(self._sqlite_extract(column, path), Float)
        return case((kind.in_(("integer", "real")), value), else_=null())

    def json_string(self, column: Sql, path: JsonPath) -> Sql:
        """The member as text when it is a JSON string (or the text of a JSON number)."""
        kind = self.json_type(column, path)
        if self.is_postgres:
            text = self._pg_member(column, path, as_text=True)
            return case((kind.in_(("string", "number")), text), else_=null())
        value = cast(self._sqlite_extract(column, path), Text)
        return case((kind.in_(("text", "integer", "real")), value), else_=null())

    def json_bool(self, column: Sql, path: JsonPath) -> Sql:
        """The member as a boolean when it is a JSON boolean, else NULL."""
        kind = self.json_type(column, path)
        if self.is_postgres:
            text = self._pg_member(column, path, as_text=True)
            return case((kind == "boolean", cast(text, Boolean)), else_=null())
        return case(
            (kind == "true", literal(True)), (kind == "false", literal(False)), else_=null()
        )

    def json_is_null(self, column: Sql, path: JsonPath) -> ColumnElement[bool]:
        """Whether the member is missing, JSON null, or the column is SQL NULL."""
        return func.coalesce(self.json_type(column, path), "null") == "null"

    # --- strings and numbers --------------------------------------------------------------

    def position(self, haystack: Sql, needle: Sql) -> Sql:
        """1-based position of ``needle`` in ``haystack``, 0 when absent (case-sensitive)."""
        if self.is_postgres:
            return func.strpos(haystack, needle)
        return func.instr(haystack, needle)

    def integer(self, value: Sql) -> Sql:
        """``value`` as an integer argument (PostgreSQL functions want ``integer``)."""
        return cast(value, Integer) if self.is_postgres else value

    def round(self, value: Sql) -> Sql:
        """Round half away from zero (OData ``round``)."""
        if self.is_postgres:
            return cast(func.round(cast(value, Numeric)), Float)
        return func.round(value)

    def floor(self, value: Sql) -> Sql:
        """The largest integer not above ``value`` (no SQLite math extension needed)."""
        if self.is_postgres:
            return func.floor(value)
        whole = cast(value, Integer)
        return whole - case((value < whole, 1), else_=0)

    def ceiling(self, value: Sql) -> Sql:
        """The smallest integer not below ``value``."""
        if self.is_postgres:
            return func.ceil(value)
        whole = cast(value, Integer)
        return whole + case((value > whole, 1), else_=0)

    def modulo(self, left: Sql, right: Sql) -> Sql:
        """``left mod right`` with the sign of ``left``; NULL for a zero divisor."""
        divisor = func.nullif(right, 0)
        if self.is_postgres:
            return cast(func.mod(cast(left, Numeric), cast(divisor, Numeric)), Float)
        return left - divisor * cast(left / divisor, Integer)

    # --- instants -------------------------------------------------------------------------

    def is_text_instant(self, column: Sql) -> bool:
        """Whether ``column`` holds UTC text on this backend (``UTCDateTime`` on SQLite)."""
        return not self.is_postgres and isinstance(column.type, UTCDateTime)

    def bind_instant(self, value: datetime, like: Sql) -> Sql:
        """``value`` bound with ``like``'s column type, so it compares in the column's form."""
        if isinstance(like.type, InstantColumn | UTCDateTime):
            return literal(value, like.type)
        return self.instant_constant(value)

    def instant_constant(self, value: datetime) -> Sql:
        """A constant instant in canonical form (``timestamptz`` / microseconds)."""
        if self.is_postgres:
            return literal(value, DateTime(timezone=True))
        return literal(to_micros(value), Integer)

    def canonical(self, column: Sql, offset: timedelta) -> Sql:
        """An instant column (plus ``offset``) in canonical form, for column-column work."""
        if self.is_postgres:
            return column + literal(offset, Interval) if offset else column
        micros = self._sqlite_micros(column)
        return micros + literal(_micros(offset), Integer) if offset else micros

    def _sqlite_micros(self, column: Sql) -> Sql:
        if not self.is_text_instant(column):
            # Plain integer arithmetic: literals must not go through InstantColumn's binding.
            return type_coerce(column, Integer)
        whole = cast(func.strftime("%s", column), Integer) * MICROS
        return whole + cast(func.substr(column, 21, 6), Integer)

    def duration_constant(self, value: timedelta) -> Sql:
        """A constant duration in the form a difference of two canonical instants has."""
        if self.is_postgres:
            return literal(value, Interval)
        return literal(_micros(value), Integer)

    def date_constant(self, value: Any) -> Sql:
        """A constant ``date`` (ISO text on SQLite)."""
        return literal(value, Date) if self.is_postgres else literal(value.isoformat(), String)

    def time_constant(self, value: Any) -> Sql:
        """A constant time of day (``HH:MM:SS.ffffff`` text on SQLite)."""
        if self.is_postgres:
            return literal(value, Time)
        return literal(value.strftime("%H:%M:%S.%f"), String)


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * MICROS + delta.microseconds
