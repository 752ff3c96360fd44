"""Demo data of the hotspot part: a small, believable cluster of recent reports, so that the
hotspot map shows something real on a fresh demo.

The complaints demo spreads its reports evenly over the city and half a year, which rarely
makes a hotspot. Here, after a night of heavy rain meeting the high tide, residents of Parit
Mayor (Pontianak Timur, on the Kapuas bank) report standing water and blocked ditches: nine
anonymous reports over the last 30 hours, within a few hundred metres. They are received
through ``complaints.service.create_complaint`` like any report (audited, routed, given a
due date), each with its own idempotency key so a second load adds nothing.
"""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from pontive.complaints import service as complaints
from pontive.complaints.schemas import ComplaintCreate
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

SEED = 20261130
KELURAHAN = "61.71.02.1001"  # Parit Mayor
KEY_PREFIX = "demo-titik-rawan-"
# (hours ago, category, what the resident wrote, where)
REPORTS = (
    (
        29.5,
        "banjir-genangan",
        "Hujan deras semalaman, air masuk ke rumah warga di gang ini.",
        "Gg. Kurnia",
    ),
    (
        27.0,
        "drainase",
        "Parit di depan rumah tersumbat sampah, air hujan tidak mengalir.",
        "Jl. Tritura",
    ),
    (
        25.5,
        "banjir-genangan",
        "Jalan tergenang sebetis sejak subuh, anak sekolah tidak bisa lewat.",
        "Jl. Tritura",
    ),
    (22.0, "banjir-genangan", "Air pasang ditambah hujan, halaman masjid terendam.", "Gg. Amal"),
    (
        18.5,
        "banjir-genangan",
        "Genangan belum surut sejak kemarin, bau mulai tidak sedap.",
        "Gg. Kurnia",
    ),
    (
        14.0,
        "drainase",
        "Gorong-gorong di ujung gang tertutup lumpur, air meluap ke jalan.",
        "Gg. Amal",
    ),
    (
        9.5,
        "banjir-genangan",
        "Air kembali naik sore ini, beberapa rumah lantai papan kebanjiran.",
        "Jl. Parit Mayor",
    ),
    (
        5.0,
        "banjir-genangan",
        "Motor warga mogok di genangan dekat sekolah dasar.",
        "Jl. Parit Mayor",
    ),
    (
        2.5,
        "banjir-genangan",
        "Lansia di rumah panggung minta dibantu, air sudah setinggi lutut.",
        "Gg. Kurnia",
    ),
)


def _points(session: Session, rng: random.Random, count: int) -> list[tuple[float, float]]:
    """Pins within a few hundred metres of the kelurahan's centre, all inside it."""
    places = {k.kode: k for kec in reference.list_kecamatan(session=session) for k in kec.kelurahan}
    place = places[KELURAHAN]
    lon0, lat0 = place.centroid_lon or 0.0, place.centroid_lat or 0.0
    points = []
    for _ in range(count):
        point = (lon0, lat0)
        for _attempt in range(20):
            candidate = (lon0 + rng.uniform(-0.0018, 0.0018), lat0 + rng.uniform(-0.0018, 0.0018))
            found = reference.resolve_location(session=session, lon=candidate[0], lat=candidate[1])
            if found.kelurahan_kode == KELURAHAN:
                point = candidate
                break
        points.append(point)
    return points


def load(session: Session, actor: Actor) -> str:
    """Receive the cluster's reports; a short summary."""
    rng = random.Random(SEED)  # noqa: S311 - made-up demo data, deterministic on purpose
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    media = MediaStore(Path(tempfile.gettempdir()) / "pontive-demo-media")  # no photos
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news
        session.info[SESSION_BUS_KEY] = MemoryBus()
    made = 0
    try:
        points = _points(session, rng, len(REPORTS))
        for index, ((hours, category, text, street), (lon, lat)) in enumerate(
            zip(REPORTS, points, strict=True)
        ):
            data = ComplaintCreate(
                category_code=category,
                description=text,
                lon=lon,
                lat=lat,
                address=f"{street}, Parit Mayor",
                created_at=now - timedelta(hours=hours),
                idempotency_key=f"{KEY_PREFIX}{index + 1}",
            )
            receipt = complaints.create_complaint(
                session=session, data=data, actor=ANONYMOUS, media=media
            )
            made += receipt.is_new
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    return f"{made} laporan banjir terkini di Parit Mayor (klaster titik rawan)"
