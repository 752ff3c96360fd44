"""Demo cameras: the city's own at real Pontianak places, and contributed ones in each state.

Places are real streets and kelurahan of Kota Pontianak; the cameras, their owners and their
addresses are DEMO VALUES. Their streams point at ``cctv-demo.invalid`` (a name that never
resolves, RFC 6761), so the health service finds them offline until real addresses are
entered: the demo shows the registry, the review and the owners' choices, not video.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.orm import Session

from pontive.cctv import footage, service
from pontive.cctv.choices import CameraStatus, OwnerType, PrivacyMask, Purpose, Sharing
from pontive.cctv.service import CameraInput
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

DEMO_HOST = "cctv-demo.invalid"


@dataclass(frozen=True, slots=True)
class DemoCamera:
    """One demo camera and where it stands."""

    name: str
    kelurahan: str  # Kemendagri code
    owner: OwnerType
    purpose: Purpose
    sharing: Sharing
    pd: str | None
    direction: int | None = None
    status: CameraStatus = CameraStatus.AKTIF


CITY = (
    DemoCamera("Bundaran Digulis", "61.71.06.1001", OwnerType.PD, Purpose.LALU_LINTAS,
               Sharing.PUBLIK, "dishub", 45),
    DemoCamera("Jl. Gajah Mada — Simpang Pahlawan", "61.71.01.1003", OwnerType.PD,
               Purpose.LALU_LINTAS, Sharing.PUBLIK, "dishub", 180),
    DemoCamera("Taman Alun Kapuas", "61.71.05.1002", OwnerType.PEMKOT, Purpose.KETERTIBAN,
               Sharing.PUBLIK, "diskominfo", 0),
    DemoCamera("Tugu Khatulistiwa", "61.71.04.1004", OwnerType.PEMKOT, Purpose.FASILITAS,
               Sharing.PUBLIK, "diskominfo", 270),
    DemoCamera("Pintu air Parit Tokaya", "61.71.01.1004", OwnerType.PD, Purpose.BANJIR,
               Sharing.PUBLIK, "pupr", 90),
    DemoCamera("Jembatan Kapuas I — sisi Tanjung Hulu", "61.71.02.1004", OwnerType.PD,
               Purpose.LALU_LINTAS, Sharing.INTERNAL, "dishub", 225),
    DemoCamera("Pasar Flamboyan", "61.71.05.1001", OwnerType.PD, Purpose.KETERTIBAN,
               Sharing.INTERNAL, "satpolpp", 135),
    DemoCamera("Genangan Jl. Hasanuddin", "61.71.03.1002", OwnerType.PD, Purpose.BANJIR,
               Sharing.INTERNAL, "bpbd", 315),
    DemoCamera("Jl. Khatulistiwa — Siantan", "61.71.04.1002", OwnerType.PD,
               Purpose.LALU_LINTAS, Sharing.INTERNAL, "dishub", 0),
)  # fmt: skip
CONTRIBUTED = (
    DemoCamera("Teras Toko Sinar Jaya, Jl. Tanjungpura", "61.71.05.1003", OwnerType.USAHA,
               Purpose.KETERTIBAN, Sharing.PUBLIK, None, 90),
    DemoCamera("Gang Mawar, Kota Baru", "61.71.01.1005", OwnerType.WARGA, Purpose.KETERTIBAN,
               Sharing.ON_REQUEST, None, 200),
    DemoCamera("Depan rumah, Jl. Tanjung Raya II", "61.71.02.1003", OwnerType.WARGA,
               Purpose.BANJIR, Sharing.PUBLIK, None, 10, CameraStatus.DIAJUKAN),
    DemoCamera("Parkiran Hotel Kapuas Indah", "61.71.01.1002", OwnerType.USAHA,
               Purpose.LALU_LINTAS, Sharing.INTERNAL, None, 300, CameraStatus.DIJEDA),
)  # fmt: skip
OWNERS = (("Antonius Lim", "0812-5611-2201"), ("Nurul Hidayah", "0813-4520-7788"),
          ("Syarif Hamid", "0852-4501-3390"), ("Vivi Tan", "0811-5670-4412"))  # fmt: skip


def load(session: Session, actor: Actor) -> str:
    """Load the demo cameras; a one-line summary for ``pontive demo load``."""
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        return _load(session, actor)
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)


def _load(session: Session, actor: Actor) -> str:
    rng = random.Random(17)  # noqa: S311 - demo placement, not security
    centroids = _centroids(session)
    for index, demo in enumerate(CITY):
        data = _input(session, rng, demo, centroids, index)
        service.register_camera(session=session, actor=actor, data=data)
    tokens = []
    for index, demo in enumerate(CONTRIBUTED):
        name, phone = OWNERS[index % len(OWNERS)]
        data = replace(
            _input(session, rng, demo, centroids, len(CITY) + index),
            owner_name=name,
            owner_phone=phone,
            organisation=demo.name.split(",")[0] if demo.owner is OwnerType.USAHA else "",
            privacy_mask=PrivacyMask.DI_KAMERA.value,
        )
        enrolled = service.enrol_camera(session=session, actor=ANONYMOUS, data=data, consent=True)
        tokens.append(enrolled.owner_token)
        if demo.status is CameraStatus.DIAJUKAN:
            continue
        service.review_camera(session=session, actor=actor, camera=enrolled.camera, approve=True)
        if demo.status is CameraStatus.DIJEDA:
            service.owner_action(session=session, actor=ANONYMOUS, token=tokens[-1], action="pause")
        if demo.sharing is Sharing.ON_REQUEST:
            now = utcnow()
            footage.request_footage(
                session=session, actor=actor, camera=enrolled.camera,
                window_start=now - timedelta(days=1, hours=3), window_end=now - timedelta(days=1),
                reason="Laporan pencurian sepeda motor di mulut gang, perlu rekaman untuk polisi.",
                incident_ref="KEJ-2026-0412",
            )  # fmt: skip
    return f"{len(CITY)} kamera kota, {len(CONTRIBUTED)} kamera kontribusi warga/usaha"


def _centroids(session: Session) -> dict[str, tuple[float, float]]:
    return {
        kelurahan.kode: (kelurahan.centroid_lon, kelurahan.centroid_lat)
        for kecamatan in reference.list_kecamatan(session=session)
        for kelurahan in kecamatan.kelurahan
        if kelurahan.centroid_lon is not None and kelurahan.centroid_lat is not None
    }


def _input(
    session: Session,
    rng: random.Random,
    demo: DemoCamera,
    centroids: dict[str, tuple[float, float]],
    index: int,
) -> CameraInput:
    lon, lat = centroids[demo.kelurahan]
    for spread in (0.002, 0.001, 0.0):  # near the centroid, still in the same kelurahan
        candidate = (lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread, spread))
        place = reference.resolve_location(session=session, lon=candidate[0], lat=candidate[1])
        if place.kelurahan_kode == demo.kelurahan:
            lon, lat = candidate
            break
    number = index + 1
    return CameraInput(
        name=demo.name,
        description=f"Kamera demo {number}: {demo.purpose.meta.label_id.lower()}.",
        owner_type=demo.owner.value,
        pd_kode=demo.pd,
        lon=lon,
        lat=lat,
        direction_deg=demo.direction,
        purpose=demo.purpose.value,
        sharing=demo.sharing.value,
        privacy_mask=PrivacyMask.TIDAK_PERLU.value,
        streams={
            "rtsp_url": f"rtsp://demo:demo-{number}@{DEMO_HOST}:554/stream{number}",
            "snapshot_url": f"http://{DEMO_HOST}/snapshot/{number}.jpg",
        },
    )
