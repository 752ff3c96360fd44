"""The budget console in a real browser, over the demo: the technical team imports a
spreadsheet with one bad row (and reads the report), fixes it and imports it; a DLH officer
reports a quarter's realisation of its own line (after a refused try) and cannot report
another agency's; the dashboards show the new figures; the pages fit a phone.

These tests change the data, so they run on a live server of their own, over their own copy
of the demo database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from pontive.budget import importer, service
from pontive.budget.console_support import current_quarter, rupiah
from pontive.core.db import Database
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

BUDGET = "/console/anggaran"
LINES = f"{BUDGET}/baris"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
YEAR, QUARTER = current_quarter()
AIR = "Stasiun sensor kualitas udara (hibah CSR)"  # a DLH line of the demo, every year


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "budget")


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


def _sheet(path: Path, planned_q1: str) -> Path:
    header = ",".join(importer.COLUMN_NAMES)
    rows = [
        f"{YEAR},BR-001,Integrasi data sensor ke Satu Data,diskominfo,apbd,teknologi,GOV-02,,"
        f'2.16.03,2.16.03.1.02,2.16.03.1.02.0015,"250.000.000","250.000.000",0,0,,,,,,',
        f"{YEAR},BR-002,Kalibrasi stasiun udara,dlh,lainnya,operasional,ENV-01,,,,,"
        f'"{planned_q1}",0,"40.000.000","40.000.000",,,,,Hibah CSR,',
    ]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _line(live_server: LiveServer, name: str, year: int = YEAR) -> tuple[int, Decimal, Decimal]:
    """A line's id, the quarter's realised amount and the agency's realised total, read from
    the server's database."""
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            lines = service.list_lines(session, year=year)
            line = next(x for x in lines if x.name == name)
            quarter = next(q.realised for q in line.quarters if q.quarter == QUARTER)
            agency = service.totals([x for x in lines if x.pd_kode == line.pd_kode]).realised
            return line.id, Decimal(quarter), agency
    finally:
        database.dispose()


def test_the_technical_team_imports_a_sheet_after_fixing_its_bad_row(
    web: Web, tmp_path: Path
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=BUDGET)
    assert page.get_by_role("heading", level=1).inner_text() == f"Anggaran Smart City {YEAR}"
    web.screenshot("dashboard-before")
    readable(web)
    with page.expect_navigation():
        page.get_by_role("link", name="Impor lembar kerja").first.click()
    web.settle(shot=False)
    readable(web)
    page.get_by_label("Berkas CSV (UTF-8) atau XLSX").set_input_files(
        str(_sheet(tmp_path / "anggaran.csv", "1,5 juta"))
    )
    web.expect_error_status(f"{BUDGET}/impor")  # the refused import comes back with a 422
    submit(web, "Impor")
    report = page.locator("#report")
    assert report.is_visible()
    assert "Impor ditolak: 1 masalah di anggaran.csv" in report.inner_text()
    cells = page.locator("#problems tbody tr").first.locator("td").all_inner_texts()
    assert cells[:2] == ["3", "planned_q1"]
    assert "1,5 juta" in cells[2]
    web.screenshot("import-refused")
    readable(web)

    page.get_by_label("Berkas CSV (UTF-8) atau XLSX").set_input_files(
        str(_sheet(tmp_path / "anggaran-perbaikan.csv", "1.500.000"))
    )
    submit(web, "Impor")
    assert page.get_by_role("status").inner_text() == "Berkas anggaran diimpor."
    assert re.search(rf"{LINES}\?year={YEAR}&pd=&ok=budget_imported$", page.url)
    row = page.locator('tr[data-code="BR-002"]')
    assert "Rp 81.500.000" in row.inner_text()  # 1.500.000 + 40.000.000 + 40.000.000
    assert page.locator('tr[data-code="BR-001"]').count() == 1
    web.screenshot("import-stored")
    readable(web)


def test_a_pd_officer_reports_a_quarter_and_the_dashboards_show_it(
    web: Web, live_server: LiveServer
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    line_id, before, agency_before = _line(live_server, AIR)
    web.login("petugas.dlh", next_path=LINES)
    codes = page.locator("#lines tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.code).filter(Boolean)"
    )
    assert codes  # a PD officer's list opens on its own agency's lines
    assert page.locator("#filter-pd").input_value() == "dlh"
    web.screenshot("pd-lines")
    with page.expect_navigation():
        page.get_by_role("link", name=AIR).click()
    web.settle(shot=False)
    assert page.url.endswith(f"{LINES}/{line_id}")
    form = page.locator("#realisation-form")
    form.get_by_label("Triwulan").select_option(str(QUARTER))
    form.get_by_label("Realisasi (rupiah)").fill("seratus juta")
    web.expect_error_status(f"{LINES}/{line_id}/realisasi")
    submit(web, "Simpan realisasi")
    assert page.locator("#r-realised-error").is_visible()
    assert form.get_by_label("Realisasi (rupiah)").input_value() == "seratus juta"
    web.screenshot("realisation-refused")
    readable(web)

    added = Decimal(123_456_000)
    form.get_by_label("Triwulan").select_option(str(QUARTER))
    form.get_by_label("Realisasi (rupiah)").fill("123.456.000")
    submit(web, "Simpan realisasi")
    assert page.get_by_role("status").inner_text() == "Realisasi anggaran dicatat."
    cell = page.locator(f'#line-quarters tr[data-quarter="{QUARTER}"] td').nth(1)
    assert cell.inner_text() == rupiah(added)
    web.screenshot("realisation-saved")
    readable(web)
    _id, after, agency_after = _line(live_server, AIR)
    assert after == added
    assert agency_after == agency_before - before + added

    # another agency's line: read, never reported
    web.goto(f"{LINES}?year={YEAR}&pd=pupr")
    with page.expect_navigation():
        page.locator("#lines tbody tr a").first.click()
    web.settle(shot=False)
    assert page.locator("#realisation-form").count() == 0
    assert page.locator("#not-yours").is_visible()

    # the dashboards: the agency's bar and the quarter's sum show the new figure
    web.goto(f"{BUDGET}?year={YEAR}")
    dlh = page.locator('#chart-pd li[data-key="dlh"] [data-realised]')
    assert Decimal(dlh.get_attribute("data-realised") or "0") == agency_after
    quarter_cell = page.locator(f'#quarters tr[data-quarter="{QUARTER}"] [data-realised]')
    assert Decimal(quarter_cell.get_attribute("data-realised") or "0") >= added
    assert page.locator("#curve .bud-dot").count() >= QUARTER
    web.screenshot("dashboard-after")
    readable(web)


def test_the_pages_fit_a_phone_and_read_in_english(web: Web, live_server: LiveServer) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    line_id, _q, _a = _line(live_server, AIR)
    web.login("timteknis", next_path=BUDGET)
    for path, label in (
        (f"{BUDGET}?year={YEAR}", "phone-dashboard"),
        (f"{LINES}?year={YEAR}&pd=", "phone-lines"),
        (f"{LINES}/{line_id}", "phone-line"),
        (f"{BUDGET}/impor", "phone-import"),
    ):
        web.goto(path)
        fits(web)
        web.screenshot(label)
    page.set_viewport_size(DESKTOP)
    web.goto(f"{BUDGET}?year={YEAR}&lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == f"Smart City budget {YEAR}"
    web.screenshot("dashboard-en")
    web.goto(f"{LINES}/{line_id}?lang=en")
    assert page.get_by_role("heading", name="Report realisation").is_visible()
    web.screenshot("line-en")
