"""Complaint hotspots in a real browser, over the demo (whose flood cluster in Parit Mayor is
a hotspot): the console map draws the kelurahan layer, the unit radio switches to the
hexagon layer and its table without a reload, a hotspot's popup links to the queue; the
public situation page lists the hotspot and outlines it on its map."""

from __future__ import annotations

import pytest

from pontive.analytics import hotspot_demo
from tests.web.conftest import Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

PAGE = "/console/analitik/titik-rawan"
DESKTOP = {"width": 1366, "height": 900}


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def test_the_map_switches_between_kelurahan_and_hexagons(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("operator", next_path=PAGE)
    page.wait_for_selector('#hotspot-map[data-ready="true"][data-unit="kelurahan"]')
    element = page.locator("#hotspot-map")
    assert element.get_attribute("data-features") == "29"
    assert int(element.get_attribute("data-hotspots") or "0") >= 1
    red = page.locator(".leaflet-overlay-pane path.leaflet-interactive[fill='#b3261e']")
    assert red.count() >= 1
    rows = page.locator("#hs-table tbody tr")
    assert rows.locator("th", has_text="Parit Mayor").count() == 1
    web.screenshot("kelurahan")
    readable(web)

    page.get_by_label("Heksagon 500 m").check()
    page.wait_for_selector('#hotspot-map[data-ready="true"][data-unit="hex"]')
    page.wait_for_selector('#hs-table[data-unit="hex"]')
    assert "unit=hex" in page.url
    features = int(element.get_attribute("data-features") or "0")
    assert features > 29  # hexagons with reports in the last 16 weeks
    hexagons = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert hexagons.count() == features
    assert page.locator("#hs-table-heading").inner_text().startswith("Heksagon titik rawan")
    assert page.locator("#hs-table tbody tr").count() >= 1
    red.first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Titik rawan: q").wait_for()
    assert popup.locator("a", has_text="Buka antrean").get_attribute("href") == (
        f"/console/pengaduan?kelurahan={hotspot_demo.KELURAHAN}"
    )
    web.screenshot("hexagons")

    page.get_by_label("Kelurahan", exact=True).check()
    page.wait_for_selector('#hotspot-map[data-ready="true"][data-unit="kelurahan"]')
    page.wait_for_selector('#hs-table[data-unit="kelurahan"]')
    assert element.get_attribute("data-features") == "29"


def test_the_filters_reload_the_page_in_english(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=f"{PAGE}?lang=en")
    page.get_by_label("Window").select_option("24h")
    page.get_by_label("Category").select_option("banjir-genangan")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    web.settle(shot=False)
    page.wait_for_selector('#hotspot-map[data-ready="true"]')
    assert "window=24h" in page.url
    assert "category=banjir-genangan" in page.url
    assert page.locator("#hs-table tbody tr").first.locator("th").inner_text() == "Parit Mayor"
    web.screenshot("english-24h-floods")


def test_the_situation_page_shows_the_hotspot(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.goto("/situasi", status=200)
    page.wait_for_selector("#situation-map[data-ready='true']")
    page.wait_for_selector("#situation-map[data-hotspots-ready]")
    assert int(page.locator("#situation-map").get_attribute("data-hotspots-ready") or "0") >= 1
    purple = page.locator("#situation-map path.leaflet-interactive[stroke='#6a1b9a']")
    assert purple.count() >= 1
    section = page.locator(".sit-hotspots")
    assert section.locator(f"li[data-kelurahan='{hotspot_demo.KELURAHAN}']").count() >= 1
    web.screenshot("situasi")
    readable(web)
