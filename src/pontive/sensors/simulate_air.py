"""The air side of the simulator: traffic, sunshine, rain wash-out and peat-fire haze.

Haze follows ../shared/specs/pontianak.md §4b: the dry season (August-October, with July and
February-March dry spells) brings smoke from burning peat; concentrations peak at night and in
the early morning (03:00-09:00 WIB) and ease by the afternoon. Smoky days read PM2.5
100-300 µg/m³, the worst nights 400-700. Rain puts fires out and washes the air.
Other pollutants follow PM2.5 the way they do in biomass smoke and city traffic: CO rises
with smoke (about ten times PM2.5 by mass), NO2/CO/HC with the rush hours, O3 with the sun.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from pontive.sensors.choices import Quantity
from pontive.sensors.simulate_model import (
    CITY_CENTRE,
    RainModel,
    wib_day,
    wib_hour,
    wib_month,
)
from pontive.sensors.simulate_noise import NoiseTable, key_of, smooth, unit

# How much fire smoke can reach the city in each month (0-1), before rain and wind.
HAZE_SEASON = (0.04, 0.25, 0.2, 0.05, 0.05, 0.1, 0.35, 0.9, 1.0, 0.55, 0.06, 0.03)
HAZE_PEAK_PM25 = 450.0  # µg/m³ on a night of full haze over a station with factor 1
_HAZE_KEY = key_of("haze")
_NAME_KEYS = {
    name: key_of(name) << 32 for name in ("haze", "pm25", "pm10", "co", "no2", "o3", "so2", "hc")
}


@dataclass(frozen=True, slots=True)
class AirSite:
    """What makes one air station different: its key, place, traffic and peat nearby."""

    key: str
    lon: float
    lat: float
    base_pm25: float = 14.0  # µg/m³ on a quiet, clean night
    traffic: float = 1.0  # rush-hour weight (busy roads > 1)
    haze: float = 1.0  # smoke weight (peat land nearby > 1)


def _bump(hour: float, centre: float, width: float) -> float:
    # A Gaussian bump on the 24-hour clock (wrapping around midnight).
    distance = min(abs(hour - centre), 24.0 - abs(hour - centre))
    return math.exp(-0.5 * (distance / width) ** 2)


def traffic_profile(hour: float) -> float:
    """Relative traffic (0-1) by WIB hour: the morning and evening rush."""
    return 0.12 + 0.7 * _bump(hour, 7.3, 1.3) + 0.8 * _bump(hour, 17.8, 1.8)


def sunshine(hour: float) -> float:
    """Sun height (0-1) by WIB hour on the equator: up at about 06:00, down at 18:00."""
    return max(0.0, math.sin(math.pi * (hour - 6.0) / 12.0))


def haze_profile(hour: float) -> float:
    """Night-time build-up of smoke under a low mixing layer: highest 03:00-09:00 WIB."""
    return 0.22 + 0.78 * _bump(hour, 5.5, 2.6)


class AirModel:
    """Hourly-smooth pollutant concentrations (µg/m³) at a station."""

    def __init__(self, seed: int, rain: RainModel) -> None:
        self.seed = seed
        self.rain = rain
        self._haze = lru_cache(maxsize=8192)(self._haze_of_day)
        self._noise = NoiseTable(seed, 96)  # a new draw every 15 minutes

    def _haze_of_day(self, day: int) -> float:
        # Fire activity reaching the city (0-1+) on a WIB day: the season, dry spells (rain
        # in the last five days puts fires out), episodes lasting days, and the wind.
        noon = day * 24.0 - 7.0 + 12.0
        season = HAZE_SEASON[wib_month(noon) - 1]
        recent_rain = sum(self.rain.day_mm(*CITY_CENTRE, day - back) for back in range(5))
        dryness = math.exp(-recent_rain / 30.0)
        episode = max(
            0.0, 0.45 + smooth(self.seed, _HAZE_KEY, noon, (24.0 * 4, 24.0 * 9, 24.0 * 17))
        )
        wind = math.sqrt(unit(self.seed, _HAZE_KEY, day))
        return season * dryness * episode * wind

    def haze_level(self, hours: float) -> float:
        """Smoke over the city (0-1+) at an epoch hour, blended between days."""
        day = wib_day(hours)
        fraction = ((hours + 7.0) % 24.0) / 24.0
        return (1.0 - fraction) * self._haze(day) + fraction * self._haze(day + 1)

    def concentrations(self, site: AirSite, hours: float) -> dict[Quantity, float]:
        """Every ISPU pollutant (µg/m³) at ``site`` at an epoch hour."""
        hour = wib_hour(hours)
        site_key = key_of(site.key)

        def noise(name: str, spread: float) -> float:
            draw = self._noise.normal(site_key ^ _NAME_KEYS[name], hours)
            return max(0.3, 1.0 + spread * draw)

        recent = self.rain.amount_mm(site.lon, site.lat, hours - 3.0, hours)
        washout = 1.0 / (1.0 + recent / 6.0)
        traffic = traffic_profile(hour) * site.traffic
        sun = sunshine(hour) * (1.0 - 0.7 * min(1.0, recent / 10.0))
        haze = HAZE_PEAK_PM25 * site.haze * self.haze_level(hours) * haze_profile(hour)
        haze *= washout * noise("haze", 0.18)
        background = site.base_pm25 * (1.0 + 1.6 * traffic) * washout * noise("pm25", 0.15)
        pm25 = background + haze
        return {
            Quantity.PM25: pm25,
            Quantity.PM10: (1.75 * background + 1.15 * haze) * noise("pm10", 0.08),
            Quantity.CO: (350.0 + 1100.0 * traffic + 11.0 * haze) * noise("co", 0.1),
            Quantity.NO2: (9.0 + 38.0 * traffic * (1.0 - 0.35 * sun) + 0.04 * haze)
            * noise("no2", 0.12),
            Quantity.O3: (12.0 + 80.0 * sun * (1.0 + 0.002 * haze) - 0.15 * traffic * 38.0)
            * noise("o3", 0.12),
            Quantity.SO2: (5.0 + 8.0 * traffic + 0.03 * haze) * noise("so2", 0.15),
            Quantity.HC: (11.0 + 28.0 * traffic + 0.12 * haze) * noise("hc", 0.12),
        }
