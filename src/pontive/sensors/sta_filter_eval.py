"""Compile expression nodes into typed values and conditions (inside one query scope).

Property paths are resolved by a callback of the compiler, which knows the navigation scopes
(``sta_filter_compile``); everything else — literals, arithmetic (OData 5.1.1.2), function
calls, comparisons — is handled here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_

from pontive.sensors.sta_filter_ast import (
    Arith,
    Call,
    Compare,
    Expr,
    Literal,
    LiteralKind,
    Logical,
    Negate,
    Not,
    Path,
)
from pontive.sensors.sta_filter_functions import CallSite, FunctionContext, call_function
from pontive.sensors.sta_filter_geo import GeoFunctions, GeometryValue, GeoNumber
from pontive.sensors.sta_filter_sql import SqlDialect
from pontive.sensors.sta_filter_time import TimeCompiler, TimeValue
from pontive.sensors.sta_filter_values import (
    Coercer,
    Comparer,
    Const,
    Kind,
    SqlValue,
    Value,
    constant_of,
    type_error,
    type_name,
)
from pontive.sensors.sta_query_errors import FilterError

PathResolver = Callable[[Path], Value]


def _python_arith(op: str, left: float, right: float) -> float | None:
    if op == "add":
        return left + right
    if op == "sub":
        return left - right
    if op == "mul":
        return left * right
    if right == 0:
        return None  # as SQL: division by zero is null
    if op == "div":
        return left / right
    return left - right * int(left / right)


class Evaluator:
    """Values and conditions of expression nodes for one backend and one scope."""

    def __init__(
        self, *, sql: SqlDialect, geo: GeoFunctions, now: datetime, resolve: PathResolver
    ) -> None:
        self.sql = sql
        self.to = Coercer(sql, TimeCompiler(sql))
        self.comparer = Comparer(self.to)
        self.functions = FunctionContext(self.to, geo, now)
        self.resolve = resolve

    def condition(self, node: Expr) -> ColumnElement[bool]:
        """``node`` as a SQL condition."""
        if isinstance(node, Compare):
            left, right = self.value(node.left), self.value(node.right)
            return self.comparer.compare(node.op, left, right, node.pos)
        if isinstance(node, Logical):
            join = and_ if node.op == "and" else or_
            return join(self.condition(node.left), self.condition(node.right))
        if isinstance(node, Not):
            return not_(self.condition(node.operand))
        return self.to.to_bool(self.value(node), _pos(node))

    def value(self, node: Expr) -> Value:
        """``node`` as a typed value."""
        if isinstance(node, Literal):
            return _literal_value(node)
        if isinstance(node, Path):
            return self.resolve(node)
        if isinstance(node, Arith):
            return self._arith(node.op, self.value(node.left), self.value(node.right), node.pos)
        if isinstance(node, Negate):
            return self._negate(self.value(node.operand), node.pos)
        if isinstance(node, Call):
            args = tuple(self.value(arg) for arg in node.args)
            return call_function(self.functions, CallSite(node.name, args, node.pos))
        return SqlValue(Kind.BOOL, self.condition(node))

    def _arith(self, op: str, a: Value, b: Value, pos: int) -> Value:
        if isinstance(a, TimeValue) or isinstance(b, TimeValue):
            return self._time_arith(op, a, b, pos)
        if _is_kind(a, Kind.DURATION) and _is_kind(b, Kind.DURATION) and op in ("add", "sub"):
            left, right = a.value, b.value  # type: ignore[union-attr]
            return Const(Kind.DURATION, left + right if op == "add" else left - right)
        if isinstance(a, GeoNumber) and _is_kind(b, Kind.NUMBER):
            constant = b.value  # type: ignore[union-attr]
            return a.mapped(lambda value: _python_arith(op, value, constant))
        if isinstance(b, GeoNumber) and _is_kind(a, Kind.NUMBER):
            constant = a.value  # type: ignore[union-attr]
            return b.mapped(lambda value: _python_arith(op, constant, value))
        left, right = self.to.to_kind(a, Kind.NUMBER, pos), self.to.to_kind(b, Kind.NUMBER, pos)
        return SqlValue(Kind.NUMBER, self._number_op(op, left, right))

    def _number_op(self, op: str, left: Any, right: Any) -> Any:
        if op == "add":
            return left + right
        if op == "sub":
            return left - right
        if op == "mul":
            return left * right
        if op == "div":
            return left / func.nullif(right, 0)
        return self.sql.modulo(left, right)

    def _time_arith(self, op: str, a: Value, b: Value, pos: int) -> Value:
        try:
            if isinstance(a, TimeValue) and _is_kind(b, Kind.DURATION) and op in ("add", "sub"):
                delta: timedelta = b.value  # type: ignore[union-attr]
                return a.shifted(delta if op == "add" else -delta)
            if isinstance(b, TimeValue) and _is_kind(a, Kind.DURATION) and op == "add":
                return b.shifted(a.value)  # type: ignore[union-attr]
            if isinstance(a, TimeValue) and isinstance(b, TimeValue) and op == "sub":
                if isinstance(a.start, datetime) and isinstance(b.start, datetime):
                    return Const(Kind.DURATION, a.start - b.start)
                return SqlValue(Kind.DURATION, self.to.times.difference(a, b))
        except OverflowError as error:
            raise FilterError(
                "tanggal-waktu di luar jangkauan", "date-time out of range", position=pos
            ) from error
        raise type_error(
            f"'{op}' cannot combine a {type_name(a)} and a {type_name(b)}",
            f"'{op}' tidak dapat menggabungkan {type_name(a)} dan {type_name(b)}",
            pos,
        )

    def _negate(self, value: Value, pos: int) -> Value:
        if isinstance(value, Const) and value.kind in (Kind.NUMBER, Kind.DURATION):
            return Const(value.kind, -value.value)
        if isinstance(value, GeoNumber):
            return value.mapped(lambda number: -number)
        return SqlValue(Kind.NUMBER, -self.to.to_kind(value, Kind.NUMBER, pos))


def _is_kind(value: Value, kind: Kind) -> bool:
    return isinstance(value, Const) and value.kind is kind


def _literal_value(node: Literal) -> Value:
    if node.kind is LiteralKind.DATETIME:
        return TimeValue(node.value)
    if node.kind is LiteralKind.INTERVAL:
        return TimeValue(node.value[0], node.value[1])
    if node.kind is LiteralKind.GEOMETRY:
        return GeometryValue(constant=node.value)
    return constant_of(node.value)


def _pos(node: Expr) -> int:
    return node.pos
