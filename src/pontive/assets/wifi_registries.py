"""Registries of public Wi-Fi hotspots (Pasal 22e) and stakeholders' technology (Pasal 22f).

Both are public. Citizens see every hotspot that exists, with its state (aktif, gangguan,
nonaktif): a hotspot that is switched off stays on the map so nobody travels to it for
nothing; only planned ones (``direncanakan``) are left out until they are there. Of the
technologies, only those staff verified (``diverifikasi``, ``aktif``) and marked public.
Contacts are personal data and never public; staff notes are internal.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from pontive.assets.choices import AREA_PATH
from pontive.assets.wifi_choices import (
    HotspotStatus,
    ProviderKind,
    StakeholderKind,
    TechnologyKind,
    TechnologyStatus,
)
from pontive.assets.wifi_models import StakeholderTechnology, WifiHotspot
from pontive.assets.wifi_service import (
    EDIT,
    TECH_EDIT,
    TECH_VIEW,
    VIEW,
    after_hotspot_save,
    after_technology_save,
    hotspot_panel,
    validate_hotspot,
    validate_technology,
)
from pontive.core.registry import Field, Kind, Panel, Registry, register


def _public_hotspots() -> ColumnElement[bool]:
    shown = [status for status in HotspotStatus if status.is_public]
    return WifiHotspot.status.in_(shown)


def _public_technologies() -> ColumnElement[bool]:
    verified = [status for status in TechnologyStatus if status.is_verified]
    return and_(
        StakeholderTechnology.status.in_(verified), StakeholderTechnology.is_public.is_(True)
    )


HOTSPOT_FIELDS = (
    Field(
        "code",
        ("Kode", "Code"),
        required=True,
        max_length=40,
        in_list=True,
        hint=(
            "Kode pada stiker di lokasi, mis. WIFI-PTK-001.",
            "The code on the sticker at the place, e.g. WIFI-PTK-001.",
        ),
    ),
    Field("name", ("Nama tempat", "Place"), required=True, in_list=True),
    Field(
        "provider_kind",
        ("Jenis penyedia", "Provider kind"),
        Kind.CHOICE,
        choices=ProviderKind,
        required=True,
        in_list=True,
        filter=True,
        bulk=True,
    ),
    Field("provider_name", ("Penyedia", "Provider"), required=True, in_list=True),
    Field("location", ("Lokasi", "Location"), Kind.POINT, required=True),
    Field(
        "kelurahan_kode",
        ("Kelurahan", "Kelurahan"),
        Kind.KELURAHAN,
        readonly=True,
        in_list=True,
        filter=True,
    ),
    Field("address", ("Alamat / keterangan tempat", "Address / where exactly"), max_length=250),
    Field(
        "hours",
        ("Jam layanan", "Hours"),
        max_length=80,
        bulk=True,
        hint=('Mis. "06.00-22.00" atau "24 jam".', 'E.g. "06.00-22.00" or "24 jam".'),
    ),
    Field("ssid", ("Nama jaringan (SSID)", "Network name (SSID)"), max_length=32),
    Field(
        "bandwidth_mbps",
        ("Bandwidth (Mbps)", "Bandwidth (Mbps)"),
        Kind.INT,
        minimum=0,
        maximum=100000,
    ),
    Field(
        "status",
        ("Status", "Status"),
        Kind.CHOICE,
        choices=HotspotStatus,
        required=True,
        in_list=True,
        filter=True,
        bulk=True,
        default=HotspotStatus.AKTIF,
    ),
    Field(
        "owner_pd",
        ("Perangkat Daerah pengelola", "Managing agency"),
        Kind.PD,
        filter=True,
        bulk=True,
        hint=("Untuk hotspot milik Pemerintah Kota.", "For the city's hotspots."),
    ),
    Field(
        "contact",
        ("Narahubung penyedia", "Provider contact person"),
        personal=True,
        public=False,
        hint=(
            "Nama dan nomor; data pribadi, tidak dipublikasikan.",
            "Name and number; personal data, never published.",
        ),
    ),
    Field(
        "last_report_at",
        ("Laporan gangguan terakhir", "Last problem report"),
        Kind.DATETIME,
        readonly=True,
        filter=True,
    ),
    Field(
        "open_reports", ("Laporan terbuka", "Open reports"), Kind.INT, readonly=True, in_list=True
    ),
    Field("notes", ("Catatan internal", "Internal notes"), Kind.LONGTEXT, public=False),
)

HOTSPOTS = register(
    Registry(
        name="assets.wifi-hotspots",
        domain="assets",
        api_slug="wifi-hotspots",
        slug="wifi",
        console=AREA_PATH,
        model=WifiHotspot,
        title=("Hotspot Wi-Fi publik", "Public Wi-Fi hotspots"),
        singular=("Hotspot Wi-Fi", "Wi-Fi hotspot"),
        description=(
            "Internet gratis dari Pemerintah Kota dan pemangku kepentingan (Perda 9/2022 "
            "Pasal 22e): lokasi, penyedia, jam layanan, status dan laporan warga.",
            "Free internet from the city and stakeholders (Perda 9/2022 Article 22e): place, "
            "provider, hours, status and citizens' reports.",
        ),
        fields=HOTSPOT_FIELDS,
        view_action=VIEW,
        edit_action=EDIT,
        title_field="name",
        order=("code",),
        natural_key="code",
        owner_field="owner_pd",
        search=("code", "name", "provider_name", "address", "ssid"),
        public=True,
        public_where=_public_hotspots,
        validate=validate_hotspot,
        after_save=after_hotspot_save,
        icon="map",
        panels=(Panel("assets/wifi_panel.html", hotspot_panel),),
        example={
            "code": "WIFI-CONTOH-01",
            "name": "Taman Akcaya",
            "provider_kind": "pemerintah_kota",
            "provider_name": "Diskominfo Kota Pontianak",
            "lon": "109.32881",
            "lat": "-0.04696",
            "address": "Jl. Sutan Syahrir, dekat panggung taman",
            "hours": "06.00-22.00",
            "ssid": "PontianakSmartCity",
            "bandwidth_mbps": "50",
            "status": "aktif",
            "owner_pd": "diskominfo",
            "contact": "Rudi Hartono, 0812-5600-1234",
            "notes": "Titik akses di tiang lampu taman.",
        },
    )
)

TECHNOLOGY_FIELDS = (
    Field(
        "name", ("Nama teknologi / layanan", "Technology / service"), required=True, in_list=True
    ),
    Field("organisation", ("Organisasi", "Organisation"), required=True, in_list=True),
    Field(
        "stakeholder_kind",
        ("Jenis pemangku kepentingan", "Kind of stakeholder"),
        Kind.CHOICE,
        choices=StakeholderKind,
        required=True,
        filter=True,
        in_list=True,
    ),
    Field(
        "technology_kind",
        ("Jenis teknologi", "Kind of technology"),
        Kind.CHOICE,
        choices=TechnologyKind,
        required=True,
        filter=True,
        in_list=True,
        bulk=True,
    ),
    Field("description", ("Uraian", "Description"), Kind.LONGTEXT, required=True),
    Field("location", ("Lokasi (bila ada)", "Location (if any)"), Kind.POINT),
    Field("kelurahan_kode", ("Kelurahan", "Kelurahan"), Kind.KELURAHAN, readonly=True, filter=True),
    Field(
        "coverage",
        ("Cakupan", "Coverage"),
        hint=(
            "Wilayah atau siapa yang dilayani, mis. seluruh kota, Kec. Pontianak Utara.",
            "The area or who is served, e.g. the whole city, Pontianak Utara.",
        ),
    ),
    Field("website", ("Situs web", "Website"), Kind.URL),
    Field("contact_name", ("Narahubung", "Contact person"), personal=True, public=False),
    Field(
        "contact_phone",
        ("Telepon narahubung", "Contact phone"),
        Kind.PHONE,
        personal=True,
        public=False,
    ),
    Field(
        "contact_email",
        ("E-mail narahubung", "Contact e-mail"),
        Kind.EMAIL,
        personal=True,
        public=False,
    ),
    Field(
        "status",
        ("Status", "Status"),
        Kind.CHOICE,
        choices=TechnologyStatus,
        required=True,
        in_list=True,
        filter=True,
        bulk=True,
        default=TechnologyStatus.DIAJUKAN,
    ),
    Field(
        "is_public",
        ("Tampil di halaman publik", "Shown on the public page"),
        Kind.BOOL,
        filter=True,
        bulk=True,
        default=False,
        public=False,
        hint=("Hanya yang sudah diverifikasi yang tampil.", "Only verified ones appear."),
    ),
    Field("verified_by", ("Diverifikasi oleh", "Verified by"), readonly=True, public=False),
    Field(
        "verified_at",
        ("Diverifikasi pada", "Verified at"),
        Kind.DATETIME,
        readonly=True,
        filter=True,
    ),
    Field("notes", ("Catatan moderasi", "Moderation notes"), Kind.LONGTEXT, public=False),
)

TECHNOLOGIES = register(
    Registry(
        name="assets.stakeholder-technologies",
        domain="assets",
        api_slug="stakeholder-technologies",
        slug="teknologi-mitra",
        console=AREA_PATH,
        model=StakeholderTechnology,
        title=("Teknologi mitra", "Stakeholders' technology"),
        singular=("Teknologi mitra", "Stakeholder technology"),
        description=(
            "Perangkat teknologi lain yang disediakan dan dikelola pemangku kepentingan "
            "(Perda 9/2022 Pasal 22f): diajukan, diverifikasi staf, lalu tampil di publik.",
            "Other technology stakeholders provide and run (Perda 9/2022 Article 22f): "
            "submitted, verified by staff, then shown publicly.",
        ),
        fields=TECHNOLOGY_FIELDS,
        view_action=TECH_VIEW,
        edit_action=TECH_EDIT,
        title_field="name",
        order=("organisation", "name"),
        search=("name", "organisation", "description", "coverage"),
        public=True,
        public_where=_public_technologies,
        validate=validate_technology,
        after_save=after_technology_save,
        icon="sensor",
        example={
            "name": "Sensor kualitas udara warga",
            "organisation": "Komunitas Udara Bersih Pontianak",
            "stakeholder_kind": "komunitas",
            "technology_kind": "sensor",
            "description": "Sepuluh sensor PM2.5 murah di rumah warga; data terbuka per jam.",
            "lon": "109.33416",
            "lat": "-0.02371",
            "coverage": "Kec. Pontianak Kota",
            "website": "https://udara.contoh.id",
            "contact_name": "Fajar Ramadhan",
            "contact_phone": "0812-3456-7890",
            "contact_email": "fajar@contoh.id",
            "status": "diajukan",
            "is_public": "false",
            "notes": "",
        },
    )
)
