"""ISPU math against hand-computed values (PermenLHK P.14/2020 Lampiran, digest §3-§4)."""

from __future__ import annotations

import math

import pytest

from pontive.sensors.choices import IspuCategory, Quantity
from pontive.sensors.ispu import (
    Breakpoint,
    averaging_hours,
    category_for,
    ispu_sub_index,
    required_hours,
    round_half_up,
    station_ispu,
    to_micrograms_factor,
    window_mean,
)

Q = Quantity
# The digest's table, typed in by hand (not read from the shipped CSV under test):
# concentration anchors at ISPU 0, 50, 100, 200, 300, 500.
ANCHORS = {
    Q.PM10: (0, 50, 150, 350, 420, 500),
    Q.PM25: (0, 15.5, 55.4, 150.4, 250.4, 500),
    Q.SO2: (0, 52, 180, 400, 800, 1200),
    Q.CO: (0, 4000, 8000, 15000, 30000, 45000),
    Q.O3: (0, 120, 235, 400, 800, 1000),
    Q.NO2: (0, 80, 200, 1130, 2260, 3000),
    Q.HC: (0, 45, 100, 215, 432, 648),
}
LEVELS = (0, 50, 100, 200, 300, 500)
TABLE = {
    quantity: [Breakpoint(LEVELS[i], LEVELS[i + 1], anchors[i], anchors[i + 1]) for i in range(5)]
    for quantity, anchors in ANCHORS.items()
}

AT_ANCHORS = [
    (quantity, anchors[i], float(LEVELS[i]))
    for quantity, anchors in ANCHORS.items()
    for i in range(6)
]
# Band midpoints, worked out by hand: the index is the middle of the band's ISPU range.
MIDPOINTS = [
    (Q.PM10, 25, 25.0), (Q.PM10, 100, 75.0), (Q.PM10, 250, 150.0), (Q.PM10, 385, 250.0),
    (Q.PM10, 460, 400.0),
    (Q.PM25, 7.75, 25.0), (Q.PM25, 35.45, 75.0), (Q.PM25, 102.9, 150.0),
    (Q.PM25, 200.4, 250.0), (Q.PM25, 375.2, 400.0),
    (Q.SO2, 26, 25.0), (Q.SO2, 116, 75.0), (Q.SO2, 290, 150.0), (Q.SO2, 600, 250.0),
    (Q.SO2, 1000, 400.0),
    (Q.CO, 2000, 25.0), (Q.CO, 6000, 75.0), (Q.CO, 11500, 150.0), (Q.CO, 22500, 250.0),
    (Q.CO, 37500, 400.0),
    (Q.O3, 60, 25.0), (Q.O3, 177.5, 75.0), (Q.O3, 317.5, 150.0), (Q.O3, 600, 250.0),
    (Q.O3, 900, 400.0),
    (Q.NO2, 40, 25.0), (Q.NO2, 140, 75.0), (Q.NO2, 665, 150.0), (Q.NO2, 1695, 250.0),
    (Q.NO2, 2630, 400.0),
    (Q.HC, 22.5, 25.0), (Q.HC, 72.5, 75.0), (Q.HC, 157.5, 150.0), (Q.HC, 323.5, 250.0),
    (Q.HC, 540, 400.0),
]  # fmt: skip
# Other points between anchors, by hand: I = (Ia - Ib) / (Xa - Xb) * (Xx - Xb) + Ib.
BETWEEN = [
    (Q.PM25, 35.0, 74.43609),  # digest worked example: 50/39.9 * 19.5 + 50
    (Q.PM25, 140.0, 189.05263),  # 100/95 * 84.6 + 100
    (Q.PM10, 402.59, 275.12857),  # BMKG Pontianak 20-09-2019: 100/70 * 52.59 + 200
    (Q.CO, 10000.0, 128.57143),  # 100/7000 * 2000 + 100
    (Q.NO2, 100.0, 58.33333),  # 50/120 * 20 + 50
    (Q.HC, 600.0, 455.55556),  # 200/216 * 168 + 300
    (Q.O3, 130.0, 54.34783),  # 50/115 * 10 + 50
    (Q.SO2, 60.0, 53.125),  # 50/128 * 8 + 50
]


@pytest.mark.parametrize(("quantity", "concentration", "expected"), AT_ANCHORS)
def test_every_anchor_gives_its_index(
    quantity: Quantity, concentration: float, expected: float
) -> None:
    assert ispu_sub_index(quantity, concentration, TABLE) == pytest.approx(expected)


@pytest.mark.parametrize(("quantity", "concentration", "expected"), MIDPOINTS + BETWEEN)
def test_values_between_anchors_are_interpolated(
    quantity: Quantity, concentration: float, expected: float
) -> None:
    assert ispu_sub_index(quantity, concentration, TABLE) == pytest.approx(expected, abs=1e-4)


def test_the_bands_meet_at_shared_anchors() -> None:
    # 15.5 closes 0-50 and opens 51-100: a hair either side stays continuous.
    assert ispu_sub_index(Q.PM25, 15.5, TABLE) == 50.0
    assert ispu_sub_index(Q.PM25, 15.6, TABLE) == pytest.approx(50 + 50 / 39.9 * 0.1)
    assert ispu_sub_index(Q.PM25, 15.4, TABLE) == pytest.approx(50 / 15.5 * 15.4)


