"""Open data vocabularies: dataset states, update frequencies, resource kinds, datastore
column types and load states, activity and usage kinds."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class DatasetState(LabelledChoice):
    """CKAN's ``state`` of a dataset or resource."""

    ACTIVE = "active"  # published (public when its classification is publik)
    DRAFT = "draft"  # being written; only its organisation's officers see it
    DELETED = "deleted"  # withdrawn; kept for the activity history, listed nowhere


class Frequency(LabelledChoice):
    """How often a dataset is brought up to date (DCAT ``accrualPeriodicity``)."""

    REALTIME = "realtime"
    HARIAN = "harian"
    MINGGUAN = "mingguan"
    BULANAN = "bulanan"
    TRIWULANAN = "triwulanan"
    SEMESTERAN = "semesteran"
    TAHUNAN = "tahunan"
    TIDAK_TENTU = "tidak_tentu"

    @property
    def iso8601(self) -> str:
        """Project Open Data ``accrualPeriodicity`` (ISO 8601 repeating duration)."""
        return _ISO8601[self]

    @property
    def eu_uri(self) -> str:
        """The EU frequency vocabulary concept (DCAT-AP ``dct:accrualPeriodicity``)."""
        return EU_FREQUENCY + _EU[self]


EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
_ISO8601 = {
    Frequency.REALTIME: "R/PT1S",
    Frequency.HARIAN: "R/P1D",
    Frequency.MINGGUAN: "R/P1W",
    Frequency.BULANAN: "R/P1M",
    Frequency.TRIWULANAN: "R/P3M",
    Frequency.SEMESTERAN: "R/P6M",
    Frequency.TAHUNAN: "R/P1Y",
    Frequency.TIDAK_TENTU: "irregular",
}
_EU = {
    Frequency.REALTIME: "UPDATE_CONT",
    Frequency.HARIAN: "DAILY",
    Frequency.MINGGUAN: "WEEKLY",
    Frequency.BULANAN: "MONTHLY",
    Frequency.TRIWULANAN: "QUARTERLY",
    Frequency.SEMESTERAN: "ANNUAL_2",
    Frequency.TAHUNAN: "ANNUAL",
    Frequency.TIDAK_TENTU: "IRREG",
}


class UrlType(LabelledChoice):
    """Where a resource's bytes are (CKAN ``url_type``)."""

    UPLOAD = "upload"  # a file stored by Pontive (versions kept)
    LINK = "link"  # somewhere else; Pontive keeps only the address
    GENERATED = "generated"  # written by a Pontive job from the platform's own data


class FieldType(LabelledChoice):
    """A datastore column's type (CKAN datastore type names)."""

    TEXT = "text"
    INT = "int"
    NUMERIC = "numeric"
    BOOL = "bool"
    DATE = "date"
    TIMESTAMP = "timestamp"


class LoadState(LabelledChoice):
    """Where a resource's load into the datastore is."""

    PENDING = "pending"
    LOADING = "loading"
    DONE = "done"
    FAILED = "failed"  # the validation report says why; no partial table is left


class ActivityType(LabelledChoice):
    """What happened to a dataset (CKAN activity types)."""

    NEW = "new package"
    CHANGED = "changed package"
    DELETED = "deleted package"


class UsageKind(LabelledChoice):
    """What was counted (never who)."""

    VIEW = "view"
    DOWNLOAD = "download"
    API = "api"


describe_choices(
    {
        DatasetState.ACTIVE: ChoiceMeta("Terbit", "Published", "#1b7f3b"),
        DatasetState.DRAFT: ChoiceMeta("Draf", "Draft", "#b26a00"),
        DatasetState.DELETED: ChoiceMeta("Dihapus", "Deleted", "#5b6b7a"),
    }
)
describe_choices(
    {
        Frequency.REALTIME: ChoiceMeta("Waktu nyata", "Real time"),
        Frequency.HARIAN: ChoiceMeta("Harian", "Daily"),
        Frequency.MINGGUAN: ChoiceMeta("Mingguan", "Weekly"),
        Frequency.BULANAN: ChoiceMeta("Bulanan", "Monthly"),
        Frequency.TRIWULANAN: ChoiceMeta("Triwulanan", "Quarterly"),
        Frequency.SEMESTERAN: ChoiceMeta("Semesteran", "Every six months"),
        Frequency.TAHUNAN: ChoiceMeta("Tahunan", "Yearly"),
        Frequency.TIDAK_TENTU: ChoiceMeta("Tidak tentu", "Irregular"),
    }
)
describe_choices(
    {
        UrlType.UPLOAD: ChoiceMeta("Berkas unggahan", "Uploaded file"),
        UrlType.LINK: ChoiceMeta("Tautan", "Link"),
        UrlType.GENERATED: ChoiceMeta("Dibuat otomatis", "Generated"),
    }
)
describe_choices(
    {
        FieldType.TEXT: ChoiceMeta("Teks", "Text"),
        FieldType.INT: ChoiceMeta("Bilangan bulat", "Integer"),
        FieldType.NUMERIC: ChoiceMeta("Angka", "Number"),
        FieldType.BOOL: ChoiceMeta("Ya/tidak", "Yes/no"),
        FieldType.DATE: ChoiceMeta("Tanggal", "Date"),
        FieldType.TIMESTAMP: ChoiceMeta("Tanggal dan jam", "Date and time"),
    }
)
describe_choices(
    {
        LoadState.PENDING: ChoiceMeta("Menunggu", "Waiting", "#5b6b7a"),
        LoadState.LOADING: ChoiceMeta("Dimuat", "Loading", "#1d4e89"),
        LoadState.DONE: ChoiceMeta("Siap", "Ready", "#1b7f3b"),
        LoadState.FAILED: ChoiceMeta("Gagal", "Failed", "#b3261e"),
    }
)
describe_choices(
    {
        ActivityType.NEW: ChoiceMeta("Dataset baru", "New dataset"),
        ActivityType.CHANGED: ChoiceMeta("Dataset diubah", "Dataset changed"),
        ActivityType.DELETED: ChoiceMeta("Dataset dihapus", "Dataset deleted"),
    }
)
describe_choices(
    {
        UsageKind.VIEW: ChoiceMeta("Dilihat", "Views"),
        UsageKind.DOWNLOAD: ChoiceMeta("Diunduh", "Downloads"),
        UsageKind.API: ChoiceMeta("Panggilan API", "API calls"),
    }
)
