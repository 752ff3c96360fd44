"""The report of one information-system assessment as PDF (Perda 9/2022 Pasal 19(4)), in
Bahasa Indonesia with bilingual headings:

1. Identitas Sistem — the system as the software catalogue describes it;
2. Pelaksanaan Penilaian — template, date, assessor, scope, status and summary;
3. Hasil Penilaian — the score overall and per area, with a bar chart;
4. Daftar Periksa — every item with its answer, note and evidence reference;
5. Temuan dan Tindak Lanjut — findings with severity, agency, due date and status;
6. Riwayat Penilaian — the scores of the system's assessments over time.

Letterhead, fonts (Bitstream Vera, embedded) and page numbers are the city's document style
(``coordination/pdf.py``); times are in WIB.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle
from sqlalchemy.orm import Session

from pontive.assets.assessment_charts import area_chart, number, trend_chart
from pontive.assets.assessment_choices import AssessmentStatus
from pontive.assets.assessment_followup import history_of
from pontive.assets.assessment_models import Assessment
from pontive.assets.assessment_service import SYSTEMS, Checklist, checklist, findings_of
from pontive.coordination import pdf
from pontive.core.identity import Actor
from pontive.core.registry import Kind, Registry, get
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.registry.values import label_of

HEADINGS = (
    "1. Identitas Sistem / System Identity",
    "2. Pelaksanaan Penilaian / Assessment",
    "3. Hasil Penilaian / Results",
    "4. Daftar Periksa / Checklist",
    "5. Temuan dan Tindak Lanjut / Findings and Follow-up",
    "6. Riwayat Penilaian / Assessment History",
)
TITLE = "Laporan Penilaian Sistem Informasi"
SUBTITLE = "Information System Assessment Report · Perda Kota Pontianak 9/2022 Pasal 19 ayat (4)"
HEADING = ParagraphStyle("assessment-h2", parent=pdf.STYLES["h2"], keepWithNext=1)
SKIPPED_KINDS = (Kind.LONGTEXT, Kind.LINE, Kind.POINT)


def heading(value: str) -> Paragraph:
    """A section heading kept with what follows."""
    return Paragraph(escape(value), HEADING)


def _pd_names(session: Session) -> dict[str, str]:
    return {
        pd.kode: pd.nama
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }


def _value_text(session: Session, spec: Any, value: Any, pds: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if spec.kind is Kind.BOOL:
        return "Ya" if value else "Tidak"
    if spec.kind is Kind.CHOICE and spec.choices is not None:
        return str(spec.choices(value).label("id"))
    if spec.kind is Kind.CHOICES and spec.choices is not None:
        return ", ".join(spec.choices(v).label("id") for v in str(value).split(",") if v)
    if spec.kind is Kind.PD:
        return pds.get(str(value), str(value))
    if spec.kind is Kind.REF and spec.ref:
        target = get(spec.ref)
        row = session.get(target.model, value)
        return label_of(target, row) if row is not None else ""
    if spec.kind is Kind.DATE:
        return f"{value:%d-%m-%Y}"
    return str(value)


def identity(
    session: Session, registry: Registry, system: Any, pds: dict[str, str]
) -> list[Flowable]:
    """Section 1: the catalogue's entry (short fields, personal ones left out)."""
    rows = []
    for spec in registry.fields:
        if spec.personal or spec.kind in SKIPPED_KINDS:
            continue
        text = _value_text(session, spec, getattr(system, spec.name, None), pds)
        if text:
            rows.append((spec.label[0], text))
    description = getattr(system, "description", None)
    story: list[Flowable] = [heading(HEADINGS[0]), pdf.facts(rows)]
    if description:
        story += [Spacer(1, 2 * mm), pdf.text(str(description), "small")]
    return story


def conduct(found: Checklist) -> list[Flowable]:
    """Section 2: how the assessment was done."""
    a, template = found.assessment, found.template
    rows = [
        ("Judul", a.title),
        ("Templat", f"{template.code} — {template.name} (versi {template.version})"),
        (
            "Tanggal penilaian",
            f"{a.assessed_on.day} {pdf.MONTHS[a.assessed_on.month - 1]} {a.assessed_on.year}",
        ),
        ("Penilai", a.assessor),
        ("Ruang lingkup", a.scope or "—"),
        ("Status", a.status.label("id")),
    ]
    story: list[Flowable] = [heading(HEADINGS[1]), pdf.facts(rows)]
    if a.summary:
        story += [Spacer(1, 2 * mm), pdf.text("Ringkasan", "cellhead"), pdf.text(a.summary)]
    return story


