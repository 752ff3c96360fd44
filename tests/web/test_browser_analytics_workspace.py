"""The analysis workspace in a real browser, over the demo and its Parquet export: Tim Teknis
opens the workspace, runs a saved query and reads its chart, then types a query of its own
(names inserted from the list, Ctrl+Enter runs it) and sees a refusal explained; a PD officer
is refused; the page reads in English and fits a phone.

Runs on a live server of its own over a copy of the demo, exported into a folder of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pontive.analytics import workspace_export
from pontive.analytics.access import WORKSPACE_PATH
from pontive.core.db import Database
from tests.conftest import DemoDatabase
from tests.web.conftest import PHONE, LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo, with that copy exported to its own folder."""
    folder = tmp_path_factory.mktemp("workspace-export")

    def export(database_url: str) -> None:
        database = Database(database_url)
        try:
            with database.session(write=False) as session:
                workspace_export.export(session, folder)
        finally:
            database.dispose()

    yield from serve_demo_copy(
        tmp_path_factory, demo_database, "workspace", prepare=export, analytics_dir=folder
    )


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def test_tim_teknis_runs_a_saved_query_and_sees_its_chart(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=WORKSPACE_PATH)
    assert page.get_by_role("heading", level=1).inner_text() == "Ruang kerja analisis"
    assert "38 tabel" in page.locator("#ws-export").inner_text()
    web.screenshot("empty")
    readable(web)

    with page.expect_navigation():
        page.get_by_role("button", name="Jalankan kueri Pengaduan per kategori per bulan").click()
    web.settle(shot=False)
    summary = page.locator("#ws-summary").inner_text()
    assert " baris dalam " in summary
    assert "Waktu dalam WIB." in summary
    chart = page.locator("#ws-figure svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("title").first.text_content() == "Pengaduan per kategori per bulan"
    assert chart.locator("rect").count() > 20  # bars of each category, month by month
    assert page.locator(".ws-table tbody tr").count() > 10
    assert (
        page.locator("#ws-current").inner_text()
        == "Kueri tersimpan: Pengaduan per kategori per bulan"
    )
    web.screenshot("saved-query-chart")
    readable(web)


def test_a_typed_query_runs_with_ctrl_enter_and_a_refusal_is_explained(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=WORKSPACE_PATH)
    editor = page.get_by_label("Kueri SQL", exact=True)
    editor.fill("SELECT status, count(*) AS laporan FROM ")
    page.locator("#ws-tables summary").filter(has_text="complaints").first.get_by_role(
        "button", name="Sisipkan complaints ke kueri"
    ).click()
    assert editor.input_value() == "SELECT status, count(*) AS laporan FROM complaints"
    editor.press("End")
    editor.type(" GROUP BY status ORDER BY laporan DESC")
    page.get_by_label("Jenis", exact=True).select_option("bar")
    with page.expect_navigation():
        editor.press("Control+Enter")
    web.settle(shot=False)
    assert page.locator(".ws-table tbody tr").count() >= 5
    page.get_by_label("Kolom x", exact=True).select_option("status")
    page.get_by_label("Kolom y (angka)", exact=True).select_option("laporan")
    with page.expect_navigation():
        page.locator("#ws-run").click()
    web.settle(shot=False)
    assert page.locator("#ws-figure svg rect").count() >= 5
    web.screenshot("typed-query")

    editor = page.get_by_label("Kueri SQL", exact=True)
    editor.fill("SELECT * FROM read_csv('/etc/passwd')")
    web.expect_error_status(f"{WORKSPACE_PATH}/jalankan")
    with page.expect_navigation():
        page.locator("#ws-run").click()
    web.settle(shot=False)
    error = page.locator("#ws-sql-error")
    assert "Fungsi tabel read_csv() tidak diizinkan" in error.inner_text()
    assert editor.get_attribute("aria-invalid") == "true"
    web.screenshot("refused")
    readable(web)


def test_a_pd_officer_is_refused(web: Web) -> None:
    web.login("petugas.pupr")
    web.goto(WORKSPACE_PATH, status=403)


def test_the_page_reads_in_english_and_fits_a_phone(web: Web) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    web.login("timteknis")
    web.goto(f"{WORKSPACE_PATH}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Analysis workspace"
    with page.expect_navigation():
        page.get_by_role(
            "button", name="Run the query Muka air per jam di Pos Duga Air Jembatan Kapuas I"
        ).click()
    web.settle(shot=False)
    assert page.locator("#ws-figure svg path").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways"
    web.screenshot("phone-en")
