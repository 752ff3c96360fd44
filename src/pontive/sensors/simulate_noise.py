"""Deterministic noise for the simulator: the same (seed, keys) always give the same number.

The simulator and the demo history must agree to the last digit whatever order they ask in,
so randomness is a function of its coordinates (a SplitMix64 hash, or a generator seeded by
that hash), never a generator's running state shared between calls.
"""

from __future__ import annotations

import math
import random
import zlib
from functools import lru_cache

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _mix(value: int) -> int:
    # SplitMix64 finaliser (Steele, Lea, Flood 2014): a well-distributed 64-bit hash.
    value = (value + _GOLDEN) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def key_of(text: str) -> int:
    """A stable integer for a name (Python's own ``hash`` changes between processes)."""
    return zlib.crc32(text.encode("utf-8"))


def unit(seed: int, *keys: int) -> float:
    """A uniform number in [0, 1) fixed by ``seed`` and ``keys``."""
    value = _mix(seed & _MASK)
    for key in keys:
        value = _mix(value ^ (key & _MASK))
    return (value >> 11) / float(1 << 53)


def gauss(seed: int, *keys: int) -> float:
    """A standard normal number fixed by ``seed`` and ``keys`` (Box-Muller)."""
    first = unit(seed, *keys, 1)
    second = unit(seed, *keys, 2)
    return math.sqrt(-2.0 * math.log(1.0 - first)) * math.cos(2.0 * math.pi * second)


def smooth(seed: int, key: int, hours: float, periods_hours: tuple[float, ...]) -> float:
    """A slowly varying signal in about [-1, 1]: sinusoids of the given periods with phases
    fixed by the seed, so wet spells and haze episodes last days rather than minutes."""
    total = 0.0
    for index, period in enumerate(periods_hours):
        phase = 2.0 * math.pi * unit(seed, key, index)
        total += math.sin(2.0 * math.pi * hours / period + phase)
    return total / math.sqrt(len(periods_hours) * 0.5) / 1.6


class NoiseTable:
    """Standard normal draws for (key, instant), made a WIB day at a time.

    Hashing every draw costs ~10 µs in Python; one seeded generator per (key, day) filling the
    day's slots costs well under 1 µs a draw, and stays a pure function of its coordinates.
    """

    def __init__(self, seed: int, slots_per_day: int) -> None:
        self.seed = seed
        self.slots_per_day = slots_per_day
        self._days = lru_cache(maxsize=8192)(self._day)

    def _day(self, key: int, day: int) -> tuple[float, ...]:
        rng = random.Random(_mix(_mix(self.seed ^ key) ^ (day & _MASK)))  # noqa: S311 - simulated data, not security
        return tuple(rng.gauss(0.0, 1.0) for _ in range(self.slots_per_day))

    def normal(self, key: int, hours: float) -> float:
        """The draw for ``key`` in the slot holding epoch hour ``hours``."""
        slot = math.floor((hours + 7.0) / 24.0 * self.slots_per_day)
        day, index = divmod(slot, self.slots_per_day)
        return self._days(key, day)[index]
