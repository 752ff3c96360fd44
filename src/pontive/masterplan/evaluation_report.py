"""The official evaluation report as PDF, in Bahasa Indonesia (Perda 9/2022 Pasal 23): the
cover, the covering letter to the Wali Kota with the tembusan to the ministry, then

1. Ringkasan Eksekutif — the summary and the key figures;
2. Hasil Penilaian — the evaluation index with its five aspects and the SPBE index with its
   predicate and domains, each with a chart;
3. Capaian per Dimensi — each dimension's programmes and indicators against their targets;
4. Realisasi Anggaran — planned and realised by category and by dimension;
5. Permasalahan dan Rekomendasi — the issues found and the council's recommendations;
Lampiran A (every indicator) and Lampiran B (every SPBE indicator's level).

Every figure comes from ``evaluation_data.report_data``, which the XLSX uses too.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from pontive.coordination import pdf
from pontive.masterplan.evaluation_charts import aspect_chart, dimension_chart, domain_chart
from pontive.masterplan.evaluation_data import (
    BudgetRow,
    ReportData,
    number,
    percent,
    report_data,
    rupiah,
    value_text,
)
from pontive.masterplan.evaluation_report_front import cover, covering_letter, title_of
from pontive.masterplan.models import Evaluation
from pontive.masterplan.progress import IndicatorStatus, Node

INDENT = "\u00a0" * 4  # kept by the paragraph, unlike plain spaces


HEADING = ParagraphStyle("evaluation-h2", parent=pdf.STYLES["h2"], keepWithNext=1)


def heading(value: str) -> Paragraph:
    """A section heading kept on the page of what follows it."""
    return Paragraph(escape(value), HEADING)


def shaded(table: Table, rows: list[int]) -> Table:
    """``table`` with ``rows`` (a programme, a domain) shaded as group headings."""
    table.setStyle(TableStyle([("BACKGROUND", (0, r), (-1, r), pdf.SHADE) for r in rows]))
    return table


HEADINGS = (
    "1. Ringkasan Eksekutif",
    "2. Hasil Penilaian",
    "3. Capaian per Dimensi terhadap Target",
    "4. Realisasi Anggaran",
    "5. Permasalahan dan Rekomendasi",
    "Lampiran A. Tabel Indikator",
    "Lampiran B. Tingkat Kematangan Indikator SPBE",
)


def _paragraphs(value: str, empty: str) -> list[Flowable]:
    parts = [p.strip() for p in value.split("\n\n") if p.strip()]
    return [pdf.text(p) for p in parts] or [pdf.text(empty, "small")]


def _overall_progress(data: ReportData) -> float | None:
    measured = [d.progress for d in data.dimensions if d.progress is not None]
    return sum(measured) / len(measured) if measured else None


def summary(data: ReportData) -> list[Flowable]:
    """Section 1: the summary text and the key figures."""
    city, spbe, total = data.city, data.spbe, data.budget_total
    open_items = [r for r in data.recommendations if r.status.value in ("open", "in_progress")]
    facts = [
        ("Indeks Evaluasi Smart City", f"{number(city.index)} dari 5"),
        ("Indeks SPBE", f"{number(spbe.index)} — predikat {spbe.predicate or '—'}"),
        ("Rata-rata capaian dimensi", percent(_overall_progress(data))),
        (
            "Realisasi anggaran",
            f"{rupiah(total.realised)} dari {rupiah(total.planned)} ({percent(total.rate)})",
        ),
        ("Rekomendasi Dewan", f"{len(data.recommendations)} ({len(open_items)} belum selesai)"),
    ]
    if not city.is_complete or not spbe.is_complete:
        facts.append(
            (
                "Catatan",
                f"Penilaian belum lengkap: {len(city.missing)} aspek dan "
                f"{len(spbe.missing)} indikator SPBE belum dinilai.",
            )
        )
    return [
        heading(HEADINGS[0]),
        *_paragraphs(data.evaluation.summary, "Ringkasan belum ditulis."),
        Spacer(1, 3 * mm),
        pdf.facts(facts),
    ]


def scores(data: ReportData) -> list[Flowable]:
    """Section 2: both indices, their parts and charts."""
    city, spbe = data.city, data.spbe
    aspect_rows = [
        [
            a.name,
            number(a.weight, 1),
            percent(a.share),
            number(a.score),
            number(a.contribution),
            (data.evaluation.aspect_scores.get(a.code) or {}).get("note", ""),
        ]
        for a in city.aspects
    ]
    aspect_rows.append(["Indeks Evaluasi", "", "100,0 %", "", number(city.index), ""])
    domain_rows = [
        [f"{d.code} {d.name}", number(d.weight, 2), str(len(d.indicators)), number(d.index)]
        for d in spbe.domains
    ]
    domain_rows.append(
        ["Indeks SPBE", number(spbe.weight, 2), str(len(spbe.indicators)), number(spbe.index)]
    )
    bands = ", ".join(
        f"{b['name']} ≥ {number(float(b['min']), 1)}"
        for b in sorted(data.spbe_framework.config.get("bands", []), key=lambda b: -float(b["min"]))
    )
    return [
        PageBreak(),
        heading(HEADINGS[1]),
        heading("2.1 Indeks Evaluasi Smart City"),
        pdf.text(
            f"Indeks Evaluasi Smart City Tahun {data.year}: {number(city.index)} "
            f"(rata-rata tertimbang lima aspek, skala 1-5; kerangka "
            f"{data.city_framework.name} {data.city_framework.version})."
        ),
        Spacer(1, 2 * mm),
        pdf.grid(
            ["Aspek", "Bobot", "Porsi", "Skor", "Kontribusi", "Catatan"],
            aspect_rows,
            [34, 16, 18, 14, 22, 70],
        ),
        aspect_chart(city),
        heading("2.2 Indeks SPBE"),
        pdf.text(
            f"Indeks SPBE Tahun {data.year}: {number(spbe.index)}, predikat "
            f"{spbe.predicate or '—'} ({bands})."
        ),
        Spacer(1, 2 * mm),
        pdf.grid(["Domain", "Bobot (%)", "Indikator", "Indeks"], domain_rows, [100, 26, 22, 26]),
        domain_chart(spbe),
    ]


def _indicator_row(status: IndicatorStatus) -> list[str]:
    indicator = status.indicator
    value = value_text(status.value, indicator.unit) + (" (langsung)" if status.is_live else "")
    return [
        f"{INDENT}{indicator.code} {indicator.name_id}",
        value_text(status.target, indicator.unit),
        value,
        percent(status.achievement),
        status.rag.label("id"),
    ]


def _dimension_block(data: ReportData, position: int, dimension: Node) -> list[Flowable]:
    rows: list[list[str]] = []
    programme_rows = []
    for programme in dimension.children:
        programme_rows.append(len(rows) + 1)
        rows.append(
            [
                f"{programme.key} {programme.name}",
                "",
                "",
                percent(programme.progress),
                programme.rag.label("id"),
            ]
        )
        rows += [_indicator_row(s) for s in data.programme_indicators(programme)]
    title = (
        f"3.{position} {dimension.name} — capaian {percent(dimension.progress)} "
        f"({dimension.rag.label('id')})"
    )
    if not rows:
        return [heading(title), pdf.text("Belum ada program aktif tahun ini.", "small")]
    header = ["Program / Indikator", "Target", "Realisasi", "Capaian", "Status"]
    table = shaded(pdf.grid(header, rows, [78, 22, 22, 20, 32]), programme_rows)
    return [heading(title), table]


def achievements(data: ReportData) -> list[Flowable]:
    """Section 3: each dimension's programmes and indicators against their targets."""
    story: list[Flowable] = [
        PageBreak(),
        heading(HEADINGS[2]),
        pdf.text(
            "Capaian adalah bagian dari target yang dicapai (paling tinggi 100 %), "
            "dirata-ratakan menurut bobot dari indikator ke kegiatan, program dan dimensi. "
            "Nilai realisasi adalah nilai terverifikasi terbaru pada tahun itu."
        ),
        dimension_chart(data.dimensions),
    ]
    for position, dimension in enumerate(data.dimensions, start=1):
        story += _dimension_block(data, position, dimension)
    return story


