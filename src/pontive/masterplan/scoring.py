"""How far an indicator is towards its target, its red/amber/green status, and the weighted
roll-up from indicators to activities, programmes and dimensions. Pure functions: the
services feed them rows, the tests feed them hand-worked numbers.

Achievement is the share of the target reached, capped at ``CAP`` so one indicator far above
its target cannot hide another far below:

- higher is better: value ÷ target (with a baseline: (value - baseline) ÷ (target - baseline));
- lower is better: target ÷ value (with a baseline: (baseline - value) ÷ (baseline - target));
- a band: 1 inside it; outside, 1 - distance ÷ tolerance (0 beyond the tolerance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pontive.masterplan.choices import Direction, Rag

CAP = 1.0  # progress counts up to the target, not beyond


@dataclass(frozen=True, slots=True)
class Rule:
    """What scoring needs of an indicator."""

    direction: Direction
    green_at: float = 1.0
    amber_at: float = 0.8
    baseline: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    band_tolerance: float | None = None


def achievement(rule: Rule, value: float | None, target: float | None) -> float | None:
    """The share of the target reached (0 to ``CAP``), or ``None`` when it cannot be said."""
    if value is None:
        return None
    if rule.direction is Direction.BAND:
        return _band(rule, value)
    if target is None:
        return None
    base = rule.baseline
    if rule.direction is Direction.HIGHER:
        if base is not None and target != base:
            share = (value - base) / (target - base)
        elif target == 0:
            share = 1.0 if value >= 0 else 0.0
        else:
            share = value / target
    else:
        if base is not None and target != base:
            share = (base - value) / (base - target)
        elif value <= 0:
            share = CAP  # nothing left of what should go down
        else:
            share = target / value
    return min(max(share, 0.0), CAP)


def _band(rule: Rule, value: float) -> float | None:
    low, high = rule.band_low, rule.band_high
    if low is None or high is None:
        return None
    if low <= value <= high:
        return 1.0
    distance = low - value if value < low else value - high
    tolerance = rule.band_tolerance or 0.0
    if tolerance <= 0:
        return 0.0
    return max(0.0, 1.0 - distance / tolerance)


def rag(rule: Rule, value: float | None, target: float | None) -> Rag:
    """Green at ``green_at`` of the target or better, amber at ``amber_at``, red below.

    A band is green inside, amber within its tolerance, red beyond."""
    share = achievement(rule, value, target)
    if share is None:
        return Rag.NONE
    if rule.direction is Direction.BAND:
        return Rag.GREEN if share >= 1.0 else Rag.AMBER if share > 0.0 else Rag.RED
    if share >= rule.green_at:
        return Rag.GREEN
    if share >= rule.amber_at:
        return Rag.AMBER
    return Rag.RED


def weighted(parts: Iterable[tuple[float | None, float]]) -> float | None:
    """The weighted mean of ``(progress, weight)`` pairs, leaving out those without progress
    (not measured yet) and those of weight 0; ``None`` when nothing is left."""
    total = weight_sum = 0.0
    for progress, weight in parts:
        if progress is None or weight <= 0:
            continue
        total += progress * weight
        weight_sum += weight
    return total / weight_sum if weight_sum else None
