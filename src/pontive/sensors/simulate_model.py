"""The water side of the simulator: tides, rain showers and river stages around Pontianak.

Every value is a pure function of (seed, place, instant), so the demo's month of history and a
live simulator run started later agree exactly where they meet, and tests can ask for any
instant in any order. Times are epoch hours (UTC) inside, aware datetimes at the edges.

Sources for the shapes (see ../shared/specs/pontianak.md §4a): Pontianak's tide is mixed and
mainly diurnal; BMKG Maritim forecasts rob peaks of 1.6-1.9 m above MLLW (annual maximum about
2.0 m) with December the worst month, and the Kapuas gauge read 285-308 cm in past floods. The
rainy season runs October-March with afternoon convective showers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from pontive.sensors.simulate_noise import gauss, key_of, smooth, unit

WIB_HOURS = 7.0  # Asia/Pontianak is UTC+7 all year
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_hours(instant: datetime) -> float:
    """Hours since the Unix epoch of an aware instant."""
    return (instant - _EPOCH).total_seconds() / 3600.0


def wib_day(hours: float) -> int:
    """The WIB calendar day number (days since 1970-01-01 WIB) of an epoch hour."""
    return math.floor((hours + WIB_HOURS) / 24.0)


def wib_hour(hours: float) -> float:
    """The WIB clock hour (0-24, fractional) of an epoch hour."""
    return (hours + WIB_HOURS) % 24.0


def wib_month(hours: float) -> int:
    """The WIB calendar month (1-12) of an epoch hour."""
    return datetime.fromtimestamp((hours + WIB_HOURS) * 3600.0, UTC).month


# --- Tide ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Constituent:
    """One harmonic tide constituent: period, amplitude and one instant of its crest."""

    name: str
    period_hours: float
    amplitude_m: float
    crest_hours: float  # epoch hour of one crest

    def height(self, hours: float) -> float:
        """This constituent's contribution (m) at an epoch hour."""
        return self.amplitude_m * math.cos(
            2.0 * math.pi * (hours - self.crest_hours) / self.period_hours
        )


# The diurnal crests are set to meet at 09:45 WIB on 8 Dec 2025, when the Kapuas read 300 cm
# (BMKG Maritim, kalbarnews.co.id 2025/12); amplitudes give a form number above 1.5 (diurnal)
# and spring highs of 1.8-2.0 m above MLLW.
_DIURNAL_CREST = epoch_hours(datetime(2025, 12, 8, 2, 45, tzinfo=UTC))
_SEMIDIURNAL_CREST = epoch_hours(datetime(2025, 12, 5, 3, 0, tzinfo=UTC))
CONSTITUENTS = (
    Constituent("K1", 23.9345, 0.40, _DIURNAL_CREST),
    Constituent("O1", 25.8193, 0.30, _DIURNAL_CREST),
    Constituent("P1", 24.0659, 0.12, _DIURNAL_CREST),
    Constituent("M2", 12.4206, 0.15, _SEMIDIURNAL_CREST),
    Constituent("S2", 12.0000, 0.07, _SEMIDIURNAL_CREST),
)
MEAN_TIDE_M = 0.95  # mean sea level above MLLW
SEASONAL_M = 0.07  # the annual swing of mean sea level, highest in mid-December
_SEASON_CREST = epoch_hours(datetime(2025, 12, 15, tzinfo=UTC))
_YEAR_HOURS = 365.2422 * 24.0


def tide_m(hours: float) -> float:
    """Astronomical tide at the river mouth (m above MLLW), with the seasonal mean level."""
    seasonal = SEASONAL_M * math.cos(2.0 * math.pi * (hours - _SEASON_CREST) / _YEAR_HOURS)
    return MEAN_TIDE_M + seasonal + sum(c.height(hours) for c in CONSTITUENTS)


# --- Rain ------------------------------------------------------------------------------------

# Monthly rainfall at a point (mm), a Pontianak-like climatology: wet October-March, driest
# July-August; about 3,000 mm a year.
MONTHLY_RAIN_MM = (260, 210, 250, 280, 250, 210, 160, 150, 220, 330, 380, 320)
_MEAN_DEPTH_MM = 14.0  # centre depth of one shower
_MEAN_FOOTPRINT = 0.72  # average share of the centre depth a random point in the city gets
CITY_CENTRE = (109.3425, -0.0263)
_CITY_SPAN = 0.05  # degrees either side of the centre where showers are born
_KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class RainEvent:
    """One shower: when, how long, how much at its centre, where and how wide."""

    key: int
    start_hours: float
    duration_hours: float
    depth_mm: float
    lon: float
    lat: float
    radius_km: float
    is_widespread: bool

    def share_at(self, seed: int, lon: float, lat: float) -> float:
        """The fraction of the centre depth that falls at (lon, lat)."""
        if self.is_widespread:  # stratiform rain: everyone gets wet, unevenly
            return 0.7 + 0.5 * unit(seed, self.key, key_of(f"{lon:.4f},{lat:.4f}"))
        distance_km = _KM_PER_DEGREE * math.hypot(lon - self.lon, lat - self.lat)
        return math.exp(-((distance_km / self.radius_km) ** 2))


def _start_hour(seed: int, key: int) -> float:
    # Afternoon convection dominates; night and early-morning rain is common too.
    kind = unit(seed, key, 20)
    if kind < 0.55:
        return min(23.5, max(11.0, 14.5 + 1.6 * gauss(seed, key, 21)))
    if kind < 0.8:
        return 6.0 * unit(seed, key, 22)
    return 24.0 * unit(seed, key, 23)


def _poisson(seed: int, key: int, mean: float) -> int:
    # Inversion on one uniform: small means only (a few showers a day).
    target, count = unit(seed, key), 0
    term = cumulative = math.exp(-mean)
    while cumulative < target and count < 12:
        count += 1
        term *= mean / count
        cumulative += term
    return count


