"""The hexagon grid of hotspots: pointy-topped hexagons with 500 m edges (about 0.65 km²,
near H3's resolution 8) in a local metric projection around Pontianak.

The projection is the tangent plane at the city's centre with the WGS84 ellipsoid's own
scales there (metres per degree of latitude and of longitude at 0.03° S): over the city's
15 km the scale error stays under one part in a million, so every hexagon has the same area
on the ground to well within 0.1 %. Cells are named by their axial coordinates
(``hex:<q>:<r>``); the arithmetic is the usual axial/cube one (Red Blob Games, "Hexagonal
Grids").
"""

from __future__ import annotations

import math
import re

ORIGIN_LON = 109.3425  # Pontianak's centre (as on the city maps)
ORIGIN_LAT = -0.0263
EDGE_M = 500.0
_A = 6_378_137.0  # WGS84 semi-major axis
_E2 = 6.694_379_990_14e-3  # WGS84 first eccentricity squared
_SIN = math.sin(math.radians(ORIGIN_LAT))
_W = 1.0 - _E2 * _SIN * _SIN
# Metres per degree of latitude (meridional radius) and of longitude (parallel's radius).
M_PER_DEG_LAT = math.radians(1.0) * _A * (1.0 - _E2) / _W**1.5
M_PER_DEG_LON = math.radians(1.0) * _A / math.sqrt(_W) * math.cos(math.radians(ORIGIN_LAT))
SQRT3 = math.sqrt(3.0)
HEX_AREA_M2 = 3.0 * SQRT3 / 2.0 * EDGE_M * EDGE_M
# Axial steps to the six neighbours.
DIRECTIONS = ((1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1))
_CELL_ID = re.compile(r"^hex:(-?\d{1,4}):(-?\d{1,4})$")

Axial = tuple[int, int]


def project(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 lon/lat to metres east and north of the city's centre."""
    return (lon - ORIGIN_LON) * M_PER_DEG_LON, (lat - ORIGIN_LAT) * M_PER_DEG_LAT


def unproject(x: float, y: float) -> tuple[float, float]:
    """Metres east and north of the city's centre to WGS84 lon/lat."""
    return ORIGIN_LON + x / M_PER_DEG_LON, ORIGIN_LAT + y / M_PER_DEG_LAT


def _round(q: float, r: float) -> Axial:
    # Cube rounding: round all three coordinates, then fix the one that moved most.
    s = -q - r
    rq, rr, rs = round(q), round(r), round(s)
    dq, dr, ds = abs(rq - q), abs(rr - r), abs(rs - s)
    if dq > dr and dq > ds:
        rq = -rr - rs
    elif dr > ds:
        rr = -rq - rs
    return int(rq), int(rr)


def cell_of(lon: float, lat: float) -> Axial:
    """The axial coordinates of the cell holding the point."""
    x, y = project(lon, lat)
    return _round((SQRT3 / 3.0 * x - y / 3.0) / EDGE_M, (2.0 / 3.0 * y) / EDGE_M)


def centre(cell: Axial) -> tuple[float, float]:
    """The cell's centre in metres (projected)."""
    q, r = cell
    return EDGE_M * SQRT3 * (q + r / 2.0), EDGE_M * 1.5 * r


def centre_lon_lat(cell: Axial) -> tuple[float, float]:
    """The cell's centre as WGS84 lon/lat."""
    return unproject(*centre(cell))


def corners(cell: Axial) -> list[tuple[float, float]]:
    """The six corners as WGS84 lon/lat, counter-clockwise from the east-south-east one."""
    cx, cy = centre(cell)
    points = []
    for i in range(6):
        angle = math.radians(60.0 * i - 30.0)
        points.append(unproject(cx + EDGE_M * math.cos(angle), cy + EDGE_M * math.sin(angle)))
    return points


def ring(cell: Axial) -> list[Axial]:
    """The six neighbours of a cell."""
    q, r = cell
    return [(q + dq, r + dr) for dq, dr in DIRECTIONS]


def cell_id(cell: Axial) -> str:
    """The cell's name, ``hex:<q>:<r>``."""
    return f"hex:{cell[0]}:{cell[1]}"


def parse_cell_id(name: str) -> Axial | None:
    """The axial coordinates in a cell's name, or ``None`` when it names no cell."""
    match = _CELL_ID.match(name)
    return (int(match.group(1)), int(match.group(2))) if match else None


def polygon(cell: Axial, digits: int = 6) -> dict[str, object]:
    """The cell as a GeoJSON Polygon (closed ring, counter-clockwise as RFC 7946 asks)."""
    ring_points = [[round(lon, digits), round(lat, digits)] for lon, lat in corners(cell)]
    return {"type": "Polygon", "coordinates": [[*ring_points, ring_points[0]]]}
