"""CCTV coverage per kelurahan: how many cameras, how many online, how much ground in view.

The coverage estimate is the share of a kelurahan's area within ``VIEW_RADIUS_M`` of an
active camera — a camera sees a street for some tens of metres, so this is an upper bound of
what is watched, comparable between kelurahan and over time. It needs the kelurahan
boundaries (``pontive reference load-boundaries``); without them the estimate is ``None``.
The same figures feed the masterplan indicators and, for public cameras only, the open data
portal (``public_locations``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely import unary_union
from shapely.errors import ShapelyError
from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.cctv.choices import CameraStatus, Health, Sharing
from pontive.cctv.models import Camera
from pontive.reference import service as reference

VIEW_RADIUS_M = 100.0
_METRES_PER_DEGREE = 111_320.0  # on the equator, where Pontianak lies


@dataclass(frozen=True, slots=True)
class KelurahanCoverage:
    """The cameras of one kelurahan."""

    kode: str
    nama: str
    kecamatan: str
    cameras: int  # active (approved, not paused)
    online: int
    public: int
    coverage: float | None  # share of the area within VIEW_RADIUS_M of an active camera

    @property
    def online_share(self) -> float | None:
        """Share of the active cameras that were online at their last check."""
        return self.online / self.cameras if self.cameras else None


def coverage_by_kelurahan(session: Session) -> list[KelurahanCoverage]:
    """Every kelurahan of the city, with or without cameras, by kecamatan and name."""
    cameras = list(session.scalars(select(Camera).where(Camera.status == CameraStatus.AKTIF)))
    by_kelurahan: dict[str, list[Camera]] = {}
    for camera in cameras:
        if camera.kelurahan_kode:
            by_kelurahan.setdefault(camera.kelurahan_kode, []).append(camera)
    features = reference.kelurahan_feature_collection(session=session)["features"]
    result = []
    for feature in features:
        properties = feature["properties"]
        here = by_kelurahan.get(properties["kode"], [])
        result.append(
            KelurahanCoverage(
                kode=properties["kode"],
                nama=properties["nama"],
                kecamatan=properties["kecamatan"],
                cameras=len(here),
                online=sum(1 for camera in here if camera.health is Health.ONLINE),
                public=sum(1 for camera in here if camera.sharing is Sharing.PUBLIK),
                coverage=_covered_share(feature["geometry"], cameras),
            )
        )
    return sorted(result, key=lambda row: (row.kecamatan, row.nama))


def _covered_share(geometry: dict[str, object], cameras: list[Camera]) -> float | None:
    """The share of the area within the view radius of any active camera (all cameras:
    one just across the border sees into the kelurahan too); ``None`` without a boundary."""
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None  # a centroid only: boundaries not loaded
    try:
        area = shape(geometry)
    except (ShapelyError, ValueError, TypeError, KeyError):
        return None
    if area.is_empty or area.area == 0:
        return None
    radius = VIEW_RADIUS_M / _METRES_PER_DEGREE
    near = [
        Point(camera.lon, camera.lat).buffer(radius, quad_segs=8)
        for camera in cameras
        if area.distance(Point(camera.lon, camera.lat)) <= radius
    ]
    if not near:
        return 0.0
    covered = unary_union(near).intersection(area).area / area.area
    return round(min(1.0, covered), 4) if math.isfinite(covered) else None


def public_locations(session: Session) -> list[dict[str, object]]:
    """Public cameras as open data: code, name, place, purpose and state — nothing else
    (no owner, no stream address)."""
    return [
        {
            "kode": camera.code,
            "nama": camera.name,
            "bujur": camera.lon,
            "lintang": camera.lat,
            "arah_derajat": camera.direction_deg,
            "kelurahan_kode": camera.kelurahan_kode,
            "tujuan": camera.purpose.value,
            "pemilik_jenis": camera.owner_type.value,
            "status_kesehatan": camera.health.value,
        }
        for camera in session.scalars(
            select(Camera)
            .where(Camera.status == CameraStatus.AKTIF, Camera.sharing == Sharing.PUBLIK)
            .order_by(Camera.code)
        )
    ]
