"""The roles of DESIGN.md (Security model) with their labels."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class Role(LabelledChoice):
    """Who a user or machine client acts as."""

    WARGA = "warga"
    OPERATOR = "operator"
    PETUGAS_PD = "petugas_pd"
    TIM_TEKNIS = "tim_teknis"
    DEWAN = "dewan"
    WALIKOTA = "walikota"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        """Staff roles may see ``terbatas`` data and use the console."""
        return self is not Role.WARGA


describe_choices(
    {
        Role.WARGA: ChoiceMeta("Warga", "Citizen", "#1d6fa5"),
        Role.OPERATOR: ChoiceMeta("Operator Pontive Center", "Command-center operator", "#8a4fff"),
        Role.PETUGAS_PD: ChoiceMeta("Petugas Perangkat Daerah", "Agency officer", "#00897b"),
        Role.TIM_TEKNIS: ChoiceMeta(
            "Tim Teknis Smart City", "Smart City technical team", "#6d4c41"
        ),
        Role.DEWAN: ChoiceMeta("Dewan Smart City", "Smart City council", "#c2185b"),
        Role.WALIKOTA: ChoiceMeta("Wali Kota", "Mayor", "#b8860b"),
        Role.ADMIN: ChoiceMeta("Administrator sistem", "System administrator", "#37474f"),
    }
)
