"""The checks over stored observations (``quality_run``): flags and ``resultQuality`` on
faulty readings, none on clean simulated tides, idempotence, and the watermark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_models import QualityFlag, QualityWatermark
from pontive.analytics.quality_run import run_checks
from pontive.core.identity import system_actor
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import demo_stations
from pontive.sensors.models import Datastream, Observation
from pontive.sensors.simulate_city import CityModel
from tests.sensors.conftest import datastream, observations, sta_thing

ACTOR = system_actor("test")
START = datetime(2026, 11, 20, tzinfo=UTC)
GAUGES = ("kapuas-indah", "jembatan-kapuas-1", "banjar-serasan")


@dataclass(frozen=True)
class Gauge:
    """A simulated gauge stored as a Thing with a water-level stream in cm."""

    thing_id: int
    stream_id: int
    times: list[datetime]
    ids: list[int]


def add_gauges(
    session: Session,
    hours: int = 36,
    spoil: dict[str, dict[int, float]] | None = None,
    start: datetime = START,
) -> dict[str, Gauge]:
    """Three Kapuas gauges of the demo with ``hours`` of their simulated readings from
    ``start`` (10 minutes apart); ``spoil[key][index]`` replaces reading ``index``."""
    model, made = CityModel(20261129), {}
    stations = {s.key: s for s in demo_stations()}
    for key in GAUGES:
        station = stations[key]
        thing = sta_thing(session, name=station.name, lon=station.lon, lat=station.lat, at=start)
        thing.expected_interval_seconds = 600
        stream = datastream(session, thing=thing, quantity=Quantity.WATER_LEVEL, unit="cm")
        readings = list(model.history(station, start, start + timedelta(hours=hours)))
        values = [(r.phenomenon_time, r.result) for r in readings]
        for index, value in (spoil or {}).get(key, {}).items():
            values[index] = (values[index][0], value)
        ids = observations(session, datastream=stream, values=values)
        made[key] = Gauge(thing.id, stream.id, [t for t, _ in values], ids)
    return made


def extend(session: Session, gauge: Gauge, values: Sequence[float]) -> list[int]:
    """More readings after the last one, 10 minutes apart."""
    last = gauge.times[-1]
    rows = [(last + timedelta(minutes=10 * (i + 1)), v) for i, v in enumerate(values)]
    stream = session.get_one(Datastream, gauge.stream_id)
    return observations(session, datastream=stream, values=rows)


def flags(session: Session) -> list[QualityFlag]:
    """Every flag, oldest period first."""
    return list(session.scalars(select(QualityFlag).order_by(QualityFlag.period_start)))


def quality(session: Session, observation_id: int) -> object:
    """An observation's stored resultQuality."""
    return session.scalar(
        select(Observation.result_quality).where(Observation.id == observation_id)
    )


def test_clean_simulated_tides_raise_no_flag(session: Session) -> None:
    gauges = add_gauges(session)
    end = gauges["kapuas-indah"].times[-1] + timedelta(minutes=5)
    report = run_checks(session, actor=ACTOR, now=end)
    assert report.readings == 3 * 216
    assert flags(session) == []


def test_a_spike_and_a_stuck_run_are_flagged_and_marked_once(session: Session) -> None:
    stuck = dict.fromkeys(range(100, 130), 231.4)  # five hours of one value
    gauges = add_gauges(session, spoil={"kapuas-indah": {150: 400.0}, "banjar-serasan": stuck})
    end = gauges["kapuas-indah"].times[-1] + timedelta(minutes=5)
    first = run_checks(session, actor=ACTOR, now=end)
    found = {(f.kind, f.datastream_id): f for f in flags(session)}
    spike = found[(FlagKind.SPIKE, gauges["kapuas-indah"].stream_id)]
    assert spike.observation_id == gauges["kapuas-indah"].ids[150]
    assert spike.detail["value"] == pytest.approx(4.0)  # metres, the canonical unit
    assert quality(session, spike.observation_id) == {"pontive:flags": ["spike"]}
    run = found[(FlagKind.STUCK, gauges["banjar-serasan"].stream_id)]
    banjar = gauges["banjar-serasan"]
    assert (run.period_start, run.period_end) == (banjar.times[100], banjar.times[129])
    assert all(quality(session, i) == {"pontive:flags": ["stuck"]} for i in banjar.ids[100:130])
    assert quality(session, banjar.ids[99]) is None
    assert len(found) == 2
    assert first.created == {FlagKind.SPIKE: 1, FlagKind.STUCK: 1}

    again = run_checks(session, actor=ACTOR, now=end, since=START)
    assert again.created == {}
    assert len(flags(session)) == 2


