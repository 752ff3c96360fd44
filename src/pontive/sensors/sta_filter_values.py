"""Typed values of a filter expression and the rules that combine them.

A compiled sub-expression is one of: a typed SQL expression (``SqlValue``), a Python
constant (``Const``), a time (``TimeValue``), a JSON member (``JsonValue``, typed by what it
meets), an Observation result (``ResultValue``: ``result_number`` for numbers, ``result_json``
otherwise), a geometry (``GeometryValue``) or a per-row geo number (``GeoNumber``).
Comparisons and arithmetic check the types (OData 5.1.1.1 and 5.1.1.2) and say where they clash.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, String, false, literal, not_, or_, true

from pontive.sensors.sta_filter_geo import GeometryValue, GeoNumber, keys_in
from pontive.sensors.sta_filter_sql import JsonPath, Sql, SqlDialect
from pontive.sensors.sta_filter_time import TimeCompiler, TimeValue
from pontive.sensors.sta_query_errors import FilterError


class Kind(StrEnum):
    """Value types."""

    BOOL = "boolean"
    NUMBER = "number"
    STRING = "string"
    DURATION = "duration"
    DATE = "date"
    TIMEOFDAY = "time of day"
    NULL = "null"


@dataclass(frozen=True, slots=True)
class SqlValue:
    """A SQL expression of a known type."""

    kind: Kind
    expr: Sql


@dataclass(frozen=True, slots=True)
class Const:
    """A constant known at compile time."""

    kind: Kind
    value: Any


@dataclass(frozen=True, slots=True)
class JsonValue:
    """A member of a JSON column (``properties/owner``); its type is decided by use."""

    column: Sql
    path: JsonPath


@dataclass(frozen=True, slots=True)
class ResultValue:
    """An Observation's ``result``."""

    number: Sql
    json: Sql


Value = SqlValue | Const | TimeValue | JsonValue | ResultValue | GeometryValue | GeoNumber
POLYMORPHIC = (JsonValue, ResultValue)
PY_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip


def type_name(value: Value) -> str:
    """A human name of the value's type, for messages."""
    if isinstance(value, SqlValue | Const):
        return str(value.kind)
    names = {TimeValue: "date-time", JsonValue: "JSON value", ResultValue: "result",
             GeometryValue: "geometry", GeoNumber: "number"}  # fmt: skip
    return names[type(value)]


def type_error(message_en: str, message_id: str, pos: int) -> FilterError:
    """A type error at ``pos``."""
    return FilterError(message_id, message_en, position=pos)


class Coercer:
    """Turns values into SQL of a wanted type, for one backend."""

    def __init__(self, sql: SqlDialect, times: TimeCompiler) -> None:
        self.sql = sql
        self.times = times

    def constant(self, value: Const) -> Sql:
        """A constant as a bound parameter of its type."""
        if value.kind is Kind.NUMBER:
            number = value.value
            is_int64 = isinstance(number, int) and -(2**63) <= number < 2**63
            return literal(number, Integer if is_int64 else Float)
        if value.kind is Kind.STRING:
            return literal(value.value, String)
        if value.kind is Kind.BOOL:
            return true() if value.value else false()
        if value.kind is Kind.DATE:
            return self.sql.date_constant(value.value)
        if value.kind is Kind.TIMEOFDAY:
            return self.sql.time_constant(value.value)
        if value.kind is Kind.DURATION:
            return self.sql.duration_constant(value.value)
        return literal(None)

    def to_kind(self, value: Value, kind: Kind, pos: int) -> Sql:
        """``value`` as SQL of ``kind`` (JSON members and results are read typed)."""
        if isinstance(value, Const) and value.kind in (kind, Kind.NULL):
            return self.constant(value)
        if isinstance(value, SqlValue) and value.kind is kind:
            return value.expr
        if isinstance(value, GeoNumber) and kind is Kind.NUMBER:
            return value.as_sql()
        if isinstance(value, JsonValue | ResultValue) and kind in (
            Kind.NUMBER, Kind.STRING, Kind.BOOL,
        ):  # fmt: skip
            return self._typed_member(value, kind)
        raise type_error(
            f"expected a {kind}, found a {type_name(value)}",
            f"diharapkan {kind}, ditemukan {type_name(value)}",
            pos,
        )

    def _typed_member(self, value: JsonValue | ResultValue, kind: Kind) -> Sql:
        if isinstance(value, ResultValue):
            if kind is Kind.NUMBER:
                return value.number  # numeric results live in result_number (ingest)
            value = JsonValue(value.json, ())
        readers = {Kind.NUMBER: self.sql.json_number, Kind.STRING: self.sql.json_string,
                   Kind.BOOL: self.sql.json_bool}  # fmt: skip
        return readers[kind](value.column, value.path)

    def to_bool(self, value: Value, pos: int) -> ColumnElement[bool]:
        """A boolean condition (a bare boolean property means ``eq true``)."""
        if isinstance(value, Const) and value.kind is Kind.NULL:
            return false()
        expr = self.to_kind(value, Kind.BOOL, pos)
        if isinstance(value, SqlValue | Const):
            return expr
        return expr == true()

    def to_time(self, value: Value, pos: int) -> TimeValue:
        """A time (a date literal means its midnight UTC)."""
        if isinstance(value, TimeValue):
            return value
        if isinstance(value, Const) and value.kind is Kind.DATE:
            return TimeValue(datetime.combine(value.value, time(0), tzinfo=UTC))
        raise type_error(
            f"expected a date-time, found a {type_name(value)}",
            f"diharapkan tanggal-waktu, ditemukan {type_name(value)}",
            pos,
        )

    def is_null(self, value: Value) -> ColumnElement[bool]:
        """``value eq null``."""
        if isinstance(value, Const):
            return true() if value.value is None else false()
        if isinstance(value, SqlValue):
            return value.expr.is_(None)
        if isinstance(value, JsonValue):
            return self.sql.json_is_null(value.column, value.path)
        if isinstance(value, ResultValue):
            return value.number.is_(None) & self.sql.json_is_null(value.json, ())
        if isinstance(value, TimeValue):
            start = value.start
            return false() if isinstance(start, datetime) else start.is_(None)
        if isinstance(value, GeometryValue):
            source = value.source
            return false() if source is None else self.sql.json_is_null(source.column, ())
        return not_(keys_in(value.id_columns, list(value.values))) if value.values else true()


