"""The water-level forecast in a real browser, over the demo's month of simulated gauges: the
console page with every gauge's chart (observed, forecast, 90% band, flood levels) and the
backtest table, a gauge's page, the English page, and the page on a phone."""

from __future__ import annotations

import pytest

from tests.web.conftest import PHONE, Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

PAGE = "/console/analitik/prakiraan"
GAUGES = 9  # the demo's water gauges


def test_the_technical_team_reads_every_gauge_forecast_and_its_backtest(web: Web) -> None:
    page = web.page
    page.set_viewport_size({"width": 1366, "height": 900})
    web.login("timteknis", next_path=PAGE)
    web.goto(PAGE)
    assert page.locator(".fc-card").count() == GAUGES
    wide = page.locator("svg.fc-chart-wide")
    assert wide.first.is_visible()
    assert not page.locator("svg.fc-chart-narrow").first.is_visible()
    current = page.locator(".fc-card:has(path.fc-forecast)")
    assert current.count() == GAUGES - 1  # the gauge silent for days has no current forecast
    assert page.locator(".fc-card .fc-stale").count() == 1
    assert page.locator("path.fc-band").count() == 2 * (GAUGES - 1)  # both canvases
    assert page.locator("line.fc-th-siaga").count() >= GAUGES - 1
    rows = page.locator("#fc-backtest tbody tr")
    assert rows.count() == GAUGES
    assert rows.locator(".fc-worse").count() == 0  # better than persistence everywhere
    assert page.get_by_role("button", name="Hitung ulang").is_visible()
    assert page.evaluate(_LOW_CONTRAST) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366

    first = page.locator(".fc-card h2 a").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    web.settle()
    assert page.get_by_role("heading", level=1).inner_text() == f"Prakiraan {name}"
    assert page.locator("#fc-points tbody tr").count() == 72
    assert page.locator(".fc-backtest tbody tr").count() == 7
    assert "K1" in page.locator("table").filter(has_text="Konstituen").inner_text()
    assert page.evaluate(_LOW_CONTRAST) == []

    web.goto(f"{PAGE}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Water-level forecast"
    assert page.locator("#fc-backtest").get_by_text("Backtest: error by horizon").is_visible()


def test_the_forecast_page_fits_a_phone(phone: Web) -> None:
    page = phone.page
    phone.login("operator", next_path=PAGE)
    phone.goto(PAGE)
    assert page.locator("svg.fc-chart-narrow").first.is_visible()
    assert not page.locator("svg.fc-chart-wide").first.is_visible()
    assert page.get_by_role("button", name="Hitung ulang").count() == 0  # operators view only
    phone.screenshot("forecast-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
