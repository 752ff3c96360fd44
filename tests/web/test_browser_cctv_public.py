"""The public and owner CCTV pages in a real browser: a citizen enrols a camera on a phone with
the map pin, keeps the owner link and pauses sharing once it is approved; the public map, a
camera's page, coverage, the footage answer and the form without JavaScript render cleanly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy.orm import Session

from pontive.cctv import footage, service
from pontive.cctv.service import CameraInput
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.timeutil import utcnow
from tests.web.conftest import PHONE, LiveServer, Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

STAFF = system_actor("uji-browser")
# Darat Sekip (Pontianak Kota), by the Alun Kapuas.
LON, LAT = 109.3405, -0.0259


def _live_session(live_server: LiveServer) -> Iterator[Session]:
    # The reviewers' and operators' side, done through the services on the live database.
    database = Database(live_server.database_url)
    try:
        with database.session() as session:
            session.info[SESSION_BUS_KEY] = MemoryBus()
            yield session
    finally:
        database.dispose()


def _approve(live_server: LiveServer, code: str) -> None:
    for session in _live_session(live_server):
        camera = service.get_camera(session, code)
        service.review_camera(session=session, actor=STAFF, camera=camera, approve=True)


def _camera_with_request(live_server: LiveServer) -> tuple[str, str]:
    """An approved on-request citizen camera with a waiting footage request: the owner's
    token and the request's answer token."""
    data = CameraInput(
        name="Gang Melati, Sungai Jawi", owner_type="warga", lon=LON, lat=LAT,
        purpose="ketertiban", sharing="on_request", privacy_mask="tidak_perlu",
        owner_name="Rina Marlina", owner_phone="0813-4500-1122",
        streams={"snapshot_url": "http://cctv-uji.invalid/snapshot.jpg"},
    )  # fmt: skip
    for session in _live_session(live_server):
        enrolled = service.enrol_camera(session=session, actor=ANONYMOUS, data=data, consent=True)
        service.review_camera(session=session, actor=STAFF, camera=enrolled.camera, approve=True)
        now = utcnow()
        requested = footage.request_footage(
            session=session, actor=STAFF, camera=enrolled.camera,
            window_start=now - timedelta(hours=20), window_end=now - timedelta(hours=18),
            reason="Laporan kehilangan sepeda motor di mulut gang; polisi meminta rekaman.",
            complaint_tracking="", incident_ref="KEJ-2026-0777",
        )  # fmt: skip
        return enrolled.owner_token, requested.answer_token
    raise AssertionError("no session")


