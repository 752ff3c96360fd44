"""Staff at work in the complaints console, in a real browser on the live server.

Reports are filed through the complaints service on the live server's own database, then
staff sign in with the demo accounts and work them through the pages: a PUPR officer on a
phone takes a report to *selesai* with a reply and a photo of the fix; an operator re-routes a
*bukan kewenangan* report to another PD; an operator merges a duplicate the desk suggests.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from pontive.complaints import service, workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.schemas import ComplaintCreate
from pontive.core.db import Database
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.storage import MediaStore
from tests.web.conftest import LiveServer, Web

pytestmark = pytest.mark.browser

S = ComplaintStatus
PHONE = {"width": 360, "height": 780}
# Jl. Gajah Mada (Benua Melayu Darat), a little further along for each test's reports.
SPOTS = {
    "officer": (109.3431, -0.0395),
    "reroute": (109.3390, -0.0300),
    "dupe": (109.3252, -0.0270),
}


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Session]:
    """A session on the live server's database (what the city's other channels would write)."""
    database = Database(live_server.database_url)
    with database.session() as session:
        yield session
    database.dispose()


def file_report(session: Session, media_root: Path, spot: str, text: str, *path: S) -> str:
    """A drainage report filed anonymously and moved along ``path`` by the command center."""
    lon, lat = SPOTS[spot]
    receipt = service.create_complaint(
        session=session,
        data=ComplaintCreate(category_code="drainase", description=text, lon=lon, lat=lat),
        actor=ANONYMOUS,
        media=MediaStore(media_root),
    )
    tracking = receipt.complaint.tracking_number
    for step in path:
        workflow.transition(
            session=session,
            actor=system_actor("test"),
            tracking_number=tracking,
            to=step,
            message="Mohon segera ditindaklanjuti.",
        )
    return tracking


def open_from_queue(web: Web, tracking: str) -> None:
    """Find the report with the queue's search box and open its desk."""
    web.goto("/console/pengaduan")
    page = web.page
    if not page.get_by_label("Cari teks atau nomor laporan").is_visible():
        page.get_by_text("Saring dan urutkan").click()
    page.get_by_label("Cari teks atau nomor laporan").fill(tracking)
    with page.expect_navigation():
        page.get_by_role("button", name="Terapkan").click()
    web.settle()
    with page.expect_navigation():
        page.get_by_role("link", name=tracking).click()
    web.settle()
    assert page.get_by_role("heading", level=1).inner_text().startswith(tracking)


def choose_status(web: Web, label: str, message: str = "") -> None:
    """Pick the next state on the desk, write the message, save, and wait for the answer."""
    page = web.page
    page.get_by_role("radio", name=label).check()
    if message:
        page.get_by_label("Alasan atau pesan untuk pelapor").fill(message)
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan status").click()
    web.settle()


def status_badge(web: Web) -> Any:
    return web.page.locator(".cc-desk-head .cc-badge[data-status]")


def test_pd_officer_works_a_report_to_selesai_on_a_phone(
    web: Web, live_db: Session, tmp_path: Path
) -> None:
    tracking = file_report(
        live_db,
        tmp_path,
        "officer",
        "Parit depan Pasar Kapuas Indah tersumbat, air meluap ke jalan.",
        S.DIVERIFIKASI,
        S.DIDISPOSISIKAN,
    )
    web.page.set_viewport_size(PHONE)
    web.login("petugas.pupr")
    open_from_queue(web, tracking)
    page = web.page
    assert page.get_by_text("Parit depan Pasar Kapuas Indah").first.is_visible()
    # Triage is not an officer's: duplicates/rejection are not offered.
    assert page.get_by_role("radio", name="Duplikat").count() == 0

    choose_status(web, "Sedang dikerjakan", "Tim kebersihan parit berangkat hari ini.")
    assert page.get_by_role("status").first.inner_text().startswith("Status laporan diperbarui")
    assert status_badge(web).get_attribute("data-status") == "dikerjakan"

    photo = tmp_path / "perbaikan.jpg"
    image = Image.new("RGB", (640, 480), (90, 140, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    page.get_by_label("Balasan ke pelapor (publik)").check()
    page.get_by_label("Isi", exact=True).fill("Parit sudah dikeruk dan air mengalir lagi.")
    page.get_by_label("Foto perbaikan (opsional, maks. 5)").set_input_files(str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim").click()
    web.settle()
    assert page.get_by_text("Balasan terkirim ke pelapor.").is_visible()
    fix = page.locator(".cc-kind-reply img")
    assert fix.count() == 1
    assert fix.evaluate("img => img.complete && img.naturalWidth > 0")

    choose_status(web, "Selesai diperbaiki", "Sudah selesai diperbaiki.")
    assert status_badge(web).get_attribute("data-status") == "selesai"
    assert status_badge(web).inner_text() == "Selesai diperbaiki"
    # The page fits a phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_operator_reroutes_a_not_responsible_report_to_another_pd(
    web: Web, live_db: Session, tmp_path: Path
) -> None:
    tracking = file_report(
        live_db,
        tmp_path,
        "reroute",
        "Tumpukan sampah menyumbat parit di Gang Mawar, bau menyengat.",
        S.DIVERIFIKASI,
        S.DIDISPOSISIKAN,
        S.BUKAN_KEWENANGAN,
    )
    web.login("operator")
    web.goto("/console/pengaduan?status=bukan_kewenangan")
    assert web.page.get_by_role("link", name=tracking).is_visible()
    open_from_queue(web, tracking)
    page = web.page
    assert status_badge(web).get_attribute("data-status") == "bukan_kewenangan"
    assert page.get_by_text("Mohon segera ditindaklanjuti.").first.is_visible()
    page.get_by_role("radio", name="Didisposisikan").check()
    pd_select = page.get_by_label("Perangkat Daerah tujuan")
    assert pd_select.is_visible()  # shown for disposing only
    pd_select.select_option("dlh")
    choose_status(web, "Didisposisikan", "Sampah di parit: ditangani DLH.")
    assert status_badge(web).get_attribute("data-status") == "didisposisikan"
    facts = page.locator(".cc-facts").first.inner_text()
    assert "dlh" in facts
    live_db.expire_all()
    assert service.get_by_tracking(live_db, tracking).pd_kode == "dlh"


def test_operator_merges_a_duplicate_suggested_on_the_desk(
    web: Web, live_db: Session, tmp_path: Path
) -> None:
    original = file_report(
        live_db, tmp_path, "dupe", "Saluran air di depan SD 14 tersumbat lumpur.", S.DIVERIFIKASI
    )
    copy = file_report(live_db, tmp_path, "dupe", "Got di depan sekolah dasar mampet, air naik.")
    web.login("operator")
    open_from_queue(web, copy)
    page = web.page
    suggestion = page.get_by_role("button", name=f"Tandai duplikat dari {original}")
    assert suggestion.is_visible()
    with page.expect_navigation():
        suggestion.click()
    web.settle()
    assert status_badge(web).get_attribute("data-status") == "duplikat"
    assert page.get_by_text(f"digabung dengan {original}").first.is_visible()
    open_from_queue(web, original)
    assert page.get_by_text(f"Digabung dari {copy}").is_visible()
