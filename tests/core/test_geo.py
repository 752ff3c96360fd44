"""Point-to-area resolution on synthetic areas (no city data needed)."""

from __future__ import annotations

import pytest

from pontive.core.geo import Area, AreaIndex, Method, haversine_m


def square(x0: float, y0: float, size: float) -> dict[str, object]:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


AREAS = [
    Area("A", "K1", (0.005, 0.005), square(0.0, 0.0, 0.01)),
    Area("B", "K2", (0.015, 0.005), square(0.01, 0.0, 0.01)),
]


def test_a_point_inside_a_polygon_belongs_to_it() -> None:
    placement = AreaIndex(AREAS).locate(0.012, 0.002)
    assert (placement.kode, placement.parent_kode, placement.method) == ("B", "K2", Method.POLYGON)


def test_a_point_just_outside_is_snapped_to_the_nearest_area() -> None:
    placement = AreaIndex(AREAS).locate(-0.001, 0.005)  # ~111 m west of A
    assert placement.kode == "A"
    assert placement.method is Method.SNAPPED
    assert 100 < placement.distance_m < 120


def test_a_point_far_away_is_outside() -> None:
    placement = AreaIndex(AREAS).locate(0.1, 0.1)
    assert not placement.is_inside
    assert placement.method is Method.OUTSIDE


def test_without_polygons_the_nearest_centroid_decides_within_reach() -> None:
    index = AreaIndex([Area(a.kode, a.parent_kode, a.centroid) for a in AREAS])
    assert not index.has_boundaries
    near = index.locate(0.014, 0.004)
    assert (near.kode, near.method) == ("B", Method.CENTROID)
    assert not index.locate(0.2, 0.2).is_inside


@pytest.mark.parametrize(("lon", "lat"), [(181.0, 0.0), (0.0, -91.0), (float("nan"), 0.0)])
def test_impossible_coordinates_are_refused(lon: float, lat: float) -> None:
    with pytest.raises(ValueError, match="longitude"):
        AreaIndex(AREAS).locate(lon, lat)


def test_haversine_matches_a_known_distance() -> None:
    # One degree of longitude on the equator (Pontianak's latitude) is ~111.2 km.
    assert haversine_m(109.0, 0.0, 110.0, 0.0) == pytest.approx(111_195, rel=1e-3)
