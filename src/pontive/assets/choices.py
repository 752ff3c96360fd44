"""Asset choices: each value with its label (id/en) and the colour the map, badges and the
integration graph use. Enums sharing a value (``pusat_data`` is both an asset kind and a site
kind) are described in calls of their own.

``AREA_PATH`` is the console area every part of the assets package (infrastructure, the
software catalogue, assessments, Wi-Fi) lists its registries under.
"""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices

AREA_PATH = "/console/aset"
MAP_PATH = f"{AREA_PATH}/peta"
GRAPH_PATH = f"{AREA_PATH}/integrasi"
SUMMARY_PATH = f"{AREA_PATH}/ringkasan"


class InfraKind(LabelledChoice):
    """What an ICT infrastructure item is (Perda 9/2022 Pasal 14)."""

    SERVER = "server"
    JARINGAN = "perangkat_jaringan"
    PUSAT_DATA = "pusat_data"
    SERAT_OPTIK = "serat_optik"
    COMMAND_CENTER = "command_center"
    BANDWIDTH = "langganan_bandwidth"
    LAINNYA = "lainnya"


class InfraStatus(LabelledChoice):
    """Where an infrastructure item is in its life."""

    DIRENCANAKAN = "direncanakan"
    AKTIF = "aktif"
    PEMELIHARAAN = "pemeliharaan"
    RUSAK = "rusak"
    DIHAPUS = "dihapus"


class SiteKind(LabelledChoice):
    """What a site is: where infrastructure stands."""

    PUSAT_DATA = "pusat_data"
    COMMAND_CENTER = "command_center"
    KANTOR_PD = "kantor_pd"
    POP = "pop"
    MENARA = "menara"


class SoftwareCategory(LabelledChoice):
    """Perda 9/2022 Pasal 15(2) a-e."""

    SISTEM_INFORMASI = "sistem_informasi"
    SISTEM_OPERASI = "sistem_operasi"
    APLIKASI = "aplikasi"
    UTILITAS = "utilitas"
    BASIS_DATA = "basis_data"


class UserGroup(LabelledChoice):
    """Who uses a system."""

    WARGA = "warga"
    ASN = "asn"
    PD = "pd"
    PUBLIK = "publik"
    PELAKU_USAHA = "pelaku_usaha"


class SpbeDomain(LabelledChoice):
    """The domains of the SPBE architecture (Perpres 95/2018 Pasal 11; Perpres 132/2022)."""

    PROSES_BISNIS = "proses_bisnis"
    DATA_INFORMASI = "data_informasi"
    INFRASTRUKTUR = "infrastruktur"
    APLIKASI = "aplikasi"
    KEAMANAN = "keamanan"
    LAYANAN = "layanan"


class ServiceType(LabelledChoice):
    """The SPBE service a system delivers (Perpres 95/2018 Pasal 21)."""

    ADMINISTRASI = "administrasi_pemerintahan"
    PUBLIK = "layanan_publik"


class Hosting(LabelledChoice):
    """Where a system runs."""

    PUSAT_DATA_KOTA = "pusat_data_kota"
    PDN = "pdn"
    CLOUD = "cloud_pihak_ketiga"
    SERVER_PD = "server_pd"
    SAAS = "saas"


class SystemStatus(LabelledChoice):
    """Where a system is in its life."""

    PENGEMBANGAN = "pengembangan"
    PRODUKSI = "produksi"
    DIHENTIKAN = "dihentikan"


class Standard(LabelledChoice):
    """Interoperability standards a system offers or an integration uses."""

    REST_JSON = "rest_json"
    SOAP = "soap"
    OPENAPI = "openapi"
    OPEN311 = "open311"
    SENSORTHINGS = "sensorthings"
    CKAN = "ckan_api"
    CAP = "cap"
    SPLP = "splp"
    OGC = "ogc_wms_wfs"
    MQTT = "mqtt"
    ONVIF = "onvif"
    FILE = "file_exchange"


class IntegrationMethod(LabelledChoice):
    """How two systems exchange data."""

    API = "api"
    SPLP = "splp"
    FILE = "file"
    DB_LINK = "db_link"
    BUS = "message_bus"


class Direction(LabelledChoice):
    """Whether data flows one way (source to target) or both."""

    SATU_ARAH = "satu_arah"
    DUA_ARAH = "dua_arah"


