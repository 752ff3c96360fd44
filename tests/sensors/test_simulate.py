"""The simulator's city model (tides, rain, rivers, haze) and its publisher, without a server:
the properties the demo and the pages rely on, checked over months of simulated time."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import DEMO_KEY, demo_stations, station_by_key
from pontive.sensors.simulate import (
    Outgoing,
    Simulation,
    SimulatorError,
    Target,
    choose_stations,
    create_observations_body,
    match_targets,
    observation_json,
)
from pontive.sensors.simulate_city import TIP_MM, CityModel, aligned_times
from pontive.sensors.simulate_model import (
    CITY_CENTRE,
    CONSTITUENTS,
    RainModel,
    RiverModel,
    epoch_hours,
    tide_m,
    wib_day,
    wib_hour,
)
from pontive.sensors.simulate_sinks import parse_mqtt_url

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)


def _projection(values: Sequence[float], hours: Sequence[float], period: float) -> float:
    """Amplitude of the sinusoid of ``period`` hours in a series (least-squares projection)."""
    mean = sum(values) / len(values)
    cos = sum(
        (v - mean) * math.cos(2 * math.pi * h / period) for v, h in zip(values, hours, strict=True)
    )
    sin = sum(
        (v - mean) * math.sin(2 * math.pi * h / period) for v, h in zip(values, hours, strict=True)
    )
    return 2 * math.hypot(cos, sin) / len(values)


def test_the_tide_holds_its_diurnal_and_semidiurnal_constituents() -> None:
    start = epoch_hours(datetime(2026, 1, 1, tzinfo=UTC))
    hours = [start + 0.25 * i for i in range(4 * 24 * 370)]  # a year: K1 and P1 separate
    series = [tide_m(h) for h in hours]
    for constituent in CONSTITUENTS:
        found = _projection(series, hours, constituent.period_hours)
        assert found == pytest.approx(constituent.amplitude_m, abs=0.02), constituent.name
    assert _projection(series, hours, 17.0) < 0.01  # no energy where no tide is
    # Spring highs reach the rob levels BMKG forecasts; the mean sits near 1 m above MLLW.
    assert 1.85 < max(series) < 2.2
    assert 0.9 < sum(series) / len(series) < 1.0


def test_a_gauge_rises_and_falls_with_the_tide_damped_upstream() -> None:
    model = CityModel()
    start = datetime(2026, 11, 1, tzinfo=UTC)
    times = list(aligned_times(start, start + timedelta(days=30), 10))
    hours = [epoch_hours(t) for t in times]
    period = {c.name: c for c in CONSTITUENTS}
    diurnal, semidiurnal = {}, {}
    for key in ("batu-layang", "tanjung-hulu"):
        station = station_by_key(key)
        levels = [model.water_level(station, t) for t in times]
        # A month separates M2 from S2, not K1 from P1: check M2's size, K1's ratio.
        m2 = _projection(levels, hours, period["M2"].period_hours)
        expected = 100 * period["M2"].amplitude_m * station.param("tide_gain")
        assert m2 == pytest.approx(expected, rel=0.25), key
        diurnal[key] = _projection(levels, hours, period["K1"].period_hours)
        semidiurnal[key] = m2
    gains = station_by_key("tanjung-hulu").param("tide_gain") / station_by_key("batu-layang").param(
        "tide_gain"
    )
    assert diurnal["tanjung-hulu"] / diurnal["batu-layang"] == pytest.approx(gains, rel=0.1)
    assert diurnal["batu-layang"] > 2 * semidiurnal["batu-layang"]  # a diurnal tide


def test_the_rivers_rise_days_after_the_rain() -> None:
    rain = RainModel(11)
    rivers = RiverModel(11, rain)
    first = wib_day(epoch_hours(YEAR_START))
    days = range(first, first + 365)
    daily_rain = [rain.day_mm(*CITY_CENTRE, day) for day in days]
    for name, lags in (("landak", {1, 2}), ("kapuas", {3, 4, 5})):
        stage = [rivers.stage_m(name, day * 24.0 - 7 + 12) for day in days]

        def correlation(lag: int, stage: list[float] = stage) -> float:
            pairs = list(zip(daily_rain[: len(days) - lag], stage[lag:], strict=True))
            mean_r = sum(p[0] for p in pairs) / len(pairs)
            mean_s = sum(p[1] for p in pairs) / len(pairs)
            return sum((r - mean_r) * (s - mean_s) for r, s in pairs)

        best = max(range(0, 10), key=correlation)
        assert best in lags, (name, best)


def test_rain_is_an_afternoon_and_wet_season_affair() -> None:
    rain = RainModel(20261129)
    lon, lat = CITY_CENTRE
    start = int(epoch_hours(YEAR_START))
    by_hour: dict[int, float] = defaultdict(float)
    by_month: dict[int, float] = defaultdict(float)
    for hour in range(start, start + 24 * 365):
        amount = rain.hourly_mm(lon, lat, hour)
        by_hour[int(wib_hour(hour))] += amount
        by_month[datetime.fromtimestamp((hour + 7) * 3600, UTC).month] += amount
    total = sum(by_month.values())
    assert 2000 < total < 4500  # Pontianak: about 3,000 mm a year
    afternoon = sum(by_hour[h] for h in range(12, 20))
    assert afternoon / total > 0.4  # convective showers (a third of the day, over 40 %)
    wet = by_month[10] + by_month[11] + by_month[12]
    dry = by_month[6] + by_month[7] + by_month[8]
    assert wet > 1.4 * dry


def test_haze_peaks_at_night_in_the_dry_season_and_vanishes_in_the_wet() -> None:
    model = CityModel()
    station = station_by_key("udara-pontianak-utara")
    by_hour: dict[int, list[float]] = defaultdict(list)
    start = datetime(2026, 8, 1, tzinfo=UTC)
    for at in aligned_times(start, start + timedelta(days=61), 30):
        by_hour[int(wib_hour(epoch_hours(at)))].append(
            model.air_quality(station, at)[Quantity.PM25]
        )
    means = {hour: sum(v) / len(v) for hour, v in by_hour.items()}
    assert max(means, key=means.__getitem__) in range(2, 10)
    night = sum(means[h] for h in range(3, 9)) / 6
    afternoon = sum(means[h] for h in range(13, 18)) / 5
    assert night > 2 * afternoon
    dry_peak = max(max(v) for v in by_hour.values())
    assert dry_peak > 150  # smoky nights, as DLH recorded in 2019 and 2023
    december = [
        model.air_quality(station, at)[Quantity.PM25]
        for at in aligned_times(
            datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC), 60
        )
    ]
    assert sum(december) / len(december) * 3 < night
    assert max(december) < 120


def test_other_pollutants_follow_traffic_and_sunshine() -> None:
    model = CityModel()
    station = station_by_key("udara-pontianak-selatan")
    noon = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # 12:00 WIB
    night = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # 03:00 WIB
    rush = datetime(2026, 11, 20, 0, 30, tzinfo=UTC)  # 07:30 WIB
    assert (
        model.air_quality(station, noon)[Quantity.O3]
        > 2 * model.air_quality(station, night)[Quantity.O3]
    )
    assert (
        model.air_quality(station, rush)[Quantity.NO2]
        > model.air_quality(station, night)[Quantity.NO2]
    )
    values = model.air_quality(station, rush)
    assert set(values) == {
        Quantity.PM25,
        Quantity.PM10,
        Quantity.O3,
        Quantity.CO,
        Quantity.SO2,
        Quantity.NO2,
        Quantity.HC,
    }
    assert values[Quantity.PM10] > values[Quantity.PM25] > 0


def test_readings_are_a_pure_function_of_the_seed() -> None:
    instants = [datetime(2026, 9, 3, h, m, tzinfo=UTC) for h in (0, 7, 15) for m in (0, 30)]
    first, second, other = CityModel(5), CityModel(5), CityModel(6)
    ask = [(s, t) for s in demo_stations() for t in instants]
    forward = [first.readings(s, t) for s, t in ask]
    backward = [second.readings(s, t) for s, t in reversed(ask)][::-1]
    assert forward == backward
    assert forward != [other.readings(s, t) for s, t in ask]


def test_a_rain_gauge_counts_whole_tips_that_add_up_to_the_day() -> None:
    model = CityModel()
    station = station_by_key("hujan-darat-sekip")
    midnight = datetime(2026, 11, 16, 17, 0, tzinfo=UTC)  # 00:00 WIB on 17 November
    readings = [
        model.readings(station, t)[0]
        for t in aligned_times(
            midnight + timedelta(minutes=10), midnight + timedelta(days=1, minutes=1), 10
        )
    ]
    assert len(readings) == 144
    assert all(r.phenomenon_time_end - r.phenomenon_time == timedelta(minutes=10) for r in readings)  # type: ignore[operator]
    assert all(abs(r.result / TIP_MM - round(r.result / TIP_MM)) < 1e-6 for r in readings)
    day = model.rainfall(station, midnight, midnight + timedelta(days=1))
    assert sum(r.result for r in readings) == pytest.approx(day)
    assert day > 0  # a wet November day in this seed


def test_the_demo_catalogue_is_complete_and_inside_the_city() -> None:
    stations = demo_stations()
    kinds = {s.kind.value for s in stations}
    assert kinds == {"water_gauge", "rain_gauge", "air_station"}
    assert {s.kelurahan_kode[:8] for s in stations if s.kind.value == "air_station"} == {
        f"61.71.0{k}" for k in range(1, 7)
    }
    assert {s.river for s in stations if s.river} == {"kapuas", "landak"}
    for station in stations:
        assert 109.25 < station.lon < 109.40
        assert -0.09 < station.lat < 0.03
        if station.thresholds:
            assert station.thresholds[0] < station.thresholds[1] < station.thresholds[2]
    assert any(s.silent_minutes > 6 * 10 * 2 for s in stations)  # an offline device
    assert len({s.key for s in stations}) == len(stations)


# --- the publisher -------------------------------------------------------------------------


class ListSink:
    """Keeps what it is sent (the real sinks are tested against a broker and the app)."""

    def __init__(self) -> None:
        self.batches: list[list[Outgoing]] = []

    def send(self, batch: Sequence[Outgoing]) -> int:
        self.batches.append(list(batch))
        return len(batch)

    def close(self) -> None:
        pass


def _targets() -> list[Target]:
    rows: list[tuple[Any, int, Any]] = []
    for number, station in enumerate(demo_stations()):
        for offset, quantity in enumerate(station.quantities):
            rows.append(
                ({DEMO_KEY: station.key}, 100 * number + offset, {DEMO_KEY: quantity.value})
            )
    rows.append(({DEMO_KEY: "kapuas-indah"}, 9999, {"other": 1}))  # not a demo stream
    return match_targets(choose_stations(), rows)


def test_a_step_sends_each_stations_readings_due_in_the_window() -> None:
    sink = ListSink()
    simulation = Simulation(CityModel(), _targets(), sink, speed=60)
    after = datetime(2026, 11, 29, 6, 55, tzinfo=UTC)
    simulation.step(after, after + timedelta(minutes=20))
    sent = sink.batches[0]
    water = [o for o in sent if o.target.station.key == "kapuas-indah"]
    assert [o.reading.phenomenon_time.minute for o in water] == [0, 10]
    air = [o for o in sent if o.target.station.key == "udara-pontianak-kota"]
    assert {o.reading.phenomenon_time.minute for o in air} == {0, 15}
    assert len(air) == 14
    assert all(
        o.parameters and "battery" in o.parameters
        for o in water
        if o.reading.phenomenon_time.minute == 0
    )
    assert not any(o.target.station.key == "tanjung-hulu" for o in sent)  # silent in the demo
    assert 9999 not in {o.target.datastream_id for o in sent}
    assert simulation.published == len(sent)


def test_run_advances_the_simulated_clock_by_the_speed() -> None:
    sink = ListSink()
    simulation = Simulation(CityModel(), _targets(), sink, speed=600)
    ticks = iter([0.0, 1.0, 2.0, 3.0, 3.0, 3.0])
    start = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    simulation.run(start=start, duration=3.0, clock=lambda: next(ticks), sleep=lambda _s: None)
    latest = max(o.reading.phenomenon_time for batch in sink.batches for o in batch)
    assert latest == start + timedelta(minutes=30)  # 3 s x 600 = 30 simulated minutes
    assert len(sink.batches) == 3


def test_the_payloads_are_sensorthings_observations() -> None:
    model = CityModel()
    gauge, rain = station_by_key("kapuas-indah"), station_by_key("hujan-pal-lima")
    at = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
    level = Outgoing(
        Target(gauge, Quantity.WATER_LEVEL, 3), model.readings(gauge, at)[0], {"battery": 88}
    )
    shower = Outgoing(Target(rain, Quantity.RAINFALL, 4), model.readings(rain, at)[0])
    assert observation_json(level) == {
        "phenomenonTime": "2026-11-29T07:00:00Z",
        "resultTime": "2026-11-29T07:00:00Z",
        "result": level.reading.result,
        "parameters": {"battery": 88},
    }
    assert observation_json(shower)["phenomenonTime"] == "2026-11-29T06:50:00Z/2026-11-29T07:00:00Z"
    body = create_observations_body([level, shower])
    assert [entry["Datastream"] for entry in body] == [{"@iot.id": 3}, {"@iot.id": 4}]
    assert body[0]["components"][-1] == "parameters"
    assert body[0]["dataArray"][0][-1] == {"battery": 88}
    assert body[1]["dataArray"] == [
        ["2026-11-29T06:50:00Z/2026-11-29T07:00:00Z", "2026-11-29T07:00:00Z", shower.reading.result]
    ]


def test_stations_are_chosen_by_key_and_unknown_ones_refused() -> None:
    assert [s.key for s in choose_stations(["tanjung-hulu"])] == ["tanjung-hulu"]
    assert "tanjung-hulu" not in {s.key for s in choose_stations()}
    with pytest.raises(SimulatorError, match="unknown stations: nowhere"):
        choose_stations(["nowhere"])
    with pytest.raises(SimulatorError, match="demo load"):
        Simulation(CityModel(), [], ListSink())


def test_mqtt_urls_give_host_port_credentials_and_tls() -> None:
    plain = parse_mqtt_url("mqtt://127.0.0.1")
    assert (plain.host, plain.port, plain.use_tls, plain.username) == (
        "127.0.0.1",
        1883,
        False,
        None,
    )
    secure = parse_mqtt_url("mqtts://gateway:rahasia%21@broker.pontianak.go.id")
    assert (secure.port, secure.use_tls, secure.username, secure.password) == (
        8883,
        True,
        "gateway",
        "rahasia!",
    )
    with pytest.raises(SimulatorError):
        parse_mqtt_url("http://127.0.0.1:1883")