def budget(data: ReportData) -> list[Flowable]:
    """Section 4: the budget's realisation by category and by dimension."""
    header = ["", "Rencana", "Realisasi", "%"]

    def rows(groups: list[BudgetRow], total_label: str) -> list[list[str]]:
        body = [[g.label, rupiah(g.planned), rupiah(g.realised), percent(g.rate)] for g in groups]
        total = data.budget_total
        body.append(
            [total_label, rupiah(total.planned), rupiah(total.realised), percent(total.rate)]
        )
        return body

    widths = [70, 40, 40, 24]
    return [
        PageBreak(),
        heading(HEADINGS[3]),
        pdf.text(
            f"Anggaran smart city Tahun {data.year} menurut kategori Pasal 24 ayat (2) dan "
            f"menurut dimensi (rencana dan realisasi seluruh triwulan)."
        ),
        heading("4.1 Menurut kategori"),
        pdf.grid(["Kategori", *header[1:]], rows(data.budget_by_category, "Jumlah"), widths),
        heading("4.2 Menurut dimensi"),
        pdf.grid(["Dimensi", *header[1:]], rows(data.budget_by_dimension, "Jumlah"), widths),
    ]


def issues(data: ReportData) -> list[Flowable]:
    """Section 5: issues found, the council's recommendations and their follow-up."""
    rows = []
    for position, item in enumerate(data.recommendations, start=1):
        about = [
            data.dimension_names.get(item.dimensi_kode or "", ""),
            data.pd_names.get(item.addressed_to or "", ""),
        ]
        context = " · ".join(a for a in about if a)
        text = f"{item.text}\n({context})" if context else item.text
        rows.append([str(position), text, item.status.label("id"), item.response or "—"])
    story: list[Flowable] = [
        PageBreak(),
        heading(HEADINGS[4]),
        heading("5.1 Permasalahan"),
        *_paragraphs(data.evaluation.issues, "Tidak ada permasalahan yang dicatat."),
        heading("5.2 Rekomendasi Dewan Smart City dan tindak lanjutnya"),
    ]
    if rows:
        story.append(
            pdf.grid(["No", "Rekomendasi", "Status", "Tindak lanjut"], rows, [10, 78, 30, 56])
        )
    else:
        story.append(pdf.text("Belum ada rekomendasi untuk tahun ini.", "small"))
    return story


