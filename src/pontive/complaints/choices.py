"""Complaint states, their allowed transitions, and the other complaint vocabularies."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class ComplaintStatus(LabelledChoice):
    """Where a report is in its life (issue #3: "closed" and "fixed" are different states)."""

    DITERIMA = "diterima"  # received, not yet checked by an operator
    DIVERIFIKASI = "diverifikasi"  # checked: a real, complete report
    DIDISPOSISIKAN = "didisposisikan"  # routed to a Perangkat Daerah
    DIKERJAKAN = "dikerjakan"  # the PD is working on it
    MENUNGGU_PELAPOR = "menunggu_pelapor"  # waiting for the reporter (SLA paused)
    SELESAI = "selesai"  # fixed: the work is done
    DITUTUP = "ditutup"  # closed: no further action (after selesai, or reporter gone)
    DITOLAK = "ditolak"  # rejected: not a valid report
    DUPLIKAT = "duplikat"  # merged into another report
    BUKAN_KEWENANGAN = "bukan_kewenangan"  # the PD says it is not theirs: back to the operator

    @property
    def is_open(self) -> bool:
        """Still needs someone to act."""
        return self in OPEN_STATUSES

    @property
    def open311(self) -> str:
        """Open311 GeoReport v2 knows only ``open`` and ``closed``."""
        return "open" if self.is_open else "closed"


OPEN_STATUSES = frozenset(
    {
        ComplaintStatus.DITERIMA,
        ComplaintStatus.DIVERIFIKASI,
        ComplaintStatus.DIDISPOSISIKAN,
        ComplaintStatus.DIKERJAKAN,
        ComplaintStatus.MENUNGGU_PELAPOR,
        ComplaintStatus.BUKAN_KEWENANGAN,
    }
)

S = ComplaintStatus
# Which state may follow which. Enforced by the workflow service; anything else is refused.
TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    S.DITERIMA: frozenset(
        {S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DITOLAK, S.DUPLIKAT, S.MENUNGGU_PELAPOR}
    ),
    S.DIVERIFIKASI: frozenset({S.DIDISPOSISIKAN, S.DITOLAK, S.DUPLIKAT, S.MENUNGGU_PELAPOR}),
    S.DIDISPOSISIKAN: frozenset(
        {S.DIKERJAKAN, S.BUKAN_KEWENANGAN, S.MENUNGGU_PELAPOR, S.SELESAI, S.DUPLIKAT}
    ),
    S.DIKERJAKAN: frozenset({S.SELESAI, S.MENUNGGU_PELAPOR, S.BUKAN_KEWENANGAN, S.DUPLIKAT}),
    S.MENUNGGU_PELAPOR: frozenset(
        {S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN, S.DITUTUP, S.DITOLAK}
    ),
    S.BUKAN_KEWENANGAN: frozenset({S.DIDISPOSISIKAN, S.DITOLAK, S.DUPLIKAT}),
    S.SELESAI: frozenset({S.DITUTUP, S.DIKERJAKAN}),  # DIKERJAKAN = reopened by the reporter
    S.DITUTUP: frozenset(),
    S.DITOLAK: frozenset(),
    S.DUPLIKAT: frozenset(),
}
# Transitions that need a reason the reporter (or operator) can read.
NEEDS_REASON = frozenset({S.DITOLAK, S.BUKAN_KEWENANGAN, S.MENUNGGU_PELAPOR, S.DUPLIKAT})

describe_choices(
    {
        S.DITERIMA: ChoiceMeta("Diterima", "Received", "#5b6b7a"),
        S.DIVERIFIKASI: ChoiceMeta("Diverifikasi", "Verified", "#1577a0"),
        S.DIDISPOSISIKAN: ChoiceMeta("Didisposisikan", "Assigned to agency", "#6a1b9a"),
        S.DIKERJAKAN: ChoiceMeta("Sedang dikerjakan", "In progress", "#b26a00"),
        S.MENUNGGU_PELAPOR: ChoiceMeta("Menunggu pelapor", "Waiting for reporter", "#8d6e63"),
        S.SELESAI: ChoiceMeta("Selesai diperbaiki", "Fixed", "#1b7f3b"),
        S.DITUTUP: ChoiceMeta("Ditutup", "Closed", "#37474f"),
        S.DITOLAK: ChoiceMeta("Ditolak", "Rejected", "#b3261e"),
        S.DUPLIKAT: ChoiceMeta("Duplikat", "Duplicate", "#78909c"),
        S.BUKAN_KEWENANGAN: ChoiceMeta("Bukan kewenangan", "Not responsible", "#c2185b"),
    }
)


class Source(LabelledChoice):
    """The channel a report came in through."""

    WEB = "web"
    OPEN311 = "open311"
    HOTLINE = "hotline"
    WHATSAPP = "whatsapp"
    LAPOR = "lapor"  # SP4N-LAPOR!
    IMPORT = "import"


describe_choices(
    {
        Source.WEB: ChoiceMeta("Situs web", "Website", "#1577a0"),
        Source.OPEN311: ChoiceMeta("Aplikasi (Open311)", "App (Open311)", "#00897b"),
        Source.HOTLINE: ChoiceMeta("Telepon", "Hotline", "#6d4c41"),
        Source.WHATSAPP: ChoiceMeta("WhatsApp", "WhatsApp", "#2e7d32"),
        Source.LAPOR: ChoiceMeta("SP4N-LAPOR!", "SP4N-LAPOR!", "#c62828"),
        Source.IMPORT: ChoiceMeta("Impor berkas", "File import", "#5b6b7a"),
    }
)


class AttributeType(LabelledChoice):
    """Open311 attribute datatypes (GeoReport v2, service definition)."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


describe_choices(
    {
        AttributeType.STRING: ChoiceMeta("Teks pendek", "Short text"),
        AttributeType.NUMBER: ChoiceMeta("Angka", "Number"),
        AttributeType.DATETIME: ChoiceMeta("Tanggal dan jam", "Date and time"),
        AttributeType.TEXT: ChoiceMeta("Teks panjang", "Long text"),
        AttributeType.SINGLEVALUELIST: ChoiceMeta("Pilih satu", "Choose one"),
        AttributeType.MULTIVALUELIST: ChoiceMeta("Pilih beberapa", "Choose several"),
    }
)


class UpdateKind(LabelledChoice):
    """Entries on a report's timeline."""

    STATUS = "status"  # a state change (public, with its reason)
    REPLY = "reply"  # a public reply to the reporter
    NOTE = "note"  # an internal note, staff only
    REPORTER = "reporter"  # the reporter added information


describe_choices(
    {
        UpdateKind.STATUS: ChoiceMeta("Perubahan status", "Status change", "#1577a0"),
        UpdateKind.REPLY: ChoiceMeta("Balasan petugas", "Staff reply", "#1b7f3b"),
        UpdateKind.NOTE: ChoiceMeta("Catatan internal", "Internal note", "#8d6e63"),
        UpdateKind.REPORTER: ChoiceMeta("Tanggapan pelapor", "Reporter's reply", "#6a1b9a"),
    }
)


class DeliveryStatus(LabelledChoice):
    """A notification's delivery state."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


describe_choices(
    {
        DeliveryStatus.PENDING: ChoiceMeta("Menunggu dikirim", "Pending", "#b26a00"),
        DeliveryStatus.SENT: ChoiceMeta("Terkirim", "Sent", "#1b7f3b"),
        DeliveryStatus.FAILED: ChoiceMeta("Gagal", "Failed", "#b3261e"),
    }
)
