"""Parameters of the data-quality checks, per quantity, overridable per Datastream.

Values are in one canonical unit per quantity (water level in metres, concentrations in
µg/m³, rain in mm, temperature in °C, humidity in %); a stream in another unit is converted
(``canonical_factor``). A Datastream overrides any parameter in its SensorThings
``properties`` under ``"quality"``, e.g. ``{"quality": {"spike_min_jump": 0.3,
"stuck_enabled": false}}``; unknown names and values of the wrong type are ignored.
docs/analytics/quality.md lists the defaults and why.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.ispu import to_micrograms_factor

PROPERTY = "quality"
INF = math.inf


@dataclass(frozen=True, slots=True)
class QualityParams:
    """How one stream is checked (canonical units; see the module docstring)."""

    unit: str  # the canonical unit the numbers below are in
    range_min: float = -INF  # physically possible values (``range``)
    range_max: float = INF
    spike_enabled: bool = True
    spike_window: int = 6  # readings on each side whose medians a spike must leave
    spike_z: float = 8.0  # robust units (1.4826 x MAD of local second differences)
    spike_min_jump: float = 0.0  # never a spike below this jump, whatever the noise
    stuck_enabled: bool = True
    stuck_min_count: int = 12  # consecutive equal readings …
    stuck_min_hours: float = 2.0  # … spanning at least this long
    stuck_tolerance: float = 0.0  # "equal": within this of the run's first value
    stuck_exempt_max: float = -INF  # a run at or below this is normal (rain: 0 on dry days)
    stuck_exempt_min: float = INF  # a run at or above this is normal (humidity: saturation)
    drift_enabled: bool = True
    drift_radius_km: float = 8.0  # neighbours: same quantity, within this distance
    drift_min_neighbours: int = 2
    drift_log: bool = False  # compare logarithms (concentrations vary by factors)
    drift_window_hours: int = 24  # the recent mean of the difference to the neighbours …
    drift_baseline_days: int = 14  # … against its median over the days before
    drift_z: float = 6.0  # robust units of the baseline's day-to-day variation
    drift_min_shift: float = 0.0  # never drift below this shift (log units when drift_log)
    gap_factor: float = 3.0  # a gap: no reading for more than this many expected intervals


_WATER = QualityParams(
    unit="m",
    range_min=-2.0,
    range_max=12.0,
    spike_min_jump=0.15,
    stuck_min_count=12,
    stuck_min_hours=2.0,
    stuck_tolerance=0.0004,
    drift_radius_km=8.0,
    drift_min_shift=0.12,
)
_RAIN = QualityParams(
    unit="mm",
    range_min=0.0,
    range_max=60.0,
    spike_enabled=False,  # showers are jump-and-return by nature
    stuck_min_count=36,
    stuck_min_hours=6.0,
    stuck_exempt_max=0.0,  # dry days read 0 for days on end
    drift_enabled=False,  # convective showers are a few km wide: neighbours differ
)
_CONCENTRATION = QualityParams(
    unit="µg/m³",
    range_min=0.0,
    range_max=2000.0,
    spike_window=4,
    spike_min_jump=40.0,
    stuck_min_count=8,
    stuck_min_hours=2.0,
    stuck_tolerance=0.04,
    drift_radius_km=12.0,
    drift_log=True,
    drift_min_shift=0.35,  # a factor of about 1.4
)
_TEMPERATURE = QualityParams(
    unit="°C",
    range_min=10.0,
    range_max=45.0,
    spike_min_jump=4.0,
    stuck_min_count=18,
    stuck_min_hours=3.0,
    stuck_tolerance=0.004,
    drift_radius_km=12.0,
    drift_min_shift=1.5,
)
_HUMIDITY = QualityParams(
    unit="%",
    range_min=0.0,
    range_max=100.5,
    spike_min_jump=15.0,
    stuck_min_count=18,
    stuck_min_hours=3.0,
    stuck_tolerance=0.004,
    stuck_exempt_min=98.0,  # saturated nights sit at 98-100 % for hours
    drift_radius_km=12.0,
    drift_min_shift=8.0,
)
DEFAULTS: Mapping[Quantity, QualityParams] = {
    Quantity.WATER_LEVEL: _WATER,
    Quantity.RAINFALL: _RAIN,
    **dict.fromkeys(ISPU_POLLUTANTS, _CONCENTRATION),
    Quantity.CO: dataclasses.replace(
        _CONCENTRATION, range_max=60_000.0, spike_min_jump=800.0, stuck_tolerance=0.4
    ),
    Quantity.TEMPERATURE: _TEMPERATURE,
    Quantity.HUMIDITY: _HUMIDITY,
}
CHECKED = frozenset(DEFAULTS)

_LENGTH_METRES = {"mm": 0.001, "cm": 0.01, "m": 1.0}
_CELSIUS = {"°c", "cel", "degc", "c"}


def canonical_factor(quantity: Quantity, symbol: str | None) -> float | None:
    """Factor from the stream's unit to the quantity's canonical one; ``None`` when the unit
    is not known (the checks then run on the raw numbers and skip the physical range)."""
    text = (symbol or "").strip().lower()
    if quantity is Quantity.WATER_LEVEL:
        return _LENGTH_METRES.get(text)
    if quantity in ISPU_POLLUTANTS:
        return to_micrograms_factor(quantity, symbol)
    if quantity is Quantity.RAINFALL:
        return 1.0 if text == "mm" else None
    if quantity is Quantity.TEMPERATURE:
        return 1.0 if text in _CELSIUS else None
    if quantity is Quantity.HUMIDITY:
        return 1.0 if text in {"%", "percent", "%rh"} else None
    return None


def _accepts(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return False


def params_for(quantity: Quantity, properties: Mapping[str, Any] | None) -> QualityParams:
    """The defaults of ``quantity`` with the stream's own overrides applied."""
    base = DEFAULTS[quantity]
    overrides = (properties or {}).get(PROPERTY)
    if not isinstance(overrides, Mapping):
        return base
    fields = {field.name: getattr(base, field.name) for field in dataclasses.fields(base)}
    chosen = {
        name: float(value) if isinstance(fields[name], float) else value
        for name, value in overrides.items()
        if name in fields and name != "unit" and _accepts(fields[name], value)
    }
    return dataclasses.replace(base, **chosen)  # type: ignore[arg-type]  # checked by _accepts
