"""The public pages in a real browser: language, maps, API docs, errors, phone and keyboard."""

from __future__ import annotations

import pytest

from tests.web.conftest import Web

pytestmark = pytest.mark.browser

KELURAHAN_COUNT = 29  # Pontianak: 6 kecamatan, 29 kelurahan (Kemendagri)


def test_home_page_speaks_bahasa_indonesia_by_default(web: Web) -> None:
    web.goto("/")
    page = web.page
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Satu pintu layanan kota cerdas Pontianak"
    )
    assert page.get_by_role("navigation", name="Navigasi utama").is_visible()
    assert page.get_by_role("heading", name="Enam dimensi Smart City").is_visible()
    assert page.locator(".dimension").count() == 6


def test_english_choice_sticks_on_the_next_page(web: Web) -> None:
    web.goto("/?lang=en")
    page = web.page
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "One front door to Pontianak's smart city services"
    )
    page.get_by_role("navigation").get_by_role("link", name="City Map").click()
    web.settle()
    assert page.url == web.url("/wilayah")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Map of the City of Pontianak"


def test_language_switch_returns_to_bahasa_indonesia(web: Web) -> None:
    web.goto("/wilayah?lang=en")
    web.page.get_by_role("group", name="Choose a language").get_by_role("link", name="ID").click()
    web.settle()
    assert web.page.locator("html").get_attribute("lang") == "id"
    web.goto("/")
    assert web.page.locator("html").get_attribute("lang") == "id"


@pytest.mark.parametrize(("path", "map_id"), [("/", "home-map"), ("/wilayah", "wilayah-map")])
def test_map_draws_every_kelurahan(web: Web, path: str, map_id: str) -> None:
    web.goto(path)
    city_map = web.page.locator(f"#{map_id}")
    web.page.wait_for_selector(f"#{map_id}[data-ready]")
    assert city_map.get_attribute("data-ready") == "true"
    assert city_map.get_attribute("data-features") == str(KELURAHAN_COUNT)
    assert city_map.locator("path.leaflet-interactive").count() == KELURAHAN_COUNT
    legend = city_map.locator(".map-legend")
    assert legend.locator(".swatch").count() == 6
    web.screenshot("map-drawn")


def test_wilayah_lists_all_kelurahan_with_both_codes(web: Web) -> None:
    web.goto("/wilayah")
    rows = web.page.locator(".data-table tbody tr")
    assert rows.count() == KELURAHAN_COUNT
    assert web.page.locator(".data-table caption").count() == 6


def test_api_docs_render_swagger_ui_from_local_files(web: Web) -> None:
    requested: list[str] = []
    web.page.on("request", lambda request: requested.append(request.url))
    web.goto("/api/docs")
    web.page.wait_for_selector(".swagger-ui .info")
    assert "Pontive API" in web.page.locator(".swagger-ui .info").inner_text()
    web.page.wait_for_selector(".swagger-ui .opblock")
    web.screenshot("swagger")
    assert requested
    assert all(url.startswith((web.base_url, "data:")) for url in requested), requested


def test_unknown_page_shows_a_404_in_bahasa_indonesia(web: Web) -> None:
    web.goto("/tidak-ada-halaman-ini", status=404)
    page = web.page
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Halaman atau data tidak ditemukan."
    assert page.get_by_role("link", name="Kembali ke beranda").is_visible()


def test_phone_home_page_has_no_horizontal_scroll_and_a_usable_nav(web: Web) -> None:
    web.page.set_viewport_size({"width": 360, "height": 740})
    web.goto("/")
    page = web.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    nav = page.get_by_role("navigation", name="Navigasi utama")
    for name in ("Beranda", "Peta Wilayah", "API Terbuka"):
        link = nav.get_by_role("link", name=name)
        assert link.is_visible()
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
        assert box["height"] >= 24  # a fingertip can hit it (WCAG 2.2 target size minimum)
    nav.get_by_role("link", name="Peta Wilayah").click()
    web.settle()
    assert page.url == web.url("/wilayah")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_phone_sign_in_page_fits_the_screen(web: Web) -> None:
    web.page.set_viewport_size({"width": 360, "height": 740})
    web.goto("/masuk")
    assert web.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert web.page.get_by_role("button", name="Masuk", exact=True).is_visible()


def test_skip_link_is_the_first_focusable_element(web: Web) -> None:
    web.goto("/")
    page = web.page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.className, document.activeElement.getAttribute('href')]"
    )
    assert focused == ["skip-link", "#main"]
    assert page.locator(".skip-link").is_visible()
    web.screenshot("skip-link-focused")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_have_landmarks_and_labelled_controls(web: Web) -> None:
    for path in ("/", "/wilayah", "/masuk"):
        web.goto(path)
        page = web.page
        assert page.get_by_role("banner").count() == 1
        assert page.get_by_role("main").count() == 1
        assert page.get_by_role("contentinfo").count() == 1
        assert page.get_by_role("heading", level=1).count() == 1
        unlabelled = page.evaluate(
            """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(el => !el.labels || el.labels.length === 0)
                 .map(el => el.name)"""
        )
        assert unlabelled == [], f"{path}: controls without a label: {unlabelled}"
