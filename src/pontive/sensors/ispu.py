"""ISPU, Indeks Standar Pencemar Udara (PermenLHK P.14/MENLHK/SETJEN/KUM.1/7/2020): pure math.

Per pollutant the sub-index is the linear interpolation of the Lampiran's breakpoint table,
``I = (Ia - Ib) / (Xa - Xb) * (Xx - Xb) + Ib``; the station's ISPU is the highest sub-index and
the pollutant giving it is the *parameter kritis*. Breakpoints are data (the
``sensor_ispu_breakpoints`` table, seeded by ``sensors.seed``), passed in here.

Pontive's decisions where the regulation text available to us is silent (docs/sensors.md):

- Above the top anchor (ISPU 500) the table defines no band: the sub-index is capped at the
  top anchor's ISPU and the result says ``above_scale`` so that pages can show "> 500".
- The reported ISPU is the highest sub-index rounded half up to a whole number (KLHK
  publishes whole numbers); the category is read from that whole number (50 Baik, 51 Sedang).
- Concentrations are averaged over ``DEFAULT_AVERAGING_HOURS`` (24 h for every parameter: the
  only transcription of the 2020 Lampiran labels every column "24 Jam"), from hourly means,
  and need ``COMPLETENESS`` of the window's hours to count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pontive.sensors.choices import ISPU_POLLUTANTS, IspuCategory, Quantity


@dataclass(frozen=True, slots=True)
class Breakpoint:
    """One band of the table: concentrations ``[low, high]`` (µg/m³) ↔ ISPU ``[low, high]``."""

    ispu_low: float
    ispu_high: float
    concentration_low: float
    concentration_high: float


BreakpointTable = Mapping[Quantity, Sequence[Breakpoint]]


@dataclass(frozen=True, slots=True)
class IspuResult:
    """A station's ISPU: the whole-number index, its category and the critical parameter."""

    value: int
    category: IspuCategory
    critical: Quantity
    sub_indices: Mapping[Quantity, float] = field(default_factory=dict)
    above_scale: bool = False

    @property
    def colour(self) -> str:
        """The category's display colour (Sedang is blue, not the US AQI's yellow)."""
        return self.category.meta.colour


# Upper ISPU bound of each category (PermenLHK 14/2020; digest §2): 1-50 Baik, 51-100 Sedang,
# 101-200 Tidak Sehat, 201-300 Sangat Tidak Sehat, ≥301 Berbahaya.
_CATEGORY_CEILINGS: tuple[tuple[int, IspuCategory], ...] = (
    (50, IspuCategory.BAIK),
    (100, IspuCategory.SEDANG),
    (200, IspuCategory.TIDAK_SEHAT),
    (300, IspuCategory.SANGAT_TIDAK_SEHAT),
)

# Every column of the 2020 table is labelled "24 Jam" in the one transcription we have
# (digest §3); the exact period per pollutant could not be verified against the official PDF.
DEFAULT_AVERAGING_HOURS: Mapping[Quantity, int] = dict.fromkeys(ISPU_POLLUTANTS, 24)
MAX_AVERAGING_HOURS = 72
# Share of a window's hours that must hold data (Pontive's rule, the usual 75 % capture).
COMPLETENESS = 0.75
# The derived ISPU stream's ``properties`` key that overrides the averaging per pollutant.
AVERAGING_PROPERTY = "ispu_averaging_hours"

# Molar masses (g/mol) for ppb → µg/m³ at 25 °C and 1 atm (molar volume 24.45 L/mol), the
# reference conditions of Indonesian ambient standards. PM and HC have no ppb conversion.
_MOLAR_MASS = {
    Quantity.SO2: 64.066,
    Quantity.NO2: 46.0055,
    Quantity.O3: 47.997,
    Quantity.CO: 28.010,
}
_MOLAR_VOLUME = 24.45
_MASS_FACTORS = {"ug/m3": 1.0, "mg/m3": 1000.0, "ng/m3": 0.001}
_MIXING_FACTORS = {"ppb": 1.0, "ppm": 1000.0}


def round_half_up(value: float) -> int:
    """Round to a whole number, halves up (49.5 → 50, 50.5 → 51)."""
    return math.floor(value + 0.5)


def category_for(value: float) -> IspuCategory:
    """The category of an ISPU value, read from its whole-number form."""
    whole = round_half_up(value)
    for ceiling, category in _CATEGORY_CEILINGS:
        if whole <= ceiling:
            return category
    return IspuCategory.BERBAHAYA


def _bands(quantity: Quantity, breakpoints: BreakpointTable) -> Sequence[Breakpoint]:
    bands = breakpoints.get(quantity)
    if not bands:
        raise ValueError(f"no ISPU breakpoints for {quantity.value}")
    return bands


