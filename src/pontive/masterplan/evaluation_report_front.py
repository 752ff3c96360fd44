"""The front of the official evaluation report: the cover page and the covering letter to the
Wali Kota with the copy (tembusan) to the Minister of Communication and Digital Affairs
(Perda 9/2022 Pasal 23)."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from pontive.coordination import pdf
from pontive.core.timeutil import utcnow
from pontive.masterplan.choices import EvaluationStatus
from pontive.masterplan.evaluation_data import ReportData, number

ADDRESSEE = "Wali Kota Pontianak"
COPY_TO = "Menteri Komunikasi dan Digital Republik Indonesia"
TEAM = "Tim Teknis Smart City Kota Pontianak"
LAW = (
    "Peraturan Daerah Kota Pontianak Nomor 9 Tahun 2022 tentang Penyelenggaraan Pontianak "
    "Smart City"
)
BLANK_NUMBER = "………………………………"
NBSP = "\u00a0"
RIGHT = ParagraphStyle("right", parent=pdf.STYLES["body"], alignment=TA_RIGHT)


def title_of(year: int) -> str:
    """The report's title."""
    return f"Laporan Evaluasi Penyelenggaraan Pontianak Smart City Tahun {year}"


def _style(
    name: str, size: float, *, bold: bool = False, colour: Color = pdf.INK
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName="Vera-Bold" if bold else "Vera",
        fontSize=size,
        leading=size * 1.35,
        textColor=colour,
        alignment=TA_CENTER,
        spaceAfter=size * 0.6,
    )


def is_approved(data: ReportData) -> bool:
    """Whether the report is the approved one (not a draft rendering)."""
    return data.evaluation.status in (EvaluationStatus.APPROVED, EvaluationStatus.SENT)


def letter_date(data: ReportData) -> datetime:
    """The covering letter's date: the day of approval (today for a draft)."""
    return data.evaluation.approved_at or utcnow()


def cover(data: ReportData) -> list[Flowable]:
    """The cover page."""
    year = data.year
    story: list[Flowable] = [
        Spacer(1, 38 * mm),
        Paragraph("PEMERINTAH KOTA PONTIANAK", _style("c1", 16, bold=True)),
        HRFlowable(width="60%", thickness=1.2, color=pdf.ACCENT, spaceBefore=4, spaceAfter=14),
        Paragraph(
            escape(title_of(year)).upper().replace("TAHUN", "<br/>TAHUN"),
            _style("c2", 19, bold=True, colour=pdf.ACCENT),
        ),
        Spacer(1, 12 * mm),
        Paragraph(f"Disusun oleh {TEAM}", _style("c3", 11.5)),
        Paragraph(f"berdasarkan Pasal 23 {LAW}", _style("c4", 9.5, colour=pdf.MUTED)),
        Spacer(1, 40 * mm),
    ]
    if is_approved(data):
        approved = pdf.long_date(letter_date(data), with_time=False)
        story.append(Paragraph(f"Disetujui Wali Kota Pontianak pada {approved}", _style("c5", 9.5)))
    else:
        story.append(
            Paragraph(
                "DRAF — BELUM DISETUJUI WALI KOTA", _style("c6", 12, bold=True, colour=pdf.MUTED)
            )
        )
    story += [
        Spacer(1, 30 * mm),
        Paragraph(f"PONTIANAK<br/>{letter_date(data).year}", _style("c7", 11, bold=True)),
        PageBreak(),
    ]
    return story


def _heading_rows(data: ReportData) -> Table:
    number_text = data.evaluation.letter_number or BLANK_NUMBER
    rows = [
        ("Nomor", number_text),
        ("Sifat", "Biasa"),
        ("Lampiran", "1 (satu) berkas"),
        ("Perihal", title_of(data.year)),
    ]
    table = Table(
        [[pdf.text(label), pdf.text(":"), pdf.text(value)] for label, value in rows],
        colWidths=[24 * mm, 4 * mm, 92 * mm],
    )
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def signer_name(data: ReportData) -> str:
    """Who signs for the technical team: the member who marked the evaluation reviewed."""
    label = data.evaluation.reviewed_by or data.evaluation.created_by
    return data.people.get(label or "", "") or "Ketua Tim Teknis"


def covering_letter(data: ReportData) -> list[Flowable]:
    """The covering letter to the mayor, with the copy to the ministry."""
    city, spbe = data.city, data.spbe
    scores = (
        f"Indeks Evaluasi Smart City tahun {data.year} adalah {number(city.index)} "
        f"(skala 1-5) dan Indeks SPBE adalah {number(spbe.index)} "
        f"dengan predikat {spbe.predicate or '—'}."
    )
    body = (
        f"Dengan hormat, berdasarkan Pasal 23 {LAW}, {TEAM} telah melaksanakan pemantauan dan "
        f"evaluasi penyelenggaraan Pontianak Smart City Tahun {data.year}. Bersama ini kami "
        f"sampaikan laporan hasil evaluasi tersebut, yang memuat ringkasan eksekutif, hasil "
        f"penilaian, capaian per dimensi terhadap target, realisasi anggaran, permasalahan "
        f"serta rekomendasi Dewan Smart City beserta tindak lanjutnya."
    )
    place_date = f"Pontianak, {pdf.long_date(letter_date(data), with_time=False)}"
    return [
        Paragraph(escape(place_date), RIGHT),
        Spacer(1, 4 * mm),
        _heading_rows(data),
        Spacer(1, 8 * mm),
        pdf.text(f"Kepada Yth.\n{ADDRESSEE}\ndi\n{NBSP * 6}Pontianak"),
        Spacer(1, 8 * mm),
        pdf.text(body),
        Spacer(1, 3 * mm),
        pdf.text(scores),
        Spacer(1, 3 * mm),
        pdf.text(
            "Demikian laporan ini kami sampaikan. Atas perhatian Wali Kota, kami ucapkan "
            "terima kasih."
        ),
        pdf.signature("", f"Ketua {TEAM}", signer_name(data)),
        Spacer(1, 12 * mm),
        pdf.text("Tembusan:", "cellhead"),
        pdf.text(f"1. Yth. {COPY_TO}"),
        PageBreak(),
    ]
