"""The built-in query functions of SensorThings 1.1 (18-088 Table 23, OData 5.1.1.4 to 5.1.1.7).

String functions are case-sensitive; positions are 0-based as in OData (``indexof`` gives -1
when absent, ``substring('abc', 1)`` is ``'bc'``). Date functions read UTC. ``now()`` is the
moment the query was compiled. Geo functions evaluate in ``sta_filter_geo``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, func, literal

from pontive.sensors.sta_filter_geo import (
    PREDICATES,
    GeoFunctions,
    GeometryValue,
    GeoNumber,
    check_relate_pattern,
    relate_test,
)
from pontive.sensors.sta_filter_sql import Sql
from pontive.sensors.sta_filter_time import MAX_INSTANT, MIN_INSTANT, TimeValue
from pontive.sensors.sta_filter_values import (
    Coercer,
    Const,
    Kind,
    SqlValue,
    Value,
    bool_value,
    type_error,
    type_name,
)
from pontive.sensors.sta_query_errors import FilterError

# FROST-Server's time-interval functions (not in 18-088; in its DateTimeTests).
FROST_TEMPORAL = ("before", "after", "meets", "during", "overlaps", "starts", "finishes")


@dataclass(frozen=True, slots=True)
class CallSite:
    """One function call being compiled: its arguments and where it is."""

    name: str
    args: Sequence[Value]
    pos: int


@dataclass(frozen=True, slots=True)
class FunctionContext:
    """What the implementations need: coercion, geo evaluation and the query's ``now``."""

    to: Coercer
    geo: GeoFunctions
    now: datetime

    def string(self, call: CallSite, index: int) -> Sql:
        """Argument ``index`` as a string expression."""
        return self.to.to_kind(call.args[index], Kind.STRING, call.pos)

    def number(self, call: CallSite, index: int) -> Sql:
        """Argument ``index`` as a number expression."""
        return self.to.to_kind(call.args[index], Kind.NUMBER, call.pos)

    def time(self, call: CallSite, index: int) -> TimeValue:
        """Argument ``index`` as a time."""
        return self.to.to_time(call.args[index], call.pos)

    def geometry(self, call: CallSite, index: int) -> GeometryValue:
        """Argument ``index`` as a geometry (a WKT literal or a GeoJSON property)."""
        value = call.args[index]
        if isinstance(value, GeometryValue):
            return value
        raise type_error(
            f"{call.name}: argument {index + 1} must be a geometry, not a {type_name(value)}",
            f"{call.name}: argumen {index + 1} harus geometri, bukan {type_name(value)}",
            call.pos,
        )


Impl = Callable[[FunctionContext, CallSite], Value]


def _length(expr: Sql) -> Sql:
    return func.length(expr, type_=Integer)


def _substr(*args: Any) -> Sql:
    return func.substr(*args, type_=String)


def _boolean(expr: Sql) -> Value:
    return SqlValue(Kind.BOOL, expr)


def _substringof(ctx: FunctionContext, call: CallSite) -> Value:
    needle, haystack = ctx.string(call, 0), ctx.string(call, 1)
    return _boolean(ctx.to.sql.position(haystack, needle) > 0)


def _contains(ctx: FunctionContext, call: CallSite) -> Value:
    haystack, needle = ctx.string(call, 0), ctx.string(call, 1)
    return _boolean(ctx.to.sql.position(haystack, needle) > 0)


def _startswith(ctx: FunctionContext, call: CallSite) -> Value:
    text, prefix = ctx.string(call, 0), ctx.string(call, 1)
    head = _substr(text, literal(1, Integer), ctx.to.sql.integer(_length(prefix)))
    return _boolean(head == prefix)


def _endswith(ctx: FunctionContext, call: CallSite) -> Value:
    text, suffix = ctx.string(call, 0), ctx.string(call, 1)
    start = ctx.to.sql.integer(_length(text) - _length(suffix) + 1)
    # A suffix longer than the text never matches (and SQLite reads a start < 1 backwards).
    return _boolean((_length(suffix) <= _length(text)) & (_substr(text, start) == suffix))


def _length_of(ctx: FunctionContext, call: CallSite) -> Value:
    return SqlValue(Kind.NUMBER, _length(ctx.string(call, 0)))


def _indexof(ctx: FunctionContext, call: CallSite) -> Value:
    text, needle = ctx.string(call, 0), ctx.string(call, 1)
    return SqlValue(Kind.NUMBER, ctx.to.sql.position(text, needle) - 1)


def _substring(ctx: FunctionContext, call: CallSite) -> Value:
    for extra in call.args[1:]:
        if isinstance(extra, Const) and extra.kind is Kind.NUMBER and extra.value < 0:
            raise FilterError(
                "substring: posisi dan panjang tidak boleh negatif",
                "substring: position and length must not be negative",
                position=call.pos,
            )
    text = ctx.string(call, 0)
    first = ctx.to.sql.integer(ctx.number(call, 1) + 1)  # OData is 0-based, SQL 1-based
    if len(call.args) == 2:
        return SqlValue(Kind.STRING, _substr(text, first))
    count = ctx.to.sql.integer(ctx.number(call, 2))
    return SqlValue(Kind.STRING, _substr(text, first, count))


def _text_fn(name: str) -> Impl:
    def apply(ctx: FunctionContext, call: CallSite) -> Value:
        return SqlValue(Kind.STRING, getattr(func, name)(ctx.string(call, 0), type_=String))

    return apply


def _concat(ctx: FunctionContext, call: CallSite) -> Value:
    return SqlValue(Kind.STRING, ctx.string(call, 0).concat(ctx.string(call, 1)))


