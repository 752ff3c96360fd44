"""Labelled choices: each enum keeps its own labels, even when values coincide."""

from __future__ import annotations

import pytest

from pontive.cctv.choices import CameraStatus, FootageStatus, Health
from pontive.complaints.choices import ComplaintStatus
from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices
from pontive.sensors.choices import DeviceHealth


def test_equal_values_of_different_enums_keep_their_own_labels() -> None:
    # StrEnum members equal their strings: keyed by member, these would share one label.
    assert CameraStatus.DITOLAK == FootageStatus.DITOLAK == ComplaintStatus.DITOLAK
    assert FootageStatus.DITOLAK.label() == "Ditolak pemilik"
    assert CameraStatus.DITOLAK.label() == "Ditolak"
    assert ComplaintStatus.DITOLAK.meta is not FootageStatus.DITOLAK.meta
    assert Health.OFFLINE.label() == "Luring"  # a camera
    assert DeviceHealth.OFFLINE.label() == "Mati / tidak melapor"  # a sensor


def test_describing_two_enums_with_a_shared_value_in_one_call_is_refused() -> None:
    class First(LabelledChoice):
        SAME = "same"

    class Second(LabelledChoice):
        SAME = "same"
        OTHER = "other"

    # In one dict the second "same" replaces the first's value under the first's key: the
    # second enum then lacks a label for it.
    with pytest.raises(ValueError, match="Second lacks labels"):
        describe_choices({
            First.SAME: ChoiceMeta("a", "a"), Second.SAME: ChoiceMeta("b", "b"),
            Second.OTHER: ChoiceMeta("c", "c"),
        })  # fmt: skip
    describe_choices({First.SAME: ChoiceMeta("a", "a")})
    describe_choices({Second.SAME: ChoiceMeta("b", "b"), Second.OTHER: ChoiceMeta("c", "c")})
    assert (First.SAME.label(), Second.SAME.label()) == ("a", "b")
