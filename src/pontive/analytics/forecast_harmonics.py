"""Tidal constituents and the Rayleigh criterion: which ones a record can resolve.

Two constituents can be told apart by least squares only when the record spans at least one
full cycle of their beat, ``T >= R / |f1 - f2|`` (the Rayleigh criterion, R = 1; Foreman,
*Manual for tidal heights analysis and prediction*, 1977, §2.3; Pawlowicz et al., T_TIDE,
2002). Constituents are taken in order of their usual importance and kept when they are
resolved from every one ranked before them and from the mean level (frequency 0): a month resolves
K1/O1 and M2/S2, about four weeks add N2 and Q1; P1 and K2 need half a year (they stay
folded into K1 and S2) and the seasonal Ssa and Sa half a year and a year.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

RAYLEIGH = 1.0
_UNIX_EPOCH_JD = 2440587.5
_J2000_JD = 2451545.0


def _sun_mean_longitude(julian_day: float) -> float:
    """The Sun's mean longitude h (degrees; Meeus, *Astronomical Algorithms*, 25.2)."""
    centuries = (julian_day - _J2000_JD) / 36525.0
    return (280.46646 + 36000.76983 * centuries + 0.0003032 * centuries**2) % 360.0


H0 = _sun_mean_longitude(_UNIX_EPOCH_JD)  # at 1970-01-01 00:00 UTC


@dataclass(frozen=True, slots=True)
class Constituent:
    """A tidal constituent: its name and speed (degrees per mean solar hour)."""

    name: str
    speed: float  # °/h (Schureman 1958; IHO standard speeds)

    @property
    def frequency(self) -> float:
        """Cycles per hour."""
        return self.speed / 360.0

    @property
    def period_hours(self) -> float:
        """Hours per cycle."""
        return 360.0 / self.speed

    @property
    def omega(self) -> float:
        """Radians per hour."""
        return math.radians(self.speed)


# In the order they are considered: the largest diurnal and semidiurnal ones first (the
# equilibrium tide's ranking, diurnal first since Pontianak's tide is mainly diurnal), then the
# shallow-water overtides of the river and the seasonal terms.
CONSTITUENTS: tuple[Constituent, ...] = (
    Constituent("K1", 15.0410686),
    Constituent("M2", 28.9841042),
    Constituent("O1", 13.9430356),
    Constituent("S2", 30.0000000),
    Constituent("P1", 14.9589314),
    Constituent("N2", 28.4397295),
    Constituent("K2", 30.0821373),
    Constituent("Q1", 13.3986609),
    Constituent("M4", 57.9682084),
    Constituent("MS4", 58.9841042),
    Constituent("Ssa", 0.0821373),
    Constituent("Sa", 0.0410686),
)
BY_NAME = {c.name: c for c in CONSTITUENTS}


@dataclass(frozen=True, slots=True)
class Inference:
    """A constituent too close to a larger one to resolve, carried along with it at the
    equilibrium tide's amplitude ratio and the same Greenwich phase (Foreman 1977, §2.3.2):
    ``offset`` is the difference of their astronomical arguments at the epoch,
    ``V_reference(0) - V_inferred(0)``."""

    inferred: str
    reference: str
    ratio: float
    offset: float  # degrees


# Schureman's arguments: V(K1) = T + h - 90°, V(P1) = T - h + 90°, V(S2) = 2T, V(K2) = 2T + 2h;
# ratios from Doodson's coefficients (P1/K1 0.1755/0.5305, K2/S2 0.1151/0.4229). Only the pairs a
# record needs about half a year to resolve; N2 and Q1 come within a month and are fitted.
INFERENCES: tuple[Inference, ...] = (
    Inference("P1", "K1", 0.331, (2.0 * H0 - 180.0) % 360.0),
    Inference("K2", "S2", 0.272, (-2.0 * H0) % 360.0),
)


def rayleigh_select(
    record_hours: float, candidates: Sequence[Constituent] = CONSTITUENTS
) -> list[Constituent]:
    """The candidates a record of ``record_hours`` resolves, in the candidates' order: each
    one resolved from the mean level and from every candidate ranked before it, kept or not
    (so Q1 never stands in for an unresolved O1, nor K2 for S2)."""
    chosen: list[Constituent] = []
    for rank, constituent in enumerate(candidates):
        separations = [constituent.frequency] + [
            abs(constituent.frequency - before.frequency) for before in candidates[:rank]
        ]
        if all(record_hours * gap >= RAYLEIGH for gap in separations):
            chosen.append(constituent)
    return chosen


def inferences_for(constituents: Sequence[Constituent]) -> tuple[Inference, ...]:
    """The inferences that apply: reference chosen, inferred constituent not resolved."""
    names = {c.name for c in constituents}
    return tuple(i for i in INFERENCES if i.reference in names and i.inferred not in names)


def harmonic_columns(
    hours: NDArray[np.float64],
    constituents: Sequence[Constituent],
    inferences: Sequence[Inference] = (),
) -> NDArray[np.float64]:
    """``cos`` and ``sin`` of each constituent at ``hours`` (epoch hours), side by side; a
    reference's columns carry its inferred companion."""
    if not constituents:
        return np.zeros((len(hours), 0))
    phases = np.outer(hours, [c.omega for c in constituents])
    cosines, sines = np.cos(phases), np.sin(phases)
    index = {c.name: position for position, c in enumerate(constituents)}
    for inference in inferences:
        position = index[inference.reference]
        shifted = hours * BY_NAME[inference.inferred].omega - math.radians(inference.offset)
        cosines[:, position] += inference.ratio * np.cos(shifted)
        sines[:, position] += inference.ratio * np.sin(shifted)
    return np.hstack([cosines, sines])


def amplitudes_phases(
    coefficients: NDArray[np.float64], constituents: Sequence[Constituent]
) -> list[tuple[str, float, float]]:
    """``(name, amplitude, phase°)`` from the cos/sin coefficients: ``A cos(ωt - g)`` with t in
    hours since 1970-01-01 00:00 UTC (phases are relative to that instant, not Greenwich)."""
    count = len(constituents)
    result = []
    for index, constituent in enumerate(constituents):
        a, b = float(coefficients[index]), float(coefficients[count + index])
        phase = math.degrees(math.atan2(b, a)) % 360.0
        result.append((constituent.name, math.hypot(a, b), phase))
    return result


def coefficients_of(
    amplitudes: Sequence[tuple[str, float, float]],
) -> tuple[list[Constituent], NDArray[np.float64]]:
    """The inverse of :func:`amplitudes_phases` (a stored model read back)."""
    constituents = [BY_NAME[name] for name, _amplitude, _phase in amplitudes]
    cosines = [amp * math.cos(math.radians(phase)) for _name, amp, phase in amplitudes]
    sines = [amp * math.sin(math.radians(phase)) for _name, amp, phase in amplitudes]
    return constituents, np.array(cosines + sines, dtype=np.float64)
