"""Demo assessments of catalogued systems, written the way people write them: assessments and
findings through the registry store (with history), answers through the checklist service,
completion through its rules.

The first catalogued information systems are assessed: the first twice (sixteen and five
months ago, completed, its findings in every state, one of them overdue), the second once,
now in progress, the third once more than a year ago (so it is due again). The other systems
stay never assessed. Dates are relative to the day the demo is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import Answer, AssessmentStatus, FindingStatus
from pontive.assets.assessment_models import Assessment, AssessmentTemplate
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    FINDINGS,
    SYSTEMS,
    AnswerInput,
    complete,
    save_answers,
    template_items,
)
from pontive.assets.choices import SoftwareCategory, SystemStatus
from pontive.assets.seed import CODE
from pontive.core.identity import Actor
from pontive.core.registry import get
from pontive.core.timeutil import WIB, utcnow
from pontive.registry import store

# The city's own systems in the demo catalogue (software_demo.py), assessed in this order.
PREFERRED = ("EOFFICE", "SIMPEG", "SIMPAD")
M, S, T, NA = Answer.MEMENUHI, Answer.SEBAGIAN, Answer.TIDAK_MEMENUHI, Answer.TIDAK_BERLAKU


@dataclass(frozen=True)
class Finding:
    """A demo finding from an unmet item: its state and dates relative to the demo day."""

    code: str
    title: str
    severity: str
    status: str
    due_in: int
    closed_ago: int | None = None
    remediation: str = ""


@dataclass(frozen=True)
class Plan:
    """One demo assessment: which system, when, how far, and its answers and findings."""

    system: int  # position among the assessed systems
    title: str
    days_ago: int
    assessor: str
    answers: dict[str, tuple[Answer, str]]
    complete: bool = True
    only: tuple[str, ...] = ()  # answer only the items of these areas' codes (in progress)
    summary: str = ""
    findings: tuple[Finding, ...] = field(default_factory=tuple)


PLANS = (
    Plan(
        0, "Penilaian awal keamanan sistem", 485, "Tim Teknis Smart City (Agus Pratama)",
        {
            "KR-03": (T, "Administrator masuk hanya dengan kata sandi."),
            "KR-05": (S, "Dua akun pegawai pindah masih aktif."),
            "IN-01": (S, "Pemindaian menemukan satu formulir rentan XSS."),
            "IN-04": (T, "Server web dua versi di belakang rilis keamanan."),
            "KT-02": (T, "Belum pernah uji pemulihan."),
            "KT-03": (S, "RTO disepakati lisan, belum tertulis."),
            "IO-01": (S, "API ada, dokumentasinya belum lengkap."),
            "IO-04": (T, "API data publik tanpa kunci."),
            "DP-03": (T, "Lampiran dokumen kesehatan tersimpan tanpa enkripsi."),
            "DP-05": (T, "Belum ada ketentuan masa simpan."),
            "DP-06": (S, "Prosedur ada, belum pernah diuji."),
            "TK-02": (S, "Panduan operasi belum mutakhir."),
            "TK-05": (NA, "Penilaian pertama."),
            "IN-06": (NA, "Sistem tidak menerbitkan dokumen resmi."),
        },
        summary="Penilaian pertama. Kelemahan utama: autentikasi administrator, uji "
        "pemulihan, dan enkripsi lampiran data pribadi.",
        findings=(
            Finding("IN-04", "Tambalan keamanan server web tertinggal", "tinggi", "selesai", -390,
                    closed_ago=400, remediation="Server web diperbarui dan dijadwalkan bulanan."),
            Finding("KT-02", "Uji pemulihan dari cadangan belum pernah dilakukan", "sedang",
                    "selesai", -330, closed_ago=340,
                    remediation="Uji pemulihan dilakukan; berita acara terlampir."),
        ),
    ),
    Plan(
        0, "Penilaian tahunan keamanan dan keandalan", 150,
        "Tim Teknis Smart City bersama Diskominfo",
        {
            "KR-03": (T, "Autentikasi dua faktor belum diaktifkan untuk administrator."),
            "IN-04": (S, "Pustaka pihak ketiga belum diperbarui."),
            "KT-02": (S, "Uji pemulihan hanya untuk basis data, belum untuk berkas."),
            "IO-04": (T, "Endpoint statistik terbuka tanpa kunci."),
            "DP-03": (T, "Lampiran dokumen kesehatan masih tanpa enkripsi."),
            "DP-05": (T, "Ketentuan masa simpan masih draf."),
            "IN-06": (NA, "Sistem tidak menerbitkan dokumen resmi."),
            "TK-03": (NA, "Dikembangkan dan dioperasikan sendiri."),
        },
        summary="Membaik dari penilaian sebelumnya. Autentikasi administrator dan enkripsi "
        "lampiran data pribadi masih perlu ditangani.",
        findings=(
            Finding("KR-03", "Administrator belum memakai autentikasi dua faktor", "tinggi",
                    "terbuka", -20),
            Finding("DP-05", "Masa simpan data pribadi belum ditetapkan", "sedang", "terbuka", 10),
            Finding("DP-03", "Lampiran data kesehatan tersimpan tanpa enkripsi", "kritis",
                    "ditangani", 25, remediation="Enkripsi penyimpanan berkas sedang diuji."),
            Finding("IN-04", "Pustaka pihak ketiga tertinggal versi", "sedang", "selesai", -60,
                    closed_ago=70, remediation="Pustaka diperbarui pada rilis 2.4."),
            Finding("IO-04", "Endpoint statistik terbuka tanpa kunci API", "rendah",
                    "risiko_diterima", -30, closed_ago=40,
                    remediation="Data statistik memang publik; batas laju dipasang."),
        ),
    ),
    Plan(
        1, "Penilaian keamanan sistem informasi", 3, "Tim Teknis Smart City (Agus Pratama)",
        {
            "KR-02": (T, "Akun bawaan basis data masih memakai kata sandi pabrik."),
            "KR-04": (S, "Matriks peran ada, peninjauan terakhir 2 tahun lalu."),
            "IN-02": (S, "Jejak audit hanya untuk transaksi keuangan."),
            "KT-01": (T, "Cadangan disimpan di server yang sama."),
        },
        complete=False,
        only=("KR", "IN", "KT"),
        findings=(
            Finding("KR-02", "Kata sandi bawaan basis data belum diganti", "kritis", "terbuka", 14),
        ),
    ),
    Plan(
        2, "Penilaian keamanan sistem informasi", 410, "Tim Teknis Smart City bersama BSSN",
        {
            "KR-03": (S, "Dua faktor hanya untuk sebagian administrator."),
            "KT-01": (S, "Cadangan harian, salinan luar lokasi mingguan."),
            "KT-02": (T, "Uji pemulihan belum dilakukan tahun ini."),
            "IO-02": (S, "Sebagian data masih dikirim lewat berkas."),
            "IO-03": (S, "Kode kelurahan belum baku."),
            "DP-02": (T, "Belum ada pemberitahuan privasi pada formulir."),
            "TK-04": (T, "Pengelola belum ikut pelatihan keamanan."),
            "IN-06": (NA, "Sistem tidak menerbitkan dokumen resmi."),
            "TK-05": (NA, "Penilaian pertama."),
        },
        summary="Perlu penilaian ulang: pemberitahuan privasi dan uji pemulihan.",
        findings=(
            Finding("DP-02", "Formulir tanpa pemberitahuan privasi", "tinggi", "ditangani", 30,
                    remediation="Teks pemberitahuan privasi sedang ditinjau bagian hukum."),
        ),
    ),
)  # fmt: skip


def _systems(session: Session) -> list[Any]:
    """The systems to assess: the city's own (by code) when the catalogue has them, else its
    first information systems in use."""
    registry = get(SYSTEMS)
    model: Any = registry.model
    query = select(model).where(
        model.category.in_((SoftwareCategory.SISTEM_INFORMASI, SoftwareCategory.APLIKASI)),
        model.status != SystemStatus.DIHENTIKAN,
    )
    found = list(session.scalars(query.order_by(model.id)))
    rank = {code: position for position, code in enumerate(PREFERRED)}
    return sorted(found, key=lambda s: (rank.get(s.code, len(rank)), s.id))[:3]


def _answers(plan: Plan, template_id: int, session: Session) -> list[AnswerInput]:
    entries = []
    for item in template_items(session, template_id):
        if plan.only and not item.code.startswith(plan.only):
            continue
        answer, note = plan.answers.get(item.code, (M, ""))
        evidence = ""
        if item.evidence_expected and answer in (M, S):
            evidence = f"Lampiran penilaian: bukti {item.code}"
        entries.append(AnswerInput(item.id, answer, note, evidence))
    return entries


def _assess(
    session: Session,
    actor: Actor,
    plan: Plan,
    system: Any,
    template: AssessmentTemplate,
    today: date,
) -> tuple[Assessment, int]:
    assessed_on = today - timedelta(days=plan.days_ago)
    assessment: Assessment = store.save_row(
        session,
        get(ASSESSMENTS),
        actor,
        {
            "title": f"{plan.title} {assessed_on.year}",
            "system_id": str(system.id),
            "template_id": str(template.id),
            "assessed_on": assessed_on.isoformat(),
            "assessor": plan.assessor,
            "scope": "Aplikasi web, basis data dan server aplikasinya (DEMO).",
            "status": AssessmentStatus.DRAF.value,
            "summary": plan.summary,
        },
        via="system",
    )
    save_answers(session, actor, assessment, _answers(plan, template.id, session), via="system")
    if plan.complete:
        complete(session, actor, assessment)
    findings = get(FINDINGS)
    for finding in plan.findings:
        item = next(i for i in template_items(session, template.id) if i.code == finding.code)
        closed = today - timedelta(days=finding.closed_ago) if finding.closed_ago else None
        store.save_row(
            session,
            findings,
            actor,
            {
                "assessment_id": str(assessment.id),
                "item_code": finding.code,
                "title": finding.title,
                "description": plan.answers.get(finding.code, (M, ""))[1],
                "area": item.area.value,
                "severity": finding.severity,
                "owner_pd": system.pd_kode,
                "due_on": (today + timedelta(days=finding.due_in)).isoformat(),
                "status": finding.status,
                "remediation": finding.remediation,
                "closed_on": closed.isoformat() if closed else "",
            },
            via="system",
        )
    return assessment, len(plan.findings)


def load(session: Session, actor: Actor) -> str:
    """Assess the first catalogued systems; a one-line summary."""
    template = session.scalar(select(AssessmentTemplate).where(AssessmentTemplate.code == CODE))
    systems = _systems(session)
    if template is None or not systems:
        return "penilaian: tidak ada templat atau sistem informasi di katalog"
    today = utcnow().astimezone(WIB).date()
    made, findings = [], 0
    for plan in PLANS:
        if plan.system >= len(systems):
            continue
        assessment, count = _assess(session, actor, plan, systems[plan.system], template, today)
        made.append(assessment)
        findings += count
    session.commit()
    done = sum(1 for a in made if a.status is AssessmentStatus.SELESAI)
    overdue = sum(
        1
        for plan in PLANS
        if plan.system < len(systems)
        for f in plan.findings
        if f.due_in < 0 and FindingStatus(f.status).is_open
    )
    return (
        f"{len(made)} penilaian sistem informasi ({done} selesai) atas "
        f"{len({a.system_id for a in made})} sistem, {findings} temuan ({overdue} lewat tenggat)"
    )
