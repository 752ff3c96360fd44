"""Alert vocabularies: rule kinds, alert states, CAP enumerations, operating modes."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class RuleKind(LabelledChoice):
    """What a rule watches (``alerts/rules.py`` evaluates each kind)."""

    THRESHOLD = "threshold"  # a stream's value beyond a threshold for a duration
    RATE_OF_CHANGE = "rate_of_change"  # a stream rising (or falling) faster than a rate
    INDEX_CATEGORY = "index_category"  # flood status or ISPU category at or above a level
    FORECAST = "forecast"  # a forecast stream crossing a threshold (once forecasts exist)
    MISSING_DATA = "missing_data"  # a station silent for N minutes
    REPORT_SPIKE = "report_spike"  # N citizen reports of a category in one kelurahan in a window
    INCOMING = "incoming"  # an official alert received from a feed touching the city


class AlertState(LabelledChoice):
    """Where an alert is in its life (``alerts/service.py`` enforces the transitions)."""

    DRAFT = "draft"  # opened by a rule or an operator, awaiting approval
    PUBLISHED = "published"  # public: in the feed, on the pages, distributed
    REJECTED = "rejected"  # an operator refused the draft
    CANCELLED = "cancelled"  # withdrawn (a CAP Cancel was issued)
    EXPIRED = "expired"  # past its expiry time
    SUPERSEDED = "superseded"  # replaced by an update (a CAP Update references it)


class CapStatus(LabelledChoice):
    """CAP 1.2 ``status``."""

    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(LabelledChoice):
    """CAP 1.2 ``msgType``."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


class CapCategory(LabelledChoice):
    """CAP 1.2 ``category``."""

    GEO = "Geo"
    MET = "Met"
    SAFETY = "Safety"
    SECURITY = "Security"
    RESCUE = "Rescue"
    FIRE = "Fire"
    HEALTH = "Health"
    ENV = "Env"
    TRANSPORT = "Transport"
    INFRA = "Infra"
    CBRNE = "CBRNE"
    OTHER = "Other"


class Urgency(LabelledChoice):
    """CAP 1.2 ``urgency``."""

    IMMEDIATE = "Immediate"
    EXPECTED = "Expected"
    FUTURE = "Future"
    PAST = "Past"
    UNKNOWN = "Unknown"


class Severity(LabelledChoice):
    """CAP 1.2 ``severity`` (colours for badges and the map)."""

    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"


class Certainty(LabelledChoice):
    """CAP 1.2 ``certainty``."""

    OBSERVED = "Observed"
    LIKELY = "Likely"
    POSSIBLE = "Possible"
    UNLIKELY = "Unlikely"
    UNKNOWN = "Unknown"


class ResponseType(LabelledChoice):
    """CAP 1.2 ``responseType``."""

    SHELTER = "Shelter"
    EVACUATE = "Evacuate"
    PREPARE = "Prepare"
    EXECUTE = "Execute"
    AVOID = "Avoid"
    MONITOR = "Monitor"
    ASSESS = "Assess"
    ALL_CLEAR = "AllClear"
    NONE = "None"


class OperatingMode(LabelledChoice):
    """The city's operating mode (Perda 9/2022 Pasal 16(1): normal, emergency, disaster)."""

    NORMAL = "normal"
    SIAGA_DARURAT = "siaga_darurat"  # emergency alert status
    TANGGAP_DARURAT = "tanggap_darurat"  # disaster emergency response


