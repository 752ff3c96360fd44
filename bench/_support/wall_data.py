"""A city full of things for the situation room wall (``bench/wall.py``): open citizens'
reports, sensor stations, cameras and incidents spread inside the kelurahan boundaries.

Reports go in with one bulk Core insert into the real ``complaints`` table (the demo's way of
making thousands is far slower, and the wall only reads them); stations, cameras and incidents
go through their domain services, as operators and gateways would create them. Places are
drawn inside the kelurahan polygons when boundaries are loaded (around their centres
otherwise), from a fixed seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pontive.cctv import service as cctv
from pontive.cctv.choices import Health
from pontive.cctv.models import Camera
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint, ServiceCategory
from pontive.coordination import service as coordination
from pontive.coordination.service import IncidentInput
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import system_actor
from pontive.core.timeutil import WIB, utcnow
from pontive.reference.models import Kelurahan
from pontive.sensors import service as sensors
from pontive.sensors.schemas import Draft, EntitySet

ACTOR = system_actor("bench")
OPEN = (
    ComplaintStatus.DITERIMA,
    ComplaintStatus.DIVERIFIKASI,
    ComplaintStatus.DIDISPOSISIKAN,
    ComplaintStatus.DIKERJAKAN,
)
KINDS = ("banjir", "kebakaran", "pohon_tumbang", "kecelakaan", "gangguan_layanan", "ketertiban")
SEVERITIES = ("rendah", "sedang", "sedang", "tinggi", "tinggi", "kritis")


@dataclass(frozen=True, slots=True)
class Mix:
    """How many of each thing the wall shows."""

    complaints: int = 4400
    stations: int = 300
    cameras: int = 200
    incidents: int = 100

    @property
    def total(self) -> int:
        """Map features in all."""
        return self.complaints + self.stations + self.cameras + self.incidents


Ring = list[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Area:
    kode: str
    kecamatan_kode: str
    box: tuple[float, float, float, float]  # west, south, east, north
    rings: tuple[Ring, ...]  # outer rings of its polygons
    centre: tuple[float, float]


def _inside(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: whether the point is inside the ring."""
    found = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            found = not found
    return found


def _areas(session: Session) -> list[Area]:
    areas = []
    for row in session.scalars(select(Kelurahan).order_by(Kelurahan.kode)):
        rings: list[Ring] = []
        if row.geometry:
            shape = json.loads(row.geometry)
            polygons = (
                shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
            )
            rings = [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons]
        lon, lat = row.centroid_lon or 109.3425, row.centroid_lat or -0.0263
        points = [point for ring in rings for point in ring] or [(lon, lat)]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (min(xs) - 0.004, min(ys) - 0.004, max(xs) + 0.004, max(ys) + 0.004)
        areas.append(Area(row.kode, row.kecamatan_kode, box, tuple(rings), (lon, lat)))
    return areas


def places(session: Session, seed: int) -> Iterator[tuple[Area, float, float]]:
    """Endless points in the city, kelurahan by kelurahan in turn."""
    rng = random.Random(seed)  # placement, not security
    areas = _areas(session)
    while True:
        area = rng.choice(areas)
        west, south, east, north = area.box
        for _attempt in range(30):
            lon, lat = rng.uniform(west, east), rng.uniform(south, north)
            if not area.rings or any(_inside(lon, lat, ring) for ring in area.rings):
                yield area, lon, lat
                break


def _complaints(session: Session, where: Iterator[tuple[Area, float, float]], count: int) -> None:
    rng = random.Random(11)  # a fixed mix, not security
    categories = list(session.execute(select(ServiceCategory.id, ServiceCategory.pd_kode)))
    now = utcnow()
    today = now.astimezone(WIB).date()
    rows: list[dict[str, Any]] = []
    for number in range(count):
        area, lon, lat = next(where)
        category, pd_kode = categories[number % len(categories)]
        created = now - timedelta(minutes=rng.uniform(5, 6 * 24 * 60))
        status = OPEN[number % len(OPEN)]
        rows.append(
            {
                "tracking_number": f"PTK-{today.year}-{900000 + number:06d}",
                "category_id": category,
                "description": "Laporan uji beban dinding ruang situasi.",
                "public_description": "Laporan uji beban dinding ruang situasi.",
                "lon": lon,
                "lat": lat,
                "kelurahan_kode": area.kode,
                "kecamatan_kode": area.kecamatan_kode,
                "pd_kode": pd_kode,
                "status": status,
                "attributes": {},
                "created_at": created,
                "updated_at": created,
                "due_on": None
                if status is ComplaintStatus.DITERIMA
                else today + timedelta(days=rng.randint(-4, 6)),
            }
        )
    session.execute(insert(Complaint), rows)


def _stations(session: Session, where: Iterator[tuple[Area, float, float]], count: int) -> None:
    for number in range(count):
        _area, lon, lat = next(where)
        location = Draft(
            EntitySet.LOCATIONS,
            {
                "name": f"Lokasi pos uji {number + 1}",
                "description": "Lokasi uji beban",
                "encoding_type": "application/geo+json",
                "location": {"type": "Point", "coordinates": [lon, lat]},
            },
        )
        values = {"name": f"Pos uji {number + 1}", "description": "Pos uji beban dinding",
                  "pd_kode": "bpbd", "expected_interval_seconds": 600}  # fmt: skip
        draft = Draft(EntitySet.THINGS, values, {"Locations": (location,)})
        sensors.create_entity(session=session, actor=ACTOR, draft=draft)


def _cameras(session: Session, where: Iterator[tuple[Area, float, float]], count: int) -> None:
    for number in range(count):
        _area, lon, lat = next(where)
        data = cctv.CameraInput(
            name=f"Kamera uji {number + 1}", owner_type="pemkot", pd_kode="dishub",
            purpose="lalu_lintas", sharing="internal", privacy_mask="tidak_perlu",
            lon=lon, lat=lat, streams={"snapshot_url": f"http://10.20.7.{number % 250 + 1}/1.jpg"},
        )  # fmt: skip
        cctv.register_camera(session=session, actor=ACTOR, data=data)
    codes = list(session.scalars(select(Camera.code).order_by(Camera.id)))
    health = [Health.ONLINE, Health.ONLINE, Health.ONLINE, Health.DEGRADED, Health.OFFLINE]
    for index, code in enumerate(codes):
        session.execute(
            update(Camera).where(Camera.code == code).values(health=health[index % len(health)])
        )


def _incidents(session: Session, where: Iterator[tuple[Area, float, float]], count: int) -> None:
    for number in range(count):
        area, lon, lat = next(where)
        data = IncidentInput(
            title=f"Insiden uji {number + 1}", kind=KINDS[number % len(KINDS)],
            severity=SEVERITIES[number % len(SEVERITIES)], lon=lon, lat=lat,
            description="Insiden uji beban dinding ruang situasi.", lead_pd_kode="bpbd",
            affected_kelurahan=[area.kode],
        )  # fmt: skip
        coordination.open_incident(session, actor=ACTOR, data=data)


def fill_city(url: str, mix: Mix, seed: int = 8) -> None:
    """Put ``mix`` on the wall of the database at ``url``."""
    with Database(url) as database, database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()  # nobody listens during the set-up
        where = places(session, seed)
        _complaints(session, where, mix.complaints)
        session.commit()
        _stations(session, where, mix.stations)
        session.commit()
        _cameras(session, where, mix.cameras)
        session.commit()
        _incidents(session, where, mix.incidents)
        session.commit()
