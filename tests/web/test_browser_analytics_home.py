"""The analytics area's home in a real browser, over the demo: every part's card with its
state (the live triage model's held-out metric, the gauges forecast, the open quality flags,
the hotspots, the Parquet export), and the tab bar leading into each part."""

from __future__ import annotations

import pytest

from tests.web.conftest import PHONE, Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

HOME = "/console/analitik"


def test_the_technical_team_sees_each_part_and_its_state(web: Web) -> None:
    page = web.page
    page.set_viewport_size({"width": 1366, "height": 900})
    web.login("timteknis", next_path=HOME)
    cards = page.locator(".an-cards .card")
    assert cards.count() == 5
    facts = page.locator(".an-cards .an-fact").all_inner_texts()
    assert any("macro-F1 0," in fact for fact in facts), facts  # the live triage model
    assert any("di bawah persistensi" in fact for fact in facts), facts  # the forecasts
    assert any("tanda belum ditinjau" in fact for fact in facts), facts  # quality flags
    assert any("Parit Mayor" in fact for fact in facts), facts  # the demo's hotspot
    assert any(fact.startswith("Ekspor ") for fact in facts), facts  # the Parquet export
    failures = page.evaluate(_LOW_CONTRAST)
    assert failures == [], "\n".join(failures)
    web.screenshot("home")

    page.locator(".an-tabs a", has_text="Prakiraan muka air").click()
    page.wait_for_url("**/console/analitik/prakiraan")
    assert page.locator('.an-tabs a[aria-current="page"]').inner_text() == "Prakiraan muka air"


def test_an_agency_officer_reads_it_in_english_on_a_phone(web: Web) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    web.login("petugas.pupr", next_path=f"{HOME}?lang=en")
    assert page.locator("h1").inner_text() == "Analytics and artificial intelligence"
    titles = page.locator(".an-cards .card-title").all_inner_texts()
    assert "Analysis workspace" not in titles  # the Technical Team's alone
    assert len(titles) == 4
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    web.screenshot("home-phone-en")
