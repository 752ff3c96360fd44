"""The assessment report (PDF): the system's identity, the scores overall and per area with
the chart, the checklist, the findings and the system's earlier assessments."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import Answer
from pontive.assets.assessment_report import HEADINGS, build
from pontive.assets.assessment_service import complete
from tests.assets.assessment_support import (
    TEAM,
    answer_all,
    make_assessment,
    make_finding,
    make_system,
)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_the_report_holds_identity_scores_checklist_findings_and_history(
    session: Session,
) -> None:
    system = make_system(session, name="Sistem Informasi Perizinan Uji")
    earlier = make_assessment(session, system, assessed_on="2025-06-10", title="Penilaian 2025")
    answer_all(session, earlier, {"KR-02": Answer.TIDAK_MEMENUHI, "KT-01": Answer.TIDAK_MEMENUHI})
    complete(session, TEAM, earlier)
    assessment = make_assessment(session, system, assessed_on="2026-11-02", title="Penilaian 2026")
    result = answer_all(
        session,
        assessment,
        {"KR-03": Answer.TIDAK_MEMENUHI, "DP-03": Answer.SEBAGIAN, "IN-06": Answer.TIDAK_BERLAKU},
    )
    complete(session, TEAM, assessment)
    make_finding(
        session,
        assessment,
        title="Administrator tanpa autentikasi dua faktor",
        item_code="KR-03",
        severity="kritis",
        owner_pd="dlh",
        due_on="2027-01-15",
    )

    pdf = build(session, TEAM, assessment)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert (
        reader.metadata.title
        == "Laporan Penilaian Sistem Informasi: Sistem Informasi Perizinan Uji"
    )
    text = _text(pdf)
    for heading in HEADINGS:
        assert heading in text, heading
    score = f"{result.overall.score:.1f}".replace(".", ",")
    assert f"Skor keseluruhan {score} dari 100, predikat Baik" in text
    assert "DRAF" not in text
    # identity from the catalogue, the conduct, areas in both languages
    assert "Sistem Informasi Perizinan Uji" in text
    assert "Dinas Komunikasi dan Informatika" in text
    assert "Kerahasiaan / Confidentiality" in text
    assert "Pelindungan data pribadi / Personal data protection" in text
    assert "Skor per area (0-100)" in text  # the chart's title
    # the checklist's answers and the finding
    assert "KR-03" in text
    assert "Tidak memenuhi" in text
    assert "Tidak berlaku" in text
    assert "Administrator tanpa autentikasi dua faktor" in text
    assert "Kritis" in text
    assert "Dinas Lingkungan Hidup" in text
    assert "15-01-2027" in text
    # history: both assessments with their scores, and the trend chart
    assert "Penilaian 2025" in text
    assert "Penilaian 2026 (laporan ini)" in text
    assert f"{earlier.score:.1f}".replace(".", ",") in text
    assert "Skor penilaian dari waktu ke waktu" in text
    assert "Halaman 1 dari" in text


def test_an_unfinished_assessment_is_marked_as_a_draft(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    text = _text(build(session, TEAM, assessment))
    assert "DRAF — penilaian belum selesai" in text
    assert "belum dijawab" in text
    assert "Penilaian ini tidak mencatat temuan." in text
