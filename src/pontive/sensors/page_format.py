"""How the sensor pages write numbers, readings and categories (Indonesian decimal comma)."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

from pontive.sensors.choices import Quantity


def format_number(value: float, lang: str, digits: int = 1) -> str:
    """``1234.5`` as ``1.234,5`` in Indonesian and ``1,234.5`` in English."""
    text = f"{value:,.{digits}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def digits_for(quantity: Quantity | None, unit: str) -> int:
    """Decimals worth showing: metres to the centimetre, whole µg/m³ for CO, one elsewhere."""
    if unit == "m":
        return 2
    if quantity in (Quantity.CO, Quantity.ISPU) or unit == "ISPU":
        return 0
    return 1


def format_reading(value: Any, unit: str, lang: str, quantity: Quantity | None = None) -> str:
    """A reading with its unit (``231,4 cm``), or the raw value when it is not a number."""
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return "-"
        number = format_number(float(value), lang, digits_for(quantity, unit))
        return f"{number} {unit}".strip() if unit and unit != "ISPU" else number
    return str(value)


def format_level(value: float, unit: str, lang: str, quantity: Quantity | None = None) -> str:
    """A threshold as people set it: ``275 cm`` (no decimals it does not have), ``1,85 m``."""
    digits = 0 if float(value).is_integer() else digits_for(quantity, unit)
    return f"{format_number(float(value), lang, digits)} {unit}".strip()


class RainCategory(StrEnum):
    """Rain in the last hour, in BMKG's hourly intensity classes (mm/jam)."""

    NONE = "tidak_hujan"
    LIGHT = "ringan"  # below 5 mm
    MODERATE = "sedang"  # 5-10 mm
    HEAVY = "lebat"  # 10-20 mm
    VERY_HEAVY = "sangat_lebat"  # 20 mm and more


def rain_category(mm_last_hour: float | None) -> RainCategory:
    """The intensity class of the rain that fell in the last hour."""
    if not mm_last_hour or mm_last_hour <= 0:
        return RainCategory.NONE
    for ceiling, category in (
        (5.0, RainCategory.LIGHT),
        (10.0, RainCategory.MODERATE),
        (20.0, RainCategory.HEAVY),
    ):
        if mm_last_hour < ceiling:
            return category
    return RainCategory.VERY_HEAVY


RAIN_COLOURS = {
    RainCategory.NONE: "#5b6b7a",
    RainCategory.LIGHT: "#00838f",
    RainCategory.MODERATE: "#1565c0",
    RainCategory.HEAVY: "#4527a0",
    RainCategory.VERY_HEAVY: "#880e4f",
}
OFFLINE_COLOUR = "#6b7780"
NEUTRAL_COLOUR = "#1577a0"
