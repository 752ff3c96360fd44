"""The public complaint pages on a phone (360 x 740) in a real browser: a citizen files a report
anonymously with a photo and a map pin, follows it, and rates the fix; the list, map and
statistics render cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import system_actor
from tests.complaints.conftest import jpeg_bytes
from tests.web.conftest import LiveServer, Web

pytestmark = pytest.mark.browser

STAFF = system_actor("uji-browser")


def _work_to_selesai(database_url: str, tracking: str) -> None:
    # The PD's side, done through the workflow service on the live server's database.
    database = Database(database_url)
    try:
        with database.session() as session:
            session.info[SESSION_BUS_KEY] = MemoryBus()
            for step in (
                ComplaintStatus.DIVERIFIKASI,
                ComplaintStatus.DIDISPOSISIKAN,
                ComplaintStatus.DIKERJAKAN,
            ):
                workflow.transition(
                    session=session, actor=STAFF, tracking_number=tracking, to=step, message=""
                )
            workflow.add_update(
                session=session,
                actor=STAFF,
                tracking_number=tracking,
                message="Sampah sudah diangkut truk DLH pagi ini.",
                is_public=True,
            )
            workflow.transition(
                session=session,
                actor=STAFF,
                tracking_number=tracking,
                to=ComplaintStatus.SELESAI,
                message="TPS sudah dikosongkan.",
            )
    finally:
        database.dispose()


def _pin_the_map(phone: Web) -> None:
    page = phone.page
    page.wait_for_selector("#pin-map[data-ready='true']")
    page.locator("#pin-map").scroll_into_view_if_needed()
    box = page.locator("#pin-map").bounding_box()
    assert box is not None
    # The middle of the fitted city: inside a kelurahan.
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_for_selector("#pin-map[data-pinned='true']")


def test_a_citizen_reports_follows_and_rates_a_fix_on_a_phone(
    phone: Web, live_server: LiveServer, tmp_path: Path
) -> None:
    page = phone.page
    phone.goto("/")
    page.get_by_role("link", name="Lapor masalah").first.click()
    phone.settle()
    assert page.url.endswith("/lapor")

    page.get_by_text("Sampah menumpuk atau tidak diangkut").click()
    page.get_by_role("button", name="Lanjut").click()
    phone.settle()
    assert "kategori=sampah" in page.url
    assert page.get_by_text("Jenis tempat").is_visible()

    page.get_by_label("Ceritakan masalahnya").fill(
        "Sampah menumpuk di TPS sudah tiga hari, baunya sampai ke rumah warga."
    )
    page.get_by_label("TPS resmi penuh").check()
    _pin_the_map(phone)
    assert "Titik dipasang" in page.locator("#pin-status").inner_text()
    photo = tmp_path / "sampah.jpg"
    photo.write_bytes(jpeg_bytes(1200, 900, exif_gps=True))
    page.set_input_files("#photos", str(photo))
    page.wait_for_selector("#photo-previews img")
    assert page.get_by_label("Lapor sebagai anonim").is_checked()
    assert not page.get_by_label("Nama", exact=True).is_visible()  # hidden when anonymous
    phone.screenshot("form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim laporan").click()
    phone.settle()

    match = re.search(r"/lapor/(PTK-\d{4}-\d{6})\?k=([0-9a-f]+)&baru=1$", page.url)
    assert match, page.url
    tracking, token = match.groups()
    assert page.locator("#new-tracking").inner_text() == tracking
    assert f"/lapor/{tracking}?k={token}" in page.locator("#private-link").inner_text()
    assert page.locator(".photo-grid img").count() == 1  # the reporter sees the unmoderated photo
    page.wait_for_selector("#report-map[data-ready='true']")

    # Anyone following the tracking number sees the public page, without the private parts.
    phone.goto(f"/lapor/{tracking}")
    assert page.locator(".status-badge").first.inner_text() == "Diterima"
    assert page.get_by_text("Tindakan Anda sebagai pelapor").count() == 0
    assert page.locator(".photo-grid img").count() == 0  # not moderated yet

    _work_to_selesai(live_server.database_url, tracking)

    phone.goto(f"/lapor/{tracking}?k={token}")
    assert "✓" in page.locator(".status-line .status-badge").inner_text()
    assert page.get_by_text("Sampah sudah diangkut truk DLH pagi ini.").is_visible()
    page.locator("label.rating-choice").nth(4).click()
    page.get_by_label("Komentar (boleh kosong)").fill("Cepat ditangani, terima kasih.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim penilaian").click()
    phone.settle()
    assert page.get_by_text("Terima kasih atas penilaian Anda.").is_visible()
    assert page.get_by_text("Anda memberi nilai 5 dari 5.").is_visible()


def test_nearby_open_reports_are_offered_before_a_second_report(phone: Web) -> None:
    page = phone.page
    phone.goto("/lapor?kategori=drainase")
    page.get_by_label("Ceritakan masalahnya").fill("Parit tersumbat, air meluap ke jalan raya.")
    _pin_the_map(phone)
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim laporan").click()
    phone.settle()
    first = page.locator("#new-tracking").inner_text()

    phone.goto("/lapor?kategori=drainase")
    _pin_the_map(phone)
    page.wait_for_selector("#nearby:not([hidden])")
    assert first in page.locator("#nearby-list").inner_text()
    phone.screenshot("nearby")


def test_switching_category_loads_its_questions(phone: Web) -> None:
    page = phone.page
    phone.goto("/lapor?kategori=drainase")
    assert page.locator("#attributes [data-attribute]").count() == 0
    page.get_by_label("Jenis masalah").select_option("banjir-genangan")
    page.wait_for_selector("#attributes [data-attribute='kedalaman_cm'] input[type='number']")
    assert page.locator("#category-photo-hint").is_visible()


def test_field_errors_keep_the_typed_text_on_a_phone(phone: Web) -> None:
    page = phone.page
    phone.goto("/lapor?kategori=lampu-jalan")
    page.get_by_label("Ceritakan masalahnya").fill("Lampu mati")
    phone.expect_error_status("/lapor")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim laporan").click()
    phone.settle()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#location-error").is_visible()
    assert page.get_by_label("Ceritakan masalahnya").input_value() == "Lampu mati"


def test_the_public_list_and_map_render_on_a_phone(phone: Web) -> None:
    phone.goto("/laporan")
    page = phone.page
    page.wait_for_selector("#list-map[data-ready='true']")
    assert page.get_by_role("heading", name="Laporan warga").is_visible()
    assert int(page.locator("#list-map").get_attribute("data-markers") or 0) >= 1
    assert page.locator(".report-item").count() >= 1
    page.get_by_label("Status", exact=True).select_option("terbuka")
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan").click()
    phone.settle()
    assert "status=terbuka" in page.url
    page.wait_for_selector("#list-map[data-ready='true']")


def test_the_statistics_page_renders_charts_on_a_phone(phone: Web) -> None:
    phone.goto("/statistik")
    page = phone.page
    assert page.get_by_role("heading", name="Statistik pengaduan", level=1).is_visible()
    assert page.locator("svg.chart-svg").count() == 4
    assert page.get_by_role("link", name="Unduh CSV").get_attribute("href") == (
        "/statistik.csv?bulan=12"
    )
    response = page.request.get(phone.url("/statistik.csv"))
    assert response.status == 200
    assert response.text().startswith("rincian,kode,nama,laporan")
