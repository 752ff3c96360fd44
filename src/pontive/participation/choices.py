"""Participation vocabularies: the states of an idea and of a comment, the six Smart City
dimensions an idea is filed under, and what volunteers adopt and report (Perda 9/2022 Pasal
22b-c)."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class IdeaStatus(LabelledChoice):
    """Where an idea is (Decidim/CONSUL: moderated, answered, realised, merged)."""

    MENUNGGU = "menunggu"  # awaiting moderation: not public yet
    TERBIT = "terbit"  # published, open for support and comments
    DITOLAK = "ditolak"  # refused by a moderator, with the reason told to the author
    DIJAWAB = "dijawab"  # the city answered publicly
    DIWUJUDKAN = "diwujudkan"  # became (part of) a masterplan programme
    DIGABUNG = "digabung"  # merged into another idea (its supports moved there)


class CommentStatus(LabelledChoice):
    """Whether a comment shows on the idea's page."""

    TAMPIL = "tampil"
    DISEMBUNYIKAN = "disembunyikan"  # hidden by a moderator, with the reason


class Dimension(LabelledChoice):
    """The six Smart City dimensions (Perda 9/2022 Pasal 9), the codes of the reference
    table ``dimensi`` (a test keeps the two equal)."""

    GOVERNANCE = "governance"
    BRANDING = "branding"
    ECONOMY = "economy"
    LIVING = "living"
    SOCIETY = "society"
    ENVIRONMENT = "environment"


class FacilityKind(LabelledChoice):
    """What kind of public facility volunteers look after (Pasal 22b)."""

    TAMAN = "taman"
    DRAINASE = "drainase"
    HALTE = "halte"
    JALUR_HIJAU = "jalur_hijau"
    LAINNYA = "lainnya"


class AdoptionStatus(LabelledChoice):
    """Where an adoption of a facility is."""

    DIAJUKAN = "diajukan"  # applied for, awaiting the staff's decision
    DISETUJUI = "disetujui"  # approved: public, the volunteer reports through a private link
    BERAKHIR = "berakhir"  # the period ended (or the volunteer stopped)
    DITOLAK = "ditolak"


class Condition(LabelledChoice):
    """A facility's condition as a volunteer saw it."""

    BAIK = "baik"
    PERLU_PERHATIAN = "perlu_perhatian"
    RUSAK = "rusak"


describe_choices(
    {
        IdeaStatus.MENUNGGU: ChoiceMeta("Menunggu moderasi", "Awaiting moderation", "#8a5a00"),
        IdeaStatus.TERBIT: ChoiceMeta("Terbit", "Published", "#1d6fa5"),
        IdeaStatus.DITOLAK: ChoiceMeta("Ditolak", "Rejected", "#b3261e"),
        IdeaStatus.DIJAWAB: ChoiceMeta("Dijawab", "Answered", "#6a3fb5"),
        IdeaStatus.DIWUJUDKAN: ChoiceMeta("Diwujudkan", "Realised", "#1b7f3b"),
        IdeaStatus.DIGABUNG: ChoiceMeta("Digabung", "Merged", "#5b6b7a"),
    }
)
describe_choices(
    {
        CommentStatus.TAMPIL: ChoiceMeta("Tampil", "Shown", "#1b7f3b"),
        CommentStatus.DISEMBUNYIKAN: ChoiceMeta("Disembunyikan", "Hidden", "#b3261e"),
    }
)
describe_choices(
    {
        Dimension.GOVERNANCE: ChoiceMeta("Smart Governance", "Smart Governance", "#1565c0"),
        Dimension.BRANDING: ChoiceMeta("Smart Branding", "Smart Branding", "#ad1457"),
        Dimension.ECONOMY: ChoiceMeta("Smart Economy", "Smart Economy", "#e65100"),
        Dimension.LIVING: ChoiceMeta("Smart Living", "Smart Living", "#00838f"),
        Dimension.SOCIETY: ChoiceMeta("Smart Society", "Smart Society", "#6a1b9a"),
        Dimension.ENVIRONMENT: ChoiceMeta("Smart Environment", "Smart Environment", "#2e7d32"),
    }
)
describe_choices(
    {
        FacilityKind.TAMAN: ChoiceMeta("Taman", "Park", "#2e7d32"),
        FacilityKind.DRAINASE: ChoiceMeta("Drainase/parit", "Drain/ditch", "#1565c0"),
        FacilityKind.HALTE: ChoiceMeta("Halte", "Bus stop", "#e65100"),
        FacilityKind.JALUR_HIJAU: ChoiceMeta("Jalur hijau", "Green strip", "#558b2f"),
        FacilityKind.LAINNYA: ChoiceMeta(
            "Fasilitas umum lainnya", "Other public facility", "#5b6b7a"
        ),
    }
)
describe_choices(
    {
        AdoptionStatus.DIAJUKAN: ChoiceMeta("Diajukan", "Applied for", "#8a5a00"),
        AdoptionStatus.DISETUJUI: ChoiceMeta("Disetujui", "Approved", "#1b7f3b"),
        AdoptionStatus.BERAKHIR: ChoiceMeta("Berakhir", "Ended", "#5b6b7a"),
        AdoptionStatus.DITOLAK: ChoiceMeta("Ditolak", "Rejected", "#b3261e"),
    }
)
describe_choices(
    {
        Condition.BAIK: ChoiceMeta("Baik", "Good", "#1b7f3b"),
        Condition.PERLU_PERHATIAN: ChoiceMeta("Perlu perhatian", "Needs attention", "#8a5a00"),
        Condition.RUSAK: ChoiceMeta("Rusak", "Damaged", "#b3261e"),
    }
)

# Ideas the public sees; the ones open to support and comments.
PUBLIC_IDEA_STATUSES = frozenset(
    {IdeaStatus.TERBIT, IdeaStatus.DIJAWAB, IdeaStatus.DIWUJUDKAN, IdeaStatus.DIGABUNG}
)
OPEN_IDEA_STATUSES = frozenset({IdeaStatus.TERBIT, IdeaStatus.DIJAWAB, IdeaStatus.DIWUJUDKAN})
# Where a drain's or a park's damage goes as a complaint (``/lapor?kategori=``).
COMPLAINT_CATEGORY = {
    FacilityKind.DRAINASE: "drainase",
    FacilityKind.TAMAN: "fasilitas-umum",
    FacilityKind.HALTE: "fasilitas-umum",
    FacilityKind.JALUR_HIJAU: "fasilitas-umum",
    FacilityKind.LAINNYA: "fasilitas-umum",
}
