"""A station's status as one colour and one label, the summary strip, and the map's markers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from pontive.core.timeutil import format_local
from pontive.sensors.choices import DeviceHealth, FloodStatus, IspuCategory, Quantity
from pontive.sensors.page_format import (
    NEUTRAL_COLOUR,
    OFFLINE_COLOUR,
    RAIN_COLOURS,
    RainCategory,
    format_number,
    format_reading,
)
from pontive.sensors.page_views import Station, StationKind
from pontive.web.i18n import translate

# The map legend, in this order.
LEGEND_FLOOD = (FloodStatus.NORMAL, FloodStatus.WASPADA, FloodStatus.SIAGA, FloodStatus.AWAS)


@dataclass(frozen=True, slots=True)
class Status:
    """How a station is doing, in one word and one colour (a CSS class ``st-<key>``)."""

    key: str
    label: str
    colour: str
    marker: str  # the short text on the map pin (level, ISPU, rain)


def _water(station: Station, lang: str) -> Status:
    view = station.flood
    text = ""
    if view is not None and isinstance(view.level, int | float):
        text = format_number(float(view.level), lang, 2 if view.unit == "m" else 0)
    if view is None or view.status is None:
        return Status(
            "flood-none", translate("sensors.pub.no_threshold", lang), NEUTRAL_COLOUR, text
        )
    status = view.status
    return Status(f"flood-{status.value}", status.label(lang), status.meta.colour, text)


def _air(station: Station, lang: str) -> Status:
    if station.ispu is None:
        return Status("ispu-none", translate("sensors.pub.no_ispu", lang), NEUTRAL_COLOUR, "")
    category = station.ispu.category
    return Status(
        f"ispu-{category.value}",
        category.label(lang),
        category.meta.colour,
        str(station.ispu.value),
    )


def _rain(station: Station, lang: str) -> Status:
    category = station.rain
    assert category is not None  # noqa: S101 - rain stations always have a category
    amount = station.rain_hour or 0.0
    marker = format_number(amount, lang, 1) if amount else "0"
    return Status(
        f"rain-{category.value}",
        translate(f"sensors.pub.rain.{category.value}", lang),
        RAIN_COLOURS[category],
        marker,
    )


def status_of(station: Station, lang: str) -> Status:
    """The status a citizen reads first: flood, ISPU or rain, or that the device is offline."""
    if station.is_offline:
        # The pin shows a multiplication sign: there is no current reading.
        return Status("offline", DeviceHealth.OFFLINE.label(lang), OFFLINE_COLOUR, "\u00d7")
    if station.kind is StationKind.WATER:
        return _water(station, lang)
    if station.kind is StationKind.AIR:
        return _air(station, lang)
    if station.kind is StationKind.RAIN:
        return _rain(station, lang)
    return Status(
        "neutral",
        DeviceHealth.ONLINE.label(lang)
        if station.health is DeviceHealth.ONLINE
        else station.health.label(lang),
        NEUTRAL_COLOUR,
        "",
    )


def headline(station: Station, lang: str) -> str:
    """The latest reading that matters most (``231,4 cm``, ``ISPU 74``, ``2,4 mm/jam``)."""
    if station.kind is StationKind.WATER and station.flood is not None:
        return format_reading(station.flood.level, station.flood.unit, lang, Quantity.WATER_LEVEL)
    if station.kind is StationKind.AIR and station.ispu is not None:
        return f"ISPU {station.ispu.value}"
    if station.kind is StationKind.RAIN:
        return translate(
            "sensors.pub.rain_hour", lang, mm=format_number(station.rain_hour or 0.0, lang, 1)
        )
    first = next((s for s in station.streams if s.is_numeric_source), None)
    return format_reading(first.value, first.unit, lang, first.quantity) if first else "-"


_KIND_ORDER = (StationKind.WATER, StationKind.AIR, StationKind.RAIN, StationKind.OTHER)


def severity(station: Station) -> int:
    """How much a station's status calls for attention (offline devices last)."""
    if station.is_offline:
        return -1
    if station.flood is not None and station.flood.status is not None:
        return list(FloodStatus).index(station.flood.status)
    if station.ispu is not None:
        return list(IspuCategory).index(station.ispu.category)
    rain = station.rain
    return list(RainCategory).index(rain) if rain is not None else 0


def list_order(station: Station) -> tuple[int, int, str]:
    """Sort key of the public list: by kind, the most pressing first, then by name."""
    return (_KIND_ORDER.index(station.kind), -severity(station), station.name)


@dataclass(frozen=True, slots=True)
class Summary:
    """The strip above the map: flood levels, the worst ISPU, rain now, silent devices."""

    total: int
    flood: dict[FloodStatus, int]
    worst_ispu: Station | None
    raining: int
    offline: int
    stale: int

    @property
    def alarming(self) -> int:
        """Water gauges at Siaga or Awas."""
        return self.flood[FloodStatus.SIAGA] + self.flood[FloodStatus.AWAS]


def summarise(stations: list[Station]) -> Summary:
    """Counts for the summary strip (offline devices count only as offline)."""
    live = [s for s in stations if not s.is_offline]
    levels = Counter(
        s.flood.status for s in live if s.flood is not None and s.flood.status is not None
    )
    air = [s for s in live if s.ispu is not None]
    worst = max(air, key=lambda s: s.ispu.value if s.ispu else -1, default=None)
    return Summary(
        total=len(stations),
        flood={status: levels.get(status, 0) for status in FloodStatus},
        worst_ispu=worst,
        raining=sum(1 for s in live if s.rain_hour),
        offline=sum(1 for s in stations if s.health is DeviceHealth.OFFLINE),
        stale=sum(1 for s in stations if s.health is DeviceHealth.STALE),
    )


def marker(station: Station, lang: str, zone: ZoneInfo) -> dict[str, Any]:
    """A station as a map marker (JSON-safe; the page's script builds the popup)."""
    status = status_of(station, lang)
    place = ", ".join(p for p in (station.kelurahan, station.kecamatan) if p)
    return {
        "id": station.id,
        "name": station.name,
        "url": f"/sensor/{station.id}",
        "kind": station.kind.value,
        "kind_label": translate(f"sensors.pub.kind.{station.kind.value}", lang),
        "lon": station.lon,
        "lat": station.lat,
        "place": place,
        "status": status.key,
        "status_label": status.label,
        "colour": status.colour,
        "marker": status.marker,
        "headline": headline(station, lang),
        "health": station.health.value,
        "seen": format_local(station.last_seen_at, zone) if station.last_seen_at else "-",
    }