class IntegrationStatus(LabelledChoice):
    """Whether an integration runs."""

    DIRENCANAKAN = "direncanakan"
    AKTIF = "aktif"
    NONAKTIF = "nonaktif"


describe_choices(
    {
        InfraKind.SERVER: ChoiceMeta("Server", "Server", "#3949ab"),
        InfraKind.JARINGAN: ChoiceMeta("Perangkat jaringan", "Network device", "#00838f"),
        InfraKind.PUSAT_DATA: ChoiceMeta("Pusat data", "Data centre", "#6a1b9a"),
        InfraKind.SERAT_OPTIK: ChoiceMeta("Jaringan serat optik", "Fibre-optic network", "#ef6c00"),
        InfraKind.COMMAND_CENTER: ChoiceMeta(
            "Fasilitas command center", "Command-center facility", "#c62828"
        ),
        InfraKind.BANDWIDTH: ChoiceMeta("Langganan bandwidth", "Bandwidth subscription", "#2e7d32"),
        InfraKind.LAINNYA: ChoiceMeta("Perangkat lainnya", "Other equipment", "#5d6d7e"),
    }
)
describe_choices(
    {
        InfraStatus.DIRENCANAKAN: ChoiceMeta("Direncanakan", "Planned", "#1e88e5"),
        InfraStatus.AKTIF: ChoiceMeta("Aktif", "Active", "#1b7f3b"),
        InfraStatus.PEMELIHARAAN: ChoiceMeta("Pemeliharaan", "Maintenance", "#b26a00"),
        InfraStatus.RUSAK: ChoiceMeta("Rusak", "Faulty", "#b3261e"),
        InfraStatus.DIHAPUS: ChoiceMeta("Dihapus", "Decommissioned", "#757575"),
    }
)
describe_choices(
    {
        SiteKind.PUSAT_DATA: ChoiceMeta("Pusat data", "Data centre", "#6a1b9a"),
        SiteKind.COMMAND_CENTER: ChoiceMeta("Command center", "Command center", "#c62828"),
        SiteKind.KANTOR_PD: ChoiceMeta("Kantor Perangkat Daerah", "Agency office", "#1565c0"),
        SiteKind.POP: ChoiceMeta("POP jaringan", "Network POP", "#00838f"),
        SiteKind.MENARA: ChoiceMeta("Menara", "Tower", "#6d4c41"),
    }
)
describe_choices(
    {
        SoftwareCategory.SISTEM_INFORMASI: ChoiceMeta(
            "Sistem informasi", "Information system", "#1565c0"
        ),
        SoftwareCategory.SISTEM_OPERASI: ChoiceMeta(
            "Sistem operasi", "Operating system", "#6d4c41"
        ),
        SoftwareCategory.APLIKASI: ChoiceMeta("Aplikasi", "Application", "#2e7d32"),
        SoftwareCategory.UTILITAS: ChoiceMeta("Utilitas", "Utility", "#5d6d7e"),
        SoftwareCategory.BASIS_DATA: ChoiceMeta("Sistem basis data", "Database system", "#6a1b9a"),
    }
)
describe_choices(
    {
        UserGroup.WARGA: ChoiceMeta("Warga", "Citizens", "#1d6fa5"),
        UserGroup.ASN: ChoiceMeta("ASN", "Civil servants", "#00897b"),
        UserGroup.PD: ChoiceMeta("Perangkat Daerah", "Agencies", "#6d4c41"),
        UserGroup.PUBLIK: ChoiceMeta("Publik umum", "General public", "#1b7f3b"),
        UserGroup.PELAKU_USAHA: ChoiceMeta("Pelaku usaha", "Businesses", "#b26a00"),
    }
)
describe_choices(
    {
        SpbeDomain.PROSES_BISNIS: ChoiceMeta("Proses bisnis", "Business process", "#1565c0"),
        SpbeDomain.DATA_INFORMASI: ChoiceMeta(
            "Data dan informasi", "Data and information", "#6a1b9a"
        ),
        SpbeDomain.INFRASTRUKTUR: ChoiceMeta(
            "Infrastruktur SPBE", "SPBE infrastructure", "#ef6c00"
        ),
        SpbeDomain.APLIKASI: ChoiceMeta("Aplikasi SPBE", "SPBE applications", "#2e7d32"),
        SpbeDomain.KEAMANAN: ChoiceMeta("Keamanan SPBE", "SPBE security", "#b3261e"),
        SpbeDomain.LAYANAN: ChoiceMeta("Layanan SPBE", "SPBE services", "#00838f"),
    }
)
describe_choices(
    {
        ServiceType.ADMINISTRASI: ChoiceMeta(
            "Layanan administrasi pemerintahan", "Government administration service", "#6d4c41"
        ),
        ServiceType.PUBLIK: ChoiceMeta("Layanan publik", "Public service", "#1d6fa5"),
    }
)
describe_choices(
    {
        Hosting.PUSAT_DATA_KOTA: ChoiceMeta("Pusat data kota", "City data centre", "#6a1b9a"),
        Hosting.PDN: ChoiceMeta("Pusat Data Nasional (PDN)", "National Data Centre", "#1565c0"),
        Hosting.CLOUD: ChoiceMeta("Cloud pihak ketiga", "Third-party cloud", "#00838f"),
        Hosting.SERVER_PD: ChoiceMeta("Server Perangkat Daerah", "Agency server", "#6d4c41"),
        Hosting.SAAS: ChoiceMeta("SaaS (layanan pihak lain)", "SaaS (another party)", "#5d6d7e"),
    }
)
describe_choices(
    {
        SystemStatus.PENGEMBANGAN: ChoiceMeta("Pengembangan", "In development", "#1e88e5"),
        SystemStatus.PRODUKSI: ChoiceMeta("Produksi", "In production", "#1b7f3b"),
        SystemStatus.DIHENTIKAN: ChoiceMeta("Dihentikan", "Retired", "#757575"),
    }
)
describe_choices(
    {
        Standard.REST_JSON: ChoiceMeta("REST/JSON", "REST/JSON"),
        Standard.SOAP: ChoiceMeta("SOAP", "SOAP"),
        Standard.OPENAPI: ChoiceMeta("OpenAPI", "OpenAPI"),
        Standard.OPEN311: ChoiceMeta("Open311 GeoReport v2", "Open311 GeoReport v2"),
        Standard.SENSORTHINGS: ChoiceMeta("OGC SensorThings", "OGC SensorThings"),
        Standard.CKAN: ChoiceMeta("CKAN API", "CKAN API"),
        Standard.CAP: ChoiceMeta("CAP 1.2 (peringatan)", "CAP 1.2 (alerts)"),
        Standard.SPLP: ChoiceMeta("SPLP (layanan penghubung)", "SPLP (government gateway)"),
        Standard.OGC: ChoiceMeta("OGC WMS/WFS", "OGC WMS/WFS"),
        Standard.MQTT: ChoiceMeta("MQTT", "MQTT"),
        Standard.ONVIF: ChoiceMeta("ONVIF/RTSP", "ONVIF/RTSP"),
        Standard.FILE: ChoiceMeta("Pertukaran berkas (CSV/XLSX)", "File exchange (CSV/XLSX)"),
    }
)
describe_choices(
    {
        IntegrationMethod.API: ChoiceMeta("API langsung", "Direct API", "#1565c0"),
        IntegrationMethod.SPLP: ChoiceMeta("SPLP", "SPLP gateway", "#2e7d32"),
        IntegrationMethod.FILE: ChoiceMeta("Berkas", "File", "#6d4c41"),
        IntegrationMethod.DB_LINK: ChoiceMeta("Tautan basis data", "Database link", "#6a1b9a"),
        IntegrationMethod.BUS: ChoiceMeta("Bus pesan", "Message bus", "#ef6c00"),
    }
)
describe_choices(
    {
        Direction.SATU_ARAH: ChoiceMeta("Satu arah", "One way"),
        Direction.DUA_ARAH: ChoiceMeta("Dua arah", "Both ways"),
    }
)
describe_choices(
    {
        IntegrationStatus.DIRENCANAKAN: ChoiceMeta("Direncanakan", "Planned", "#1e88e5"),
        IntegrationStatus.AKTIF: ChoiceMeta("Aktif", "Active", "#1b7f3b"),
        IntegrationStatus.NONAKTIF: ChoiceMeta("Nonaktif", "Inactive", "#757575"),
    }
)
