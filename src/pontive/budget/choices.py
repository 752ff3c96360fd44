"""Budget vocabularies: the sources and the seven categories of Pasal 24."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class FundingSource(LabelledChoice):
    """Where the money comes from (Pasal 24(1))."""

    APBD = "apbd"  # the regional budget
    LAINNYA = "lainnya"  # other lawful income (grants, CSR, partnerships …)


class Category(LabelledChoice):
    """What the money is for (Pasal 24(2) a-g)."""

    REGULASI = "regulasi"  # a. regulation and policy
    INFRASTRUKTUR = "infrastruktur"  # b. infrastructure
    TEKNOLOGI = "teknologi"  # c. hardware, software and other technology
    TENAGA_AHLI = "tenaga_ahli"  # d. experts
    OPERASIONAL = "operasional"  # e. operations
    SDM = "sdm"  # f. civil-servant development
    LAINNYA = "lainnya"  # g. other activities


describe_choices(
    {
        FundingSource.APBD: ChoiceMeta("APBD", "Regional budget (APBD)", "#0b4f6c"),
        FundingSource.LAINNYA: ChoiceMeta("Sumber lain yang sah", "Other lawful income", "#8a4fff"),
    }
)
describe_choices(
    {
        Category.REGULASI: ChoiceMeta(
            "a. Regulasi dan kebijakan", "a. Regulation and policy", "#1d4e89"
        ),
        Category.INFRASTRUKTUR: ChoiceMeta("b. Infrastruktur", "b. Infrastructure", "#ef6c00"),
        Category.TEKNOLOGI: ChoiceMeta(
            "c. Perangkat keras, perangkat lunak dan teknologi lain",
            "c. Hardware, software and other technology",
            "#00838f",
        ),
        Category.TENAGA_AHLI: ChoiceMeta("d. Tenaga ahli", "d. Experts", "#6a1b9a"),
        Category.OPERASIONAL: ChoiceMeta("e. Operasional", "e. Operations", "#2e7d32"),
        Category.SDM: ChoiceMeta(
            "f. Pengembangan SDM aparatur", "f. Civil-servant development", "#c2185b"
        ),
        Category.LAINNYA: ChoiceMeta("g. Kegiatan lain", "g. Other activities", "#5b6b7a"),
    }
)