def is_above_scale(quantity: Quantity, concentration: float, breakpoints: BreakpointTable) -> bool:
    """Whether ``concentration`` lies above the table's top anchor for ``quantity``."""
    top = max(_bands(quantity, breakpoints), key=lambda band: band.concentration_high)
    return concentration > top.concentration_high


def ispu_sub_index(quantity: Quantity, concentration: float, breakpoints: BreakpointTable) -> float:
    """The (unrounded) sub-index of one pollutant's averaged concentration in µg/m³."""
    if math.isnan(concentration) or math.isinf(concentration):
        raise ValueError(f"concentration of {quantity.value} is not a finite number")
    bands = sorted(_bands(quantity, breakpoints), key=lambda band: band.concentration_low)
    # Below the first anchor (a slightly negative reading near zero): the lowest index.
    if concentration <= bands[0].concentration_low:
        return bands[0].ispu_low
    for band in bands:
        # Bands share their anchors (15.5 ends 0-50 and starts 51-100): both give the same I.
        if concentration <= band.concentration_high:
            span = band.concentration_high - band.concentration_low
            slope = (band.ispu_high - band.ispu_low) / span
            return slope * (concentration - band.concentration_low) + band.ispu_low
    return bands[-1].ispu_high  # above the top anchor: capped (see module docstring)


def station_ispu(
    concentrations: Mapping[Quantity, float], breakpoints: BreakpointTable
) -> IspuResult | None:
    """The ISPU of a station from averaged concentrations (µg/m³); ``None`` without data."""
    subs = {
        quantity: ispu_sub_index(quantity, concentration, breakpoints)
        for quantity, concentration in concentrations.items()
        if quantity in ISPU_POLLUTANTS and quantity in breakpoints
    }
    if not subs:
        return None
    # Ties go to the first pollutant in ISPU_POLLUTANTS order, so the answer is stable.
    critical = max(ISPU_POLLUTANTS, key=lambda q: subs.get(q, -math.inf))
    value = round_half_up(subs[critical])
    return IspuResult(
        value=value,
        category=category_for(value),
        critical=critical,
        sub_indices=subs,
        above_scale=is_above_scale(critical, concentrations[critical], breakpoints),
    )


def normalise_unit(symbol: str | None) -> str:
    """A unit symbol in one spelling: ``µg/m³``, ``ug.m-3`` and ``ug/m3`` → ``ug/m3``."""
    text = (symbol or "").strip().lower().replace(" ", "")
    for old, new in (("µ", "u"), ("μ", "u"), ("³", "3"), ("[", ""), ("]", ""), (".m-3", "/m3")):
        text = text.replace(old, new)
    return text


def to_micrograms_factor(quantity: Quantity, symbol: str | None) -> float | None:
    """Factor turning values in ``symbol`` into µg/m³ for ``quantity``; ``None`` if unknown."""
    unit = normalise_unit(symbol)
    if unit in _MASS_FACTORS:
        return _MASS_FACTORS[unit]
    if unit in _MIXING_FACTORS and quantity in _MOLAR_MASS:
        return _MIXING_FACTORS[unit] * _MOLAR_MASS[quantity] / _MOLAR_VOLUME
    return None


def averaging_hours(properties: Mapping[str, Any] | None) -> dict[Quantity, int]:
    """Averaging window per pollutant: the defaults, overridden by the ISPU stream's properties.

    ``{"ispu_averaging_hours": {"o3": 1, "co": 8}}`` on the derived ISPU datastream changes the
    windows of that station; values outside 1-72 hours are ignored.
    """
    hours = dict(DEFAULT_AVERAGING_HOURS)
    overrides = (properties or {}).get(AVERAGING_PROPERTY)
    if not isinstance(overrides, Mapping):
        return hours
    for code, value in overrides.items():
        if code in hours and isinstance(value, int) and 1 <= value <= MAX_AVERAGING_HOURS:
            hours[Quantity(code)] = value
    return hours


def required_hours(window: int) -> int:
    """How many hourly means a window of ``window`` hours needs (at least one)."""
    return max(1, math.ceil(window * COMPLETENESS))


def window_mean(hourly: Mapping[int, float], *, end_hour: int, window: int) -> float | None:
    """Mean of the hourly means in the ``window`` hours ending with ``end_hour`` (inclusive).

    Hours are counted since the Unix epoch; ``None`` when too few hours hold data.
    """
    values = [hourly[h] for h in range(end_hour - window + 1, end_hour + 1) if h in hourly]
    if len(values) < required_hours(window):
        return None
    return sum(values) / len(values)
