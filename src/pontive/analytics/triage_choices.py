"""Vocabularies of the triage part: how urgent a report is, what the operator decided."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class Urgency(LabelledChoice):
    """How soon a report needs action, as the command center judges it."""

    TINGGI = "tinggi"  # danger to people or property now
    SEDANG = "sedang"
    RENDAH = "rendah"


class Decision(LabelledChoice):
    """What the operator did with a suggestion."""

    ACCEPTED = "accepted"
    CORRECTED = "corrected"


describe_choices(
    {
        Urgency.TINGGI: ChoiceMeta("Tinggi", "High", "#b42318"),
        Urgency.SEDANG: ChoiceMeta("Sedang", "Medium", "#b54708"),
        Urgency.RENDAH: ChoiceMeta("Rendah", "Low", "#027a48"),
    }
)
describe_choices(
    {
        Decision.ACCEPTED: ChoiceMeta("Diterima", "Accepted", "#027a48"),
        Decision.CORRECTED: ChoiceMeta("Dikoreksi", "Corrected", "#b54708"),
    }
)
