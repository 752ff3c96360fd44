"""Public Wi-Fi in a real browser, over the demo (issue 10 acceptance): on a phone the map
shows the hotspots coloured by status, a citizen reports one "not working" and gets the
tracking number and private link, and the hotspot then shows the report; the same works with
JavaScript off (cheap phones); on a desktop the map's popup offers the report; a stakeholder
submits its technology. Screenshots for the team go to /tmp/shots.

These tests change the data, so they run on a live server of their own, over their own copy
of the demo database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
TRACKING = re.compile(r"^PTK-\d{4}-\d{6}$")


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "wifi")


def checked(web: Web) -> None:
    """The page's text meets WCAG AA contrast and the page does not scroll sideways."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def _submit(web: Web, button: str) -> None:
    with web.page.expect_navigation():
        web.page.get_by_role("button", name=button, exact=True).click()
    web.settle(shot=False)


def _item(web: Web, code: str) -> Any:
    return web.page.locator(f"#hotspot-{code}")


def test_a_citizen_on_a_phone_sees_the_map_and_reports_a_hotspot(web: Web) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    web.goto("/wifi")
    page.wait_for_selector("#wifi-map[data-ready='true']")
    markers = int(page.get_attribute("#wifi-map", "data-markers") or 0)
    assert markers >= 18  # the demo's hotspots that exist (planned ones are not drawn)
    assert page.locator("#wifi-map .leaflet-interactive").count() >= markers
    assert page.locator(".wifi-item").count() == markers
    assert _item(web, "WIFI-PTK-003").locator(".wifi-s-gangguan").count() == 1
    checked(web)
    web.screenshot("phone-map")

    digulis = _item(web, "WIFI-PTK-002")
    assert digulis.locator(".wifi-s-aktif").count() == 1
    with page.expect_navigation():
        digulis.get_by_role("link", name="Tidak berfungsi? Laporkan").click()
    web.settle(shot=False)
    assert page.get_by_role("heading", name="Taman Digulis").is_visible()
    checked(web)
    web.screenshot("phone-report-form")
    page.get_by_label("Tidak ada sinyal").check()
    page.get_by_label("Keterangan tambahan").fill("Sejak jam 7 pagi, di sisi bundaran.")
    _submit(web, "Kirim laporan")

    assert page.url.split("?")[0].rsplit("/", 1)[0].endswith("/lapor")
    tracking = page.locator("#new-tracking").inner_text().strip()
    assert TRACKING.match(tracking), tracking
    assert f"/lapor/{tracking}?k=" in page.locator("#private-link").inner_text()
    assert page.get_by_role("heading", name="Wi-Fi publik tidak berfungsi").is_visible()
    web.screenshot("phone-report-sent")

    web.goto("/wifi")
    facts = _item(web, "WIFI-PTK-002").inner_text().lower()
    assert "laporan gangguan terbuka" in facts  # the report now shows on the hotspot


def test_without_javascript_the_list_and_the_form_still_work(
    browser: Any, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="id-ID", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/wifi")
        assert page.locator(".wifi-item").count() >= 18
        assert page.locator("noscript").count() >= 1
        page.locator("#hotspot-WIFI-PTK-006").get_by_role(
            "link", name="Tidak berfungsi? Laporkan"
        ).click()
        page.wait_for_load_state()
        page.get_by_label("Sangat lambat").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Kirim laporan", exact=True).click()
        tracking = page.locator("#new-tracking").inner_text().strip()
        assert TRACKING.match(tracking), tracking
    finally:
        context.close()


def test_on_a_desktop_the_popup_offers_the_report_and_filters_work(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.goto("/wifi")
    page.wait_for_selector("#wifi-map[data-ready='true']")
    page.locator("#wifi-map path.wifi-marker-gangguan").first.click()
    popup = page.locator(".leaflet-popup-content .wifi-pop")
    popup.wait_for()
    assert popup.locator(".wifi-s-gangguan").count() == 1
    assert "Penyedia" in popup.inner_text()
    report = popup.get_by_role("link", name="Tidak berfungsi? Laporkan")
    assert re.match(r"^/wifi/WIFI-[A-Z]+-\d{3}/lapor$", report.get_attribute("href") or "")
    checked(web)
    web.screenshot("desktop-map-popup")

    page.select_option("#f-penyedia", "perguruan_tinggi")
    _submit(web, "Tampilkan")
    page.wait_for_selector("#wifi-map[data-ready='true']")
    assert page.get_attribute("#wifi-map", "data-markers") == str(
        page.locator(".wifi-item").count()
    )
    assert page.locator(".wifi-item").count() == 2  # the demo's two university hotspots
    web.screenshot("desktop-map-filtered")

    web.goto("/wifi?lang=en")
    page.wait_for_selector("#wifi-map[data-ready='true']")
    assert page.get_by_role("heading", name="Free public Wi-Fi").is_visible()
    web.screenshot("desktop-map-en")


def test_a_stakeholder_submits_its_technology(web: Web) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    web.goto("/teknologi-mitra")
    assert page.locator(".wifi-tech").count() == 3  # the demo's verified, public ones
    checked(web)
    web.screenshot("phone-technology-list")
    page.get_by_role("link", name="Daftarkan teknologi Anda").click()
    web.settle(shot=False)
    page.get_by_label("Nama teknologi atau layanan").fill("Papan informasi banjir RT")
    page.select_option("#technology_kind", "perangkat_iot")
    page.get_by_label("Uraian").fill(
        "Papan LED di gang yang menampilkan tinggi air dari sensor kota."
    )
    page.get_by_label("Nama organisasi atau penyedia").fill("Karang Taruna Tambelan Sampit")
    page.select_option("#stakeholder_kind", "komunitas")
    page.get_by_label("Nama narahubung").fill("Rizky Pratama")
    page.get_by_label("Telepon narahubung").fill("0813-5200-4411")
    page.locator("input[name=consent]").check()
    checked(web)
    web.screenshot("phone-technology-form")
    _submit(web, "Kirim pengajuan")
    assert page.locator("#tech-sent").is_visible()
    web.screenshot("phone-technology-sent")
    web.goto("/teknologi-mitra")
    assert "Papan informasi banjir RT" not in page.content()  # waits for staff review