class RainModel:
    """Showers over the city, each a pure function of the seed and its WIB day."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._events = lru_cache(maxsize=4096)(self._make_events)
        self._hourly = lru_cache(maxsize=65536)(self._amount_in_hour)

    def events(self, day: int) -> tuple[RainEvent, ...]:
        """The showers that start on WIB day ``day``."""
        return self._events(day)

    def _make_events(self, day: int) -> tuple[RainEvent, ...]:
        seed, day_key = self.seed, key_of("rain") ^ (day * 7919)
        month = wib_month(day * 24.0 - WIB_HOURS + 12.0)
        per_day = MONTHLY_RAIN_MM[month - 1] / 30.0 / (_MEAN_DEPTH_MM * _MEAN_FOOTPRINT)
        made = []
        for index in range(_poisson(seed, day_key, per_day)):
            key = day_key * 31 + index
            start = day * 24.0 - WIB_HOURS + _start_hour(seed, key)
            depth = _MEAN_DEPTH_MM * -math.log(1.0 - unit(seed, key, 1) * 0.999)
            made.append(
                RainEvent(
                    key=key,
                    start_hours=start,
                    duration_hours=min(4.0, 0.4 + 1.2 * -math.log(1.0 - unit(seed, key, 2))),
                    depth_mm=min(depth, 140.0),
                    lon=CITY_CENTRE[0] + _CITY_SPAN * (2.0 * unit(seed, key, 3) - 1.0),
                    lat=CITY_CENTRE[1] + _CITY_SPAN * (2.0 * unit(seed, key, 4) - 1.0),
                    radius_km=4.0 + 8.0 * unit(seed, key, 5),
                    is_widespread=unit(seed, key, 6) < 0.3,
                )
            )
        return tuple(made)

    def amount_mm(self, lon: float, lat: float, start: float, end: float) -> float:
        """Rain (mm) at (lon, lat) between two epoch hours; showers fall evenly over their
        duration."""
        total = 0.0
        for day in range(wib_day(start) - 1, wib_day(end) + 1):
            for event in self.events(day):
                overlap = min(end, event.start_hours + event.duration_hours) - max(
                    start, event.start_hours
                )
                if overlap > 0:
                    share = event.share_at(self.seed, lon, lat)
                    total += event.depth_mm * share * overlap / event.duration_hours
        return total

    def hourly_mm(self, lon: float, lat: float, hour: int) -> float:
        """Rain (mm) at (lon, lat) in the whole epoch hour ``hour`` (cached)."""
        return self._hourly(round(lon, 4), round(lat, 4), hour)

    def _amount_in_hour(self, lon: float, lat: float, hour: int) -> float:
        return self.amount_mm(lon, lat, float(hour), float(hour + 1))

    def day_mm(self, lon: float, lat: float, day: int) -> float:
        """Rain (mm) at (lon, lat) over the WIB day ``day``."""
        start = day * 24.0 - WIB_HOURS
        return sum(self.hourly_mm(lon, lat, int(start) + h) for h in range(24))


# --- Rivers ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class River:
    """How a river's stage follows rain upstream: a gamma-shaped lag and a gain."""

    name: str
    gain_m_per_mm: float  # stage rise per mm/day of sustained catchment rain
    shape: float
    scale_days: float
    days: int  # length of the response

    def kernel(self) -> tuple[float, ...]:
        """Response weights for rain 0, 1, … days earlier (summing to 1)."""
        weights = [
            (d ** (self.shape - 1.0)) * math.exp(-d / self.scale_days) if d > 0 else 0.0
            for d in range(self.days)
        ]
        total = sum(weights)
        return tuple(w / total for w in weights)


# The Kapuas drains a catchment of ~100,000 km²: a rise peaks about four days after the rain;
# the Landak's smaller basin answers in a day or two, and more sharply.
RIVERS = {
    "kapuas": River("kapuas", 0.012, 3.0, 2.0, 18),
    "landak": River("landak", 0.018, 2.5, 1.0, 9),
}


class RiverModel:
    """Daily river stages (m above the dry-season base) from city and catchment rain."""

    def __init__(self, seed: int, rain: RainModel) -> None:
        self.seed = seed
        self.rain = rain
        self._upstream = lru_cache(maxsize=8192)(self._upstream_mm)
        self._stage = lru_cache(maxsize=8192)(self._daily_stage)

    def _upstream_mm(self, river: str, day: int) -> float:
        # Half what fell on the city that day, half the wider catchment's wet and dry spells.
        month = wib_month(day * 24.0 - WIB_HOURS + 12.0)
        key = key_of(river)
        spell = smooth(self.seed, key, day * 24.0, (24.0 * 5, 24.0 * 11, 24.0 * 23))
        daily = math.exp(0.5 * gauss(self.seed, key, day) - 0.125)
        regional = MONTHLY_RAIN_MM[month - 1] / 30.0 * max(0.0, 1.0 + 0.8 * spell) * daily
        return 0.5 * self.rain.day_mm(*CITY_CENTRE, day) + 0.5 * regional

    def _daily_stage(self, river: str, day: int) -> float:
        model = RIVERS[river]
        weights = model.kernel()
        total = sum(w * self._upstream(river, day - lag) for lag, w in enumerate(weights) if w)
        return model.gain_m_per_mm * total

    def stage_m(self, river: str, hours: float) -> float:
        """Stage (m) at an epoch hour, interpolated between daily values at WIB noon."""
        position = (hours + WIB_HOURS - 12.0) / 24.0
        day = math.floor(position)
        fraction = position - day
        return (1.0 - fraction) * self._stage(river, day) + fraction * self._stage(river, day + 1)
