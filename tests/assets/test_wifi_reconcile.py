"""Reconciliation keeps hotspots' report figures true to their complaints: a resolved complaint
no longer counts, a hotspot that reports turned *gangguan* comes back by itself, a status a
person set stays, and complaints filed elsewhere that name a hotspot are adopted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets import wifi_jobs
from pontive.assets.wifi_choices import HotspotStatus
from pontive.assets.wifi_models import WifiHotspot, WifiReport
from pontive.assets.wifi_reconcile import reconcile
from pontive.assets.wifi_registries import HOTSPOTS
from pontive.assets.wifi_reports import GANGGUAN_AFTER_REPORTS
from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.storage import MediaStore
from pontive.core.worker import JobContext
from pontive.registry import store
from tests.assets.test_wifi_support import TEAM, file_report, make_hotspot, status_of

DESK = system_actor("uji-meja-pengaduan")
FIXED = (
    ComplaintStatus.DIVERIFIKASI,
    ComplaintStatus.DIDISPOSISIKAN,
    ComplaintStatus.DIKERJAKAN,
    ComplaintStatus.SELESAI,
)


def _move(session: Session, tracking: str, steps: tuple[ComplaintStatus, ...]) -> None:
    for step in steps:
        reason = "Sudah ditangani." if step is not ComplaintStatus.DIDISPOSISIKAN else ""
        workflow.transition(
            session=session, actor=DESK, tracking_number=tracking, to=step, message=reason
        )


def _broken_by_reports(session: Session, media: MediaStore) -> tuple[WifiHotspot, list[str]]:
    hotspot = make_hotspot(session)
    numbers = [
        file_report(session, media, hotspot, reporter=f"192.0.2.{n}").complaint.tracking_number
        for n in range(GANGGUAN_AFTER_REPORTS)
    ]
    assert status_of(hotspot) is HotspotStatus.GANGGUAN
    return hotspot, numbers


def test_resolved_complaints_stop_counting_and_the_hotspot_comes_back(
    session: Session, media: MediaStore
) -> None:
    hotspot, numbers = _broken_by_reports(session, media)
    _move(session, numbers[0], FIXED)
    done = reconcile(session)
    assert done.refreshed >= 1
    assert hotspot.open_reports == GANGGUAN_AFTER_REPORTS - 1
    assert status_of(hotspot) is HotspotStatus.GANGGUAN  # others still open
    for tracking in numbers[1:]:
        _move(session, tracking, FIXED)
    done = reconcile(session)
    assert hotspot.open_reports == 0
    assert status_of(hotspot) is HotspotStatus.AKTIF
    assert hotspot.status_by_reports is False
    assert done.restored >= 1
    assert reconcile(session).restored == 0  # idempotent: nothing more to do


def test_a_reopened_complaint_counts_again(session: Session, media: MediaStore) -> None:
    hotspot = make_hotspot(session)
    tracking = file_report(session, media, hotspot).complaint.tracking_number
    _move(session, tracking, FIXED)
    reconcile(session)
    assert hotspot.open_reports == 0
    _move(session, tracking, (ComplaintStatus.DIKERJAKAN,))  # reopened
    reconcile(session)
    assert hotspot.open_reports == 1
    link = session.scalar(select(WifiReport).where(WifiReport.tracking_number == tracking))
    assert link is not None
    assert link.complaint_status == "dikerjakan"
    assert link.is_open


def test_a_status_a_person_set_is_left_alone(session: Session, media: MediaStore) -> None:
    hotspot, numbers = _broken_by_reports(session, media)
    # A person confirms the outage (a cable cut): the status is theirs now.
    store.save_row(session, HOTSPOTS, TEAM, {"notes": "Kabel putus."}, row=hotspot, partial=True)
    for tracking in numbers:
        _move(session, tracking, (ComplaintStatus.DITOLAK,))
    reconcile(session)
    assert hotspot.open_reports == 0
    assert status_of(hotspot) is HotspotStatus.GANGGUAN


def test_a_complaint_filed_elsewhere_naming_the_hotspot_is_adopted(
    session: Session, media: MediaStore
) -> None:
    hotspot = make_hotspot(session)
    data = ComplaintCreate(
        category_code="wifi-publik",
        description="Wi-Fi di taman tidak bisa dipakai sejak kemarin.",
        address="Jl. Gajah Mada",
        attributes={"masalah": "tidak-ada-sinyal", "hotspot": hotspot.code.lower()},
    )
    receipt = create_complaint(session=session, data=data, actor=ANONYMOUS, media=media)
    other = ComplaintCreate(
        category_code="wifi-publik",
        description="Wi-Fi di tempat lain mati total.",
        address="Jl. Gajah Mada",
        attributes={"masalah": "lambat", "hotspot": "TIDAK-ADA-KODE"},
    )
    create_complaint(session=session, data=other, actor=ANONYMOUS, media=media)
    done = reconcile(session)
    assert done.adopted == 1
    assert hotspot.open_reports == 1
    assert hotspot.last_report_at == receipt.complaint.created_at
    link = session.scalar(select(WifiReport).where(WifiReport.hotspot_id == hotspot.id))
    assert link is not None
    assert link.tracking_number == receipt.complaint.tracking_number
    assert reconcile(session).adopted == 0


def test_the_worker_job_reconciles(session: Session, media: MediaStore) -> None:
    hotspot, numbers = _broken_by_reports(session, media)
    for tracking in numbers:
        _move(session, tracking, FIXED)
    (job,) = wifi_jobs.JOBS
    assert job.name == "assets.wifi_reconcile"
    job.run(JobContext(session=session, bus=MemoryBus()))
    assert hotspot.open_reports == 0
    assert status_of(hotspot) is HotspotStatus.AKTIF


def test_reports_from_elsewhere_count_toward_gangguan(session: Session, media: MediaStore) -> None:
    hotspot = make_hotspot(session)
    for number in range(GANGGUAN_AFTER_REPORTS):
        data = ComplaintCreate(
            category_code="wifi-publik",
            description=f"Laporan lewat aplikasi nomor {number}: Wi-Fi mati.",
            address="Jl. Gajah Mada",
            attributes={"masalah": "tidak-ada-sinyal", "hotspot": hotspot.code},
        )
        create_complaint(session=session, data=data, actor=ANONYMOUS, media=media)
    done = reconcile(session)
    assert done.adopted == GANGGUAN_AFTER_REPORTS
    assert status_of(hotspot) is HotspotStatus.GANGGUAN
    assert hotspot.status_by_reports is True