def test_the_watermark_reads_only_new_data_and_a_run_grows_one_flag(session: Session) -> None:
    stuck = dict.fromkeys(range(206, 216), 228.0)  # the last ten readings: too short yet
    gauges = add_gauges(session, spoil={"jembatan-kapuas-1": stuck})
    gauge = gauges["jembatan-kapuas-1"]
    end = gauge.times[-1] + timedelta(minutes=5)
    run_checks(session, actor=ACTOR, now=end)
    assert flags(session) == []
    marks = session.scalars(select(QualityWatermark.last_observation_id)).all()
    assert set(marks) == {max(g.ids[-1] for g in gauges.values())}

    new_ids = extend(session, gauge, [228.0] * 6)
    later = end + timedelta(hours=1)
    report = run_checks(session, actor=ACTOR, now=later)
    # Only the stream with new data is read, with twelve hours of overlap before it.
    assert report.readings == 72 + 6
    [run] = [f for f in flags(session) if f.datastream_id == gauge.stream_id]
    assert {f.kind for f in flags(session) if f.datastream_id != gauge.stream_id} == {FlagKind.GAP}
    assert (run.kind, run.period_start, run.period_end) == (
        FlagKind.STUCK, gauge.times[206], gauge.times[-1] + timedelta(minutes=60)
    )  # fmt: skip
    newest = extend(
        session,
        Gauge(gauge.thing_id, gauge.stream_id, [gauge.times[-1] + timedelta(hours=1)], []),
        [228.0],
    )
    run_checks(session, actor=ACTOR, now=later + timedelta(minutes=10))
    [grown] = [f for f in flags(session) if f.datastream_id == gauge.stream_id]
    assert grown.id == run.id
    assert grown.period_end == gauge.times[-1] + timedelta(minutes=70)
    assert quality(session, newest[0]) == {"pontive:flags": ["stuck"]}
    assert quality(session, new_ids[0]) == {"pontive:flags": ["stuck"]}


def test_a_silent_gauge_gets_one_open_gap_closed_when_data_returns(session: Session) -> None:
    gauges = add_gauges(session, hours=12)
    gauge = gauges["kapuas-indah"]
    silent_from = gauge.times[-1]
    run_checks(session, actor=ACTOR, now=silent_from + timedelta(hours=2))
    gaps = [f for f in flags(session) if f.datastream_id == gauge.stream_id]
    assert [(f.kind, f.is_ongoing, f.period_start) for f in gaps] == [
        (FlagKind.GAP, True, silent_from)
    ]
    run_checks(session, actor=ACTOR, now=silent_from + timedelta(hours=3))
    later = Gauge(gauge.thing_id, gauge.stream_id, [silent_from + timedelta(hours=3)], [])
    extend(session, later, [250.0])
    run_checks(session, actor=ACTOR, now=silent_from + timedelta(hours=3, minutes=15))
    [gap] = [f for f in flags(session) if f.datastream_id == gauge.stream_id]
    assert (gap.is_ongoing, gap.period_end) == (False, silent_from + timedelta(hours=3, minutes=10))
    assert gap.detail["missing"] == 18
    total = session.scalar(select(func.count(QualityFlag.id)))
    assert total == 3  # every gauge fell silent at the same time
