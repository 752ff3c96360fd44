"""Choices of the information-system assessments (Perda 9/2022 Pasal 19(4)): the areas a
checklist covers, the answers and what each is worth, the assessment's and a finding's
status, a finding's severity and the rating bands of a score.

Enums sharing a value (``selesai``) are described in calls of their own (core/choices.py).
"""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class AssessmentArea(LabelledChoice):
    """The area of a checklist item (the security triad, interoperability, personal data
    protection under UU 27/2022, and governance as SPBE audit practice groups them)."""

    KERAHASIAAN = "kerahasiaan"
    INTEGRITAS = "integritas"
    KETERSEDIAAN = "ketersediaan"
    INTEROPERABILITAS = "interoperabilitas"
    PELINDUNGAN_DATA = "pelindungan_data"
    TATA_KELOLA = "tata_kelola"


class AssessmentStatus(LabelledChoice):
    """Where an assessment stands; ``selesai`` freezes its answers."""

    DRAF = "draf"
    BERLANGSUNG = "berlangsung"
    SELESAI = "selesai"


class Answer(LabelledChoice):
    """How far a system meets one checklist item."""

    MEMENUHI = "memenuhi"
    SEBAGIAN = "sebagian"
    TIDAK_MEMENUHI = "tidak_memenuhi"
    TIDAK_BERLAKU = "tidak_berlaku"

    @property
    def credit(self) -> float | None:
        """The share of the item's weight earned; ``None``: left out of the score."""
        return _CREDIT[self]


_CREDIT: dict[Answer, float | None] = {
    Answer.MEMENUHI: 1.0,
    Answer.SEBAGIAN: 0.5,
    Answer.TIDAK_MEMENUHI: 0.0,
    Answer.TIDAK_BERLAKU: None,
}


class Severity(LabelledChoice):
    """How serious a finding is."""

    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"
    KRITIS = "kritis"


class FindingStatus(LabelledChoice):
    """Where the follow-up of a finding stands; the last two close it."""

    TERBUKA = "terbuka"
    DITANGANI = "ditangani"
    SELESAI = "selesai"
    RISIKO_DITERIMA = "risiko_diterima"

    @property
    def is_open(self) -> bool:
        """Whether the finding still needs work (and reminders)."""
        return self in OPEN_FINDING


OPEN_FINDING = (FindingStatus.TERBUKA, FindingStatus.DITANGANI)


class Rating(LabelledChoice):
    """The rating of a score (0-100), by ``BANDS``."""

    BAIK = "baik"
    CUKUP = "cukup"
    KURANG = "kurang"
    BURUK = "buruk"


# Lowest score of each rating, best first.
BANDS: tuple[tuple[float, Rating], ...] = (
    (85.0, Rating.BAIK),
    (70.0, Rating.CUKUP),
    (50.0, Rating.KURANG),
    (0.0, Rating.BURUK),
)


def rating_of(score: float | None) -> Rating | None:
    """The rating of ``score`` (none without a score)."""
    if score is None:
        return None
    return next(rating for bottom, rating in BANDS if score >= bottom)


describe_choices(
    {
        AssessmentArea.KERAHASIAAN: ChoiceMeta("Kerahasiaan", "Confidentiality", "#6a1b9a"),
        AssessmentArea.INTEGRITAS: ChoiceMeta("Integritas", "Integrity", "#1d6fa5"),
        AssessmentArea.KETERSEDIAAN: ChoiceMeta("Ketersediaan", "Availability", "#00796b"),
        AssessmentArea.INTEROPERABILITAS: ChoiceMeta(
            "Interoperabilitas", "Interoperability", "#995c00"
        ),
        AssessmentArea.PELINDUNGAN_DATA: ChoiceMeta(
            "Pelindungan data pribadi", "Personal data protection", "#c2185b"
        ),
        AssessmentArea.TATA_KELOLA: ChoiceMeta("Tata kelola", "Governance", "#37474f"),
    }
)
describe_choices(
    {
        AssessmentStatus.DRAF: ChoiceMeta("Draf", "Draft", "#5b6b7a"),
        AssessmentStatus.BERLANGSUNG: ChoiceMeta("Berlangsung", "In progress", "#1d6fa5"),
        AssessmentStatus.SELESAI: ChoiceMeta("Selesai", "Completed", "#2e7d32"),
    }
)
describe_choices(
    {
        Answer.MEMENUHI: ChoiceMeta("Memenuhi", "Meets", "#2e7d32"),
        Answer.SEBAGIAN: ChoiceMeta("Sebagian", "Partly", "#995c00"),
        Answer.TIDAK_MEMENUHI: ChoiceMeta("Tidak memenuhi", "Does not meet", "#b3261e"),
        Answer.TIDAK_BERLAKU: ChoiceMeta("Tidak berlaku", "Not applicable", "#5b6b7a"),
    }
)
describe_choices(
    {
        Severity.RENDAH: ChoiceMeta("Rendah", "Low", "#5b6b7a"),
        Severity.SEDANG: ChoiceMeta("Sedang", "Medium", "#995c00"),
        Severity.TINGGI: ChoiceMeta("Tinggi", "High", "#b3261e"),
        Severity.KRITIS: ChoiceMeta("Kritis", "Critical", "#6d0f0a"),
    }
)
describe_choices(
    {
        FindingStatus.TERBUKA: ChoiceMeta("Terbuka", "Open", "#b3261e"),
        FindingStatus.DITANGANI: ChoiceMeta("Sedang ditangani", "Being handled", "#1d6fa5"),
        FindingStatus.SELESAI: ChoiceMeta("Selesai", "Resolved", "#2e7d32"),
        FindingStatus.RISIKO_DITERIMA: ChoiceMeta("Risiko diterima", "Risk accepted", "#5b6b7a"),
    }
)
describe_choices(
    {
        Rating.BAIK: ChoiceMeta("Baik", "Good", "#2e7d32"),
        Rating.CUKUP: ChoiceMeta("Cukup", "Fair", "#1d6fa5"),
        Rating.KURANG: ChoiceMeta("Kurang", "Poor", "#995c00"),
        Rating.BURUK: ChoiceMeta("Buruk", "Bad", "#b3261e"),
    }
)
