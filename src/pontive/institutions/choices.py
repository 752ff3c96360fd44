"""Institutions vocabularies: the council's elements and positions (Perda 9/2022 Pasal 5),
decrees, duties, recommendations, partnerships (Pasal 21), capacity building (Pasal 12) and
certifications, each with its label in both languages and its colour."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class DecreeKind(LabelledChoice):
    """What a mayor's decree (Keputusan Wali Kota) establishes."""

    DEWAN = "dewan"  # Pasal 5(4)
    TIM_TEKNIS = "tim_teknis"  # Pasal 6(2)
    LAINNYA = "lainnya"


class CouncilElement(LabelledChoice):
    """The elements the council is made of (Pasal 5(1) a-d)."""

    PEMERINTAH = "pemerintah"
    AKADEMISI = "akademisi"
    MASYARAKAT = "masyarakat"
    DUNIA_USAHA = "dunia_usaha"


class CouncilPosition(LabelledChoice):
    """A seat in the council's organisation (Pasal 5(2)); ``anggota`` are its other members."""

    KETUA = "ketua"
    WAKIL_KETUA = "wakil_ketua"
    SEKRETARIS = "sekretaris"
    ANGGOTA = "anggota"


class Body(LabelledChoice):
    """The two institutions of Pasal 4."""

    DEWAN = "dewan"
    TIM_TEKNIS = "tim_teknis"


class TeamPosition(LabelledChoice):
    """A place in the technical team (its structure is set by decree, Pasal 6(2))."""

    PENGARAH = "pengarah"
    KETUA = "ketua"
    SEKRETARIS = "sekretaris"
    KOORDINATOR = "koordinator"
    ANGGOTA = "anggota"


class RecommendationStatus(LabelledChoice):
    """Where a council recommendation stands, up to its outcome (Pasal 5(3)c)."""

    DIAJUKAN = "diajukan"
    DITINDAKLANJUTI = "ditindaklanjuti"
    SELESAI = "selesai"
    DITOLAK = "ditolak"

    @property
    def is_open(self) -> bool:
        """Whether the recommendation still awaits its outcome."""
        return self in OPEN_RECOMMENDATION


OPEN_RECOMMENDATION = (RecommendationStatus.DIAJUKAN, RecommendationStatus.DITINDAKLANJUTI)


class PartnershipKind(LabelledChoice):
    """The forms of cooperation of Pasal 21."""

    G2B = "g2b"  # (1)
    G2C = "g2c"  # (1)
    G2G = "g2g"  # (1)
    PERGURUAN_TINGGI = "perguruan_tinggi"  # (2)
    BADAN_USAHA = "badan_usaha"  # (3)


class PartnershipStatus(LabelledChoice):
    """An agreement's life."""

    DRAF = "draf"
    AKTIF = "aktif"
    BERAKHIR = "berakhir"
    DIHENTIKAN = "dihentikan"


class CapacityKind(LabelledChoice):
    """Capacity building of Pasal 12(3) a-d."""

    PELATIHAN = "pelatihan"
    BIMTEK = "bimtek"
    MAGANG = "magang"
    SOSIALISASI = "sosialisasi"


class CertificationLevel(LabelledChoice):
    """National or international certification (Pasal 12(4))."""

    NASIONAL = "nasional"
    INTERNASIONAL = "internasional"


