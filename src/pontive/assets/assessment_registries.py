"""The assessment registries (Perda 9/2022 Pasal 19(4)): checklist templates and their items,
assessments of the catalogued systems (``assets.systems``) and their findings. Pages, API,
CSV and history come from the platform; the checklist form, the scores and the report are
this part's own (``assessment_pages.py``, ``assessment_api.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from pontive.assets.assessment_choices import (
    OPEN_FINDING,
    AssessmentArea,
    AssessmentStatus,
    FindingStatus,
    Rating,
    Severity,
)
from pontive.assets.assessment_models import (
    Assessment,
    AssessmentFinding,
    AssessmentTemplate,
    AssessmentTemplateItem,
)
from pontive.assets.assessment_panels import checklist_panel, finding_panel, template_panel
from pontive.assets.assessment_rules import (
    after_assessment_saved,
    validate_assessment,
    validate_finding,
    validate_item,
)
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    FINDINGS,
    FOLLOW_UP,
    ITEMS,
    MANAGE,
    READ,
    SYSTEMS,
    TEMPLATES,
)
from pontive.assets.choices import AREA_PATH
from pontive.core.registry import Field, Kind, Panel, Registry, ReminderRule, register


def _open_findings() -> ColumnElement[bool]:
    column: Any = AssessmentFinding.status
    clause: ColumnElement[bool] = column.in_(OPEN_FINDING)
    return clause


TEMPLATE_REGISTRY = register(
    Registry(
        name=TEMPLATES,
        domain="assets",
        api_slug="assessment-templates",
        slug="templat-penilaian",
        console=AREA_PATH,
        model=AssessmentTemplate,
        title=("Templat penilaian", "Assessment templates"),
        singular=("Templat penilaian", "Assessment template"),
        description=(
            "Daftar periksa penilaian sistem informasi, berversi; templat yang sudah dipakai "
            "disalin sebagai versi baru.",
            "Versioned checklists for information-system assessments; a used template is "
            "copied as a new version.",
        ),
        fields=(
            Field("code", ("Kode", "Code"), required=True, max_length=60, in_list=True),
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field("version", ("Versi", "Version"), required=True, max_length=20, in_list=True),
            Field("description", ("Keterangan", "Description"), Kind.LONGTEXT),
            Field(
                "active",
                ("Aktif", "Active"),
                Kind.BOOL,
                in_list=True,
                filter=True,
                bulk=True,
                default=True,
                hint=(
                    "Hanya templat aktif yang dipakai penilaian baru.",
                    "New assessments use active templates only.",
                ),
            ),
        ),
        view_action=READ,
        edit_action=MANAGE,
        title_field="code",
        order=("code",),
        natural_key="code",
        search=("code", "name"),
        icon="list",
        panels=(Panel("assets/assessment_template_panel.html", template_panel),),
        example={
            "code": "CONTOH-1",
            "name": "Templat contoh",
            "version": "1",
            "description": "Templat untuk uji.",
            "active": "true",
        },
    )
)

ITEM_REGISTRY = register(
    Registry(
        name=ITEMS,
        domain="assets",
        api_slug="assessment-items",
        slug="butir-penilaian",
        console=AREA_PATH,
        model=AssessmentTemplateItem,
        title=("Butir templat penilaian", "Assessment template items"),
        singular=("Butir penilaian", "Assessment item"),
        description=(
            "Pertanyaan daftar periksa per area, dengan bobot 1-5.",
            "Checklist questions by area, weighted 1-5.",
        ),
        fields=(
            Field("code", ("Kode", "Code"), required=True, max_length=20, in_list=True),
            Field(
                "template_id",
                ("Templat", "Template"),
                Kind.REF,
                ref=TEMPLATES,
                required=True,
                filter=True,
                in_list=True,
            ),
            Field(
                "area",
                ("Area", "Area"),
                Kind.CHOICE,
                choices=AssessmentArea,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "question", ("Pertanyaan", "Question"), Kind.LONGTEXT, required=True, in_list=True
            ),
            Field("guidance", ("Panduan penilaian", "Guidance"), Kind.LONGTEXT),
            Field(
                "weight",
                ("Bobot", "Weight"),
                Kind.INT,
                required=True,
                minimum=1,
                maximum=5,
                in_list=True,
                default=3,
            ),
            Field(
                "evidence_expected",
                ("Bukti diharapkan", "Evidence expected"),
                Kind.BOOL,
                in_list=True,
                filter=True,
                default=False,
            ),
        ),
        view_action=READ,
        edit_action=MANAGE,
        title_field="code",
        order=("template_id", "code"),
        search=("code", "question"),
        parent="template_id",
        validate=validate_item,
        example={
            "area": "kerahasiaan",
            "code": "UJI-01",
            "question": "Apakah akun bawaan sudah dinonaktifkan?",
            "guidance": "Periksa daftar akun aplikasi dan basis data.",
            "weight": "3",
            "evidence_expected": "true",
        },
    )
)

ASSESSMENT_REGISTRY = register(
    Registry(
        name=ASSESSMENTS,
        domain="assets",
        api_slug="assessments",
        slug="penilaian",
        console=AREA_PATH,
        model=Assessment,
        title=("Penilaian sistem informasi", "Information-system assessments"),
        singular=("Penilaian sistem informasi", "Information-system assessment"),
        description=(
            "Penilaian keamanan dan keandalan sistem informasi (Perda 9/2022 Pasal 19 ayat 4): "
            "daftar periksa, skor, temuan dan laporan.",
            "Security and reliability assessments of information systems (Perda 9/2022 "
            "Art. 19(4)): checklist, score, findings and report.",
        ),
        fields=(
            Field("title", ("Judul", "Title"), required=True, in_list=True),
            Field(
                "system_id",
                ("Sistem informasi", "Information system"),
                Kind.REF,
                ref=SYSTEMS,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "template_id",
                ("Templat", "Template"),
                Kind.REF,
                ref=TEMPLATES,
                required=True,
                filter=True,
            ),
            Field(
                "assessed_on",
                ("Tanggal penilaian", "Assessed on"),
                Kind.DATE,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field("assessor", ("Penilai", "Assessor"), required=True, in_list=True),
            Field("scope", ("Ruang lingkup", "Scope"), Kind.LONGTEXT),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                choices=AssessmentStatus,
                required=True,
                in_list=True,
                filter=True,
                default=AssessmentStatus.DRAF,
                hint=(
                    "Selesai: semua butir terjawab; jawaban lalu dibekukan.",
                    "Completed: every item answered; the answers are then frozen.",
                ),
            ),
            Field("summary", ("Ringkasan", "Summary"), Kind.LONGTEXT),
            Field(
                "score",
                ("Skor (0-100)", "Score (0-100)"),
                Kind.DECIMAL,
                readonly=True,
                in_list=True,
            ),
            Field(
                "rating",
                ("Predikat", "Rating"),
                Kind.CHOICE,
                choices=Rating,
                readonly=True,
                in_list=True,
                filter=True,
            ),
        ),
        view_action=READ,
        edit_action=MANAGE,
        title_field="title",
        order=("assessed_on",),
        search=("title", "assessor", "scope"),
        documents=True,
        validate=validate_assessment,
        after_save=after_assessment_saved,
        icon="check",
        panels=(Panel("assets/assessment_checklist_panel.html", checklist_panel),),
        example={
            "title": "Penilaian uji",
            "assessed_on": "2026-03-02",
            "assessor": "Tim Teknis Smart City",
            "scope": "Aplikasi web dan basis datanya.",
            "status": "draf",
        },
    )
)

FINDING_REGISTRY = register(
    Registry(
        name=FINDINGS,
        domain="assets",
        api_slug="assessment-findings",
        slug="temuan-penilaian",
        console=AREA_PATH,
        model=AssessmentFinding,
        title=("Temuan penilaian", "Assessment findings"),
        singular=("Temuan penilaian", "Assessment finding"),
        description=(
            "Kelemahan yang ditemukan penilaian, pemiliknya, tenggat dan tindak lanjutnya.",
            "Weaknesses assessments found, who owns them, due dates and follow-up.",
        ),
        fields=(
            Field(
                "assessment_id",
                ("Penilaian", "Assessment"),
                Kind.REF,
                ref=ASSESSMENTS,
                required=True,
                filter=True,
            ),
            Field("item_code", ("Kode butir", "Item code"), max_length=20),
            Field("title", ("Judul", "Title"), required=True, in_list=True),
            Field("description", ("Uraian", "Description"), Kind.LONGTEXT),
            Field(
                "area",
                ("Area", "Area"),
                Kind.CHOICE,
                choices=AssessmentArea,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "severity",
                ("Tingkat keparahan", "Severity"),
                Kind.CHOICE,
                choices=Severity,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
                default=Severity.SEDANG,
            ),
            Field(
                "owner_pd",
                ("Perangkat Daerah penanggung jawab", "Responsible agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "due_on",
                ("Tenggat", "Due on"),
                Kind.DATE,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                choices=FindingStatus,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
                default=FindingStatus.TERBUKA,
            ),
            Field("remediation", ("Catatan tindak lanjut", "Remediation notes"), Kind.LONGTEXT),
            Field(
                "closed_on",
                ("Tanggal selesai", "Closed on"),
                Kind.DATE,
                filter=True,
                bulk=True,
                hint=(
                    "Diisi saat temuan selesai atau risikonya diterima.",
                    "Set when the finding is resolved or its risk accepted.",
                ),
            ),
        ),
        view_action=READ,
        edit_action=FOLLOW_UP,
        title_field="title",
        order=("due_on",),
        owner_field="owner_pd",
        search=("title", "description", "remediation"),
        parent="assessment_id",
        documents=True,
        reminders=(
            ReminderRule(
                kind="assessment.finding.due",
                date_field="due_on",
                days=(14, 7, 0),
                overdue=True,
                when=_open_findings,
                subject=("Tenggat tindak lanjut temuan", "Finding follow-up due"),
            ),
        ),
        validate=validate_finding,
        icon="alert",
        panels=(Panel("assets/assessment_finding_panel.html", finding_panel),),
        example={
            "title": "Akun bawaan basis data masih aktif",
            "description": "Akun bawaan dapat dipakai masuk dari jaringan internal.",
            "area": "kerahasiaan",
            "severity": "tinggi",
            "owner_pd": "diskominfo",
            "due_on": "2026-12-31",
            "status": "terbuka",
        },
    )
)
