"""The checks as pure functions (``quality_checks``) on synthetic and simulated series, the
per-stream parameters, and the ``resultQuality`` merge that carries flags to SensorThings."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from pontive.analytics.quality_checks import (
    HOUR,
    Reading,
    find_drift,
    find_gaps,
    find_range,
    find_spikes,
    find_stuck,
    hourly_differences,
)
from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_eval import hourly_means
from pontive.analytics.quality_faults import simulate
from pontive.analytics.quality_params import DEFAULTS, canonical_factor, params_for
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import demo_stations
from pontive.sensors.indices_quality import (
    flags_of,
    is_excluded,
    merge_flags,
    remove_flags,
)
from pontive.sensors.simulate_city import CityModel

WATER = DEFAULTS[Quantity.WATER_LEVEL]
RAIN = DEFAULTS[Quantity.RAINFALL]
PM25 = DEFAULTS[Quantity.PM25]
HUMIDITY = DEFAULTS[Quantity.HUMIDITY]
T0 = 1_790_000_000.0


def series(values: list[float], step: float = 600.0) -> list[Reading]:
    """Readings ``step`` seconds apart, ids from 1."""
    return [Reading(i + 1, T0 + i * step, v) for i, v in enumerate(values)]


def tide(n: int, amplitude: float = 0.8) -> list[float]:
    """A 24-hour tide sampled every ten minutes, with a millimetre of jitter."""
    return [
        2.0 + amplitude * math.sin(2 * math.pi * i / 144) + 0.003 * ((i * 7) % 5 - 2)
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def month() -> list:  # type: ignore[type-arg]
    """Ten days of every demo station from the simulator, clean (another seed, another
    season than the demo's: the rainy months, with tides and rain zeros)."""
    start = datetime(2027, 1, 5, tzinfo=UTC)
    return simulate(CityModel(11), demo_stations(), start, start + timedelta(days=10))


def test_clean_simulated_series_raise_no_point_flag(month: list) -> None:  # type: ignore[type-arg]
    for one in month:
        readings, params = one.readings, one.params
        assert find_range(readings, params) == [], one.key
        assert find_spikes(readings, params) == [], one.key
        assert find_stuck(readings, params) == [], one.key  # rain gauges sit at 0 for days
        times = [r.at for r in readings]
        assert find_gaps(times, expected=one.interval, factor=params.gap_factor) == []


def test_a_spike_is_found_and_its_numbers_kept() -> None:
    values = tide(60)
    values[30] += 0.6
    [found] = find_spikes(series(values), WATER)
    assert found.kind is FlagKind.SPIKE
    assert found.observation_ids == (31,)
    assert found.detail["value"] == pytest.approx(values[30], abs=1e-4)
    assert found.detail["threshold"] == WATER.spike_min_jump  # smooth tide: the floor rules


def test_a_real_rise_is_not_a_spike_but_a_jump_and_return_is() -> None:
    rising = [2.0] * 20 + [2.0 + 0.08 * i for i in range(1, 10)] + [2.8] * 20
    assert find_spikes(series(rising), WATER) == []
    double = tide(60)
    double[30] -= 0.7
    double[31] -= 0.7  # two readings down and back: still a spike each
    assert [f.observation_ids for f in find_spikes(series(double), WATER)] == [(31,), (32,)]


def test_spikes_need_neighbours_on_both_sides_and_respect_judge_from() -> None:
    values = tide(40)
    values[-1] += 1.0
    values[5] += 1.0
    readings = series(values)
    assert [f.observation_ids for f in find_spikes(readings, WATER)] == [(6,)]
    assert find_spikes(readings, WATER, judge_from=readings[10].at) == []


def test_range_runs_group_consecutive_readings() -> None:
    values = tide(20)
    values[4] = values[5] = -99.99
    values[12] = 40.0
    found = find_range(series(values), WATER)
    assert [(f.observation_ids, f.detail["count"]) for f in found] == [((5, 6), 2), ((13,), 1)]
    assert found[0].detail["range"] == [WATER.range_min, WATER.range_max]


def test_stuck_needs_count_and_time_and_skips_rest_values() -> None:
    values = tide(80)
    values[20:34] = [2.5] * 14  # 14 readings, 130 minutes
    [run] = find_stuck(series(values), WATER)
    assert run.observation_ids == tuple(range(21, 35))
    assert run.detail["count"] == 14
    assert run.detail["hours"] == pytest.approx(130 / 60, abs=0.01)
    short = tide(80)
    short[20:31] = [2.5] * 11
    assert find_stuck(series(short), WATER) == []
    assert find_stuck(series([0.0] * 500), RAIN) == []  # a dry week
    assert len(find_stuck(series([0.4] * 40), RAIN)) == 1  # a tipping count frozen above 0
    assert find_stuck(series([99.0] * 40), HUMIDITY) == []  # a saturated night


def test_gaps_between_readings_and_an_open_one() -> None:
    times = [T0 + i * 600 for i in range(10)] + [T0 + 20 * 600, T0 + 21 * 600]
    found = find_gaps(times, expected=600, factor=3, now=T0 + 30 * 600)
    assert [(f.start, f.end, f.is_open) for f in found] == [
        (T0 + 9 * 600, T0 + 20 * 600, False),
        (T0 + 21 * 600, T0 + 30 * 600, True),
    ]
    assert found[0].detail["missing"] == 10


def _hours(days: int, level: float, jitter: float = 0.0) -> dict[int, float]:
    first = int(T0 // HOUR)
    return {first + h: level + jitter * ((h * 13) % 7 - 3) / 3 for h in range(days * 24)}


def test_drift_against_neighbours_needs_a_lasting_shift() -> None:
    neighbours = [_hours(20, 2.0, 0.01), _hours(20, 2.1, 0.01), _hours(20, 1.9, 0.01)]
    target = _hours(20, 2.3, 0.01)
    first = int(T0 // HOUR)
    hours = range(first + 16 * 24, first + 20 * 24)
    diffs = hourly_differences(target, neighbours, WATER)
    assert find_drift(diffs, hours, WATER) == []
    drifting = dict(target)
    for h in range(first + 17 * 24, first + 20 * 24):
        drifting[h] += min(0.4, 0.4 * (h - first - 17 * 24) / 36)
    [found] = find_drift(hourly_differences(drifting, neighbours, WATER), hours, WATER)
    assert found.kind is FlagKind.DRIFT
    assert found.detail["shift"] > WATER.drift_min_shift
    assert found.start >= (first + 17 * 24) * HOUR


def test_drift_of_concentrations_is_judged_on_logarithms(month: list) -> None:  # type: ignore[type-arg]
    pm = [one for one in month if one.quantity is Quantity.PM25]
    hourly = {one.key: hourly_means(one.readings) for one in pm}
    target, others = pm[0], pm[1:]
    doubled = {h: 2.2 * v for h, v in hourly[target.key].items()}
    late = max(doubled)
    shifted = {h: (v if h < late - 60 else doubled[h]) for h, v in hourly[target.key].items()}
    diffs = hourly_differences(shifted, [hourly[o.key] for o in others], PM25)
    assert find_drift(diffs, range(late - 24, late + 1), PM25)
    clean = hourly_differences(hourly[target.key], [hourly[o.key] for o in others], PM25)
    assert find_drift(clean, range(late - 96, late + 1), PM25) == []


def test_parameters_are_overridden_per_stream_and_units_converted() -> None:
    props = {"quality": {"spike_min_jump": 0.3, "stuck_enabled": False, "spike_window": "x"}}
    chosen = params_for(Quantity.WATER_LEVEL, props)
    assert (chosen.spike_min_jump, chosen.stuck_enabled) == (0.3, False)
    assert chosen.spike_window == WATER.spike_window  # a wrong type is ignored
    assert params_for(Quantity.WATER_LEVEL, {"quality": "off"}) == WATER
    assert canonical_factor(Quantity.WATER_LEVEL, "cm") == 0.01
    assert canonical_factor(Quantity.NO2, "ppb") == pytest.approx(46.0055 / 24.45)
    assert canonical_factor(Quantity.TEMPERATURE, "°F") is None


@pytest.mark.parametrize(
    ("sent", "flagged"),
    [
        (None, {"pontive:flags": ["spike"]}),
        ({"accuracy": 0.5}, {"accuracy": 0.5, "pontive:flags": ["spike"]}),
        (
            [{"nameOfMeasure": "x"}],
            {"pontive:flags": ["spike"], "pontive:value": [{"nameOfMeasure": "x"}]},
        ),
        ("good", {"pontive:flags": ["spike"], "pontive:value": "good"}),
    ],
)
def test_result_quality_keeps_the_clients_value(sent: object, flagged: object) -> None:
    marked = merge_flags(sent, ["spike"])
    assert marked == flagged
    assert is_excluded(marked)
    both = merge_flags(marked, ["drift"])
    assert flags_of(both) == ["drift", "spike"]
    assert remove_flags(remove_flags(both, ["spike"]), ["drift"]) == sent
    assert not is_excluded(merge_flags(sent, ["drift"]))
