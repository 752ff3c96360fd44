"""The official evaluation report (PDF) and its workbook (XLSX): the required parts, the
tembusan, and figures that match what the services compute; every page rendered to PNG
(``/tmp/shots/eval-report-*.png``, to look at) and checked for ink."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]  # no stubs published
import pypdfium2
import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from pontive.budget import service as budget
from pontive.core.storage import MediaStore
from pontive.masterplan import evaluation as service
from pontive.masterplan import evaluation_recommendations as recommendations
from pontive.masterplan import progress
from pontive.masterplan.evaluation_data import number, percent, report_data, rupiah
from pontive.masterplan.evaluation_report import HEADINGS
from pontive.masterplan.evaluation_xlsx import SHEETS, render_workbook
from pontive.masterplan.models import Evaluation
from tests.masterplan.test_evaluation import YEAR, People, build_year, people, scored

__all__ = ["people"]  # the fixture, shared with the service's tests
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for people to look at


@pytest.fixture
def approved(session: Session, people: People, media: MediaStore) -> Evaluation:
    """The year built, scored, a recommendation answered, reviewed and approved."""
    build_year(session, people.team)
    item = recommendations.add_recommendation(
        session,
        actor=people.council,
        year=YEAR,
        text="Percepat integrasi data sampah antarkecamatan.",
        dimensi_kode="environment",
        addressed_to="dlh",
    )
    recommendations.respond(
        session,
        actor=people.team,
        recommendation=item,
        status="in_progress",
        response="Integrasi dimulai triwulan I.",
    )
    evaluation = scored(session, people.team)
    service.review(session, actor=people.team, evaluation=evaluation)
    return service.approve(session, actor=people.mayor, evaluation=evaluation, media=media)


def _text(document: bytes) -> list[str]:
    """Each page's text, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(document))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def test_the_report_has_every_part_and_the_tembusan(
    session: Session, approved: Evaluation, media: MediaStore
) -> None:
    pages = _text(media.read(approved.report_key or ""))
    whole = " ".join(pages)
    cover, letter = pages[0], pages[1]
    assert "PEMERINTAH KOTA PONTIANAK" in cover
    assert f"LAPORAN EVALUASI PENYELENGGARAAN PONTIANAK SMART CITY TAHUN {YEAR}" in cover
    assert "Tim Teknis Smart City" in cover
    assert "Kepada Yth. Wali Kota Pontianak" in letter
    assert "Tembusan: 1. Yth. Menteri Komunikasi dan Digital Republik Indonesia" in letter
    assert "000.1/123/TT-SC/2026" in letter
    for heading in HEADINGS:
        assert heading in whole, heading
    # The order of the parts: each after the one before.
    positions = [whole.index(h) for h in HEADINGS]
    assert positions == sorted(positions)


def test_the_report_figures_match_the_database(
    session: Session, approved: Evaluation, media: MediaStore
) -> None:
    whole = " ".join(_text(media.read(approved.report_key or "")))
    city, spbe = service.results(session, approved)
    # Hand-worked in test_evaluation: 3.10 and 3.455 → 3,46 (Baik).
    assert number(city.index) == "3,10"
    assert number(spbe.index) == "3,46"
    assert "Indeks Evaluasi Smart City Tahun 2025: 3,10" in whole
    assert "Indeks SPBE Tahun 2025: 3,46, predikat Baik" in whole
    for domain in spbe.domains:
        assert f"{domain.code} {domain.name} {number(domain.weight, 2)}" in whole
        assert number(domain.index) in whole
    tree = {node.key: node for node in progress.tree(session, YEAR)}
    # GOV: (0.9 + 1.0) / 2 = 95 %; ENV: 50 %.
    assert tree["governance"].progress == pytest.approx(0.95)
    assert f"Smart Governance — capaian {percent(tree['governance'].progress)}" in whole
    assert "Smart Governance — capaian 95,0 %" in whole
    assert "Smart Environment — capaian 50,0 %" in whole
    assert "GOV-01.I1 Indikator GOV-01.I1 90 % 81 % 90,0 %" in whole
    by_category = budget.totals_by(session, year=YEAR, key="category")
    technology = by_category["teknologi"]
    assert rupiah(technology.planned) == "Rp 150.000.000"
    assert f"{rupiah(technology.planned)} {rupiah(technology.realised)} 60,0 %" in whole
    assert "Jumlah Rp 350.000.000 Rp 240.000.000 68,6 %" in whole
    assert "Percepat integrasi data sampah antarkecamatan." in whole
    assert "Integrasi dimulai triwulan I." in whole


def test_every_page_renders_with_ink(approved: Evaluation, media: MediaStore) -> None:
    document = pypdfium2.PdfDocument(media.read(approved.report_key or ""))
    SHOTS.mkdir(parents=True, exist_ok=True)
    count = len(document)
    assert 9 <= count <= 14  # cover, letter, 5 sections, 2 annexes (some spill over)
    for position in range(count):
        picture = document[position].render(scale=1.2).to_pil()
        picture.save(SHOTS / f"eval-report-{position + 1:02d}.png")
        image = picture.convert("L")
        darkest, _lightest = image.getextrema()
        dark = sum(image.histogram()[:128])
        assert darkest < 80, f"page {position + 1} is blank"
        assert dark > 500, f"page {position + 1} has almost no ink"
    document.close()


def test_the_workbook_holds_the_same_numbers(session: Session, approved: Evaluation) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(session, approved)))
    assert book.sheetnames == list(SHEETS)
    data = report_data(session, approved)
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Indeks Evaluasi Smart City"] == pytest.approx(3.10)
    assert summary["Indeks SPBE"] == pytest.approx(3.455)
    assert summary["Predikat SPBE"] == "Baik"
    assert summary["Anggaran direncanakan"] == 350_000_000
    assert summary["Anggaran terealisasi"] == 240_000_000
    assert summary["SHA-256 laporan PDF"] == approved.report_sha256
    aspects = {row[0]: row for row in book["Aspek"].iter_rows(min_row=2, values_only=True)}
    assert aspects["outcome"][2:6] == (30, pytest.approx(0.3), 3, pytest.approx(0.9))
    assert aspects["indeks"][5] == pytest.approx(3.10)
    spbe = list(book["SPBE"].iter_rows(min_row=2, values_only=True))
    assert len([r for r in spbe if r[0] is not None]) == 47
    assert spbe[-1][2] == "Indeks SPBE"
    assert spbe[-1][6] == pytest.approx(3.455)
    indicators = {r[2]: r for r in book["Indikator"].iter_rows(min_row=2, values_only=True)}
    assert indicators["GOV-01.I1"][7:10] == (90, 81, pytest.approx(0.9))
    assert indicators["ENV-01.I1"][9] == pytest.approx(0.5)
    assert len(indicators) == len(list(data.indicator_rows()))
    money = {(r[0], r[1]): r[2:] for r in book["Anggaran"].iter_rows(min_row=2, values_only=True)}
    planned, realised, rate = money[("Kategori", "b. Infrastruktur")]
    assert (planned, realised) == (200_000_000, 150_000_000)
    assert rate == pytest.approx(0.75)
    assert money[("Jumlah", "Jumlah")][:2] == (350_000_000, 240_000_000)
    advice = list(book["Rekomendasi"].iter_rows(min_row=2, values_only=True))
    assert advice == [
        (
            1,
            YEAR,
            "Smart Environment",
            "DLH",
            "Percepat integrasi data sampah antarkecamatan.",
            "Ditindaklanjuti",
            "Integrasi dimulai triwulan I.",
        )
    ]
