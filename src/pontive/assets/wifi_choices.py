"""Vocabularies of public Wi-Fi (Perda 9/2022 Pasal 22e) and stakeholders' other technology
(Pasal 22f): who provides a hotspot, its state, what a "not working" report says, and the
life of a stakeholder's technology in the registry."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices

# The public pages: the hotspot map and the partners' technology list.
WIFI_MAP_PATH = "/wifi"
TECH_LIST_PATH = "/teknologi-mitra"
# The complaints catalogue's category of Wi-Fi reports (complaints/data/categories.json):
# its questions ``masalah`` (what is wrong) and ``hotspot`` (the hotspot's code).
WIFI_CATEGORY = "wifi-publik"
PROBLEM_ATTRIBUTE = "masalah"
HOTSPOT_ATTRIBUTE = "hotspot"


class ProviderKind(LabelledChoice):
    """Who provides a hotspot: the city, or one of the stakeholders Pasal 22e invites."""

    PEMERINTAH_KOTA = "pemerintah_kota"
    OPERATOR_SELULER = "operator_seluler"
    SWASTA = "swasta"
    KOMUNITAS = "komunitas"
    PERGURUAN_TINGGI = "perguruan_tinggi"

    @property
    def is_city(self) -> bool:
        """Whether the city government provides it (otherwise a stakeholder does)."""
        return self is ProviderKind.PEMERINTAH_KOTA


describe_choices(
    {
        ProviderKind.PEMERINTAH_KOTA: ChoiceMeta("Pemerintah Kota", "City government", "#1577a0"),
        ProviderKind.OPERATOR_SELULER: ChoiceMeta("Operator seluler", "Mobile operator", "#6a1b9a"),
        ProviderKind.SWASTA: ChoiceMeta("Swasta", "Private business", "#b26a00"),
        ProviderKind.KOMUNITAS: ChoiceMeta("Komunitas", "Community", "#2e7d32"),
        ProviderKind.PERGURUAN_TINGGI: ChoiceMeta("Perguruan tinggi", "University", "#c2185b"),
    }
)


class HotspotStatus(LabelledChoice):
    """Where a hotspot is: working, reported broken, switched off, or only planned."""

    AKTIF = "aktif"  # working
    GANGGUAN = "gangguan"  # not working: reported by citizens or known to staff
    NONAKTIF = "nonaktif"  # switched off (temporarily, or until it is removed)
    DIRENCANAKAN = "direncanakan"  # planned, not there yet

    @property
    def is_public(self) -> bool:
        """Shown to citizens: every hotspot that exists, with its state."""
        return self is not HotspotStatus.DIRENCANAKAN

    @property
    def takes_reports(self) -> bool:
        """Whether citizens may report it not working (a hotspot switched off is known off)."""
        return self in (HotspotStatus.AKTIF, HotspotStatus.GANGGUAN)


describe_choices(
    {
        HotspotStatus.AKTIF: ChoiceMeta("Aktif", "Working", "#1b7f3b"),
        HotspotStatus.GANGGUAN: ChoiceMeta("Gangguan", "Not working", "#b3261e"),
        HotspotStatus.NONAKTIF: ChoiceMeta("Nonaktif", "Switched off", "#5b6b7a"),
        HotspotStatus.DIRENCANAKAN: ChoiceMeta("Direncanakan", "Planned", "#1577a0"),
    }
)


class Problem(LabelledChoice):
    """What a citizen says is wrong with a hotspot (the category's ``masalah`` answer)."""

    TIDAK_ADA_SINYAL = "tidak-ada-sinyal"
    TIDAK_BISA_TERHUBUNG = "tidak-bisa-terhubung"
    LAMBAT = "lambat"
    LAINNYA = "lainnya"


describe_choices(
    {
        Problem.TIDAK_ADA_SINYAL: ChoiceMeta("Tidak ada sinyal", "No signal", "#b3261e"),
        Problem.TIDAK_BISA_TERHUBUNG: ChoiceMeta(
            "Sinyal ada, tetapi tidak bisa terhubung", "Signal, but cannot connect", "#b26a00"
        ),
        Problem.LAMBAT: ChoiceMeta("Sangat lambat", "Very slow", "#8d6e63"),
        Problem.LAINNYA: ChoiceMeta("Lainnya", "Something else", "#5b6b7a"),
    }
)


class StakeholderKind(LabelledChoice):
    """Who provides a technology (the smart-city stakeholders of Pasal 22)."""

    BADAN_USAHA = "badan_usaha"
    BUMN_BUMD = "bumn_bumd"
    PERGURUAN_TINGGI = "perguruan_tinggi"
    KOMUNITAS = "komunitas"
    LEMBAGA_MASYARAKAT = "lembaga_masyarakat"
    PERORANGAN = "perorangan"


describe_choices(
    {
        StakeholderKind.BADAN_USAHA: ChoiceMeta("Badan usaha swasta", "Private company", "#b26a00"),
        StakeholderKind.BUMN_BUMD: ChoiceMeta("BUMN / BUMD", "State-owned company", "#1577a0"),
        StakeholderKind.PERGURUAN_TINGGI: ChoiceMeta("Perguruan tinggi", "University", "#c2185b"),
        StakeholderKind.KOMUNITAS: ChoiceMeta("Komunitas", "Community", "#2e7d32"),
        StakeholderKind.LEMBAGA_MASYARAKAT: ChoiceMeta(
            "Lembaga swadaya masyarakat", "Non-governmental organisation", "#6a1b9a"
        ),
        StakeholderKind.PERORANGAN: ChoiceMeta("Perorangan", "Individual", "#5b6b7a"),
    }
)


class TechnologyKind(LabelledChoice):
    """What kind of technology a stakeholder provides (Pasal 22f)."""

    SENSOR = "sensor"
    APLIKASI = "aplikasi"
    JARINGAN = "jaringan"
    PERANGKAT_IOT = "perangkat_iot"
    LAINNYA = "lainnya"


describe_choices(
    {
        TechnologyKind.SENSOR: ChoiceMeta("Sensor", "Sensor", "#00897b"),
        TechnologyKind.APLIKASI: ChoiceMeta("Aplikasi", "Application", "#1577a0"),
        TechnologyKind.JARINGAN: ChoiceMeta("Jaringan", "Network", "#6a1b9a"),
        TechnologyKind.PERANGKAT_IOT: ChoiceMeta("Perangkat IoT", "IoT device", "#b26a00"),
        TechnologyKind.LAINNYA: ChoiceMeta("Lainnya", "Other", "#5b6b7a"),
    }
)


class TechnologyStatus(LabelledChoice):
    """A stakeholder's technology in the registry: submitted, checked, running, over."""

    DIAJUKAN = "diajukan"  # submitted (public form or staff), awaiting review
    DIVERIFIKASI = "diverifikasi"  # checked by staff: real, as described
    AKTIF = "aktif"  # verified and running
    BERAKHIR = "berakhir"  # over: the stakeholder stopped providing it
    DITOLAK = "ditolak"  # not accepted (a reason goes in the notes)

    @property
    def is_verified(self) -> bool:
        """Staff checked it (the public list shows only these)."""
        return self in (TechnologyStatus.DIVERIFIKASI, TechnologyStatus.AKTIF)


describe_choices(
    {
        TechnologyStatus.DIAJUKAN: ChoiceMeta("Diajukan", "Submitted", "#5b6b7a"),
        TechnologyStatus.DIVERIFIKASI: ChoiceMeta("Diverifikasi", "Verified", "#1577a0"),
        TechnologyStatus.AKTIF: ChoiceMeta("Aktif", "Active", "#1b7f3b"),
        TechnologyStatus.BERAKHIR: ChoiceMeta("Berakhir", "Ended", "#37474f"),
        TechnologyStatus.DITOLAK: ChoiceMeta("Ditolak", "Rejected", "#b3261e"),
    }
)
