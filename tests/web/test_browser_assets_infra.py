"""The ICT infrastructure map and the integration graph in a real browser, over the demo:
the map draws the sites and the fibre routes (coloured lines) and its layers can be switched
off and on; the graph draws every catalogued system and integration as server-made SVG whose
nodes link to the systems; both read in English and fit a phone. Screenshots go to
``/tmp/shots`` for review."""

from __future__ import annotations

import pytest

from pontive.assets.software_demo import LINK_ROWS, SYSTEM_ROWS
from tests.web.conftest import Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

MAP = "/console/aset/peta"
GRAPH = "/console/aset/integrasi"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
ROUTES = 6  # the demo's fibre routes
SITES = 7


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def fits(web: Web) -> None:
    """The page does not scroll sideways."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def map_ready(web: Web) -> None:
    """Wait until the map has drawn its features."""
    web.page.wait_for_selector('#asset-map[data-ready="true"]')


def test_the_map_shows_sites_and_fibre_routes_with_layer_toggles(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=MAP)
    map_ready(web)
    element = page.locator("#asset-map")
    assert element.get_attribute("data-routes") == str(ROUTES)
    assert element.get_attribute("data-sites") == str(SITES)
    # fibre routes are SVG polylines in the overlay pane, in their status colours
    routes = page.locator(".leaflet-overlay-pane path.leaflet-interactive[stroke-width='5']")
    assert routes.count() == ROUTES
    colours = set(routes.evaluate_all("paths => paths.map(p => p.getAttribute('stroke'))"))
    assert colours == {"#1b7f3b", "#b26a00", "#b3261e", "#1e88e5"}
    assert page.locator(".ast-site-pin").count() == SITES
    assert page.locator("#route-table tbody tr").count() == ROUTES
    web.screenshot("map")
    readable(web)

    toggles = page.locator(".leaflet-control-layers-overlays input[type=checkbox]")
    assert toggles.count() == 3
    page.get_by_label(f"Jalur serat optik ({ROUTES})").uncheck()
    assert routes.count() == 0
    page.get_by_label(f"Lokasi ({SITES})").uncheck()
    assert page.locator(".ast-site-pin").count() == 0
    web.screenshot("map-layers-off")
    page.get_by_label(f"Jalur serat optik ({ROUTES})").check()
    assert routes.count() == ROUTES

    # a route's popup opens its asset
    routes.first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    href = popup.get_by_role("link").get_attribute("href") or ""
    assert href.startswith("/console/aset/infrastruktur/")

    # filtered to fibre only: routes stay, located devices go
    web.goto(f"{MAP}?jenis=serat_optik")
    map_ready(web)
    assert element.get_attribute("data-routes") == str(ROUTES)
    assert element.get_attribute("data-assets") == "0"
    web.screenshot("map-fibre")


def test_the_integration_graph_renders_every_system_and_link(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("dewan", next_path=GRAPH)
    graph = page.locator("svg.ag-graph")
    assert graph.is_visible()
    assert graph.get_attribute("data-nodes") == str(len(SYSTEM_ROWS))
    assert graph.get_attribute("data-edges") == str(len(LINK_ROWS))
    assert page.locator("svg.ag-graph a.ag-node").count() == len(SYSTEM_ROWS)
    assert page.locator("svg.ag-graph path.ag-edge").count() == len(LINK_ROWS)
    box = graph.bounding_box()
    assert box is not None
    assert box["width"] > 500
    node = page.locator("svg.ag-graph a.ag-node", has_text="SP4N-LAPOR!")
    assert (node.get_attribute("href") or "").startswith("/console/aset/perangkat-lunak/")
    assert page.locator("#link-table tbody tr").count() == len(LINK_ROWS)
    web.screenshot("graph")
    readable(web)

    web.goto(f"{GRAPH}?kelompok=kategori&lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "System integration graph"
    assert "Information system" in page.locator("#graph-groups").inner_text()
    web.screenshot("graph-category-en")


def test_the_pages_fit_a_phone(web: Web) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    web.login("timteknis", next_path=GRAPH)
    fits(web)
    web.screenshot("graph-phone")
    web.goto(MAP)
    map_ready(web)
    fits(web)
    web.screenshot("map-phone")
