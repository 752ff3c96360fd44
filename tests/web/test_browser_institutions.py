"""The Smart City Council in a real browser, over the demo: the public page shows the council
by element, its duties and recommendations (filtered by status, in both languages) and no
member's contacts; the technical team opens the console area, the follow-up of the
recommendations and a council meeting with its recommendations; pages fit a phone and their
text meets the WCAG AA contrast minimum. Screenshots go to /tmp/shots for review."""

from __future__ import annotations

import pytest

from pontive.institutions.demo_data import MEMBERS
from tests.web.conftest import Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

PUBLIC = "/dewan-smart-city"
AREA = "/console/kelembagaan"
PHONE = {"width": 360, "height": 780}


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def fits(web: Web) -> None:
    """The page does not scroll sideways."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def test_the_public_sees_the_council_and_its_recommendations(web: Web) -> None:
    page = web.page
    web.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Dewan Smart City").first.click()
    web.settle(shot=False)
    assert page.url == web.url(PUBLIC)
    assert page.get_by_role("heading", level=1).inner_text() == "Dewan Pontianak Smart City"
    web.screenshot("public")
    readable(web)
    elements = page.locator("#members [data-element]")
    assert elements.count() == 4
    chair = page.locator('[data-element="pemerintah"] [data-position="ketua"]')
    assert chair.locator(".inst-member-name").inner_text() == MEMBERS[0][0]
    assert page.locator("#duties-dewan li").count() == 3
    text = page.locator("main").inner_text()
    assert "@demo.pontianak.go.id" not in text
    assert "+62 811" not in text
    recommendations = page.locator("#recommendations > li")
    assert recommendations.count() == 5
    assert page.locator("#recommendations .inst-overdue").count() >= 1
    with page.expect_navigation():
        page.get_by_role("navigation", name="Saring menurut status").get_by_role(
            "link", name="Selesai (1)"
        ).click()
    web.settle(shot=False)
    assert page.locator("#recommendations > li").count() == 1
    outcome = page.locator("#recommendations > li .inst-outcome").inner_text()
    assert "Standar interoperabilitas ditetapkan" in outcome
    web.goto(f"{PUBLIC}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Pontianak Smart City Council"
    web.screenshot("public-en")


def test_the_public_page_fits_a_phone(web: Web) -> None:
    web.page.set_viewport_size(PHONE)
    web.goto(PUBLIC)
    fits(web)
    web.screenshot("public-phone")


def test_the_technical_team_follows_the_council_in_the_console(web: Web) -> None:
    page = web.page
    web.login("timteknis", next_path=AREA)
    assert page.get_by_role("heading", level=1).inner_text() == "Kelembagaan & kapasitas"
    assert page.locator("#registries [data-registry]").count() == 12
    web.screenshot("area")
    readable(web)
    with page.expect_navigation():
        page.locator("#registries").get_by_role("link", name="Tindak lanjut rekomendasi").click()
    web.settle(shot=False)
    web.screenshot("followup")
    readable(web)
    overdue = page.locator('#by-agency tr[data-pd="pupr"] td').nth(1).inner_text()
    assert overdue == "1"
    with page.expect_navigation():
        page.locator("#recommendations").get_by_role(
            "link", name="Rapat pleno Dewan Smart City triwulan III"
        ).first.click()
    web.settle(shot=False)
    panel = page.locator("#council-meeting-panel")
    assert panel.locator('[data-status="selesai"] strong').inner_text() == "1"
    assert "-02" in panel.locator("#meeting-overdue").inner_text()  # acted on, overdue
    children = page.locator('[data-child="institutions.recommendations"] tbody tr')
    assert children.count() == 3
    web.screenshot("meeting")
    readable(web)
    web.goto(f"{AREA}/rapat-dewan")
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Rapat evaluasi capaian Smart City bersama Tim Teknis"
        ).click()
    web.settle(shot=False)
    web.screenshot("meeting-coordinated")
    with page.expect_navigation():
        page.locator("#coordination-link a").click()
    web.settle(shot=False)
    assert "/console/koordinasi/rapat/RPT-" in page.url
    assert "Dewan dan Tim Teknis" in page.get_by_role("heading", level=1).inner_text()
    web.goto(f"{AREA}/ikhtisar-kapasitas")
    assert page.locator("#events-by-kind tbody tr").count() == 4
    web.screenshot("capacity")
    readable(web)
