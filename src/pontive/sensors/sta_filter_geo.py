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
equator). Relating two stored geometries to each other is not supported (501).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shapely.errors import ShapelyError
from shapely.geometry import GeometryCollection, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement, Float, Integer, Table, bindparam, case, false, literal
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from pontive.sensors.sta_query_errors import FilterError, QueryNotImplemented

Sql = ColumnElement[Any]
# A request reads at most this many stored geometries of one table (Locations and features
# of interest of a city are counted in thousands); beyond it, a PostGIS index is the answer.
MAX_GEOMETRY_ROWS = 100_000
# A computed number used outside a comparison ($orderby, arithmetic) becomes a CASE of this
# many branches at most.
MAX_CASE_ROWS = 5_000
_RELATE_CHARS = frozenset("TF*012")

PREDICATES: Mapping[str, Callable[[BaseGeometry, BaseGeometry], bool]] = {
    "geo.intersects": lambda a, b: bool(a.intersects(b)),
    "st_intersects": lambda a, b: bool(a.intersects(b)),
    "st_equals": lambda a, b: bool(a.equals(b)),
    "st_disjoint": lambda a, b: bool(a.disjoint(b)),
    "st_touches": lambda a, b: bool(a.touches(b)),
    "st_within": lambda a, b: bool(a.within(b)),
    "st_overlaps": lambda a, b: bool(a.overlaps(b)),
    "st_crosses": lambda a, b: bool(a.crosses(b)),
    "st_contains": lambda a, b: bool(a.contains(b)),
}
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


@dataclass(frozen=True, slots=True)
class GeoNumber:
    """A number computed per stored row (distance, length): row id → value."""

    values: Mapping[int, float]
    id_column: Sql

    def mapped(self, function: Callable[[float], float | None]) -> GeoNumber:
        """Each value passed through ``function`` (``None`` drops the row: a null)."""
        results = {key: function(value) for key, value in self.values.items()}
        return GeoNumber({k: v for k, v in results.items() if v is not None}, self.id_column)

    def where(self, op: str, constant: float) -> ColumnElement[bool]:
        """Rows whose value satisfies ``value op constant``."""
        test = NUMBER_OPS[op]
        return ids_in(self.id_column, [k for k, v in self.values.items() if test(v, constant)])

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
        return case({k: literal(v, Float) for k, v in self.values.items()}, value=self.id_column)


def ids_in(id_column: Sql, ids: list[int]) -> ColumnElement[bool]:
    """``id_column IN (ids)`` with the integers written inline (no parameter limit)."""
    if not ids:
        return false()
    values = bindparam(None, sorted(ids), type_=Integer, expanding=True, literal_execute=True)
    return id_column.in_(values)


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
        self, test: Callable[[BaseGeometry, BaseGeometry], bool], a: GeometryValue,
        b: GeometryValue,
    ) -> ColumnElement[bool] | bool:  # fmt: skip
        """A boolean relation: a Python answer for two constants, else ``id IN (…)``."""
        if a.constant is not None and b.constant is not None:
            return test(a.constant, b.constant)
        if a.source is not None and b.constant is not None:
            constant = b.constant
            rows = self.cache.geometries(a.source)
            return ids_in(a.source.id_column, [k for k, g in rows.items() if test(g, constant)])
        if b.source is not None and a.constant is not None:
            constant = a.constant
            rows = self.cache.geometries(b.source)
            return ids_in(b.source.id_column, [k for k, g in rows.items() if test(constant, g)])
        raise _two_stored()

    def distance(self, a: GeometryValue, b: GeometryValue) -> GeoNumber | float:
        """Planar distance in degrees."""
        if a.constant is not None and b.constant is not None:
            return float(a.constant.distance(b.constant))
        source, constant = (
            (a.source, b.constant) if a.source is not None else (b.source, a.constant)
        )
        if source is None or constant is None:
            raise _two_stored()
        rows = self.cache.geometries(source)
        return GeoNumber(
            {k: float(g.distance(constant)) for k, g in rows.items()}, source.id_column
        )

    def length(self, a: GeometryValue) -> GeoNumber | float:
        """Length of a line in degrees (0 for points and areas)."""
        if a.constant is not None:
            return linear_length(a.constant)
        if a.source is None:  # pragma: no cover - a GeometryValue has one of the two
            raise _two_stored()
        rows = self.cache.geometries(a.source)
        return GeoNumber({k: linear_length(g) for k, g in rows.items()}, a.source.id_column)


def _two_stored() -> QueryNotImplemented:
    return QueryNotImplemented(
        "Fungsi geo antara dua geometri tersimpan belum didukung; pakai literal WKT.",
        "Geo functions between two stored geometries are not supported; compare a property "
        "with a geography'…' literal.",
    )
