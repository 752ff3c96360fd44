"""The participation registries (Perda 9/2022 Pasal 22b-c), in the console area
``/console/partisipasi``: citizens' ideas and their comments, facilities adopted by volunteers
and the volunteers' reports. The console's lists, details, edits, CSV and history come from
these declarations; the public pages (``/gagasan``, ``/adopsi-fasilitas``) and the moderation
panels on an idea's or adoption's page are this domain's own.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from pontive.core.registry import (
    Area,
    Field,
    Kind,
    Link,
    Panel,
    Registry,
    ReminderRule,
    register,
    register_area,
)
from pontive.participation import console_panels, hooks
from pontive.participation.choices import (
    PUBLIC_IDEA_STATUSES,
    AdoptionStatus,
    CommentStatus,
    Condition,
    Dimension,
    FacilityKind,
    IdeaStatus,
)
from pontive.participation.models import Adoption, AdoptionReport, Comment, Idea
from pontive.participation.service import CONSOLE, MODERATE, VIEW

DOMAIN = "participation"

AREA = register_area(
    Area(
        path=CONSOLE,
        domain=DOMAIN,
        title=("Partisipasi warga", "Citizen participation"),
        description=(
            "Gagasan dan solusi warga dengan dukungan dan komentarnya, serta fasilitas umum "
            "yang dijaga relawan (Perda 9/2022 Pasal 22 huruf b dan c).",
            "Citizens' ideas and solutions with their supports and comments, and public "
            "facilities cared for by volunteers (Perda 9/2022 Article 22 b and c).",
        ),
        action=VIEW,
        icon="users",
        order=640,
        links=(
            Link(
                f"{CONSOLE}/gagasan?status=menunggu",
                ("Antrean moderasi gagasan", "Ideas awaiting moderation"),
                VIEW,
                icon="report",
            ),
            Link("/gagasan", ("Halaman publik gagasan", "Public ideas page"), VIEW, icon="users"),
            Link(
                "/adopsi-fasilitas",
                ("Peta adopsi fasilitas", "Facility adoption map"),
                VIEW,
                icon="map",
            ),
        ),
    )
)


def _public_ideas() -> ColumnElement[bool]:
    return Idea.status.in_(PUBLIC_IDEA_STATUSES)


def _approved_adoptions() -> ColumnElement[bool]:
    # Public, and the ones whose end is reminded of.
    return Adoption.status == AdoptionStatus.DISETUJUI


IDEAS = register(
    Registry(
        name="participation.ideas",
        domain=DOMAIN,
        api_slug="ideas",
        slug="gagasan",
        console=CONSOLE,
        model=Idea,
        title=("Gagasan warga", "Citizens' ideas"),
        singular=("Gagasan", "Idea"),
        description=(
            "Ide, pikiran dan solusi warga untuk Smart City (Pasal 22 huruf c): moderasi, "
            "jawaban publik, dan program yang mewujudkannya.",
            "Citizens' ideas and solutions for the Smart City (Art. 22 c): moderation, public "
            "answers and the programme that realised them.",
        ),
        fields=(
            Field("title", ("Judul", "Title"), required=True, in_list=True),
            Field(
                "dimensi_kode",
                ("Dimensi", "Dimension"),
                Kind.CHOICE,
                required=True,
                choices=Dimension,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("kelurahan_kode", ("Kelurahan", "Kelurahan"), Kind.KELURAHAN, filter=True),
            Field("description", ("Uraian", "Description"), Kind.LONGTEXT, required=True),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=IdeaStatus,
                in_list=True,
                filter=True,
                bulk=True,
                default=IdeaStatus.MENUNGGU,
            ),
            Field(
                "display_name",
                ("Nama yang ditampilkan", "Name shown"),
                required=True,
                max_length=120,
                default="Anonim",
                hint=("Ditampilkan di halaman publik.", "Shown on the public page."),
            ),
            Field(
                "author_name",
                ("Nama pengusul", "Author's name"),
                max_length=120,
                personal=True,
                public=False,
            ),
            Field(
                "author_contact",
                ("Kontak pengusul (e-mail/HP)", "Author's contact (e-mail/phone)"),
                required=True,
                personal=True,
                public=False,
            ),
            Field(
                "rejection_reason",
                ("Alasan penolakan", "Reason for rejection"),
                Kind.LONGTEXT,
                public=False,
            ),
            Field("answer", ("Jawaban publik", "Public answer"), Kind.LONGTEXT),
            Field("answered_at", ("Dijawab pada", "Answered at"), Kind.DATETIME, readonly=True),
            Field(
                "answered_by",
                ("Dijawab oleh", "Answered by"),
                readonly=True,
                public=False,
            ),
            Field(
                "programme_code",
                ("Kode program masterplan", "Masterplan programme code"),
                max_length=40,
                filter=True,
                hint=("Contoh: LIV-03.", "E.g. LIV-03."),
            ),
            Field(
                "merged_into_id",
                ("Digabung ke", "Merged into"),
                Kind.REF,
                ref="participation.ideas",
            ),
            Field(
                "supports_count",
                ("Dukungan", "Supports"),
                Kind.INT,
                readonly=True,
                in_list=True,
            ),
            Field("published_at", ("Terbit", "Published"), Kind.DATETIME, readonly=True),
            Field(
                "created_at",
                ("Dikirim", "Submitted"),
                Kind.DATETIME,
                readonly=True,
                in_list=True,
                filter=True,
            ),
        ),
        title_field="title",
        search=("title", "description"),
        public=True,
        public_where=_public_ideas,
        validate=hooks.validate_idea,
        after_save=hooks.after_idea_saved,
        icon="users",
        panels=(Panel("participation/panel_idea.html", console_panels.idea_panel),),
        example={
            "title": "Sensor ketinggian air di parit utama",
            "dimensi_kode": "environment",
            "description": "Pasang sensor ketinggian air di parit utama agar warga tahu lebih "
            "awal saat air pasang.",
            "status": "menunggu",
            "display_name": "Anonim",
            "author_contact": "warga@contoh.id",
        },
        view_action=VIEW,
        edit_action=MODERATE,
    )
)

COMMENTS = register(
    Registry(
        name="participation.comments",
        domain=DOMAIN,
        api_slug="comments",
        slug="komentar",
        console=CONSOLE,
        model=Comment,
        title=("Komentar gagasan", "Idea comments"),
        singular=("Komentar", "Comment"),
        description=(
            "Komentar warga terverifikasi pada gagasan; moderator dapat menyembunyikannya "
            "dengan alasan.",
            "Verified citizens' comments on ideas; moderators may hide them, with a reason.",
        ),
        fields=(
            Field(
                "idea_id",
                ("Gagasan", "Idea"),
                Kind.REF,
                required=True,
                ref="participation.ideas",
                in_list=True,
                filter=True,
            ),
            Field("body", ("Komentar", "Comment"), Kind.LONGTEXT, required=True),
            Field(
                "display_name",
                ("Nama", "Name"),
                required=True,
                max_length=120,
                in_list=True,
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=CommentStatus,
                in_list=True,
                filter=True,
                default=CommentStatus.TAMPIL,
            ),
            Field(
                "hidden_reason",
                ("Alasan disembunyikan", "Reason hidden"),
                public=False,
                max_length=500,
            ),
            Field(
                "created_at",
                ("Dikirim", "Sent"),
                Kind.DATETIME,
                readonly=True,
                in_list=True,
                filter=True,
            ),
        ),
        title_field="display_name",
        search=("body", "display_name"),
        parent="idea_id",
        public=True,
        public_where=hooks.comment_public_where,
        validate=hooks.validate_comment,
        icon="report",
        example={"body": "Setuju, parit di gang kami juga sering meluap.", "display_name": "Rudi"},
        view_action=VIEW,
        edit_action=MODERATE,
    )
)

ADOPTIONS = register(
    Registry(
        name="participation.adoptions",
        domain=DOMAIN,
        api_slug="adoptions",
        slug="adopsi",
        console=CONSOLE,
        model=Adoption,
        title=("Adopsi fasilitas", "Facility adoptions"),
        singular=("Adopsi fasilitas", "Facility adoption"),
        description=(
            "Fasilitas pelayanan masyarakat yang dijaga relawan atau komunitas (Pasal 22 huruf "
            "b): taman, parit, halte, jalur hijau.",
            "Public facilities cared for by volunteers or communities (Art. 22 b): parks, "
            "drains, bus stops, green strips.",
        ),
        fields=(
            Field("facility_name", ("Nama fasilitas", "Facility"), required=True, in_list=True),
            Field(
                "kind",
                ("Jenis", "Kind"),
                Kind.CHOICE,
                required=True,
                choices=FacilityKind,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("location", ("Lokasi", "Location"), Kind.POINT, required=True),
            Field(
                "kelurahan_kode",
                ("Kelurahan", "Kelurahan"),
                Kind.KELURAHAN,
                readonly=True,
                in_list=True,
                filter=True,
            ),
            # Free text a volunteer wrote: kept from the public (it may name people).
            Field("plan", ("Rencana perawatan", "Care plan"), Kind.LONGTEXT, public=False),
            Field(
                "volunteer_name",
                ("Nama relawan", "Volunteer"),
                required=True,
                max_length=120,
                personal=True,
                public=False,
            ),
            Field("group_name", ("Kelompok/komunitas", "Group/community"), in_list=True),
            Field(
                "contact",
                ("Kontak relawan (e-mail/HP)", "Volunteer's contact (e-mail/phone)"),
                required=True,
                personal=True,
                public=False,
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=AdoptionStatus,
                in_list=True,
                filter=True,
                bulk=True,
                default=AdoptionStatus.DIAJUKAN,
            ),
            Field("starts_on", ("Mulai", "Starts"), Kind.DATE, in_list=True),
            Field("ends_on", ("Berakhir", "Ends"), Kind.DATE, in_list=True, filter=True),
            Field(
                "decision_note",
                ("Catatan keputusan", "Decision note"),
                Kind.LONGTEXT,
                public=False,
            ),
        ),
        title_field="facility_name",
        order=("facility_name",),
        search=("facility_name", "group_name"),
        public=True,
        public_where=_approved_adoptions,
        validate=hooks.validate_adoption,
        after_save=hooks.after_adoption_saved,
        reminders=(
            ReminderRule(
                kind="participation.adoption_end",
                date_field="ends_on",
                days=(14, 0),
                when=_approved_adoptions,
                subject=("Masa adopsi fasilitas segera berakhir", "A facility adoption ends soon"),
            ),
        ),
        icon="map",
        panels=(Panel("participation/panel_adoption.html", console_panels.adoption_panel),),
        example={
            "facility_name": "Taman Gang Mawar",
            "kind": "taman",
            "lon": "109.3425",
            "lat": "-0.0263",
            "volunteer_name": "Karang Taruna Mawar",
            "contact": "0812 3456 7890",
            "status": "disetujui",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
        view_action=VIEW,
        edit_action=MODERATE,
    )
)

REPORTS = register(
    Registry(
        name="participation.adoption-reports",
        domain=DOMAIN,
        api_slug="adoption-reports",
        slug="laporan-adopsi",
        console=CONSOLE,
        model=AdoptionReport,
        title=("Laporan relawan", "Volunteers' reports"),
        singular=("Laporan relawan", "Volunteer's report"),
        description=(
            "Laporan kondisi fasilitas dari relawan yang mengadopsinya.",
            "Condition reports from the volunteers who adopted a facility.",
        ),
        fields=(
            Field(
                "adoption_id",
                ("Adopsi", "Adoption"),
                Kind.REF,
                required=True,
                ref="participation.adoptions",
                in_list=True,
                filter=True,
            ),
            Field(
                "reported_on",
                ("Tanggal", "Date"),
                Kind.DATE,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "condition",
                ("Kondisi", "Condition"),
                Kind.CHOICE,
                required=True,
                choices=Condition,
                in_list=True,
                filter=True,
            ),
            Field("note", ("Catatan", "Note"), Kind.LONGTEXT),
        ),
        title_field="reported_on",
        order=("reported_on",),
        search=("note",),
        parent="adoption_id",
        validate=hooks.validate_report,
        icon="report",
        panels=(Panel("participation/panel_report.html", console_panels.report_panel),),
        example={"reported_on": "2026-03-01", "condition": "baik", "note": "Rumput dipangkas."},
        view_action=VIEW,
        edit_action=MODERATE,
    )
)