class Comparer:
    """``a op b`` for eq ne gt ge lt le."""

    def __init__(self, coercer: Coercer) -> None:
        self.to = coercer

    def compare(self, op: str, a: Value, b: Value, pos: int) -> ColumnElement[bool]:
        """The SQL condition of ``a op b``."""
        for this, other in ((a, b), (b, a)):
            if isinstance(this, Const) and this.kind is Kind.NULL:
                if op not in ("eq", "ne"):
                    return false()
                null_test = self.to.is_null(other)
                return null_test if op == "eq" else not_(null_test)
        if isinstance(a, TimeValue) or isinstance(b, TimeValue):
            left, right = self.to.to_time(a, pos), self.to.to_time(b, pos)
            return self.to.times.compare(op, left, right)
        if isinstance(a, GeoNumber) and _is_number_const(b):
            return a.where(op, b.value)  # type: ignore[union-attr]
        if isinstance(b, GeoNumber) and _is_number_const(a):
            return b.where(_MIRROR[op], a.value)  # type: ignore[union-attr]
        return self._compare_typed(op, a, b, pos)

    def _compare_typed(self, op: str, a: Value, b: Value, pos: int) -> ColumnElement[bool]:
        if isinstance(a, POLYMORPHIC) and isinstance(b, POLYMORPHIC):
            as_numbers = self._sql(op, Kind.NUMBER, a, b, pos)
            return or_(as_numbers, self._sql(op, Kind.STRING, a, b, pos))
        kind = _concrete_kind(a) or _concrete_kind(b)
        if kind is None:
            raise _incomparable(a, b, pos)
        for side in (a, b):
            side_kind = _concrete_kind(side)
            if side_kind is not None and side_kind is not kind:
                raise _incomparable(a, b, pos)
        if isinstance(a, Const) and isinstance(b, Const):
            return true() if PY_OPS[op](a.value, b.value) else false()
        if kind in (Kind.BOOL, Kind.NULL) and op not in ("eq", "ne"):
            raise _incomparable(a, b, pos)
        return self._sql(op, kind, a, b, pos)

    def _sql(self, op: str, kind: Kind, a: Value, b: Value, pos: int) -> ColumnElement[bool]:
        left, right = self.to.to_kind(a, kind, pos), self.to.to_kind(b, kind, pos)
        result: ColumnElement[bool] = PY_OPS[op](left, right)
        return result


_MIRROR = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def _is_number_const(value: Value) -> bool:
    return isinstance(value, Const) and value.kind is Kind.NUMBER


def _concrete_kind(value: Value) -> Kind | None:
    if isinstance(value, SqlValue | Const):
        return value.kind
    if isinstance(value, GeoNumber):
        return Kind.NUMBER
    if isinstance(value, GeometryValue):
        return Kind.NULL  # never equal to another kind: geometries go through geo functions
    return None


def _incomparable(a: Value, b: Value, pos: int) -> FilterError:
    return type_error(
        f"cannot compare a {type_name(a)} with a {type_name(b)}",
        f"tidak dapat membandingkan {type_name(a)} dengan {type_name(b)}",
        pos,
    )


def constant_of(value: object) -> Const:
    """A Python constant as a ``Const`` of the matching kind."""
    if value is None:
        return Const(Kind.NULL, None)
    if isinstance(value, bool):
        return Const(Kind.BOOL, value)
    if isinstance(value, int | float):
        return Const(Kind.NUMBER, value)
    if isinstance(value, str):
        return Const(Kind.STRING, value)
    if isinstance(value, timedelta):
        return Const(Kind.DURATION, value)
    if isinstance(value, time):
        return Const(Kind.TIMEOFDAY, value)
    if isinstance(value, date):
        return Const(Kind.DATE, value)
    raise TypeError(f"no filter constant for {value!r}")


def bool_value(expr: ColumnElement[bool] | bool) -> Value:
    """A condition (or a Python answer) as a boolean value."""
    if isinstance(expr, bool):
        return Const(Kind.BOOL, expr)
    return SqlValue(Kind.BOOL, expr)
