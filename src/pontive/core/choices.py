"""Choices that carry meaning: every enum value has a label (id/en) and a colour.

The same mapping feeds the API enum, the pages and map legends, so a status never appears
as a bare string anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ChoiceMeta:
    """Human labels and a display colour for one enum value."""

    label_id: str
    label_en: str
    colour: str = "#5b6b7a"

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``id`` or ``en``)."""
        return self.label_en if lang == "en" else self.label_id


# Keyed by (enum, value), not by member: members of a StrEnum compare and hash as their
# string, so ``CameraStatus.DITOLAK`` and ``ComplaintStatus.DITOLAK`` would share one entry.
_META: dict[tuple[type[StrEnum], str], ChoiceMeta] = {}


class LabelledChoice(StrEnum):
    """A ``StrEnum`` whose members are described with ``describe_choices``."""

    @property
    def meta(self) -> ChoiceMeta:
        """Label and colour of this value."""
        return _META[(type(self), self.value)]

    def label(self, lang: str = "id") -> str:
        """The label of this value in ``lang``."""
        return self.meta.label(lang)

    @classmethod
    def options(cls, lang: str = "id") -> list[tuple[str, str]]:
        """``(value, label)`` pairs in declaration order, for form selects."""
        return [(member.value, member.label(lang)) for member in cls]


def describe_choices(mapping: Mapping[LabelledChoice, ChoiceMeta]) -> None:
    """Attach labels and colours; every member of the enum must be described.

    Describe enums that share a value in separate calls: in one dict literal the second
    member with an equal value replaces the first (they are equal strings), which is caught
    here as the first enum lacking a label.
    """
    keys = list(mapping)
    for enum_cls in {type(member) for member in keys}:
        missing = [m for m in enum_cls if not any(key is m for key in keys)]
        if missing:
            raise ValueError(
                f"{enum_cls.__name__} lacks labels for {missing} (an enum sharing a value "
                "with another is described in a call of its own)"
            )
    _META.update({(type(member), member.value): meta for member, meta in mapping.items()})


class Classification(LabelledChoice):
    """Data classification on every published thing (DESIGN.md, Security model)."""

    PUBLIK = "publik"
    TERBATAS = "terbatas"
    RAHASIA = "rahasia"


describe_choices(
    {
        Classification.PUBLIK: ChoiceMeta("Publik", "Public", "#1b7f3b"),
        Classification.TERBATAS: ChoiceMeta("Terbatas (staf)", "Restricted (staff)", "#b26a00"),
        Classification.RAHASIA: ChoiceMeta("Rahasia", "Confidential", "#b3261e"),
    }
)
