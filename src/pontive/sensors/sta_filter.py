"""SensorThings 1.1 ``$filter``: parse the expression, check its paths, compile it to SQL.

The language is 18-088 9.3.3.5 (Tables 22 and 23) with OData v4 precedence, plus FROST's
``duration'…'`` literals and ISO ``start/end`` interval literals; see ``sta_filter_compile``
for how navigation paths behave and ``sta_filter_geo`` for the geo functions. The compiled
condition works on SQLite and PostgreSQL alike:

    expr = parse_filter("result gt 3.5 and phenomenonTime ge now() sub duration'PT1H'")
    rows = session.scalars(select(Observation).where(
        compile_filter(expr, entity=entity_by_name("Observation"), session=session)))

Errors: ``FilterError`` (400, says where), ``QueryNotImplemented`` (501).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, FromClause
from sqlalchemy.orm import Session

from pontive.sensors.sta_entities import StaEntity
from pontive.sensors.sta_filter_ast import Expr, OrderItem, parse_expression, too_deep
from pontive.sensors.sta_filter_compile import FilterCompiler, paths_of, resolve_path
from pontive.sensors.sta_filter_geo import GeometryValue, GeoNumber
from pontive.sensors.sta_filter_sql import SqlDialect
from pontive.sensors.sta_filter_time import TimeValue
from pontive.sensors.sta_filter_values import Const, JsonValue, ResultValue, SqlValue, Value
from pontive.sensors.sta_query_errors import FilterError, QueryError, QueryNotImplemented

__all__ = [
    "Expr",
    "FilterError",
    "QueryError",
    "QueryNotImplemented",
    "check_paths",
    "compile_filter",
    "compile_orderby",
    "parse_filter",
    "parse_orderby",
]


def parse_filter(text: str, *, option: str = "$filter") -> Expr:
    """Parse a ``$filter`` expression; ``FilterError`` carries the character position."""
    result: Expr = parse_expression(text, start="filter", option=option)
    return result


def parse_orderby(text: str, *, option: str = "$orderby") -> tuple[OrderItem, ...]:
    """Parse a ``$orderby`` list (expressions, each optionally ``asc`` or ``desc``)."""
    result: tuple[OrderItem, ...] = parse_expression(text, start="orderby", option=option)
    return result


def check_paths(
    expr: Expr, *, entity: StaEntity, option: str = "$filter", single: bool = False
) -> None:
    """Raise ``FilterError`` for a path that names nothing on ``entity`` (before any SQL).

    ``single``: the expression must give one value per row ($orderby), so a path may not
    cross a to-many navigation.
    """
    for path in paths_of(expr):
        resolved = resolve_path(entity, path, option)
        many = next((nav for nav in resolved.chain if nav.is_to_many), None)
        if single and many is not None:
            raise FilterError(
                f"'{many.name}' memberi banyak nilai; urutkan menurut properti tunggal",
                f"'{many.name}' gives many values; order by single-valued properties",
                position=path.pos, token=many.name, option=option,
            )  # fmt: skip


def compile_filter(
    expr: Expr | str,
    *,
    entity: StaEntity,
    session: Session,
    root: FromClause | None = None,
    now: datetime | None = None,
) -> ColumnElement[bool]:
    """The SQL condition selecting the rows of ``entity`` (``root``: its table or an alias).

    ``session`` tells the backend and reads stored geometries for geo functions; ``now``
    fixes ``now()`` (default: the current instant).
    """
    parsed = parse_filter(expr) if isinstance(expr, str) else expr
    compiler = FilterCompiler(entity=entity, session=session, root=root, now=now)
    try:
        return compiler.condition(parsed)
    except RecursionError as error:
        raise too_deep("$filter") from error
    except OverflowError as error:  # an instant shifted beyond year 1 or 9999
        raise FilterError(
            "tanggal-waktu di luar jangkauan", "date-time out of range", option="$filter"
        ) from error


def compile_orderby(
    items: tuple[OrderItem, ...],
    *,
    entity: StaEntity,
    session: Session,
    root: FromClause | None = None,
    now: datetime | None = None,
) -> list[Any]:
    """ORDER BY clauses: each key asc/desc with nulls first on asc and last on desc
    (18-088 req ``request-data/orderby``), then ``id`` in the last key's direction for a
    stable order (default: ``id`` ascending).
    """
    compiler = FilterCompiler(entity=entity, session=session, root=root, option="$orderby",
                              now=now)  # fmt: skip
    clauses: list[Any] = []
    descending = False
    for item in items:
        descending = item.descending
        try:
            value = compiler.value(item.expr)
        except RecursionError as error:
            raise too_deep("$orderby") from error
        for key in sort_keys(value, item.expr.pos, compiler.sql):
            clauses.append(_directed(key, descending=descending))
    table = root if root is not None else entity.table
    clauses.append(table.c.id.desc() if descending else table.c.id.asc())
    return clauses


def sort_keys(value: Value, pos: int, sql: SqlDialect) -> list[ColumnElement[Any]]:
    """The SQL expressions that order by ``value`` (JSON: numbers by value, then text)."""
    if isinstance(value, JsonValue):
        return [
            sql.json_number(value.column, value.path),
            sql.json_string(value.column, value.path),
        ]
    if isinstance(value, ResultValue):
        return [value.number, sql.json_string(value.json, ())]
    if isinstance(value, SqlValue):
        return [value.expr]
    if isinstance(value, Const):
        return []
    if isinstance(value, TimeValue):
        return [] if isinstance(value.start, datetime) else [value.start]
    if isinstance(value, GeoNumber):
        return [value.as_sql()]
    if isinstance(value, GeometryValue):
        raise FilterError(
            "tidak dapat mengurutkan menurut geometri; pakai geo.distance(...)",
            "cannot order by a geometry; order by geo.distance(...) instead",
            position=pos, option="$orderby",
        )  # fmt: skip
    return []


def _directed(key: ColumnElement[Any], *, descending: bool) -> Any:
    # A NOT NULL column needs no NULLS clause, and without one PostgreSQL can walk its index.
    nullable = not (isinstance(key, Column) and key.nullable is False)
    if descending:
        return key.desc().nulls_last() if nullable else key.desc()
    return key.asc().nulls_first() if nullable else key.asc()
