"""Vocabularies of the data-quality checks: what a flag says and where its review stands."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class FlagKind(LabelledChoice):
    """What a check found."""

    SPIKE = "spike"  # one reading far from its neighbours in time
    STUCK = "stuck"  # the same value for too long, where the quantity normally varies
    RANGE = "range"  # a value outside what is physically possible
    DRIFT = "drift"  # the difference to neighbouring stations moving away from its usual value
    GAP = "gap"  # no readings for longer than a few expected intervals


class FlagStatus(LabelledChoice):
    """Where a flag's review stands."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


# Period kinds cover every reading in [start, end]; point kinds one reading each.
POINT_KINDS = frozenset({FlagKind.SPIKE})
# Kinds whose readings stay out of the city indices (sensors.indices_quality.EXCLUDING).
EXCLUDING_KINDS = frozenset({FlagKind.SPIKE, FlagKind.STUCK, FlagKind.RANGE})
# Kinds written into the flagged observations' resultQuality (a gap has no observation).
MARKED_KINDS = frozenset({FlagKind.SPIKE, FlagKind.STUCK, FlagKind.RANGE, FlagKind.DRIFT})

describe_choices(
    {
        FlagKind.SPIKE: ChoiceMeta("Lonjakan", "Spike", "#c62828"),
        FlagKind.STUCK: ChoiceMeta("Nilai macet", "Stuck value", "#6a1b9a"),
        FlagKind.RANGE: ChoiceMeta("Di luar rentang fisik", "Out of physical range", "#ad1457"),
        FlagKind.DRIFT: ChoiceMeta("Menyimpang dari tetangga", "Drift from neighbours", "#e65100"),
        FlagKind.GAP: ChoiceMeta("Data hilang", "Gap", "#546e7a"),
    }
)
describe_choices(
    {
        FlagStatus.OPEN: ChoiceMeta("Belum ditinjau", "Open", "#b26a00"),
        FlagStatus.CONFIRMED: ChoiceMeta("Dikonfirmasi", "Confirmed", "#b3261e"),
        FlagStatus.DISMISSED: ChoiceMeta("Ditolak (data benar)", "Dismissed", "#1b7f3b"),
    }
)
