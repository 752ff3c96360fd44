"""The evaluation report's figures as a workbook (XLSX): sheets Ringkasan, Aspek, SPBE,
Indikator, Anggaran and Rekomendasi, with the numbers the PDF prints (both come from
``evaluation_data.report_data``) kept as numbers, formatted for reading."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl  # type: ignore[import-untyped]  # no stubs published
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from pontive.masterplan.evaluation_data import ReportData, report_data
from pontive.masterplan.evaluation_report_front import title_of
from pontive.masterplan.models import Evaluation

HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="EEF3F6")
INDEX_FORMAT = "0.00"
SHARE_FORMAT = "0.0%"
MONEY_FORMAT = '"Rp" #,##0'
SHEETS = ("Ringkasan", "Aspek", "SPBE", "Indikator", "Anggaran", "Rekomendasi")


def _sheet(
    book: Any,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: dict[int, str] | None = None,
    widths: Sequence[int] = (),
) -> Any:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
    for row in rows:
        sheet.append(list(row))
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _summary(data: ReportData) -> list[list[Any]]:
    total, evaluation = data.budget_total, data.evaluation
    return [
        ["Judul", title_of(data.year)],
        ["Tahun", data.year],
        ["Status", evaluation.status.label("id")],
        ["Indeks Evaluasi Smart City", data.city.index],
        ["Indeks SPBE", data.spbe.index],
        ["Predikat SPBE", data.spbe.predicate or ""],
        ["Anggaran direncanakan", total.planned],
        ["Anggaran terealisasi", total.realised],
        ["Realisasi anggaran", total.rate],
        ["Jumlah rekomendasi", len(data.recommendations)],
        ["Nomor surat pengantar", evaluation.letter_number or ""],
        ["SHA-256 laporan PDF", evaluation.report_sha256 or ""],
        ["Ringkasan eksekutif", evaluation.summary],
        ["Permasalahan", evaluation.issues],
    ]


def _format_summary(sheet: Any) -> None:
    formats = {4: INDEX_FORMAT, 5: INDEX_FORMAT, 7: MONEY_FORMAT, 8: MONEY_FORMAT, 9: SHARE_FORMAT}
    for row, number_format in formats.items():
        sheet.cell(row=row + 1, column=2).number_format = number_format


def _aspects(data: ReportData) -> list[list[Any]]:
    notes = data.evaluation.aspect_scores
    rows: list[list[Any]] = [
        [
            a.code,
            a.name,
            a.weight,
            a.share,
            a.score,
            a.contribution,
            (notes.get(a.code) or {}).get("note", ""),
        ]
        for a in data.city.aspects
    ]
    rows.append(["indeks", "Indeks Evaluasi", None, 1.0, None, data.city.index, ""])
    return rows


def _spbe(data: ReportData) -> list[list[Any]]:
    notes = data.evaluation.spbe_levels
    rows: list[list[Any]] = []
    for domain in data.spbe.domains:
        for aspect in domain.children:
            rows += [
                [
                    i.number,
                    i.code,
                    f"{domain.code} {domain.name}",
                    f"{aspect.code} {aspect.name}",
                    i.name,
                    i.weight,
                    i.level,
                    i.level_name or "",
                    (notes.get(i.code) or {}).get("note", ""),
                ]
                for i in aspect.indicators
            ]
    for domain in data.spbe.domains:
        rows.append(
            [
                "",
                domain.code,
                f"Indeks domain {domain.name}",
                "",
                "",
                domain.weight,
                domain.index,
                "",
                "",
            ]
        )
    rows.append(
        [
            "",
            "",
            "Indeks SPBE",
            "",
            data.spbe.predicate or "",
            data.spbe.weight,
            data.spbe.index,
            "",
            "",
        ]
    )
    return rows


def _indicators(data: ReportData) -> list[list[Any]]:
    return [
        [
            dimension.name,
            programme.key,
            s.indicator.code,
            s.indicator.name_id,
            data.pd_names.get(s.indicator.pd_kode, s.indicator.pd_kode),
            s.indicator.unit,
            s.indicator.baseline_value,
            s.target,
            s.value,
            s.achievement,
            s.rag.label("id"),
        ]
        for dimension, programme, s in data.indicator_rows()
    ]


def _budget(data: ReportData) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["Kategori", r.label, r.planned, r.realised, r.rate] for r in data.budget_by_category
    ]
    rows += [["Dimensi", r.label, r.planned, r.realised, r.rate] for r in data.budget_by_dimension]
    total = data.budget_total
    rows.append(["Jumlah", total.label, total.planned, total.realised, total.rate])
    return rows


def _recommendations(data: ReportData) -> list[list[Any]]:
    return [
        [
            position,
            r.year,
            data.dimension_names.get(r.dimensi_kode or "", ""),
            data.pd_names.get(r.addressed_to or "", ""),
            r.text,
            r.status.label("id"),
            r.response,
        ]
        for position, r in enumerate(data.recommendations, start=1)
    ]


def build(data: ReportData) -> bytes:
    """The workbook of ``data`` as XLSX bytes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    summary = _sheet(book, SHEETS[0], ["Uraian", "Nilai"], _summary(data), widths=(30, 80))
    _format_summary(summary)
    _sheet(
        book,
        SHEETS[1],
        ["Kode", "Aspek", "Bobot", "Porsi", "Skor", "Kontribusi", "Catatan"],
        _aspects(data),
        {4: SHARE_FORMAT, 5: INDEX_FORMAT, 6: INDEX_FORMAT},
        (12, 22, 8, 8, 8, 11, 50),
    )
    _sheet(
        book,
        SHEETS[2],
        [
            "No",
            "Kode",
            "Domain",
            "Aspek",
            "Indikator",
            "Bobot",
            "Tingkat",
            "Nama tingkat",
            "Catatan",
        ],
        _spbe(data),
        {7: INDEX_FORMAT},
        (5, 7, 28, 34, 60, 8, 8, 18, 40),
    )
    _sheet(
        book,
        SHEETS[3],
        [
            "Dimensi",
            "Program",
            "Kode",
            "Indikator",
            "PD",
            "Satuan",
            "Baseline",
            "Target",
            "Realisasi",
            "Capaian",
            "Status",
        ],
        _indicators(data),
        {10: SHARE_FORMAT},
        (18, 10, 12, 50, 12, 8, 10, 10, 10, 9, 16),
    )
    _sheet(
        book,
        SHEETS[4],
        ["Kelompok", "Uraian", "Rencana", "Realisasi", "Persen"],
        _budget(data),
        {3: MONEY_FORMAT, 4: MONEY_FORMAT, 5: SHARE_FORMAT},
        (10, 50, 18, 18, 9),
    )
    _sheet(
        book,
        SHEETS[5],
        ["No", "Tahun", "Dimensi", "Ditujukan kepada", "Rekomendasi", "Status", "Tindak lanjut"],
        _recommendations(data),
        widths=(5, 7, 18, 16, 60, 16, 50),
    )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def render_workbook(session: Session, evaluation: Evaluation) -> bytes:
    """The evaluation's figures as XLSX, from the database as it is now."""
    return build(report_data(session, evaluation))