def annexes(data: ReportData) -> list[Flowable]:
    """Lampiran A (indicators) and B (SPBE levels)."""
    indicator_rows = [
        [
            f"{status.indicator.code}\n{status.indicator.name_id}",
            data.pd_names.get(status.indicator.pd_kode, status.indicator.pd_kode),
            value_text(status.indicator.baseline_value, status.indicator.unit),
            value_text(status.target, status.indicator.unit),
            value_text(status.value, status.indicator.unit),
            percent(status.achievement),
            status.rag.label("id"),
        ]
        for _dimension, _programme, status in data.indicator_rows()
    ]
    notes = data.evaluation.spbe_levels
    spbe_rows: list[list[str]] = []
    domain_rows = []
    for domain in data.spbe.domains:
        domain_rows.append(len(spbe_rows) + 1)
        spbe_rows.append(
            [
                "",
                f"{domain.code} {domain.name}",
                number(domain.weight, 2),
                number(domain.index),
                "indeks domain",
                "",
            ]
        )
        spbe_rows += [
            [
                str(i.number),
                f"{INDENT}{i.name}",
                number(i.weight, 2),
                str(i.level) if i.level is not None else "—",
                i.level_name or "belum dinilai",
                (notes.get(i.code) or {}).get("note", ""),
            ]
            for i in domain.indicators
        ]
    return [
        PageBreak(),
        heading(HEADINGS[5]),
        pdf.grid(
            ["Indikator", "PD", "Awal", "Target", "Realisasi", "Capaian", "Status"],
            indicator_rows,
            [48, 22, 19, 20, 20, 19, 26],
        )
        if indicator_rows
        else pdf.text("Belum ada indikator.", "small"),
        PageBreak(),
        heading(HEADINGS[6]),
        shaded(
            pdf.grid(
                ["No", "Indikator", "Bobot", "Tingkat", "Nama tingkat", "Catatan"],
                spbe_rows,
                [9, 68, 16, 19, 28, 34],
            ),
            domain_rows,
        ),
    ]


def build(data: ReportData) -> bytes:
    """The report of ``data`` as PDF bytes."""
    story = [
        *cover(data),
        *covering_letter(data),
        *summary(data),
        *scores(data),
        *achievements(data),
        *budget(data),
        *issues(data),
        *annexes(data),
    ]
    return pdf.render(
        story,
        title=title_of(data.year),
        subject="Laporan evaluasi tahunan Smart City (Perda Kota Pontianak 9/2022 Pasal 23)",
        footer=f"{title_of(data.year)} · Tim Teknis Smart City Kota Pontianak",
    )


def render_report(session: Session, evaluation: Evaluation) -> bytes:
    """The evaluation's report as PDF, from the database as it is now."""
    return build(report_data(session, evaluation))