def results(found: Checklist) -> list[Flowable]:
    """Section 3: the overall score and each area's, with the chart."""
    overall = found.result.overall
    rating = overall.rating.label("id") if overall.rating else "—"
    lead = (
        f"Skor keseluruhan {number(overall.score)} dari 100, predikat {rating}. "
        f"{overall.answered} dari {overall.total} butir terjawab; {overall.applicable} butir "
        "berlaku dihitung (butir tidak berlaku tidak dihitung)."
    )
    if not overall.is_complete:
        lead += " Skor ini sementara: penilaian belum selesai."
    rows = [
        [
            a.area.label("id") if a.area else "",
            str(a.total),
            str(a.answered),
            str(a.applicable),
            number(a.score),
            a.rating.label("id") if a.rating else "—",
        ]
        for a in found.result.areas
    ]
    rows.append(
        [
            "Keseluruhan",
            str(overall.total),
            str(overall.answered),
            str(overall.applicable),
            number(overall.score),
            rating,
        ]
    )
    table = pdf.grid(
        ["Area", "Butir", "Dijawab", "Berlaku", "Skor", "Predikat"], rows, [52, 20, 22, 22, 22, 32]
    )
    table.setStyle(TableStyle([("BACKGROUND", (0, len(rows)), (-1, len(rows)), pdf.SHADE)]))
    chart = area_chart(
        [a.area.label("id") if a.area else "" for a in found.result.areas],
        [a.score for a in found.result.areas],
        [a.area.meta.colour if a.area else "#0b5d7a" for a in found.result.areas],
        "Skor per area (0-100)",
    )
    return [
        heading(HEADINGS[2]),
        pdf.text(lead),
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 3 * mm),
        chart,
        pdf.text(
            "Predikat: Baik ≥ 85, Cukup ≥ 70, Kurang ≥ 50, Buruk < 50. Bobot butir 1-5; "
            "memenuhi dihitung penuh, sebagian setengah, tidak memenuhi nol.",
            "small",
        ),
    ]


def answers(found: Checklist) -> list[Flowable]:
    """Section 4: the checklist as answered, area by area."""
    story: list[Flowable] = [heading(HEADINGS[3])]
    for area, rows in found.groups:
        body = []
        for row in rows:
            answer = row.answer
            detail = [
                part
                for part in (
                    answer.note if answer else "",
                    f"Bukti: {answer.evidence}" if answer and answer.evidence else "",
                )
                if part
            ]
            body.append(
                [
                    row.item.code,
                    row.item.question,
                    str(row.item.weight),
                    answer.answer.label("id") if answer else "belum dijawab",
                    "\n".join(detail),
                ]
            )
        story += [
            Paragraph(escape(f"{area.label('id')} / {area.label('en')}"), pdf.STYLES["cellhead"]),
            Spacer(1, 1 * mm),
            pdf.grid(
                ["Kode", "Pertanyaan", "Bobot", "Jawaban", "Catatan dan bukti"],
                body,
                [15, 64, 15, 24, 52],
            ),
            Spacer(1, 3 * mm),
        ]
    return story


def findings(session: Session, found: Checklist, pds: dict[str, str]) -> list[Flowable]:
    """Section 5: the findings and their follow-up."""
    rows = []
    for position, f in enumerate(findings_of(session, found.assessment.id), start=1):
        text = f.title + (f"\nTindak lanjut: {f.remediation}" if f.remediation else "")
        rows.append(
            [
                str(position),
                text,
                f.severity.label("id"),
                pds.get(f.owner_pd, f.owner_pd),
                f"{f.due_on:%d-%m-%Y}" if f.due_on else "—",
                f.status.label("id") + (f"\n{f.closed_on:%d-%m-%Y}" if f.closed_on else ""),
            ]
        )
    story: list[Flowable] = [heading(HEADINGS[4])]
    if not rows:
        return [*story, pdf.text("Penilaian ini tidak mencatat temuan.", "small")]
    return [
        *story,
        pdf.grid(
            ["No", "Temuan", "Keparahan", "Penanggung jawab", "Tenggat", "Status"],
            rows,
            [10, 50, 24, 36, 24, 26],
        ),
    ]


def history(session: Session, assessment: Assessment) -> list[Flowable]:
    """Section 6: the system's assessments and their scores over time."""
    past = history_of(session, assessment.system_id)
    rows = [
        [
            f"{a.assessed_on:%d-%m-%Y}",
            a.title + (" (laporan ini)" if a.id == assessment.id else ""),
            a.status.label("id"),
            number(a.score),
            a.rating.label("id") if a.rating else "—",
        ]
        for a in past
    ]
    story: list[Flowable] = [
        heading(HEADINGS[5]),
        pdf.grid(
            ["Tanggal", "Penilaian", "Status", "Skor", "Predikat"], rows, [22, 80, 24, 20, 24]
        ),
    ]
    scored = [a for a in past if a.score is not None]
    if len(scored) > 1:
        story += [
            Spacer(1, 3 * mm),
            trend_chart(
                [f"{a.assessed_on:%m-%Y}" for a in scored],
                [a.score or 0 for a in scored],
                "Skor penilaian dari waktu ke waktu (0-100)",
            ),
        ]
    return story


def build(session: Session, actor: Actor, assessment: Assessment) -> bytes:
    """The assessment's report as PDF bytes, from the database as it is now."""
    found = checklist(session, actor, assessment)
    registry = get(SYSTEMS)
    system = session.get(registry.model, assessment.system_id)
    system_name = label_of(registry, system) if system is not None else f"#{assessment.system_id}"
    pds = _pd_names(session)
    story: list[Flowable] = [
        pdf.text(TITLE, "title"),
        pdf.text(f"{SUBTITLE}\n{system_name} · {assessment.title}", "subtitle"),
    ]
    if assessment.status is not AssessmentStatus.SELESAI:
        story.append(pdf.text("DRAF — penilaian belum selesai; skor dapat berubah.", "cellhead"))
    story.append(pdf.text(f"Dibuat {pdf.long_date(utcnow())}", "small"))
    if system is not None:
        story += identity(session, registry, system, pds)
    story += [
        *conduct(found),
        *results(found),
        *answers(found),
        *findings(session, found, pds),
        *history(session, assessment),
    ]
    return pdf.render(
        story,
        title=f"{TITLE}: {system_name}",
        subject=f"{assessment.title} (Perda Kota Pontianak 9/2022 Pasal 19 ayat 4)",
        footer=f"{TITLE} · {system_name[:60]}",
    )
