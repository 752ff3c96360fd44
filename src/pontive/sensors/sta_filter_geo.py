"""Geospatial filter functions without PostGIS: evaluated with shapely on the stored GeoJSON.

SensorThings geometries (Location.location, FeatureOfInterest.feature,
Datastream.observedArea) are GeoJSON in JSON columns. For a function that relates such a
property to a WKT literal (18-088 Table 23: ``geo.intersects``, ``geo.distance``,
``geo.length``, ``st_equals`` … ``st_relate``), the compiler reads the geometries of that
table once per request, evaluates the function with shapely for every row, and turns the
answer into SQL: a predicate becomes ``id IN (matching ids)``, a number (distance, length)
becomes an ``id → value`` mapping that comparisons resolve to ids and ``$orderby`` to a
``CASE``. Distances and lengths are planar, in degrees of the WGS84 coordinates — as
FROST-Server's ``geometry`` columns compute them (1° ≈ 111.32 km at Pontianak, on the
equator).

Two stored geometries (``st_within(Locations/location, Datastreams/observedArea)``) are
related pair by pair: shapely's vectorised functions compare every geometry of the one table
with every geometry of the other (at most ``MAX_PAIRS`` comparisons), and the answer is
``(id, id) IN (matching pairs)`` over the two rows in scope, or a ``(id, id) → value``
mapping for a distance.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import GeometryCollection, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Table,
    and_,
    bindparam,
    case,
    false,
    literal,
    tuple_,
)
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from pontive.sensors.sta_query_errors import FilterError, QueryNotImplemented

Sql = ColumnElement[Any]
# A request reads at most this many stored geometries of one table (Locations and features
# of interest of a city are counted in thousands); beyond it, a PostGIS index is the answer.
MAX_GEOMETRY_ROWS = 100_000
# A computed number used outside a comparison ($orderby, arithmetic) becomes a CASE of this
# many branches at most.
MAX_CASE_ROWS = 5_000
# Two stored geometries: at most this many pairs compared (1,000 by 1,000, about a second),
# and at most this many matching pairs written into the SQL.
MAX_PAIRS = 1_000_000
MAX_MATCHING_PAIRS = 100_000
_RELATE_CHARS = frozenset("TF*012")

# Shapely's vectorised predicates: a geometry or an array of them on either side.
Test = Callable[[Any, Any], Any]
PREDICATES: Mapping[str, Test] = {
    "geo.intersects": shapely.intersects,
    "st_intersects": shapely.intersects,
    "st_equals": shapely.equals,
    "st_disjoint": shapely.disjoint,
    "st_touches": shapely.touches,
    "st_within": shapely.within,
    "st_overlaps": shapely.overlaps,
    "st_crosses": shapely.crosses,
    "st_contains": shapely.contains,
}


def relate_test(pattern: str) -> Test:
    """``st_relate`` with a DE-9IM pattern, vectorised like the predicates."""
    return lambda a, b: shapely.relate_pattern(a, b, pattern)


NUMBER_OPS: Mapping[str, Callable[[float, float], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class GeometrySource:
    """A stored GeoJSON property, as seen from the current query scope."""

    table: Table
    key: str  # the GeoJSON column's key
    id_column: Sql  # the row id in scope
    column: Sql  # the GeoJSON column in scope


@dataclass(frozen=True, slots=True)
class GeometryValue:
    """A geometry: a WKT literal (``constant``) or a stored property (``source``)."""

    constant: BaseGeometry | None = None
    source: GeometrySource | None = None


Key = tuple[int, ...]  # the ids of the row (one table) or of the pair (two tables)


@dataclass(frozen=True, slots=True)
class GeoNumber:
    """A number computed per stored row or pair of rows (distance, length): key → value."""

    values: Mapping[Key, float]
    id_columns: tuple[Sql, ...]  # the id column(s) in scope, in the keys' order

    def mapped(self, function: Callable[[float], float | None]) -> GeoNumber:
        """Each value passed through ``function`` (``None`` drops the row: a null)."""
        results = {key: function(value) for key, value in self.values.items()}
        return GeoNumber({k: v for k, v in results.items() if v is not None}, self.id_columns)

    def where(self, op: str, constant: float) -> ColumnElement[bool]:
        """Rows whose value satisfies ``value op constant``."""
        test = NUMBER_OPS[op]
        keys = [k for k, v in self.values.items() if test(v, constant)]
        return keys_in(self.id_columns, keys)

    def as_sql(self) -> Sql:
        """The values as ``CASE id WHEN … END`` (NULL for rows without a geometry)."""
        if len(self.values) > MAX_CASE_ROWS:
            raise QueryNotImplemented(
                f"Terlalu banyak geometri ({len(self.values)}) untuk dihitung tanpa PostGIS.",
                f"Too many geometries ({len(self.values)}) to compute without PostGIS; "
                "compare the value with a number instead.",
            )
        if not self.values:
            return literal(None, Float)
        if len(self.id_columns) == 1:
            branches = {key[0]: literal(v, Float) for key, v in self.values.items()}
            return case(branches, value=self.id_columns[0])
        return case(
            *(
                (
                    and_(*(c == i for c, i in zip(self.id_columns, key, strict=True))),
                    literal(v, Float),
                )
                for key, v in self.values.items()
            )
        )


def ids_in(id_column: Sql, ids: Sequence[int]) -> ColumnElement[bool]:
    """``id_column IN (ids)`` with the integers written inline (no parameter limit)."""
    if not ids:
        return false()
    values = bindparam(None, sorted(ids), type_=Integer, expanding=True, literal_execute=True)
    return id_column.in_(values)


def keys_in(id_columns: tuple[Sql, ...], keys: Sequence[Key]) -> ColumnElement[bool]:
    """The rows (or pairs of rows) whose ids are among ``keys``."""
    if len(id_columns) == 1:
        return ids_in(id_columns[0], [key[0] for key in keys])
    if not keys:
        return false()
    if len(keys) > MAX_MATCHING_PAIRS:
        raise _too_many(f"{len(keys)} pasangan geometri cocok", f"{len(keys)} matching pairs")
    # Row values, written inline: (a.id, b.id) IN ((1, 2), (3, 4), …) on both dialects.
    pairs: BindParameter[Any] = bindparam(None, sorted(keys), expanding=True, literal_execute=True)
    return tuple_(*id_columns).in_(pairs)


class GeometryCache:
    """The stored geometries of each table, read at most once per compiled query."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tables: dict[tuple[str, str], dict[int, BaseGeometry]] = {}

    def geometries(self, source: GeometrySource) -> dict[int, BaseGeometry]:
        """Row id → shapely geometry for rows whose GeoJSON parses."""
        cache_key = (source.table.name, source.key)
        if cache_key not in self._tables:
            self._tables[cache_key] = self._load(source.table, source.key)
        return self._tables[cache_key]

    def arrays(self, source: GeometrySource) -> tuple[list[int], np.ndarray[Any, Any]]:
        """The ids and, in the same order, the geometries as an array (shapely's vectorised
        functions take it whole)."""
        rows = self.geometries(source)
        geometries = np.empty(len(rows), dtype=object)
        geometries[:] = list(rows.values())
        return list(rows), geometries

    def _load(self, table: Table, key: str) -> dict[int, BaseGeometry]:
        column = table.c[key]
        query = sql_select(table.c.id, column).where(column.is_not(None))
        rows = self.session.execute(query.limit(MAX_GEOMETRY_ROWS + 1)).all()
        if len(rows) > MAX_GEOMETRY_ROWS:
            raise QueryNotImplemented(
                f"Filter spasial atas lebih dari {MAX_GEOMETRY_ROWS} geometri belum didukung.",
                f"Spatial filters over more than {MAX_GEOMETRY_ROWS} geometries need PostGIS, "
                "which this server does not use.",
            )
        found = {}
        for row_id, document in rows:
            geometry = geojson_geometry(document)
            if geometry is not None:
                found[int(row_id)] = geometry
        return found


