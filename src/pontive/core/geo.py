"""Place helpers: WGS84 lon/lat, distances, and an index that resolves a point to an area.

``AreaIndex`` answers "which kelurahan is this point in": by point-in-polygon when boundaries
are loaded, by nearest centroid otherwise, and "outside" beyond a sane distance, so that a pin
dropped in Kubu Raya is not filed under a Pontianak kelurahan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
# A pin just off a simplified boundary (river banks, GPS jitter) still belongs to its area.
SNAP_DISTANCE_M = 300.0
# Without boundaries, a centroid this far away means the point is not in the city.
MAX_CENTROID_DISTANCE_M = 3_500.0
# Degrees to metres near the equator (Pontianak sits on it).
METRES_PER_DEGREE = 111_320.0


class Method(StrEnum):
    """How a placement was decided."""

    POLYGON = "polygon"
    SNAPPED = "snapped"
    CENTROID = "centroid"
    OUTSIDE = "outside"


@dataclass(frozen=True, slots=True)
class Area:
    """An area to index: its code, optional GeoJSON geometry and centroid."""

    kode: str
    parent_kode: str
    centroid: tuple[float, float] | None
    geometry: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a point falls."""

    kode: str | None
    parent_kode: str | None
    method: Method
    distance_m: float = 0.0

    @property
    def is_inside(self) -> bool:
        """Whether the point belongs to an area of the city."""
        return self.kode is not None


OUTSIDE = Placement(None, None, Method.OUTSIDE)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def check_lon_lat(lon: float, lat: float) -> None:
    """Raise ``ValueError`` for coordinates outside WGS84 ranges."""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0) or math.isnan(lon + lat):
        raise ValueError("longitude must be in [-180, 180] and latitude in [-90, 90]")


class AreaIndex:
    """Resolve points to areas; built once from the reference tables and reused."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self._areas = list(areas)
        self._with_shape = [a for a in self._areas if a.geometry]
        self._shapes: list[BaseGeometry] = [shape(a.geometry) for a in self._with_shape]
        self._tree = STRtree(self._shapes) if self._shapes else None

    @property
    def has_boundaries(self) -> bool:
        """Whether polygons are loaded."""
        return self._tree is not None

    def locate(self, lon: float, lat: float) -> Placement:
        """The area containing (or nearest to) the point, or ``OUTSIDE``."""
        check_lon_lat(lon, lat)
        if self._tree is not None:
            return self._locate_by_polygon(lon, lat)
        return self._locate_by_centroid(lon, lat)

    def _locate_by_polygon(self, lon: float, lat: float) -> Placement:
        assert self._tree is not None  # noqa: S101 - guarded by the caller
        point = Point(lon, lat)
        for index in self._tree.query(point, predicate="intersects"):
            area = self._with_shape[int(index)]
            return Placement(area.kode, area.parent_kode, Method.POLYGON)
        nearest = self._tree.nearest(point)
        if nearest is None:
            return OUTSIDE
        area = self._with_shape[int(nearest)]
        distance = self._shapes[int(nearest)].distance(point) * METRES_PER_DEGREE
        if distance <= SNAP_DISTANCE_M:
            return Placement(area.kode, area.parent_kode, Method.SNAPPED, round(distance, 1))
        return Placement(None, None, Method.OUTSIDE, round(distance, 1))

    def _locate_by_centroid(self, lon: float, lat: float) -> Placement:
        best: tuple[float, Area] | None = None
        for area in self._areas:
            if area.centroid is None:
                continue
            distance = haversine_m(lon, lat, *area.centroid)
            if best is None or distance < best[0]:
                best = (distance, area)
        if best is None or best[0] > MAX_CENTROID_DISTANCE_M:
            return Placement(None, None, Method.OUTSIDE, round(best[0], 1) if best else 0.0)
        return Placement(best[1].kode, best[1].parent_kode, Method.CENTROID, round(best[0], 1))