describe_choices(
    {
        DecreeKind.DEWAN: ChoiceMeta("Dewan Smart City", "Smart City Council", "#c2185b"),
        DecreeKind.TIM_TEKNIS: ChoiceMeta("Tim Teknis", "Technical Team", "#6d4c41"),
        DecreeKind.LAINNYA: ChoiceMeta("Lainnya", "Other", "#5b6b7a"),
    }
)
describe_choices(
    {
        CouncilElement.PEMERINTAH: ChoiceMeta("Pemerintah Daerah", "Local government", "#1d6fa5"),
        CouncilElement.AKADEMISI: ChoiceMeta("Akademisi", "Academia", "#6a1b9a"),
        CouncilElement.MASYARAKAT: ChoiceMeta("Masyarakat", "Community", "#2e7d32"),
        CouncilElement.DUNIA_USAHA: ChoiceMeta("Dunia usaha", "Business", "#995c00"),
    }
)
describe_choices(
    {
        CouncilPosition.KETUA: ChoiceMeta("Ketua", "Chair", "#37474f"),
        CouncilPosition.WAKIL_KETUA: ChoiceMeta("Wakil ketua", "Vice chair", "#455a64"),
        CouncilPosition.SEKRETARIS: ChoiceMeta("Sekretaris", "Secretary", "#546e7a"),
        CouncilPosition.ANGGOTA: ChoiceMeta("Anggota", "Member", "#5b6b7a"),
    }
)
describe_choices(
    {
        Body.DEWAN: ChoiceMeta("Dewan Smart City", "Smart City Council", "#c2185b"),
        Body.TIM_TEKNIS: ChoiceMeta(
            "Tim Teknis Smart City", "Smart City Technical Team", "#6d4c41"
        ),
    }
)
describe_choices(
    {
        TeamPosition.PENGARAH: ChoiceMeta("Pengarah", "Steering", "#37474f"),
        TeamPosition.KETUA: ChoiceMeta("Ketua", "Chair", "#455a64"),
        TeamPosition.SEKRETARIS: ChoiceMeta("Sekretaris", "Secretary", "#546e7a"),
        TeamPosition.KOORDINATOR: ChoiceMeta("Koordinator bidang", "Area coordinator", "#5b6b7a"),
        TeamPosition.ANGGOTA: ChoiceMeta("Anggota", "Member", "#5b6b7a"),
    }
)
describe_choices(
    {
        RecommendationStatus.DIAJUKAN: ChoiceMeta("Diajukan", "Submitted", "#1d6fa5"),
        RecommendationStatus.DITINDAKLANJUTI: ChoiceMeta(
            "Ditindaklanjuti", "Being acted on", "#995c00"
        ),
        RecommendationStatus.SELESAI: ChoiceMeta("Selesai", "Done", "#2e7d32"),
        RecommendationStatus.DITOLAK: ChoiceMeta("Ditolak", "Declined", "#b3261e"),
    }
)
describe_choices(
    {
        PartnershipKind.G2B: ChoiceMeta(
            "Pemerintah dengan bisnis (G2B)", "Government to business (G2B)", "#995c00"
        ),
        PartnershipKind.G2C: ChoiceMeta(
            "Pemerintah dengan warga (G2C)", "Government to citizen (G2C)", "#2e7d32"
        ),
        PartnershipKind.G2G: ChoiceMeta(
            "Antarpemerintah (G2G)", "Government to government (G2G)", "#1d6fa5"
        ),
        PartnershipKind.PERGURUAN_TINGGI: ChoiceMeta(
            "Perguruan tinggi dan lembaga riset", "University and research body", "#6a1b9a"
        ),
        PartnershipKind.BADAN_USAHA: ChoiceMeta("Badan usaha", "Business entity", "#795548"),
    }
)
describe_choices(
    {
        PartnershipStatus.DRAF: ChoiceMeta("Draf", "Draft", "#5b6b7a"),
        PartnershipStatus.AKTIF: ChoiceMeta("Aktif", "Active", "#2e7d32"),
        PartnershipStatus.BERAKHIR: ChoiceMeta("Berakhir", "Ended", "#8a99a5"),
        PartnershipStatus.DIHENTIKAN: ChoiceMeta("Dihentikan", "Terminated", "#b3261e"),
    }
)
describe_choices(
    {
        CapacityKind.PELATIHAN: ChoiceMeta(
            "Pendidikan dan pelatihan teknis", "Technical training", "#1d6fa5"
        ),
        CapacityKind.BIMTEK: ChoiceMeta("Bimbingan teknis", "Technical guidance", "#00897b"),
        CapacityKind.MAGANG: ChoiceMeta("Magang kerja", "Work internship", "#6a1b9a"),
        CapacityKind.SOSIALISASI: ChoiceMeta("Sosialisasi", "Socialisation", "#995c00"),
    }
)
describe_choices(
    {
        CertificationLevel.NASIONAL: ChoiceMeta("Nasional", "National", "#1d6fa5"),
        CertificationLevel.INTERNASIONAL: ChoiceMeta("Internasional", "International", "#6a1b9a"),
    }
)
