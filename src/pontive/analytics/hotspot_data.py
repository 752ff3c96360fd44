"""What hotspots are computed from: the public columns of recent reports (category, time,
lon/lat, kelurahan; never a description, a reporter or anything decrypted) and the kelurahan
with their names and boundaries, read once and kept briefly per database.

Rejected reports and duplicates are left out: a report merged into another is the same
problem, and a rejected one was not a problem. The copy is dropped as soon as the reports
change (one cheap stamp query per read: how many there are, the newest id and the latest
change) and after ``CACHE_SECONDS`` in any case.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint, ServiceCategory
from pontive.reference.models import Kecamatan, Kelurahan

BASELINE = timedelta(weeks=12)
LONGEST_WINDOW = timedelta(days=30)
CACHE_SECONDS = 60.0
EXCLUDED_STATUSES = (ComplaintStatus.DITOLAK, ComplaintStatus.DUPLIKAT)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One report as hotspots see it: what, when, where (no more)."""

    category: str
    created_at: datetime
    lon: float | None
    lat: float | None
    kelurahan: str


@dataclass(frozen=True, slots=True)
class Place:
    """A kelurahan: its names and its shape (a polygon, or its centre before boundaries)."""

    kode: str
    name: str
    kecamatan: str
    geometry: dict[str, Any] | None
    centroid: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The reports of the longest window and its baseline, up to ``until``; the places."""

    since: datetime
    until: datetime
    rows: tuple[ReportRow, ...]
    places: dict[str, Place]


class _Cache:
    """The latest snapshot per database (one entry each: memory does not grow)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[tuple[Any, ...], float, Snapshot]] = {}

    def get(self, url: str, key: tuple[Any, ...]) -> Snapshot | None:
        with self._lock:
            entry = self._entries.get(url)
        if entry is None or entry[0] != key or entry[1] < time.monotonic():
            return None
        return entry[2]

    def put(self, url: str, key: tuple[Any, ...], snapshot: Snapshot) -> None:
        with self._lock:
            self._entries[url] = (key, time.monotonic() + CACHE_SECONDS, snapshot)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_cache = _Cache()


def forget_cached() -> None:
    """Drop every cached snapshot (after this process changed reports in bulk)."""
    _cache.clear()


def _stamp(session: Session) -> tuple[Any, ...]:
    reports = session.execute(
        select(func.count(Complaint.id), func.max(Complaint.id), func.max(Complaint.updated_at))
    ).one()
    places = session.execute(
        select(func.count(Kelurahan.kode), func.max(Kelurahan.boundary_loaded_at))
    ).one()
    return (*reports, *places)


def snapshot(session: Session, now: datetime) -> Snapshot:
    """Reports from ``now - (30 days + 12 weeks)`` to the end of ``now``'s minute."""
    until = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    since = until - LONGEST_WINDOW - BASELINE - timedelta(minutes=1)
    url = str(session.get_bind().engine.url)
    key = (*_stamp(session), since, until)
    cached = _cache.get(url, key)
    if cached is not None:
        return cached
    taken = Snapshot(since, until, _read_rows(session, since, until), _read_places(session))
    _cache.put(url, key, taken)
    return taken


def _read_rows(session: Session, since: datetime, until: datetime) -> tuple[ReportRow, ...]:
    query = (
        select(
            ServiceCategory.code,
            Complaint.created_at,
            Complaint.lon,
            Complaint.lat,
            Complaint.kelurahan_kode,
        )
        .join(ServiceCategory, ServiceCategory.id == Complaint.category_id)
        .where(
            Complaint.created_at >= since,
            Complaint.created_at < until,
            Complaint.status.not_in(EXCLUDED_STATUSES),
            # Reports outside the city (no kelurahan) are not the city's hotspots.
            Complaint.kelurahan_kode.is_not(None),
        )
        .order_by(Complaint.created_at)
    )
    return tuple(
        ReportRow(code, created_at, lon, lat, kelurahan or "")  # never empty: filtered above
        for code, created_at, lon, lat, kelurahan in session.execute(query)
    )


def _read_places(session: Session) -> dict[str, Place]:
    query = (
        select(
            Kelurahan.kode,
            Kelurahan.nama_umum,
            Kecamatan.nama_umum,
            Kelurahan.geometry,
            Kelurahan.centroid_lon,
            Kelurahan.centroid_lat,
        )
        .join(Kecamatan, Kecamatan.kode == Kelurahan.kecamatan_kode)
        .order_by(Kelurahan.kode)
    )
    places = {}
    for kode, name, kecamatan, geometry, lon, lat in session.execute(query):
        centroid = (lon, lat) if lon is not None and lat is not None else None
        shape = json.loads(geometry) if geometry else None
        places[kode] = Place(kode, name, kecamatan, shape, centroid)
    return places
