"""Information-system assessments in a real browser, over the demo: the technical team
answers part of a checklist and sees the score move, creates a finding from a "tidak
memenuhi" answer through the pre-filled form, and downloads the report; the system's page and
the follow-up dashboard show it. The pages fit a phone and keep WCAG AA contrast.

These tests change the data, so they run on a live server of their own, over their own copy
of the demo database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pontive.assets.assessment_choices import AssessmentStatus
from pontive.assets.assessment_models import Assessment, AssessmentFinding
from pontive.core.db import Database
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "assessments")


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def fits(web: Web) -> None:
    """The page does not scroll sideways."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def _in_progress(live_server: LiveServer) -> tuple[int, int]:
    """The demo's assessment in progress: its id and its system's."""
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            found = session.scalar(
                select(Assessment).where(Assessment.status == AssessmentStatus.BERLANGSUNG)
            )
            assert found is not None
            return found.id, found.system_id
    finally:
        database.dispose()


def _findings_titled(live_server: LiveServer, title: str) -> list[AssessmentFinding]:
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            return list(
                session.scalars(select(AssessmentFinding).where(AssessmentFinding.title == title))
            )
    finally:
        database.dispose()


def _score(web: Web) -> str:
    return str(web.page.locator("#asm-score-value").inner_text())


def test_the_team_answers_scores_files_a_finding_and_downloads_the_report(
    web: Web, live_server: LiveServer
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    assessment_id, system_id = _in_progress(live_server)
    path = f"/console/aset/penilaian/{assessment_id}"
    web.login("timteknis", next_path=path)
    assert page.url.endswith(path)
    web.screenshot("checklist-before")
    readable(web)
    before = _score(web)
    progress = page.locator("#asm-progress").inner_text()
    answered = int(re.match(r"(\d+) dari 35", progress).group(1))  # type: ignore[union-attr]

    # answer two personal-data items: one met with its evidence, one not met with a note
    dp01 = page.locator("#butir-DP-01")
    dp01.get_by_label("Memenuhi", exact=True).check()
    dp01.get_by_label("Rujukan bukti").fill("Formulir layanan dan dasar hukumnya")
    dp03 = page.locator("#butir-DP-03")
    dp03.get_by_label("Tidak memenuhi", exact=True).check()
    dp03.get_by_label("Catatan penilai").fill("Berkas pindaian KTP tersimpan tanpa enkripsi.")
    with page.expect_navigation():
        page.locator("#asm-save").click()
    web.settle(shot=False)
    assert "#daftar-periksa" in page.url
    assert page.locator("#flash").is_visible()
    assert page.locator("#asm-progress").inner_text().startswith(f"{answered + 2} dari 35")
    after = _score(web)
    assert after != before
    assert float(after.replace(",", ".")) < float(before.replace(",", "."))  # a weight-5 miss
    assert page.locator("#butir-DP-03").get_attribute("class") == (
        "asm-item asm-answered asm-is-tidak_memenuhi"
    )
    assert (
        page.locator("#area-pelindungan_data > legend")
        .inner_text()
        .startswith("Pelindungan data pribadi")
    )
    web.screenshot("checklist-saved")

    # the unmet item offers a finding: the generic form opens pre-filled
    with page.expect_navigation():
        page.locator("#butir-DP-03 .asm-new-finding").click()
    web.settle(shot=False)
    title_input = page.locator("#f-title")
    assert title_input.input_value().startswith("DP-03: Data pribadi yang bersifat spesifik")
    assert page.locator("#f-area").input_value() == "pelindungan_data"
    assert page.locator("#f-item_code").input_value() == "DP-03"
    assert "tanpa enkripsi" in page.locator("#f-description").input_value()
    title_input.fill("Pindaian KTP tersimpan tanpa enkripsi")
    web.screenshot("finding-prefilled")
    with page.expect_navigation():
        page.locator("#save").click()
    web.settle(shot=False)
    assert page.locator("#row-title").inner_text() == "Pindaian KTP tersimpan tanpa enkripsi"
    assert page.locator("#asm-finding").is_visible()  # where it comes from
    web.screenshot("finding-created")
    [finding] = _findings_titled(live_server, "Pindaian KTP tersimpan tanpa enkripsi")
    assert finding.assessment_id == assessment_id
    assert finding.item_code == "DP-03"

    # back on the checklist the item links to its finding; the report downloads
    web.goto(f"{path}#butir-DP-03")
    assert "Pindaian KTP" in page.locator("#butir-DP-03 .asm-findings").inner_text()
    href = page.locator("#asm-report").get_attribute("href")
    assert href == f"{path}/laporan.pdf"
    report = page.request.get(web.url(href))
    assert report.status == 200
    assert report.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert f"Skor keseluruhan {after} dari 100" in text
    assert "Pindaian KTP tersimpan tanpa enkripsi" in text
    assert "DRAF" in text  # still in progress

    # the system's page and the follow-up dashboard
    web.goto(f"/console/aset/penilaian-sistem/{system_id}")
    assert page.locator("#asm-history").is_visible()
    assert "Pindaian KTP" in page.locator("#asm-open-findings").inner_text()
    web.screenshot("system")
    readable(web)
    web.goto("/console/aset/penilaian-tindak-lanjut")
    assert page.locator("tr.asm-overdue").count() == 1
    assert "Pindaian KTP" in page.locator("#asm-findings").inner_text()
    web.screenshot("follow-up")
    readable(web)


def test_the_pages_fit_a_phone(web: Web, live_server: LiveServer) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    assessment_id, system_id = _in_progress(live_server)
    web.login("timteknis", next_path=f"/console/aset/penilaian/{assessment_id}")
    fits(web)
    web.screenshot("phone-checklist")
    for path, label in (
        (f"/console/aset/penilaian-sistem/{system_id}", "phone-system"),
        ("/console/aset/penilaian-tindak-lanjut", "phone-follow-up"),
    ):
        web.goto(path)
        fits(web)
        web.screenshot(label)
