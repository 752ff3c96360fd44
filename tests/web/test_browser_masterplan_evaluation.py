"""The annual evaluation in a real browser, over the demo: the technical team opens a year,
scores the five aspects against their rubric and the 47 SPBE indicators (the indices change
as scores are chosen), writes the summary and marks it reviewed; the mayor approves it; the
report link serves the stored PDF, which is then published at ``/smartcity/evaluasi/<year>.pdf``.

The test changes the data, so it runs on a live server of its own, over its own copy of the
demo database and its own media folder.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pontive.masterplan.evaluation_frameworks import spbe_config
from pontive.masterplan.evaluation_scoring import spbe_indicators
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

EVALUATION = "/console/masterplan/evaluasi"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
# Rubric levels chosen: baseline 3, output 4, outcome 3, impact 2, quick win 5 → 3,10.
SCORES = {"baseline": "3", "output": "4", "outcome": "3", "impact": "2", "quick_win": "5"}
# Layanan (D4) at level 4, everything else at 3 → (54.5 * 3 + 45.5 * 4) / 100 = 3,46 (Baik).
LEVELS = {i["code"]: ("4" if i["domain"] == "D4" else "3") for i in spbe_indicators(spbe_config())}


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo and its own media."""
    media = tmp_path_factory.mktemp("evaluation-media")
    yield from serve_demo_copy(tmp_path_factory, demo_database, "evaluation", media_dir=media)


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


def test_the_team_scores_the_mayor_approves_and_the_report_is_served(
    web: Web, live_server: LiveServer
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=EVALUATION)
    assert page.get_by_role("heading", level=1).inner_text() == "Evaluasi tahunan"
    web.screenshot("list")
    readable(web)
    year = page.locator("#f-year").input_value()
    assert year.isdigit()
    submit(web, "Buka evaluasi")
    assert page.url.endswith(f"{EVALUATION}/{year}?ok=evaluation_saved")
    assert page.locator("#city-index").inner_text() == "—"

    for code, score in SCORES.items():
        page.locator(f'input[name="score_{code}"][value="{score}"]').check()
    page.get_by_label("Catatan").first.fill("Data kondisi awal tersedia untuk semua dimensi.")
    # Computed in the page as the scores are chosen, before anything is saved.
    assert page.locator("#city-index").inner_text() == "3,10"
    submit(web, "Simpan skor aspek")
    assert page.get_by_role("status").first.inner_text() == "Evaluasi disimpan."
    assert page.locator("#city-index").inner_text() == "3,10"

    for code, level in LEVELS.items():
        page.locator(f"#f-level_{code}").select_option(level)
    assert page.locator("#spbe-index").inner_text() == "3,46"
    assert page.locator("#spbe-predicate").inner_text() == "Baik"
    assert page.locator('[data-domain-index="D4"]').inner_text() == "4,00"
    web.screenshot("scoring")
    submit(web, "Simpan tingkat SPBE")
    assert page.locator("#spbe-index").inner_text() == "3,46"

    page.get_by_label("Ringkasan eksekutif").fill(
        "Penyelenggaraan smart city berjalan baik; layanan SPBE paling matang."
    )
    page.locator("#f-issues").fill("Integrasi data sampah belum selesai.")
    submit(web, "Simpan")
    submit(web, "Tandai sudah ditelaah")
    assert page.locator("#eval-status").inner_text().strip() == "Ditelaah"
    assert page.locator("#save-aspects").count() == 0  # frozen once reviewed
    web.screenshot("reviewed")
    readable(web)

    page.context.clear_cookies()
    web.login("walikota", next_path=f"{EVALUATION}/{year}")
    page.locator("#a-letter_number").fill(f"000.1/17/TT-SC/{int(year) + 1}")
    submit(web, "Setujui laporan")
    assert page.locator("#eval-status").inner_text().strip() == "Disetujui"
    assert "SHA-256" in page.locator("#alur").inner_text()
    web.screenshot("approved")
    readable(web)

    pdf = page.request.get(web.url(page.locator("#download-pdf").get_attribute("href") or ""))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    public = f"/smartcity/evaluasi/{year}.pdf"
    assert page.request.get(web.url(public)).status == 404  # approved, not yet published
    submit(web, "Publikasikan laporan")
    assert page.locator("#public-report").get_attribute("href") == public
    published = page.request.get(web.url(public))
    assert published.status == 200
    assert published.headers["content-type"] == "application/pdf"
    assert published.body() == pdf.body()  # the stored copy, byte for byte
    web.screenshot("published")

    page.set_viewport_size(PHONE)
    web.goto(f"{EVALUATION}/{year}")
    fits(web)
    web.screenshot("phone-evaluation")


def test_the_council_recommends_and_the_team_answers_and_reads_the_frameworks(
    web: Web, live_server: LiveServer
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("dewan", next_path=f"{EVALUATION}/rekomendasi")
    page.get_by_role("textbox", name="Tahun").fill("2025")
    page.get_by_label("Dimensi (opsional)").select_option("environment")
    page.get_by_label("Ditujukan kepada (opsional)").select_option("dlh")
    page.get_by_role("textbox", name="Rekomendasi", exact=True).fill(
        "Percepat integrasi data timbulan sampah dari semua TPS ke dasbor kota."
    )
    submit(web, "Simpan rekomendasi")
    item = page.locator(".ev-rec", has_text="Percepat integrasi data timbulan sampah")
    assert item.locator("[data-rec]").inner_text() == "Diajukan"
    web.screenshot("recommendation-added")
    readable(web)

    page.context.clear_cookies()
    web.login("timteknis", next_path=f"{EVALUATION}/rekomendasi?tahun=2025")
    item = page.locator(".ev-rec", has_text="Percepat integrasi data timbulan sampah")
    item.locator("summary", has_text="Catat tindak lanjut").click()
    item.get_by_role("combobox", name="Status").select_option("in_progress")
    item.get_by_role("textbox", name="Tindak lanjut (opsional)").fill(
        "DLH memasang penimbang di 12 TPS."
    )
    with page.expect_navigation():
        item.get_by_role("button", name="Simpan tindak lanjut").click()
    web.settle(shot=False)
    item = page.locator(".ev-rec", has_text="Percepat integrasi data timbulan sampah")
    assert item.locator("[data-rec]").inner_text() == "Ditindaklanjuti"
    assert "DLH memasang penimbang di 12 TPS." in item.inner_text()
    web.screenshot("recommendation-answered")

    web.goto(f"{EVALUATION}/kerangka")
    assert page.locator("#c-weight_outcome").input_value() == "30"
    page.locator("#spbe summary").first.click()
    web.screenshot("frameworks")
    readable(web)

    page.set_viewport_size(PHONE)
    web.goto(EVALUATION)
    fits(web)
    web.goto(f"{EVALUATION}/rekomendasi")
    fits(web)
    web.screenshot("phone-recommendations")