def geojson_geometry(document: Any) -> BaseGeometry | None:
    """A shapely geometry from GeoJSON (geometry, Feature or FeatureCollection), or None."""
    if not isinstance(document, dict):
        return None
    try:
        if document.get("type") == "Feature":
            return geojson_geometry(document.get("geometry"))
        if document.get("type") == "FeatureCollection":
            parts = [geojson_geometry(item) for item in document.get("features") or []]
            return GeometryCollection([part for part in parts if part is not None])
        return shape(document)
    except (ShapelyError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None


def linear_length(geometry: BaseGeometry) -> float:
    """Length of the linear parts (0 for points and areas), as PostGIS ``ST_Length``."""
    if geometry.geom_type in ("LineString", "LinearRing", "MultiLineString"):
        return float(geometry.length)
    if geometry.geom_type == "GeometryCollection":
        return sum(linear_length(part) for part in geometry.geoms)
    return 0.0


def check_relate_pattern(pattern: Any, pos: int) -> str:
    """A DE-9IM pattern of nine characters from ``TF*012``."""
    if not isinstance(pattern, str) or len(pattern) != 9 or set(pattern) - _RELATE_CHARS:
        raise FilterError(
            "pola st_relate harus 9 karakter dari T F * 0 1 2, mis. 'T********'",
            "the st_relate pattern must be 9 characters of T F * 0 1 2, e.g. 'T********'",
            position=pos,
        )
    return pattern


class GeoFunctions:
    """Evaluate geo functions over constants and stored properties."""

    def __init__(self, cache: GeometryCache) -> None:
        self.cache = cache

    def predicate(
        self, test: Test, a: GeometryValue, b: GeometryValue
    ) -> ColumnElement[bool] | bool:
        """A boolean relation: a Python answer for two constants, else the matching rows."""
        if a.constant is not None and b.constant is not None:
            return bool(test(a.constant, b.constant))
        if a.source is not None and b.source is not None:
            (first, second), answers = self._pairs(a.source, b.source, test)
            matching = np.nonzero(answers)
            keys = [(first[i], second[j]) for i, j in zip(*matching, strict=True)]
            return keys_in((a.source.id_column, b.source.id_column), keys)
        if a.source is not None:
            ids, geometries = self.cache.arrays(a.source)
            answers, source = test(geometries, b.constant), a.source
        else:
            assert b.source is not None  # noqa: S101 - a GeometryValue has one of the two
            ids, geometries = self.cache.arrays(b.source)
            answers, source = test(a.constant, geometries), b.source
        return ids_in(source.id_column, [ids[i] for i in np.nonzero(answers)[0]])

    def distance(self, a: GeometryValue, b: GeometryValue) -> GeoNumber | float:
        """Planar distance in degrees."""
        if a.constant is not None and b.constant is not None:
            return float(a.constant.distance(b.constant))
        if a.source is not None and b.source is not None:
            (first, second), distances = self._pairs(a.source, b.source, shapely.distance)
            values: dict[Key, float] = {
                (first[i], second[j]): float(distances[i, j])
                for i in range(len(first))
                for j in range(len(second))
            }
            return GeoNumber(values, (a.source.id_column, b.source.id_column))
        source, constant = (
            (a.source, b.constant) if a.source is not None else (b.source, a.constant)
        )
        assert source is not None  # noqa: S101 - a GeometryValue has one of the two
        ids, geometries = self.cache.arrays(source)
        distances = shapely.distance(geometries, constant)
        return GeoNumber(
            {(k,): float(d) for k, d in zip(ids, distances, strict=True)}, (source.id_column,)
        )

    def length(self, a: GeometryValue) -> GeoNumber | float:
        """Length of a line in degrees (0 for points and areas)."""
        if a.constant is not None:
            return linear_length(a.constant)
        if a.source is None:  # pragma: no cover - a GeometryValue has one of the two
            raise ValueError("a geometry without a value")
        rows = self.cache.geometries(a.source)
        return GeoNumber({(k,): linear_length(g) for k, g in rows.items()}, (a.source.id_column,))

    def _pairs(
        self, a: GeometrySource, b: GeometrySource, function: Test
    ) -> tuple[tuple[list[int], list[int]], np.ndarray[Any, Any]]:
        """Both tables' ids and ``function`` of every pair (rows: ``a``, columns: ``b``)."""
        first, first_geometries = self.cache.arrays(a)
        second, second_geometries = self.cache.arrays(b)
        if len(first) * len(second) > MAX_PAIRS:
            raise _too_many(
                f"{len(first)} kali {len(second)} pasangan geometri",
                f"{len(first)} by {len(second)} pairs of geometries",
            )
        answers = function(first_geometries[:, np.newaxis], second_geometries[np.newaxis, :])
        return (first, second), np.asarray(answers).reshape(len(first), len(second))


def _too_many(what_id: str, what_en: str) -> QueryNotImplemented:
    return QueryNotImplemented(
        f"Terlalu banyak untuk dihitung tanpa PostGIS: {what_id}.",
        f"Too many to compute without PostGIS: {what_en}; narrow the filter or compare a "
        "property with a geography'…' literal.",
    )