def _readable(tab: Web) -> None:
    failures = tab.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{tab.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def _pin_the_map(phone: Web) -> None:
    page = phone.page
    page.wait_for_selector("#pin-map[data-ready='true']")
    page.locator("#pin-map").scroll_into_view_if_needed()
    box = page.locator("#pin-map").bounding_box()
    assert box is not None
    # The middle of the fitted city: inside a kelurahan.
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_for_selector("#pin-map[data-pinned='true']")


def test_a_citizen_enrols_a_camera_with_the_map_pin_and_pauses_it_on_a_phone(
    phone: Web, live_server: LiveServer
) -> None:
    page = phone.page
    phone.goto("/cctv")
    page.wait_for_selector("#cctv-map[data-ready='true']")
    page.get_by_role("link", name="Daftarkan kamera Anda").first.click()
    phone.settle()
    assert page.url.endswith("/cctv/daftar")
    _readable(phone)

    assert page.get_by_label("Warga (perorangan)").is_checked()
    assert not page.get_by_label("Nama usaha atau lembaga").is_visible()  # businesses only
    page.get_by_label("Nama kamera").fill("Depan rumah, Gg. Sepakat 2")
    page.get_by_label("Keterangan").fill("Parit dan jalan gang; sering tergenang saat hujan deras.")
    page.get_by_label("Banjir / genangan").check()
    page.get_by_label("Arah pandang kamera").select_option("90")
    page.get_by_label("Tidak, hanya jalan atau ruang publik").check()
    _pin_the_map(phone)
    assert "Titik dipasang" in page.locator("#pin-status").inner_text()
    assert page.get_by_label("Bujur (longitude)").input_value().startswith("109.")
    page.get_by_role("radio", name=re.compile("^Publik")).check()
    page.get_by_label("Alamat gambar diam (snapshot)").fill(
        "http://warga:rahasia-99@cctv-uji.invalid/snapshot.jpg"
    )
    page.get_by_label("Nama Anda").fill("Yohanes Lie")
    page.get_by_label("Nomor telepon / WhatsApp").fill("0812-5700-3344")
    page.get_by_label("Saya pemilik kamera ini").check()
    phone.screenshot("form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim pendaftaran kamera").click()
    phone.settle()

    match = re.search(r"/cctv/pemilik/([\w-]+)/terdaftar$", page.url)
    assert match, page.url
    token = match.group(1)
    code = page.locator("#new-code").inner_text()
    assert re.fullmatch(r"CAM-\d{4}", code)
    assert page.locator("#owner-link").inner_text().endswith(f"/cctv/pemilik/{token}")
    assert page.get_by_text("Simpan tautan ini sekarang.").is_visible()
    assert "rahasia-99" not in page.content()
    assert "0812-5700-3344" not in page.content()
    _readable(phone)

    page.get_by_role("link", name="Buka halaman pemilik").click()
    phone.settle()
    assert page.url.endswith(f"/cctv/pemilik/{token}")
    assert page.locator("#camera-status").inner_text() == "Diajukan"
    assert page.locator("#action-pause").count() == 0  # nothing to pause before approval

    _approve(live_server, code)
    phone.goto(f"/cctv/{code}")  # approved: public at once
    assert page.get_by_role("heading", name="Depan rumah, Gg. Sepakat 2").is_visible()
    phone.goto(f"/cctv/pemilik/{token}")
    assert page.locator("#camera-status").inner_text() == "Aktif"
    with page.expect_navigation():
        page.get_by_role("button", name="Jeda berbagi").click()
    phone.settle()
    assert page.locator("#notice").inner_text().startswith("Berbagi dijeda.")
    assert page.locator("#camera-status").inner_text() == "Dijeda"
    assert page.locator("#action-resume").is_visible()
    _readable(phone)
    phone.goto(f"/cctv/{code}", status=404)
    phone.goto("/cctv")
    assert page.locator(f"a[href='/cctv/{code}']").count() == 0


def test_the_public_map_shows_the_cameras_with_their_popups(web: Web) -> None:
    page = web.page
    web.goto("/cctv")
    page.wait_for_selector("#cctv-map[data-ready='true']")
    markers = int(page.locator("#cctv-map").get_attribute("data-markers") or 0)
    assert markers >= 5  # the demo's public cameras
    assert page.locator("#cctv-map .cctv-pin").count() == markers
    assert page.locator(".cctv-item").count() == markers
    assert page.locator(".cctv-legend li").count() == 4
    page.locator("#cctv-map .leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Lihat kamera" in popup.inner_text()
    web.screenshot("popup")
    _readable(web)
    with page.expect_navigation():
        popup.get_by_role("link", name=re.compile("^Lihat kamera")).click()
    web.settle()
    assert re.search(r"/cctv/CAM-\d{4}$", page.url)
    page.wait_for_selector("#camera-spot[data-ready='true']")
    _readable(web)
    web.goto("/cctv")
    page.get_by_role("link", name=re.compile("^Banjir")).click()
    web.settle()
    assert "tujuan=banjir" in page.url
    page.wait_for_selector("#cctv-map[data-ready='true']")
    web.goto("/cctv?lang=en")
    page.wait_for_selector("#cctv-map[data-ready='true']")
    assert page.get_by_role("heading", name="Pontianak City CCTV").is_visible()


def test_a_camera_page_without_an_image_yet_on_a_phone(phone: Web) -> None:
    page = phone.page
    phone.goto("/cctv")
    page.locator(".cctv-link").first.click()
    phone.settle()
    assert re.search(r"/cctv/CAM-\d{4}$", page.url)
    page.wait_for_selector("#camera-spot[data-ready='true']")
    assert page.locator(".cctv-placeholder").is_visible()  # the demo's streams never answer
    assert page.locator("svg.uptime-svg rect").count() == 7
    assert page.locator("#camera-spot .cctv-pin").count() == 1
    phone.screenshot("camera")
    _readable(phone)
    phone.goto(f"{urlsplit(page.url).path}?lang=en")
    assert page.get_by_text("No image yet").first.is_visible()


def test_the_coverage_page_renders_on_a_phone(phone: Web) -> None:
    phone.goto("/cctv/cakupan")
    page = phone.page
    assert page.get_by_role("heading", name="Cakupan CCTV per kelurahan").is_visible()
    assert page.locator(".coverage-table tbody tr").count() >= 29  # every kelurahan of the city
    _readable(phone)
    phone.goto("/cctv/cakupan?lang=en")


def test_the_owner_answers_a_footage_request_on_a_phone(
    phone: Web, live_server: LiveServer
) -> None:
    owner_token, answer_token = _camera_with_request(live_server)
    page = phone.page
    phone.goto(f"/cctv/pemilik/{owner_token}")
    assert page.get_by_text("1 menunggu jawaban").is_visible()
    assert page.get_by_text("KEJ-2026-0777").first.is_visible()
    _readable(phone)

    phone.goto(f"/cctv/rekaman/{answer_token}")
    assert page.get_by_role("heading", name=re.compile("Gang Melati")).is_visible()
    page.get_by_label("Catatan untuk petugas").fill("Rekaman ada di DVR, silakan ambil sore ini.")
    _readable(phone)
    with page.expect_navigation():
        page.get_by_role("button", name="Setuju, serahkan rekaman").click()
    phone.settle()
    assert page.locator("#notice").is_visible()
    assert page.locator(".footage-head .cctv-badge").inner_text() == "Disetujui"
    phone.goto(f"/cctv/pemilik/{owner_token}/tarik")
    assert page.get_by_role("button", name="Ya, tarik kamera").is_visible()


def test_form_problems_are_shown_beside_their_fields_on_a_phone(phone: Web) -> None:
    page = phone.page
    phone.goto("/cctv/daftar")
    page.get_by_label("Nama kamera").fill("Kamera toko")
    phone.expect_error_status("/cctv/daftar")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim pendaftaran kamera").click()
    phone.settle()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.evaluate("node => node === document.activeElement")
    assert page.locator("#consent-error").is_visible()
    assert page.get_by_label("Nama kamera").input_value() == "Kamera toko"


@pytest.fixture
def no_script(
    browser: Any, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Web]:
    """A phone-sized tab with JavaScript switched off."""
    context = browser.new_context(locale="id-ID", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Web(page=page, base_url=live_server.url, name="nojs-" + request.node.name, scripts=False)
    context.close()


def test_without_javascript_the_coordinates_enrol_a_camera(no_script: Web) -> None:
    page = no_script.page
    no_script.goto("/cctv/daftar")
    assert not page.locator("#pin-map").is_visible()
    assert page.get_by_label("Nama usaha atau lembaga").is_visible()
    page.get_by_role("radio", name=re.compile("^Usaha atau lembaga")).check()
    page.get_by_label("Nama usaha atau lembaga").fill("Apotek Sehat Selalu")
    page.get_by_label("Nama kamera").fill("Parkiran Apotek Sehat Selalu")
    page.get_by_label("Lalu lintas").check()
    page.get_by_label("Bujur (longitude)").fill(str(LON))
    page.get_by_label("Lintang (latitude)").fill(str(LAT))
    page.get_by_role("radio", name=re.compile("^Internal")).check()
    page.get_by_label("Alamat RTSP").fill("rtsp://apotek:sandi-77@cctv-uji.invalid:554/ch1")
    page.get_by_label("Nama Anda").fill("Hendra Gunawan")
    page.get_by_label("E-mail").fill("hendra@contoh.id")
    page.get_by_label("Saya pemilik kamera ini").check()
    no_script.screenshot("form-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim pendaftaran kamera").click()
    no_script.settle()
    assert re.search(r"/cctv/pemilik/[\w-]+/terdaftar$", page.url)
    assert re.fullmatch(r"CAM-\d{4}", page.locator("#new-code").inner_text())