def test_above_the_top_anchor_the_index_is_capped_and_flagged() -> None:
    assert ispu_sub_index(Q.PM25, 700.0, TABLE) == 500.0  # Pontianak 23-08-2023 night peak
    capped = station_ispu({Q.PM25: 700.0}, TABLE)
    assert capped is not None
    assert (capped.value, capped.category, capped.above_scale) == (
        500,
        IspuCategory.BERBAHAYA,
        True,
    )
    at_top = station_ispu({Q.PM25: 500.0}, TABLE)
    assert at_top is not None
    assert (at_top.value, at_top.above_scale) == (500, False)


def test_a_slightly_negative_reading_counts_as_zero_and_nan_is_refused() -> None:
    assert ispu_sub_index(Q.PM10, -0.4, TABLE) == 0.0
    with pytest.raises(ValueError, match="finite"):
        ispu_sub_index(Q.PM10, math.nan, TABLE)
    with pytest.raises(ValueError, match="no ISPU breakpoints"):
        ispu_sub_index(Q.PM10, 10.0, {})


@pytest.mark.parametrize(
    ("value", "category"),
    [
        (0, IspuCategory.BAIK),
        (50, IspuCategory.BAIK),
        (50.49, IspuCategory.BAIK),
        (50.5, IspuCategory.SEDANG),
        (51, IspuCategory.SEDANG),
        (100, IspuCategory.SEDANG),
        (101, IspuCategory.TIDAK_SEHAT),
        (200, IspuCategory.TIDAK_SEHAT),
        (201, IspuCategory.SANGAT_TIDAK_SEHAT),
        (300, IspuCategory.SANGAT_TIDAK_SEHAT),
        (301, IspuCategory.BERBAHAYA),
        (500, IspuCategory.BERBAHAYA),
    ],
)
def test_categories_at_their_boundaries(value: float, category: IspuCategory) -> None:
    assert category_for(value) is category


def test_rounding_is_half_up() -> None:
    assert [round_half_up(v) for v in (49.5, 50.5, 74.436, 100.49)] == [50, 51, 74, 100]


def test_station_ispu_is_the_highest_sub_index_with_its_critical_parameter() -> None:
    result = station_ispu({Q.PM25: 35.0, Q.PM10: 100.0, Q.O3: 60.0}, TABLE)
    assert result is not None
    assert result.value == 75  # PM10 75.0 beats PM2.5 74.44 and O3 25
    assert result.critical is Q.PM10
    assert result.category is IspuCategory.SEDANG
    assert result.colour == "#1565c0"  # Sedang is blue (digest §2), not US-AQI yellow
    assert result.sub_indices[Q.PM25] == pytest.approx(74.43609, abs=1e-4)
    haze = station_ispu({Q.PM25: 140.0, Q.PM10: 100.0}, TABLE)
    assert haze is not None
    assert (haze.value, haze.critical, haze.category) == (189, Q.PM25, IspuCategory.TIDAK_SEHAT)


def test_ties_go_to_the_first_pollutant_and_no_data_gives_none() -> None:
    tie = station_ispu({Q.O3: 120.0, Q.PM25: 15.5}, TABLE)  # both exactly 50
    assert tie is not None
    assert tie.critical is Q.PM25
    assert station_ispu({}, TABLE) is None
    assert station_ispu({Q.TEMPERATURE: 30.0}, TABLE) is None


@pytest.mark.parametrize(
    ("quantity", "symbol", "factor"),
    [
        (Q.PM25, "µg/m³", 1.0),
        (Q.PM25, "ug/m3", 1.0),
        (Q.PM25, "ug.m-3", 1.0),
        (Q.CO, "mg/m3", 1000.0),
        (Q.SO2, "ppb", 64.066 / 24.45),  # the "x 2.62" of the digest's gas conversion
        (Q.CO, "[ppm]", 1000 * 28.010 / 24.45),
        (Q.PM10, "ppb", None),  # particles have no molar mass
        (Q.HC, "ppb", None),
        (Q.PM25, "°C", None),
    ],
)
def test_units_convert_to_micrograms(quantity: Quantity, symbol: str, factor: float | None) -> None:
    got = to_micrograms_factor(quantity, symbol)
    assert got == (None if factor is None else pytest.approx(factor))


def test_averaging_defaults_to_24_hours_and_can_be_overridden_per_station() -> None:
    assert set(averaging_hours(None).values()) == {24}
    hours = averaging_hours({"ispu_averaging_hours": {"o3": 1, "co": 8, "pm25": 0, "x": 3}})
    assert (hours[Q.O3], hours[Q.CO], hours[Q.PM25]) == (1, 8, 24)


def test_a_window_needs_three_quarters_of_its_hours() -> None:
    assert [required_hours(w) for w in (1, 8, 24)] == [1, 6, 18]
    hourly = {h: 10.0 for h in range(100, 118)}  # 18 hours: 100 ... 117
    assert window_mean(hourly, end_hour=117, window=24) == 10.0
    assert window_mean({**hourly, 117: 28.0}, end_hour=117, window=24) == pytest.approx(11.0)
    assert window_mean(hourly, end_hour=116, window=24) is None  # only 17 in the window
    assert window_mean(hourly, end_hour=140, window=24) is None