class DeliveryStatus(LabelledChoice):
    """A webhook delivery's state."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry


class FeedKind(LabelledChoice):
    """What an incoming feed URL serves."""

    CAP = "cap"  # one CAP 1.2 message
    RSS = "rss"  # an RSS 2.0 or Atom list linking CAP messages (BMKG nowcasts)


describe_choices(
    {
        RuleKind.THRESHOLD: ChoiceMeta("Ambang batas", "Threshold"),
        RuleKind.RATE_OF_CHANGE: ChoiceMeta("Laju perubahan", "Rate of change"),
        RuleKind.INDEX_CATEGORY: ChoiceMeta("Kategori indeks", "Index category"),
        RuleKind.FORECAST: ChoiceMeta("Prakiraan", "Forecast"),
        RuleKind.MISSING_DATA: ChoiceMeta("Data tidak masuk", "Missing data"),
        RuleKind.REPORT_SPIKE: ChoiceMeta("Lonjakan laporan warga", "Citizen report spike"),
        RuleKind.INCOMING: ChoiceMeta("Peringatan resmi masuk", "Incoming official alert"),
    }
)
describe_choices(
    {
        AlertState.DRAFT: ChoiceMeta("Draf", "Draft", "#5b6b7a"),
        AlertState.PUBLISHED: ChoiceMeta("Diterbitkan", "Published", "#b3261e"),
        AlertState.REJECTED: ChoiceMeta("Ditolak", "Rejected", "#5b6b7a"),
        AlertState.CANCELLED: ChoiceMeta("Dibatalkan", "Cancelled", "#1b7f3b"),
        AlertState.EXPIRED: ChoiceMeta("Kedaluwarsa", "Expired", "#5b6b7a"),
        AlertState.SUPERSEDED: ChoiceMeta("Diperbarui", "Superseded", "#5b6b7a"),
    }
)
describe_choices(
    {
        CapStatus.ACTUAL: ChoiceMeta("Sungguhan", "Actual"),
        CapStatus.EXERCISE: ChoiceMeta("Latihan", "Exercise"),
        CapStatus.SYSTEM: ChoiceMeta("Sistem", "System"),
        CapStatus.TEST: ChoiceMeta("Uji coba", "Test"),
        CapStatus.DRAFT: ChoiceMeta("Draf", "Draft"),
    }
)
describe_choices(
    {
        MsgType.ALERT: ChoiceMeta("Peringatan", "Alert"),
        MsgType.UPDATE: ChoiceMeta("Pembaruan", "Update"),
        MsgType.CANCEL: ChoiceMeta("Pembatalan", "Cancel"),
        MsgType.ACK: ChoiceMeta("Tanda terima", "Acknowledgement"),
        MsgType.ERROR: ChoiceMeta("Ralat", "Error"),
    }
)
describe_choices(
    {
        CapCategory.GEO: ChoiceMeta("Geofisika", "Geophysical"),
        CapCategory.MET: ChoiceMeta("Cuaca dan hidrologi", "Meteorological"),
        CapCategory.SAFETY: ChoiceMeta("Keselamatan umum", "Public safety"),
        CapCategory.SECURITY: ChoiceMeta("Keamanan", "Security"),
        CapCategory.RESCUE: ChoiceMeta("Pencarian dan penyelamatan", "Rescue and recovery"),
        CapCategory.FIRE: ChoiceMeta("Kebakaran", "Fire"),
        CapCategory.HEALTH: ChoiceMeta("Kesehatan", "Health"),
        CapCategory.ENV: ChoiceMeta("Lingkungan", "Environment"),
        CapCategory.TRANSPORT: ChoiceMeta("Transportasi", "Transport"),
        CapCategory.INFRA: ChoiceMeta("Infrastruktur", "Infrastructure"),
        CapCategory.CBRNE: ChoiceMeta("Bahan berbahaya (KBRN)", "CBRNE"),
        CapCategory.OTHER: ChoiceMeta("Lainnya", "Other"),
    }
)
describe_choices(
    {
        Urgency.IMMEDIATE: ChoiceMeta("Segera", "Immediate"),
        Urgency.EXPECTED: ChoiceMeta("Dalam satu jam", "Expected"),
        Urgency.FUTURE: ChoiceMeta("Dalam waktu dekat", "Future"),
        Urgency.PAST: ChoiceMeta("Sudah lewat", "Past"),
        Urgency.UNKNOWN: ChoiceMeta("Tidak diketahui", "Unknown"),
    }
)
describe_choices(
    {
        Severity.EXTREME: ChoiceMeta("Ekstrem", "Extreme", "#7b1010"),
        Severity.SEVERE: ChoiceMeta("Berat", "Severe", "#b3261e"),
        Severity.MODERATE: ChoiceMeta("Sedang", "Moderate", "#b45309"),
        Severity.MINOR: ChoiceMeta("Ringan", "Minor", "#8a6d00"),
        Severity.UNKNOWN: ChoiceMeta("Tidak diketahui", "Unknown", "#5b6b7a"),
    }
)
describe_choices(
    {
        Certainty.OBSERVED: ChoiceMeta("Teramati", "Observed"),
        Certainty.LIKELY: ChoiceMeta("Mungkin sekali", "Likely"),
        Certainty.POSSIBLE: ChoiceMeta("Mungkin", "Possible"),
        Certainty.UNLIKELY: ChoiceMeta("Kecil kemungkinan", "Unlikely"),
        Certainty.UNKNOWN: ChoiceMeta("Tidak diketahui", "Unknown"),
    }
)
describe_choices(
    {
        ResponseType.SHELTER: ChoiceMeta("Berlindung", "Shelter"),
        ResponseType.EVACUATE: ChoiceMeta("Mengungsi", "Evacuate"),
        ResponseType.PREPARE: ChoiceMeta("Bersiap", "Prepare"),
        ResponseType.EXECUTE: ChoiceMeta("Laksanakan", "Execute"),
        ResponseType.AVOID: ChoiceMeta("Hindari", "Avoid"),
        ResponseType.MONITOR: ChoiceMeta("Pantau", "Monitor"),
        ResponseType.ASSESS: ChoiceMeta("Nilai keadaan", "Assess"),
        ResponseType.ALL_CLEAR: ChoiceMeta("Aman kembali", "All clear"),
        ResponseType.NONE: ChoiceMeta("Tidak ada", "None"),
    }
)
describe_choices(
    {
        OperatingMode.NORMAL: ChoiceMeta("Normal", "Normal", "#1b7f3b"),
        OperatingMode.SIAGA_DARURAT: ChoiceMeta("Siaga darurat", "Emergency alert", "#b45309"),
        OperatingMode.TANGGAP_DARURAT: ChoiceMeta(
            "Tanggap darurat bencana", "Disaster emergency response", "#b3261e"
        ),
    }
)
describe_choices(
    {
        DeliveryStatus.PENDING: ChoiceMeta("Menunggu", "Pending", "#5b6b7a"),
        DeliveryStatus.DELIVERED: ChoiceMeta("Terkirim", "Delivered", "#1b7f3b"),
        DeliveryStatus.FAILED: ChoiceMeta("Gagal", "Failed", "#b3261e"),
    }
)
describe_choices(
    {
        FeedKind.CAP: ChoiceMeta("Pesan CAP", "CAP message"),
        FeedKind.RSS: ChoiceMeta("Daftar RSS/Atom berisi CAP", "RSS/Atom list of CAP"),
    }
)
