"""The city's documents as PDF: an A4 page with the Pontive Center letterhead, numbered
pages, times in WIB, and the few building blocks the minutes and incident reports use.

Bitstream Vera (shipped inside ReportLab) is embedded, so the document looks the same
everywhere and every Indonesian letter prints; nothing is fetched at run time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pontive.core.timeutil import WIB

INK = colors.HexColor("#1b2a38")
ACCENT = colors.HexColor("#0b5d7a")
MUTED = colors.HexColor("#5b6b7a")
RULE = colors.HexColor("#c9d3dc")
SHADE = colors.HexColor("#eef3f6")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _register_fonts() -> None:
    if "Vera" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (
        ("Vera", "Vera.ttf"),
        ("Vera-Bold", "VeraBd.ttf"),
        ("Vera-Italic", "VeraIt.ttf"),
        ("Vera-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )


_register_fonts()

STYLES = {
    "title": ParagraphStyle(
        "title", fontName="Vera-Bold", fontSize=15, leading=19, textColor=INK, spaceAfter=2
    ),
    "subtitle": ParagraphStyle(
        "subtitle", fontName="Vera", fontSize=9.5, leading=13, textColor=MUTED, spaceAfter=8
    ),
    "h2": ParagraphStyle(
        "h2",
        fontName="Vera-Bold",
        fontSize=11,
        leading=14,
        textColor=ACCENT,
        spaceBefore=10,
        spaceAfter=4,
    ),
    "body": ParagraphStyle("body", fontName="Vera", fontSize=9.5, leading=13, textColor=INK),
    "small": ParagraphStyle("small", fontName="Vera", fontSize=8, leading=10.5, textColor=MUTED),
    "cell": ParagraphStyle("cell", fontName="Vera", fontSize=8.5, leading=11, textColor=INK),
    "cellhead": ParagraphStyle(
        "cellhead", fontName="Vera-Bold", fontSize=8.5, leading=11, textColor=INK
    ),
    "centre": ParagraphStyle(
        "centre", fontName="Vera", fontSize=9.5, leading=13, textColor=INK, alignment=TA_CENTER
    ),
}


def long_date(value: datetime, *, with_time: bool = True) -> str:
    """``30 November 2026 pukul 18.30 WIB`` (Indonesian, in WIB)."""
    local = value.astimezone(WIB)
    text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    return f"{text} pukul {local:%H.%M} WIB" if with_time else text


def short_time(value: datetime | None) -> str:
    """``30-11-2026 18.30`` in WIB, or a dash."""
    return "—" if value is None else f"{value.astimezone(WIB):%d-%m-%Y %H.%M}"


def duration(seconds: float | None) -> str:
    """``2 jam 15 menit``, ``3 hari 4 jam`` or a dash."""
    if seconds is None or seconds < 0:
        return "—"
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} hari {hours} jam"
    if hours:
        return f"{hours} jam {mins} menit"
    return f"{mins} menit"


def text(value: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(value).replace("\n", "<br/>"), STYLES[style])


def heading(value: str) -> Paragraph:
    """A section heading."""
    return Paragraph(escape(value), STYLES["h2"])


def facts(rows: Sequence[tuple[str, str]]) -> Table:
    """Two columns of label and value."""
    data = [[text(label, "cellhead"), text(value, "cell")] for label, value in rows]
    table = Table(data, colWidths=[45 * mm, 125 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def grid(header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> Table:
    """A table with a shaded header row that repeats on every page."""
    data = [[text(h, "cellhead") for h in header]]
    data += [[text(cell, "cell") for cell in row] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def signature(place_date: str, position: str, name: str) -> KeepTogether:
    """The sign-off block at the right of the page."""
    block = Table(
        [
            [text(place_date, "centre")],
            [text(position, "centre")],
            [Spacer(1, 14 * mm)],
            [Paragraph(f"<b><u>{escape(name)}</u></b>", STYLES["centre"])],
        ],
        colWidths=[75 * mm],
    )
    outer = Table([["", block]], colWidths=[95 * mm, 75 * mm])
    return KeepTogether([Spacer(1, 6 * mm), outer])


class _Numbered(Canvas):
    """A canvas that writes "Halaman X dari Y" once the page count is known."""

    def __init__(self, *args: Any, footer: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own page reset

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self.setFont("Vera", 7.5)
            self.setFillColor(MUTED)
            self.drawString(18 * mm, 10 * mm, self._footer)
            self.drawRightString(
                A4[0] - 18 * mm, 10 * mm, f"Halaman {self.getPageNumber()} dari {total}"
            )
            super().showPage()
        super().save()


def _letterhead(canvas: Canvas, _doc: Any) -> None:
    canvas.saveState()
    width, height = A4
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Vera-Bold", 9)
    canvas.drawString(18 * mm, height - 6 * mm, "PEMERINTAH KOTA PONTIANAK · PONTIVE CENTER")
    canvas.setFont("Vera", 7.5)
    canvas.drawRightString(
        width - 18 * mm, height - 6 * mm, "Smart City · Perda Kota Pontianak 9/2022"
    )
    canvas.restoreState()


def render(story: list[Flowable], *, title: str, subject: str, footer: str) -> bytes:
    """The document as PDF bytes."""
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        subject=subject,
        author="Pontive Center, Kota Pontianak",
        creator="Pontive",
        lang="id-ID",
        invariant=1,  # no creation time or random id: the same content, the same bytes
    )
    document.build(
        story,
        onFirstPage=_letterhead,
        onLaterPages=_letterhead,
        canvasmaker=lambda *a, **k: _Numbered(*a, footer=footer, **k),
    )
    return output.getvalue()
