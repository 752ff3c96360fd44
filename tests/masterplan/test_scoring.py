"""Achievement, red/amber/green and the weighted roll-up against hand-worked numbers."""

from __future__ import annotations

import pytest

from pontive.masterplan.choices import Direction, Rag
from pontive.masterplan.scoring import Rule, achievement, rag, weighted

HIGHER = Rule(Direction.HIGHER, green_at=1.0, amber_at=0.8)
LOWER = Rule(Direction.LOWER, green_at=1.0, amber_at=0.8)


@pytest.mark.parametrize(
    ("value", "target", "share", "colour"),
    [
        (90.0, 90.0, 1.0, Rag.GREEN),  # on target
        (99.0, 90.0, 1.0, Rag.GREEN),  # above: capped at 1
        (72.0, 90.0, 0.8, Rag.AMBER),  # 72 / 90 = 0.8 exactly: amber's edge
        (71.9, 90.0, 71.9 / 90.0, Rag.RED),  # just below
        (0.0, 90.0, 0.0, Rag.RED),
    ],
)
def test_higher_is_better(value: float, target: float, share: float, colour: Rag) -> None:
    assert achievement(HIGHER, value, target) == pytest.approx(share)
    assert rag(HIGHER, value, target) is colour


@pytest.mark.parametrize(
    ("value", "target", "share", "colour"),
    [
        (48.0, 48.0, 1.0, Rag.GREEN),  # resolution hours on target
        (40.0, 48.0, 1.0, Rag.GREEN),  # faster than the target: capped
        (60.0, 48.0, 0.8, Rag.AMBER),  # 48 / 60 = 0.8
        (64.0, 48.0, 0.75, Rag.RED),  # 48 / 64 = 0.75
        (0.0, 48.0, 1.0, Rag.GREEN),  # nothing left: the best there is
    ],
)
def test_lower_is_better(value: float, target: float, share: float, colour: Rag) -> None:
    assert achievement(LOWER, value, target) == pytest.approx(share)
    assert rag(LOWER, value, target) is colour


def test_a_baseline_measures_the_distance_travelled() -> None:
    # From 40 % (baseline) towards 90 %: at 65 % half the way is done.
    rule = Rule(Direction.HIGHER, baseline=40.0)
    assert achievement(rule, 65.0, 90.0) == pytest.approx(0.5)
    assert rag(rule, 65.0, 90.0) is Rag.RED
    assert achievement(rule, 30.0, 90.0) == 0.0  # worse than the baseline: nothing done
    # Down from 72 hours to 48: at 54 hours, 18 of 24 hours are gone = 0.75.
    down = Rule(Direction.LOWER, baseline=72.0)
    assert achievement(down, 54.0, 48.0) == pytest.approx(0.75)


def test_a_band_is_green_inside_amber_within_tolerance_red_beyond() -> None:
    rule = Rule(Direction.BAND, band_low=150.0, band_high=200.0, band_tolerance=20.0)
    assert (achievement(rule, 175.0, None), rag(rule, 175.0, None)) == (1.0, Rag.GREEN)
    assert achievement(rule, 210.0, None) == pytest.approx(0.5)  # 10 of 20 beyond the top
    assert rag(rule, 210.0, None) is Rag.AMBER
    assert rag(rule, 140.0, None) is Rag.AMBER  # 10 below the bottom
    assert (achievement(rule, 125.0, None), rag(rule, 125.0, None)) == (0.0, Rag.RED)
    strict = Rule(Direction.BAND, band_low=150.0, band_high=200.0)
    assert rag(strict, 201.0, None) is Rag.RED


def test_no_value_or_no_target_says_nothing() -> None:
    assert rag(HIGHER, None, 90.0) is Rag.NONE
    assert rag(HIGHER, 50.0, None) is Rag.NONE
    assert achievement(LOWER, None, 48.0) is None


def test_custom_thresholds() -> None:
    lenient = Rule(Direction.HIGHER, green_at=0.9, amber_at=0.6)
    assert rag(lenient, 81.0, 90.0) is Rag.GREEN  # 0.9 of the target
    assert rag(lenient, 54.0, 90.0) is Rag.AMBER  # 0.6
    assert rag(lenient, 53.0, 90.0) is Rag.RED


def test_the_weighted_roll_up() -> None:
    # A programme: indicator A 1.0 (weight 2), indicator B 0.5 (weight 1), an activity at
    # 0.8 (weight 1), and an indicator not measured yet (left out):
    # (2 * 1.0 + 1 * 0.5 + 1 * 0.8) / (2 + 1 + 1) = 3.3 / 4 = 0.825.
    programme = weighted([(1.0, 2.0), (0.5, 1.0), (0.8, 1.0), (None, 5.0)])
    assert programme == pytest.approx(0.825)
    # A dimension of two programmes weighted 3 and 1: (3 * 0.825 + 1 * 0.4) / 4 = 0.71875.
    assert weighted([(programme, 3.0), (0.4, 1.0)]) == pytest.approx(0.71875)
    assert weighted([(None, 1.0), (0.7, 0.0)]) is None  # nothing measured, or weight 0
