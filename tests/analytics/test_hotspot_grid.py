"""The hexagon grid: which cell holds a point, the neighbours, equal areas on the ground."""

from __future__ import annotations

import itertools
import math

import pytest

from pontive.analytics import hotspot_grid as grid
from pontive.core.geo import EARTH_RADIUS_M, haversine_m

# Pontianak's corners (its kelurahan boundaries lie within these).
WEST, SOUTH, EAST, NORTH = 109.274, -0.099, 109.386, 0.039


def _ground_area_m2(ring: list[tuple[float, float]]) -> float:
    """A small polygon's area on the sphere (the spherical-excess sum over its edges)."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total) * EARTH_RADIUS_M**2 / 2


def test_a_cells_centre_and_corners_neighbourhood_stay_in_the_cell() -> None:
    for cell in [(0, 0), (5, -3), (-7, 12), (11, -14)]:
        lon, lat = grid.centre_lon_lat(cell)
        assert grid.cell_of(lon, lat) == cell
        for corner_lon, corner_lat in grid.corners(cell):
            # 95 % of the way from the centre to a corner is still inside.
            inside = (lon + 0.95 * (corner_lon - lon), lat + 0.95 * (corner_lat - lat))
            assert grid.cell_of(*inside) == cell


def test_a_point_past_an_edge_belongs_to_the_neighbour() -> None:
    cell = (2, 3)
    cx, cy = grid.centre(cell)
    flat_to_flat = grid.EDGE_M * math.sqrt(3)
    # Pointy-topped: the east neighbour's centre is one flat-to-flat width to the east.
    just_past = grid.unproject(cx + flat_to_flat * 0.52, cy)
    assert grid.cell_of(*just_past) == (3, 3)
    just_before = grid.unproject(cx + flat_to_flat * 0.48, cy)
    assert grid.cell_of(*just_before) == cell


def test_neighbours_are_six_cells_one_width_away_and_mutual() -> None:
    cell = (4, -2)
    lon, lat = grid.centre_lon_lat(cell)
    around = grid.ring(cell)
    assert len(set(around)) == 6
    for other in around:
        other_lon, other_lat = grid.centre_lon_lat(other)
        assert haversine_m(lon, lat, other_lon, other_lat) == pytest.approx(
            grid.EDGE_M * math.sqrt(3), rel=0.005
        )
        assert cell in grid.ring(other)


def test_hexagons_have_the_same_area_all_over_the_city() -> None:
    corners = [(WEST, SOUTH), (EAST, SOUTH), (WEST, NORTH), (EAST, NORTH), (109.34, -0.03)]
    areas = [_ground_area_m2(grid.corners(grid.cell_of(lon, lat))) for lon, lat in corners]
    assert max(areas) / min(areas) == pytest.approx(1.0, abs=1e-3)
    # 3√3/2 · 500² ≈ 649,519 m² (the sphere here is 0.5 % off the ellipsoid at the equator).
    assert areas[0] == pytest.approx(grid.HEX_AREA_M2, rel=0.01)


def test_the_projection_round_trips_and_is_metric() -> None:
    x, y = grid.project(109.35, -0.02)
    assert grid.unproject(x, y) == pytest.approx((109.35, -0.02), abs=1e-12)
    east = grid.unproject(1000.0, 0.0)
    assert haversine_m(grid.ORIGIN_LON, grid.ORIGIN_LAT, *east) == pytest.approx(1000, rel=0.005)


def test_cell_names_round_trip_and_refuse_other_text() -> None:
    assert grid.parse_cell_id(grid.cell_id((-3, 14))) == (-3, 14)
    assert grid.parse_cell_id("61.71.02.1001") is None
    assert grid.parse_cell_id("hex:1:2:3") is None


def test_the_polygon_is_closed_and_counter_clockwise() -> None:
    shape = grid.polygon((1, 1))
    ring = shape["coordinates"][0]  # type: ignore[index]
    assert len(ring) == 7
    assert ring[0] == ring[-1]
    signed = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
    assert signed > 0
