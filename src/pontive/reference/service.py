"""Reference use-cases: seed the codes, load boundaries, resolve a point to its kelurahan."""

from __future__ import annotations

import csv
import json
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pontive.core import audit, permissions
from pontive.core.cache import TimedCache
from pontive.core.errors import InvalidInput
from pontive.core.geo import Area, AreaIndex, Placement
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.reference.models import ArahPrioritas, Dimensi, Kecamatan, Kelurahan, PerangkatDaerah
from pontive.reference.schemas import DimensiRead, KecamatanRead, PerangkatDaerahRead

CITY_KODE = "61.71"
# How often a process asks the database whether another process loaded new boundaries.
STAMP_SECONDS = 5.0
REFERENCE_CACHE_SECONDS = 300.0


def _data_file(name: str) -> Any:
    return resources.files("pontive.reference").joinpath("data", name)


def seed_reference(*, session: Session) -> int:
    """Insert or refresh the reference rows shipped with Pontive; returns rows written."""
    written = _seed_wilayah(session) + _seed_perangkat_daerah(session) + _seed_dimensi(session)
    session.commit()
    forget_cached_lists()
    return written


def _seed_wilayah(session: Session) -> int:
    with _data_file("wilayah.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    written = 0
    for row in (r for r in rows if r["level"] == "kecamatan"):
        kecamatan = session.get(Kecamatan, row["kode_kemendagri"]) or Kecamatan(
            kode=row["kode_kemendagri"]
        )
        kecamatan.nama, kecamatan.nama_umum = row["nama_kemendagri"], row["nama_umum"]
        kecamatan.kode_bps = row["kode_bps_2018"]
        session.add(kecamatan)
        written += 1
    session.flush()
    for row in (r for r in rows if r["level"] == "kelurahan"):
        kelurahan = session.get(Kelurahan, row["kode_kemendagri"]) or Kelurahan(
            kode=row["kode_kemendagri"]
        )
        kelurahan.kecamatan_kode = row["kode_kecamatan"]
        kelurahan.nama, kelurahan.nama_umum = row["nama_kemendagri"], row["nama_umum"]
        kelurahan.kode_bps = row["kode_bps_2018"]
        kelurahan.centroid_lon = float(row["centroid_lon"])
        kelurahan.centroid_lat = float(row["centroid_lat"])
        session.add(kelurahan)
        written += 1
    session.flush()
    _refresh_kecamatan_centroids(session)
    return written


def _refresh_kecamatan_centroids(session: Session) -> None:
    averages = session.execute(
        select(
            Kelurahan.kecamatan_kode,
            func.avg(Kelurahan.centroid_lon),
            func.avg(Kelurahan.centroid_lat),
        ).group_by(Kelurahan.kecamatan_kode)
    ).all()
    for kode, lon, lat in averages:
        kecamatan = session.get(Kecamatan, kode)
        if kecamatan is not None and kecamatan.geometry is None:
            kecamatan.centroid_lon, kecamatan.centroid_lat = lon, lat


def _seed_perangkat_daerah(session: Session) -> int:
    with _data_file("perangkat_daerah.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        pd = session.get(PerangkatDaerah, row["kode"]) or PerangkatDaerah(kode=row["kode"])
        pd.singkatan, pd.nama, pd.jenis = row["singkatan"], row["nama"], row["jenis"]
        pd.kecamatan_kode = row["kecamatan_kode"] or None
        pd.is_active = True
        session.add(pd)
    return len(rows)


def _seed_dimensi(session: Session) -> int:
    with _data_file("dimensi.json").open(encoding="utf-8") as handle:
        dimensions = json.load(handle)
    written = 0
    for order, item in enumerate(dimensions, start=1):
        dimensi = session.get(Dimensi, item["kode"]) or Dimensi(kode=item["kode"])
        dimensi.urutan, dimensi.huruf = order, item["huruf"]
        dimensi.nama_id, dimensi.nama_en = item["nama_id"], item["nama_en"]
        dimensi.uraian_id, dimensi.uraian_en = item["uraian_id"], item["uraian_en"]
        dimensi.warna = item["warna"]
        session.add(dimensi)
        session.flush()
        for priority in item["prioritas"]:
            kode = f"{item['kode']}.{priority['huruf']}"
            arah = session.get(ArahPrioritas, kode) or ArahPrioritas(kode=kode)
            arah.dimensi_kode, arah.huruf = item["kode"], priority["huruf"]
            arah.nama_id, arah.nama_en = priority["nama_id"], priority["nama_en"]
            session.add(arah)
            written += 1
        written += 1
    return written


def load_boundaries(*, session: Session, actor: Actor, path: Path) -> int:
    """Import kelurahan polygons from a GeoJSON FeatureCollection; returns features loaded.

    Each feature needs a ``kode`` property with the kelurahan's Kemendagri code. Kecamatan
    polygons are rebuilt as the union of their kelurahan.
    """
    permissions.require(actor, permissions.REFERENCE_MANAGE)
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            "Berkas batas wilayah tidak dapat dibaca sebagai GeoJSON FeatureCollection.",
            "The boundary file is not a readable GeoJSON FeatureCollection.",
            errors={"file": [str(error)]},
        ) from error
    now = utcnow()
    loaded, unknown = 0, []
    for feature in features:
        kode = (feature.get("properties") or {}).get("kode")
        kelurahan = session.get(Kelurahan, kode) if kode else None
        if kelurahan is None:
            unknown.append(str(kode))
            continue
        geometry = shape(feature["geometry"])
        if not geometry.is_valid:
            geometry = geometry.buffer(0)
        kelurahan.geometry = json.dumps(mapping(geometry))
        kelurahan.centroid_lon, kelurahan.centroid_lat = geometry.centroid.x, geometry.centroid.y
        kelurahan.boundary_loaded_at = now
        loaded += 1
    if unknown:
        raise InvalidInput(
            "Kode kelurahan tidak dikenal dalam berkas batas wilayah.",
            "Unknown kelurahan codes in the boundary file.",
            errors={"kode": unknown[:20]},
        )
    session.flush()
    _rebuild_kecamatan_geometry(session)
    audit.record(
        session,
        actor=actor,
        action="reference.load_boundaries",
        object_type="kelurahan",
        object_id="*",
        after={"features": loaded, "file": path.name},
    )
    session.commit()
    forget_cached_lists()
    return loaded


def _rebuild_kecamatan_geometry(session: Session) -> None:
    for kecamatan in session.scalars(select(Kecamatan).options(selectinload(Kecamatan.kelurahan))):
        shapes = [shape(json.loads(k.geometry)) for k in kecamatan.kelurahan if k.geometry]
        if not shapes:
            continue
        union = unary_union(shapes)
        kecamatan.geometry = json.dumps(mapping(union))
        kecamatan.centroid_lon, kecamatan.centroid_lat = union.centroid.x, union.centroid.y


@dataclass(frozen=True, slots=True)
class Location:
    """A point resolved to its kelurahan and kecamatan."""

    lon: float
    lat: float
    kelurahan_kode: str | None
    kelurahan_nama: str | None
    kecamatan_kode: str | None
    kecamatan_nama: str | None
    method: str
    distance_m: float

    @property
    def is_inside_city(self) -> bool:
        """Whether the point lies in (or right next to) Pontianak."""
        return self.kelurahan_kode is not None


class _IndexCache:
    """One ``AreaIndex`` per process, rebuilt when boundaries change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, object] | None = None
        self._index: AreaIndex | None = None
        self._names: dict[str, tuple[str, str, str]] = {}
        self._checked: dict[str, float] = {}

    def get(self, session: Session) -> tuple[AreaIndex, dict[str, tuple[str, str, str]]]:
        url = str(session.get_bind().engine.url)
        now = time.monotonic()
        with self._lock:
            fresh = self._key is not None and self._key[0] == url
            if (
                fresh
                and self._index is not None
                and now - self._checked.get(url, 0) < STAMP_SECONDS
            ):
                return self._index, self._names
        # One cheap query (at most every few seconds) tells whether another process loaded
        # new boundaries.
        stamp = session.execute(
            select(func.count(Kelurahan.kode), func.max(Kelurahan.boundary_loaded_at))
        ).one()
        key = (url, tuple(stamp))
        with self._lock:
            if self._index is None or self._key != key:
                self._index, self._names = _build_index(session)
                self._key = key
            self._checked[url] = now
            return self._index, self._names

    def clear(self) -> None:
        """Forget the index (after this process changed the boundaries)."""
        with self._lock:
            self._key, self._index, self._names = None, None, {}
            self._checked.clear()


def _build_index(session: Session) -> tuple[AreaIndex, dict[str, tuple[str, str, str]]]:
    rows = session.scalars(select(Kelurahan).options(selectinload(Kelurahan.kecamatan))).all()
    areas = [
        Area(
            kode=k.kode,
            parent_kode=k.kecamatan_kode,
            centroid=(
                (k.centroid_lon, k.centroid_lat)
                if k.centroid_lon is not None and k.centroid_lat is not None
                else None
            ),
            geometry=json.loads(k.geometry) if k.geometry else None,
        )
        for k in rows
    ]
    names = {k.kode: (k.nama_umum, k.kecamatan_kode, k.kecamatan.nama_umum) for k in rows}
    return AreaIndex(areas), names


_cache = _IndexCache()


def resolve_location(*, session: Session, lon: float, lat: float) -> Location:
    """Resolve a WGS84 point to kelurahan and kecamatan (DESIGN.md, Time, place and language)."""
    try:
        index, names = _cache.get(session)
        placement: Placement = index.locate(lon, lat)
    except ValueError as error:
        raise InvalidInput(
            "Koordinat tidak valid.", "Invalid coordinates.", errors={"location": [str(error)]}
        ) from error
    if placement.kode is None:
        return Location(
            lon, lat, None, None, None, None, placement.method.value, placement.distance_m
        )
    kelurahan_nama, kecamatan_kode, kecamatan_nama = names[placement.kode]
    return Location(
        lon,
        lat,
        placement.kode,
        kelurahan_nama,
        kecamatan_kode,
        kecamatan_nama,
        placement.method.value,
        placement.distance_m,
    )


# Reference lists change only on `db upgrade` or a boundary load: pages read them from here.
_lists = TimedCache(ttl=REFERENCE_CACHE_SECONDS)


def _cache_key(session: Session, name: str) -> tuple[str, str]:
    return (str(session.get_bind().engine.url), name)


def forget_cached_lists() -> None:
    """Drop the cached reference lists and area index (after this process changed them)."""
    _lists.clear()
    _cache.clear()


def list_kecamatan(*, session: Session) -> list[KecamatanRead]:
    """The six kecamatan with their kelurahan, by code."""

    def load() -> list[KecamatanRead]:
        query = select(Kecamatan).options(selectinload(Kecamatan.kelurahan))
        rows = session.scalars(query.order_by(Kecamatan.kode))
        return [KecamatanRead.model_validate(row) for row in rows]

    return _lists.get_or_load(_cache_key(session, "kecamatan"), load)


def list_perangkat_daerah(
    *, session: Session, active_only: bool = True
) -> list[PerangkatDaerahRead]:
    """Perangkat Daerah by name."""

    def load() -> list[PerangkatDaerahRead]:
        query = select(PerangkatDaerah).order_by(PerangkatDaerah.nama)
        if active_only:
            query = query.where(PerangkatDaerah.is_active.is_(True))
        return [PerangkatDaerahRead.model_validate(row) for row in session.scalars(query)]

    return _lists.get_or_load(_cache_key(session, f"pd:{active_only}"), load)


def get_perangkat_daerah(*, session: Session, kode: str) -> PerangkatDaerah | None:
    """One Perangkat Daerah by code."""
    return session.get(PerangkatDaerah, kode)


def kecamatan_office(*, session: Session, kecamatan_kode: str) -> str | None:
    """The code of the active Perangkat Daerah that is this kecamatan's office, if any."""
    return session.scalar(
        select(PerangkatDaerah.kode).where(
            PerangkatDaerah.kecamatan_kode == kecamatan_kode,
            PerangkatDaerah.is_active.is_(True),
        )
    )


def list_dimensi(*, session: Session) -> list[DimensiRead]:
    """The six dimensions with their priority directions, in the law's order."""

    def load() -> list[DimensiRead]:
        query = select(Dimensi).options(
            selectinload(Dimensi.prioritas).selectinload(ArahPrioritas.dimensi)
        )
        rows = session.scalars(query.order_by(Dimensi.urutan))
        return [DimensiRead.model_validate(row) for row in rows]

    return _lists.get_or_load(_cache_key(session, "dimensi"), load)


def kelurahan_feature_collection(*, session: Session) -> dict[str, Any]:
    """Kelurahan as a GeoJSON FeatureCollection (polygons when loaded, else centroids)."""
    features = []
    for k in session.scalars(
        select(Kelurahan).options(selectinload(Kelurahan.kecamatan)).order_by(Kelurahan.kode)
    ):
        if k.geometry:
            geometry = json.loads(k.geometry)
        elif k.centroid_lon is not None:
            geometry = {"type": "Point", "coordinates": [k.centroid_lon, k.centroid_lat]}
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "id": k.kode,
                "geometry": geometry,
                "properties": {
                    "kode": k.kode,
                    "nama": k.nama_umum,
                    "kecamatan_kode": k.kecamatan_kode,
                    "kecamatan": k.kecamatan.nama_umum,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
