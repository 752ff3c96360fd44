"""The registries of the Smart City Council and Technical Team (Perda 9/2022 Pasal 4-6):
the mayor's decrees, the council's members, the duties of both bodies and the technical
team's agencies. Kept by the technical team (the council's secretariat) and admins.
"""

from __future__ import annotations

from pontive.core.registry import Field, Kind, Registry, ReminderRule, register
from pontive.institutions import validation
from pontive.institutions.choices import (
    Body,
    CouncilElement,
    CouncilPosition,
    DecreeKind,
    TeamPosition,
)
from pontive.institutions.models import CouncilMember, Decree, Duty, TeamMember
from pontive.institutions.paths import CONSOLE, DOMAIN
from pontive.institutions.service import MANAGE_COUNCIL, VIEW

DECREES = register(
    Registry(
        name="institutions.decrees",
        api_slug="decrees",
        slug="sk-wali-kota",
        model=Decree,
        title=("SK Wali Kota", "Mayor's decrees"),
        singular=("SK Wali Kota", "Mayor's decree"),
        description=(
            "Keputusan Wali Kota yang membentuk Dewan (Pasal 5 ayat 4) dan Tim Teknis (Pasal 6 "
            "ayat 2).",
            "Decrees of the mayor establishing the council (Art. 5(4)) and technical team "
            "(Art. 6(2)).",
        ),
        fields=(
            Field("number", ("Nomor", "Number"), required=True, max_length=100, in_list=True),
            Field("title", ("Judul", "Title"), required=True, max_length=300, in_list=True),
            Field(
                "signed_on",
                ("Tanggal ditetapkan", "Signed on"),
                Kind.DATE,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "kind",
                ("Jenis", "Kind"),
                Kind.CHOICE,
                required=True,
                choices=DecreeKind,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("notes", ("Catatan", "Notes"), Kind.LONGTEXT, public=False),
        ),
        title_field="number",
        natural_key="number",
        order=("signed_on",),
        search=("number", "title"),
        public=True,
        documents=True,
        icon="report",
        example={
            "number": "188.45/101/HK/2026",
            "title": "Pembentukan Dewan Pontianak Smart City",
            "signed_on": "2026-01-15",
            "kind": "dewan",
        },
        domain=DOMAIN,
        console=CONSOLE,
        view_action=VIEW,
        edit_action=MANAGE_COUNCIL,
    )
)

MEMBERS = register(
    Registry(
        name="institutions.council-members",
        api_slug="council-members",
        slug="anggota-dewan",
        model=CouncilMember,
        title=("Anggota Dewan Smart City", "Council members"),
        singular=("Anggota Dewan", "Council member"),
        description=(
            "Anggota Dewan menurut unsur (Pasal 5 ayat 1) dan susunan (Pasal 5 ayat 2).",
            "Members by element (Art. 5(1)) and position (Art. 5(2)).",
        ),
        fields=(
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field(
                "element",
                ("Unsur", "Element"),
                Kind.CHOICE,
                required=True,
                choices=CouncilElement,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "position",
                ("Jabatan", "Position"),
                Kind.CHOICE,
                required=True,
                choices=CouncilPosition,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("organisation", ("Instansi / organisasi", "Organisation"), in_list=True),
            Field(
                "decree_id",
                ("SK pengangkatan", "Appointing decree"),
                Kind.REF,
                ref="institutions.decrees",
                filter=True,
                bulk=True,
            ),
            Field(
                "term_starts_on",
                ("Awal masa jabatan", "Term starts"),
                Kind.DATE,
                required=True,
                in_list=True,
            ),
            Field(
                "term_ends_on",
                ("Akhir masa jabatan", "Term ends"),
                Kind.DATE,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("email", ("E-mail", "E-mail"), Kind.EMAIL, personal=True, public=False),
            Field("phone", ("Telepon", "Phone"), Kind.PHONE, personal=True, public=False),
        ),
        title_field="name",
        order=("element", "name"),
        search=("name", "organisation"),
        public=True,
        validate=validation.check_council_member,
        reminders=(
            ReminderRule(
                "institutions.member.term",
                "term_ends_on",
                days=(60, 30, 0),
                subject=("Masa jabatan anggota Dewan berakhir", "Council member's term ends"),
            ),
        ),
        icon="users",
        example={
            "name": "Dr. Contoh Anggota",
            "element": "akademisi",
            "position": "anggota",
            "organisation": "Universitas Tanjungpura",
            "term_starts_on": "2026-01-15",
            "term_ends_on": "2028-12-31",
            "email": "anggota@contoh.id",
            "phone": "+62 812 5555 0101",
        },
        domain=DOMAIN,
        console=CONSOLE,
        view_action=VIEW,
        edit_action=MANAGE_COUNCIL,
    )
)

DUTIES = register(
    Registry(
        name="institutions.duties",
        api_slug="duties",
        slug="tugas",
        model=Duty,
        title=("Tugas Dewan dan Tim Teknis", "Duties of the council and team"),
        singular=("Tugas", "Duty"),
        description=(
            "Tugas utama Dewan (Pasal 5 ayat 3) dan uraian tugas Tim Teknis (Pasal 6, Pasal 23).",
            "The council's main duties (Art. 5(3)) and the technical team's (Art. 6, 23).",
        ),
        fields=(
            Field(
                "body",
                ("Lembaga", "Body"),
                Kind.CHOICE,
                required=True,
                choices=Body,
                in_list=True,
                filter=True,
            ),
            Field(
                "pasal", ("Dasar (pasal)", "Article"), required=True, max_length=100, in_list=True
            ),
            Field("text", ("Uraian tugas", "Duty"), Kind.LONGTEXT, required=True, in_list=True),
            Field("sort_order", ("Urutan", "Order"), Kind.INT, minimum=0, in_list=True, default=0),
        ),
        title_field="pasal",
        order=("body", "sort_order"),
        search=("pasal", "text"),
        public=True,
        icon="list",
        example={
            "body": "tim_teknis",
            "pasal": "Pasal 6 ayat (2)",
            "text": "Menyusun laporan pelaksanaan program Smart City setiap triwulan.",
            "sort_order": "20",
        },
        domain=DOMAIN,
        console=CONSOLE,
        view_action=VIEW,
        edit_action=MANAGE_COUNCIL,
    )
)

TEAM = register(
    Registry(
        name="institutions.technical-team",
        api_slug="technical-team",
        slug="tim-teknis",
        model=TeamMember,
        title=("Tim Teknis Smart City", "Smart City Technical Team"),
        singular=("Anggota Tim Teknis", "Technical team member"),
        description=(
            "Perangkat Daerah yang ditunjuk Wali Kota melaksanakan program Smart City (Pasal 6).",
            "Agencies appointed by the mayor to carry out the Smart City programme (Art. 6).",
        ),
        fields=(
            Field(
                "pd_kode",
                ("Perangkat Daerah", "Agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field("person_name", ("Nama wakil", "Representative"), in_list=True),
            Field(
                "team_position",
                ("Kedudukan dalam tim", "Team position"),
                Kind.CHOICE,
                required=True,
                choices=TeamPosition,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("duties", ("Uraian tugas", "Duties"), Kind.LONGTEXT, in_list=True),
            Field(
                "decree_id",
                ("SK penunjukan", "Appointing decree"),
                Kind.REF,
                ref="institutions.decrees",
                filter=True,
                bulk=True,
            ),
        ),
        title_field="pd_kode",
        owner_field="pd_kode",
        order=("team_position", "pd_kode"),
        search=("person_name", "duties"),
        public=True,
        icon="users",
        example={
            "pd_kode": "bkpsdm",
            "person_name": "Kepala Bidang Pengembangan SDM",
            "team_position": "anggota",
            "duties": "Merencanakan peningkatan kapasitas ASN pelaksana Smart City.",
        },
        domain=DOMAIN,
        console=CONSOLE,
        view_action=VIEW,
        edit_action=MANAGE_COUNCIL,
    )
)
