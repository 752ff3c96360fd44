"""The masterplan in a real browser, over the demo: the technical team drafts a revision,
edits it and marks it reviewed; the mayor adopts it with the Perwa number; the comparison
shows what changed; the team adds an indicator from a live metric and sees its value; the
programme tree and the plan on a phone.

These tests change the data, so they run on a live server over their own copy of the demo.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pontive.core.db import Database
from pontive.masterplan import metrics, versions
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

CONSOLE = "/console/masterplan"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
NEW_VISION = "Pontianak Kota Khatulistiwa yang cerdas, hijau dan tangguh iklim bagi semua warga."
PERWA = "Peraturan Wali Kota Pontianak Nomor 21 Tahun 2026"


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "masterplan-plan")


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def fits(web: Web) -> None:
    """The page does not scroll sideways."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def submit(web: Web, button: str) -> None:
    """Press a form's button and wait for the next page."""
    with web.page.expect_navigation():
        web.page.get_by_role("button", name=button, exact=True).click()
    web.settle(shot=False)


def test_a_revision_is_drafted_reviewed_adopted_and_compared(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=CONSOLE)
    assert "Nomor 45 Tahun 2023" in page.locator("#in-force").inner_text()
    assert page.locator(".mp-dim").count() == 6
    assert page.locator(".mp-year").count() == 10
    web.screenshot("overview")
    readable(web)

    submit(web, "Susun revisi")
    assert "Draf versi baru dibuat" in page.get_by_role("status").inner_text()
    assert (
        page.get_by_label("Visi", exact=True)
        .input_value()
        .startswith("Pontianak Kota Khatulistiwa")
    )
    page.get_by_label("Catatan perubahan").fill("Visi hijau dan tonggak 2033 diuji")
    page.get_by_label("Visi", exact=True).fill("")
    page.locator("#f-rm_year_10").fill("2033")
    page.locator("#f-rm_phase_10").fill("Lanjutan")
    page.locator("#f-rm_items_10").fill("Masterplan kedua")
    web.expect_error_status(f"{CONSOLE}/versi/3/ubah")
    submit(web, "Simpan draf")
    assert page.locator("#f-vision-error").is_visible()
    assert "2023-2032" in page.get_by_role("alert").inner_text()
    assert page.locator("#f-rm_items_10").input_value() == "Masterplan kedua"  # kept
    web.screenshot("editor-refused")
    readable(web)

    page.get_by_label("Visi", exact=True).fill(NEW_VISION)
    page.locator("#f-rm_year_10").fill("2031")
    page.locator("#f-rm_phase_10").fill("Keberlanjutan")
    page.locator("#f-rm_items_10").fill("Kota tanpa genangan saat pasang purnama")
    web.screenshot("editor-filled")
    submit(web, "Simpan draf")
    assert page.get_by_role("status").inner_text() == "Perubahan disimpan."
    submit(web, "Tandai sudah ditelaah")
    assert "siap ditetapkan" in page.get_by_role("status").inner_text()
    assert page.locator("#adopt-form").count() == 1  # the team may adopt too, the mayor will
    web.screenshot("reviewed")

    page.context.clear_cookies()
    web.login("walikota", next_path=f"{CONSOLE}/versi/3")
    assert page.locator("#edit-link").count() == 0
    assert page.locator("#review-button").count() == 0
    web.expect_error_status(f"{CONSOLE}/versi/3/tetapkan")
    submit(web, "Tetapkan versi ini")
    assert page.locator("#f-regulation_number-error").is_visible()
    page.get_by_label("Nomor Peraturan Wali Kota").fill(PERWA)
    web.screenshot("adopt")
    readable(web)
    submit(web, "Tetapkan versi ini")
    assert "kini berlaku" in page.get_by_role("status").inner_text()
    assert PERWA in page.locator("#in-force").inner_text()
    assert NEW_VISION in page.locator(".mp-vision").inner_text()
    assert "Kota tanpa genangan saat pasang purnama" in page.locator(".mp-timeline").inner_text()
    web.screenshot("adopted")

    page.get_by_label("Versi lama").select_option("1")
    page.get_by_label("Versi baru").select_option("3")
    submit(web, "Bandingkan")
    vision = page.locator("#banding-vision")
    assert vision.get_attribute("data-changed") == "yes"
    assert "hijau dan" in vision.locator("ins").all_inner_texts()
    assert page.locator("#banding-background").get_attribute("data-changed") == "no"
    added = page.locator("#banding-roadmap tr[data-kind='changed'] ins")
    assert "Kota tanpa genangan saat pasang purnama" in " ".join(added.all_inner_texts())
    web.screenshot("compare")
    readable(web)
    fits(web)


def test_an_indicator_is_created_from_a_live_metric(web: Web, live_server: LiveServer) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=f"{CONSOLE}/program")
    assert page.locator(".mp-dim-card").count() == 6
    page.locator("details[data-programme='GOV-02'] > summary").click()
    web.screenshot("programmes")
    readable(web)

    web.goto(f"{CONSOLE}/program/GOV-02")
    web.screenshot("programme")
    readable(web)
    with page.expect_navigation():
        page.locator("#new-indicator").click()
    web.settle(shot=False)
    page.locator("#pick-metric").select_option("kelurahan_with_cctv")
    submit(web, "Gunakan metrik")
    assert page.get_by_label("Nama indikator").input_value() == "Kelurahan dengan CCTV aktif"
    assert page.get_by_label("Sumber", exact=True).input_value() == "live"
    assert page.locator("#dataset-fields").is_hidden()  # only the live metric's fields
    assert page.locator("#band-fields").is_hidden()
    assert page.locator("#live-now").is_visible()
    page.get_by_label("Kode").fill("GOV-02.I9")
    page.get_by_label("2026", exact=True).fill("75")
    page.get_by_label("2032", exact=True).fill("100")
    page.get_by_label("Konsep").fill("Sebaran kamera CCTV aktif di seluruh kelurahan.")
    web.screenshot("indicator-form")
    readable(web)
    submit(web, "Simpan")
    assert page.get_by_role("status").inner_text() == "Indikator disimpan."
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            value = metrics.compute(session, "kelurahan_with_cctv")
            assert versions.current_masterplan(session) is not None
    finally:
        database.dispose()
    assert value is not None
    shown = page.locator("#current-value").inner_text()
    assert shown.split()[0] == f"{value:g}".replace(".", ",")
    assert "dihitung saat ini" in page.locator("#status-now").inner_text()
    assert page.locator("#current-target").inner_text() == "75"
    web.screenshot("indicator")
    readable(web)


def test_the_plan_reads_well_on_a_phone(phone: Web) -> None:
    page = phone.page
    page.set_viewport_size(PHONE)
    phone.login("petugas.pupr", next_path=CONSOLE)
    assert page.locator("#new-draft").count() == 0
    phone.screenshot("phone-overview")
    fits(phone)
    phone.goto(f"{CONSOLE}/program")
    page.locator("details[data-programme='LIV-03'] > summary").click()
    phone.screenshot("phone-programmes")
    fits(phone)
    readable(phone)