def _part(name: str) -> Impl:
    def apply(ctx: FunctionContext, call: CallSite) -> Value:
        return SqlValue(Kind.NUMBER, ctx.to.times.part(name, ctx.time(call, 0)))

    return apply


def _fractional(ctx: FunctionContext, call: CallSite) -> Value:
    return SqlValue(Kind.NUMBER, ctx.to.times.fractional_seconds(ctx.time(call, 0)))


def _date(ctx: FunctionContext, call: CallSite) -> Value:
    return SqlValue(Kind.DATE, ctx.to.times.date(ctx.time(call, 0)))


def _time(ctx: FunctionContext, call: CallSite) -> Value:
    return SqlValue(Kind.TIMEOFDAY, ctx.to.times.time(ctx.time(call, 0)))


def _offset(ctx: FunctionContext, call: CallSite) -> Value:
    return SqlValue(Kind.NUMBER, ctx.to.times.total_offset_minutes(ctx.time(call, 0)))


def _math(name: str) -> Impl:
    def apply(ctx: FunctionContext, call: CallSite) -> Value:
        argument = call.args[0]
        if isinstance(argument, GeoNumber):
            python = {"round": _round_half_away, "floor": _floor, "ceiling": _ceiling}[name]
            return argument.mapped(python)
        return SqlValue(Kind.NUMBER, getattr(ctx.to.sql, name)(ctx.number(call, 0)))

    return apply


def _round_half_away(value: float) -> float:
    whole = float(int(abs(value) + 0.5))
    return whole if value >= 0 else -whole


def _floor(value: float) -> float:
    whole = float(int(value))
    return whole - 1 if value < whole else whole


def _ceiling(value: float) -> float:
    whole = float(int(value))
    return whole + 1 if value > whole else whole


def _predicate(name: str) -> Impl:
    def apply(ctx: FunctionContext, call: CallSite) -> Value:
        a, b = ctx.geometry(call, 0), ctx.geometry(call, 1)
        return bool_value(ctx.geo.predicate(PREDICATES[name], a, b))

    return apply


def _relate(ctx: FunctionContext, call: CallSite) -> Value:
    pattern_arg = call.args[2]
    pattern = check_relate_pattern(
        pattern_arg.value if isinstance(pattern_arg, Const) else None, call.pos
    )
    a, b = ctx.geometry(call, 0), ctx.geometry(call, 1)
    return bool_value(ctx.geo.predicate(relate_test(pattern), a, b))


def _geo_number(result: GeoNumber | float) -> Value:
    return result if isinstance(result, GeoNumber) else Const(Kind.NUMBER, result)


def _distance(ctx: FunctionContext, call: CallSite) -> Value:
    return _geo_number(ctx.geo.distance(ctx.geometry(call, 0), ctx.geometry(call, 1)))


def _geo_length(ctx: FunctionContext, call: CallSite) -> Value:
    return _geo_number(ctx.geo.length(ctx.geometry(call, 0)))


def _constant_time(value: Callable[[FunctionContext], datetime]) -> Impl:
    def apply(ctx: FunctionContext, call: CallSite) -> Value:
        return TimeValue(value(ctx))

    return apply


# name → (implementation, allowed argument counts)
def _temporal(name: str) -> Impl:
    def implementation(ctx: FunctionContext, call: CallSite) -> Value:
        return _boolean(ctx.to.times.relation(name, ctx.time(call, 0), ctx.time(call, 1)))

    return implementation


FUNCTIONS: Mapping[str, tuple[Impl, tuple[int, ...]]] = {
    "substringof": (_substringof, (2,)), "contains": (_contains, (2,)),
    "startswith": (_startswith, (2,)), "endswith": (_endswith, (2,)),
    "length": (_length_of, (1,)), "indexof": (_indexof, (2,)),
    "substring": (_substring, (2, 3)), "tolower": (_text_fn("lower"), (1,)),
    "toupper": (_text_fn("upper"), (1,)), "trim": (_text_fn("trim"), (1,)),
    "concat": (_concat, (2,)),
    **{name: (_part(name), (1,)) for name in ("year", "month", "day", "hour", "minute", "second")},
    "fractionalseconds": (_fractional, (1,)), "date": (_date, (1,)), "time": (_time, (1,)),
    "totaloffsetminutes": (_offset, (1,)),
    "now": (_constant_time(lambda ctx: ctx.now), (0,)),
    "mindatetime": (_constant_time(lambda ctx: MIN_INSTANT), (0,)),
    "maxdatetime": (_constant_time(lambda ctx: MAX_INSTANT), (0,)),
    "round": (_math("round"), (1,)), "floor": (_math("floor"), (1,)),
    "ceiling": (_math("ceiling"), (1,)),
    "geo.distance": (_distance, (2,)), "geo.length": (_geo_length, (1,)),
    **{name: (_predicate(name), (2,)) for name in PREDICATES},
    "st_relate": (_relate, (3,)),
    **{name: (_temporal(name), (2,)) for name in FROST_TEMPORAL},
}  # fmt: skip


def call_function(ctx: FunctionContext, call: CallSite) -> Value:
    """Compile one call; an unknown name or a wrong count of arguments is a 400."""
    entry = FUNCTIONS.get(call.name)
    if entry is None:
        raise FilterError(
            f"fungsi tidak dikenal '{call.name}'", f"unknown function '{call.name}'",
            position=call.pos, token=call.name,
        )  # fmt: skip
    implementation, arities = entry
    if len(call.args) not in arities:
        counts = " or ".join(str(count) for count in arities)
        raise FilterError(
            f"{call.name}() memerlukan {counts} argumen, diberikan {len(call.args)}",
            f"{call.name}() takes {counts} argument(s), {len(call.args)} given",
            position=call.pos, token=call.name,
        )  # fmt: skip
    return implementation(ctx, call)
