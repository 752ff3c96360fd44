"""The registries of partnerships (Perda 9/2022 Pasal 20-21) and of capacity building
(Pasal 12-13): agreements, capacity events and their participants, certifications, outsourced
experts and their technology transfers. Each agency's officers keep their own agency's rows;
the technical team keeps all.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from pontive.core.registry import Field, Kind, Registry, ReminderRule, register
from pontive.institutions import validation
from pontive.institutions.choices import (
    CapacityKind,
    CertificationLevel,
    PartnershipKind,
    PartnershipStatus,
)
from pontive.institutions.models import (
    CapacityEvent,
    Certification,
    Expert,
    Participant,
    Partnership,
    TechnologyTransfer,
)
from pontive.institutions.paths import CONSOLE, DOMAIN
from pontive.institutions.service import MANAGE_CAPACITY, MANAGE_PARTNERSHIPS, VIEW

PD_LABEL = ("Perangkat Daerah", "Agency")


def _active_partnership() -> ColumnElement[bool]:
    return Partnership.status == PartnershipStatus.AKTIF


def _published_partnership() -> ColumnElement[bool]:
    return Partnership.status != PartnershipStatus.DRAF


PARTNERSHIPS = register(
    Registry(
        name="institutions.partnerships",
        domain=DOMAIN,
        api_slug="partnerships",
        slug="kerja-sama",
        console=CONSOLE,
        model=Partnership,
        title=("Kerja sama", "Partnerships"),
        singular=("Kerja sama", "Partnership"),
        description=(
            "Perjanjian kerja sama G2B, G2C, G2G, perguruan tinggi dan badan usaha (Pasal 21).",
            "Agreements with business, citizens, governments, universities and business "
            "entities (Art. 21).",
        ),
        fields=(
            Field(
                "number",
                ("Nomor perjanjian", "Agreement number"),
                required=True,
                max_length=100,
                in_list=True,
            ),
            Field("title", ("Judul", "Title"), required=True, max_length=300, in_list=True),
            Field(
                "kind",
                ("Bentuk kerja sama", "Kind"),
                Kind.CHOICE,
                required=True,
                choices=PartnershipKind,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("parties", ("Para pihak", "Parties"), Kind.LONGTEXT, required=True),
            Field("scope", ("Ruang lingkup", "Scope"), Kind.LONGTEXT),
            Field(
                "starts_on",
                ("Mulai", "Starts on"),
                Kind.DATE,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "ends_on", ("Berakhir", "Ends on"), Kind.DATE, in_list=True, filter=True, bulk=True
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=PartnershipStatus,
                in_list=True,
                filter=True,
                bulk=True,
                default=PartnershipStatus.DRAF,
            ),
            Field(
                "pd_kode",
                ("PD penanggung jawab", "Responsible agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field("value", ("Nilai (Rp)", "Value (IDR)"), Kind.DECIMAL, minimum=0),
        ),
        view_action=VIEW,
        edit_action=MANAGE_PARTNERSHIPS,
        title_field="title",
        natural_key="number",
        owner_field="pd_kode",
        order=("ends_on", "number"),
        search=("number", "title", "parties", "scope"),
        public=True,
        public_where=_published_partnership,
        documents=True,
        validate=validation.check_period("starts_on", "ends_on"),
        reminders=(
            ReminderRule(
                "institutions.partnership.expiry",
                "ends_on",
                days=(90, 30, 7, 0),
                overdue=True,
                when=_active_partnership,
                subject=("Perjanjian kerja sama berakhir", "Partnership agreement ends"),
            ),
        ),
        icon="report",
        example={
            "number": "PKS/001/DISKOMINFO/2026",
            "title": "Kerja sama penyediaan jaringan internet publik",
            "kind": "g2b",
            "parties": "Pemerintah Kota Pontianak; PT Contoh Telekomunikasi",
            "scope": "Penyediaan Wi-Fi publik di taman kota",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "status": "aktif",
            "pd_kode": "diskominfo",
            "value": "150000000",
        },
    )
)

EVENTS = register(
    Registry(
        name="institutions.capacity-events",
        domain=DOMAIN,
        api_slug="capacity-events",
        slug="peningkatan-kapasitas",
        console=CONSOLE,
        model=CapacityEvent,
        title=("Peningkatan kapasitas SDM", "Capacity building"),
        singular=("Kegiatan peningkatan kapasitas", "Capacity event"),
        description=(
            "Diklat teknis, bimbingan teknis, magang kerja dan sosialisasi (Pasal 12 ayat 3), "
            "dengan peserta, materi dan evaluasi.",
            "Technical training, technical guidance, internships and socialisation "
            "(Art. 12(3)), with participants, materials and evaluation.",
        ),
        fields=(
            Field("title", ("Judul", "Title"), required=True, in_list=True),
            Field(
                "kind",
                ("Bentuk", "Kind"),
                Kind.CHOICE,
                required=True,
                choices=CapacityKind,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "starts_on",
                ("Mulai", "Starts on"),
                Kind.DATE,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field("ends_on", ("Selesai", "Ends on"), Kind.DATE, in_list=True),
            Field(
                "pd_kode",
                ("PD penyelenggara", "Organising agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field("place", ("Tempat", "Place"), in_list=True),
            Field("materials", ("Materi", "Materials"), Kind.LONGTEXT),
            Field(
                "evaluation_score",
                ("Nilai evaluasi (1-5)", "Evaluation score (1-5)"),
                Kind.DECIMAL,
                minimum=1,
                maximum=5,
                in_list=True,
            ),
            Field("evaluation_notes", ("Catatan evaluasi", "Evaluation notes"), Kind.LONGTEXT),
        ),
        view_action=VIEW,
        edit_action=MANAGE_CAPACITY,
        title_field="title",
        owner_field="pd_kode",
        order=("starts_on",),
        search=("title", "place", "materials"),
        documents=True,
        validate=validation.check_period("starts_on", "ends_on"),
        icon="users",
        example={
            "title": "Pelatihan analisis data untuk ASN",
            "kind": "pelatihan",
            "starts_on": "2026-04-06",
            "ends_on": "2026-04-08",
            "pd_kode": "bkpsdm",
            "place": "Aula BKPSDM",
            "materials": "Dasar statistik, visualisasi data, Satu Data",
            "evaluation_score": "4.2",
        },
    )
)

PARTICIPANTS = register(
    Registry(
        name="institutions.participants",
        domain=DOMAIN,
        api_slug="participants",
        slug="peserta",
        console=CONSOLE,
        model=Participant,
        title=("Peserta peningkatan kapasitas", "Capacity event participants"),
        singular=("Peserta", "Participant"),
        description=(
            "ASN peserta kegiatan, menurut Perangkat Daerah; NIP disimpan terenkripsi.",
            "Civil servants taking part, by agency; the NIP is stored encrypted.",
        ),
        fields=(
            Field(
                "event_id",
                ("Kegiatan", "Event"),
                Kind.REF,
                ref="institutions.capacity-events",
                required=True,
                filter=True,
            ),
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field(
                "nip", ("NIP", "Civil servant number"), max_length=30, personal=True, public=False
            ),
            Field("pd_kode", PD_LABEL, Kind.PD, required=True, in_list=True, filter=True),
            Field("position", ("Jabatan", "Position"), in_list=True),
            Field(
                "attended", ("Hadir", "Attended"), Kind.BOOL, in_list=True, filter=True, bulk=True
            ),
            Field("passed", ("Lulus", "Passed"), Kind.BOOL, in_list=True, filter=True, bulk=True),
            Field("score", ("Nilai", "Score"), Kind.DECIMAL, minimum=0, maximum=100, in_list=True),
        ),
        view_action=VIEW,
        edit_action=MANAGE_CAPACITY,
        title_field="name",
        owner_field="pd_kode",
        parent="event_id",
        order=("name",),
        search=("name", "position"),
        validate=validation.check_participant,
        icon="users",
        example={
            "name": "Contoh Peserta, S.Kom.",
            "nip": "198701012010011001",
            "pd_kode": "diskominfo",
            "position": "Pranata Komputer Ahli Muda",
            "attended": "ya",
            "passed": "ya",
            "score": "86",
        },
    )
)

CERTIFICATIONS = register(
    Registry(
        name="institutions.certifications",
        domain=DOMAIN,
        api_slug="certifications",
        slug="sertifikasi",
        console=CONSOLE,
        model=Certification,
        title=("Sertifikasi SDM", "Certifications"),
        singular=("Sertifikasi", "Certification"),
        description=(
            "Sertifikasi nasional dan internasional SDM pelaksana Smart City (Pasal 12 ayat 4).",
            "National and international certifications of Smart City staff (Art. 12(4)).",
        ),
        fields=(
            Field("holder_name", ("Nama pemegang", "Holder"), required=True, in_list=True),
            Field("pd_kode", PD_LABEL, Kind.PD, required=True, in_list=True, filter=True),
            Field("certificate", ("Sertifikat", "Certificate"), required=True, in_list=True),
            Field("issuer", ("Penerbit", "Issuer"), required=True, in_list=True),
            Field(
                "level",
                ("Tingkat", "Level"),
                Kind.CHOICE,
                required=True,
                choices=CertificationLevel,
                in_list=True,
                filter=True,
            ),
            Field("number", ("Nomor sertifikat", "Certificate number"), max_length=100),
            Field(
                "issued_on", ("Tanggal terbit", "Issued on"), Kind.DATE, required=True, filter=True
            ),
            Field(
                "expires_on", ("Berlaku sampai", "Expires on"), Kind.DATE, in_list=True, filter=True
            ),
        ),
        view_action=VIEW,
        edit_action=MANAGE_CAPACITY,
        title_field="certificate",
        owner_field="pd_kode",
        order=("expires_on", "holder_name"),
        search=("holder_name", "certificate", "issuer", "number"),
        documents=True,
        validate=validation.check_certification,
        reminders=(
            ReminderRule(
                "institutions.certification.expiry",
                "expires_on",
                days=(60, 30, 0),
                overdue=True,
                subject=("Sertifikasi habis masa berlaku", "Certification expires"),
            ),
        ),
        icon="shield",
        example={
            "holder_name": "Contoh Pemegang, S.T.",
            "pd_kode": "diskominfo",
            "certificate": "Certified Information Systems Auditor",
            "issuer": "ISACA",
            "level": "internasional",
            "number": "CISA-000123",
            "issued_on": "2025-02-01",
            "expires_on": "2028-01-31",
        },
    )
)

EXPERTS = register(
    Registry(
        name="institutions.experts",
        domain=DOMAIN,
        api_slug="experts",
        slug="tenaga-ahli",
        console=CONSOLE,
        model=Expert,
        title=("Tenaga ahli alih daya", "Outsourced experts"),
        singular=("Tenaga ahli", "Expert"),
        description=(
            "Tenaga ahli melalui alih daya dan alih teknologi (Pasal 13).",
            "Experts provided by outsourcing and technology transfer (Art. 13).",
        ),
        fields=(
            Field("name", ("Nama", "Name"), required=True, in_list=True),
            Field("expertise", ("Keahlian", "Expertise"), required=True, in_list=True),
            Field("organisation", ("Perusahaan / lembaga", "Organisation"), in_list=True),
            Field(
                "contract_number",
                ("Nomor kontrak", "Contract number"),
                required=True,
                max_length=100,
                in_list=True,
            ),
            Field(
                "pd_kode",
                ("PD pengguna", "Contracting agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "starts_on",
                ("Mulai kontrak", "Contract starts"),
                Kind.DATE,
                required=True,
                in_list=True,
            ),
            Field(
                "ends_on", ("Akhir kontrak", "Contract ends"), Kind.DATE, in_list=True, filter=True
            ),
            Field("scope", ("Lingkup pekerjaan", "Scope of work"), Kind.LONGTEXT),
        ),
        view_action=VIEW,
        edit_action=MANAGE_CAPACITY,
        title_field="name",
        natural_key="contract_number",
        owner_field="pd_kode",
        order=("ends_on", "name"),
        search=("name", "expertise", "organisation", "contract_number"),
        validate=validation.check_period("starts_on", "ends_on"),
        reminders=(
            ReminderRule(
                "institutions.expert.contract",
                "ends_on",
                days=(30, 7, 0),
                subject=("Kontrak tenaga ahli berakhir", "Expert's contract ends"),
            ),
        ),
        icon="users",
        example={
            "name": "Contoh Tenaga Ahli, M.T.",
            "expertise": "Arsitektur SPBE",
            "organisation": "PT Contoh Konsultan",
            "contract_number": "KONTRAK/TA/2026/09",
            "pd_kode": "diskominfo",
            "starts_on": "2026-01-02",
            "ends_on": "2026-12-31",
            "scope": "Pendampingan penyusunan arsitektur SPBE",
        },
    )
)

TRANSFERS = register(
    Registry(
        name="institutions.technology-transfers",
        domain=DOMAIN,
        api_slug="technology-transfers",
        slug="alih-teknologi",
        console=CONSOLE,
        model=TechnologyTransfer,
        title=("Alih teknologi", "Technology transfers"),
        singular=("Alih teknologi", "Technology transfer"),
        description=(
            "Pendampingan di lingkungan kerja oleh tenaga ahli (penjelasan Pasal 13).",
            "On-the-job coaching by the experts (elucidation of Art. 13).",
        ),
        fields=(
            Field(
                "expert_id",
                ("Tenaga ahli", "Expert"),
                Kind.REF,
                ref="institutions.experts",
                required=True,
                filter=True,
            ),
            Field("topic", ("Topik", "Topic"), required=True, in_list=True),
            Field(
                "held_on", ("Tanggal", "Date"), Kind.DATE, required=True, in_list=True, filter=True
            ),
            Field(
                "recipient_pd",
                ("PD penerima", "Receiving agency"),
                Kind.PD,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field(
                "participant_count",
                ("Jumlah peserta", "Participants"),
                Kind.INT,
                minimum=0,
                in_list=True,
            ),
            Field("outcome", ("Hasil", "Outcome"), Kind.LONGTEXT, in_list=True),
        ),
        view_action=VIEW,
        edit_action=MANAGE_CAPACITY,
        title_field="topic",
        owner_field="recipient_pd",
        parent="expert_id",
        order=("held_on",),
        search=("topic", "outcome"),
        validate=validation.check_transfer,
        icon="users",
        example={
            "topic": "Pemodelan proses bisnis SPBE",
            "held_on": "2026-05-12",
            "recipient_pd": "diskominfo",
            "participant_count": "12",
            "outcome": "Peta proses layanan perizinan tersusun",
        },
    )
)
