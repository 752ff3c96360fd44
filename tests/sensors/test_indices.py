"""Derived datastreams: flood status and ISPU observations, their events, and the hot path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from pontive.core.events import MemoryBus
from pontive.core.identity import system_actor
from pontive.sensors.choices import FloodDatum, Quantity
from pontive.sensors.flood import Thresholds, set_flood_threshold
from pontive.sensors.indices import (
    FLOOD_SENSOR_NAME,
    ISPU_SENSOR_NAME,
    OM_CATEGORY,
    ensure_derived_datastreams,
    on_observations,
    recompute_indices,
)
from pontive.sensors.indices_cache import source_streams
from pontive.sensors.models import Datastream, Rollup, Sensor, Thing
from tests.bus_support import collect_events
from tests.sensors.indices_support import (
    _fresh_process_caches,  # noqa: F401 - autouse fixture
    derived_rows,
    make_stream,
    make_thing,
    store,
)

ADMIN = system_actor("test")
T0 = datetime(2026, 8, 22, 0, 0, tzinfo=UTC)  # haze season; 07:00 WIB


def hour(n: int, minute: int = 30) -> datetime:
    return T0 + timedelta(hours=n, minutes=minute)


def _derived(session: Session, thing_id: int, quantity: Quantity) -> Datastream:
    return session.scalars(
        select(Datastream).where(Datastream.thing_id == thing_id, Datastream.quantity == quantity)
    ).one()


@pytest.fixture
def gauge(session: Session) -> tuple[int, int]:
    """A Kapuas gauge in cm with 260/280/300 thresholds: (source id, flood-status id)."""
    thing = make_thing(session, "Pos duga Kapuas Seng Hie")
    source = make_stream(session, thing, Quantity.WATER_LEVEL, "cm")
    created = ensure_derived_datastreams(session=session, thing_id=thing.id)
    set_flood_threshold(
        session=session,
        actor=ADMIN,
        datastream_id=source.id,
        thresholds=Thresholds(FloodDatum.GAUGE_CM, 260, 280, 300),
    )
    assert [s.quantity for s in created] == [Quantity.FLOOD_STATUS]
    return source.id, created[0].id


def test_ensure_creates_each_derived_stream_once(session: Session) -> None:
    station = make_thing(session, "AQMS Kantor Camat Pontianak Tenggara")
    make_stream(session, station, Quantity.PM25, "µg/m³")
    make_stream(session, station, Quantity.PM10, "µg/m³")
    make_stream(session, station, Quantity.TEMPERATURE, "Cel")
    gauge = make_thing(session, "Pos duga Landak")
    level = make_stream(session, gauge, Quantity.WATER_LEVEL, "cm")
    [ispu] = ensure_derived_datastreams(session=session, thing_id=station.id)
    [status] = ensure_derived_datastreams(session=session, thing_id=gauge.id)
    assert (ispu.quantity, ispu.derived_from_id, ispu.thing_id) == (Quantity.ISPU, None, station.id)
    assert (status.derived_from_id, status.observation_type) == (level.id, OM_CATEGORY)
    assert session.get(Sensor, ispu.sensor_id).name == ISPU_SENSOR_NAME  # type: ignore[union-attr]
    assert session.get(Sensor, status.sensor_id).name == FLOOD_SENSOR_NAME  # type: ignore[union-attr]
    assert ensure_derived_datastreams(session=session, thing_id=station.id) == []
    assert ensure_derived_datastreams(session=session, thing_id=gauge.id) == []
    other = make_thing(session, "Pos duga Kapuas Kecil")
    make_stream(session, other, Quantity.WATER_LEVEL, "m")
    [second] = ensure_derived_datastreams(session=session, thing_id=other.id)
    assert second.sensor_id == status.sensor_id  # one shared Sensor, not one per stream
    assert second.observed_property_id == status.observed_property_id


def test_flood_status_is_written_per_reading(session: Session, gauge: tuple[int, int]) -> None:
    source_id, status_id = gauge
    levels = [250, 260, 279.9, 280, 300, 310, 255]
    stored = store(session, source_id, [(hour(i), v) for i, v in enumerate(levels)])
    on_observations(session=session, stored=stored)
    rows = derived_rows(session, status_id)
    assert [row.result_json for row in rows] == [
        "normal", "waspada", "waspada", "siaga", "awas", "awas", "normal"
    ]  # fmt: skip
    assert all(row.result_number is None for row in rows)
    assert [row.phenomenon_time for row in rows] == [hour(i) for i in range(7)]
    assert rows[3].parameters == {
        "source_observation": stored[3].id, "level": 280.0, "datum": "gauge_cm"
    }  # fmt: skip
    stream = session.get(Datastream, status_id)
    assert stream is not None
    assert (stream.last_result, stream.last_phenomenon_time) == ("normal", hour(6))
    assert stream.last_observation_id == rows[-1].id
    assert (stream.phenomenon_time_start, stream.phenomenon_time_end) == (hour(0), hour(6))


def test_flood_events_only_when_the_latest_status_changes(
    session: Session, bus: MemoryBus, gauge: tuple[int, int]
) -> None:
    source_id, status_id = gauge

    def ingest(*readings: tuple[float, float]) -> list[Any]:
        stored = store(session, source_id, [(T0 + timedelta(hours=n), v) for n, v in readings])
        return collect_events(
            bus, session, "sensors.flood_status_changed",
            lambda: on_observations(session=session, stored=stored),
        )  # fmt: skip

    [first] = ingest((0, 240), (1, 250))
    assert (first.data["old"], first.data["new"]) == (None, "normal")
    assert ingest((2, 255)) == []
    [rise] = ingest((3, 270), (4, 301))  # the batch ends at Awas: one event, old → newest
    assert rise.data == {
        "thing": {"id": rise.data["thing"]["id"], "name": "Pos duga Kapuas Seng Hie"},
        "stream": {"id": status_id, "name": rise.data["stream"]["name"]},
        "old": "normal",
        "new": "awas",
        "value": 301.0,
        "time": (T0 + timedelta(hours=4)).isoformat(),
        "unit": "cm",
        "datum": "gauge_cm",
        "source_stream": source_id,
    }
    assert rise.classification.value == "publik"
    assert ingest((5, 305)) == []
    assert ingest((1.5, 299)) == []  # a late reading does not move the latest status
    assert len(derived_rows(session, status_id)) == 7


def test_recomputing_a_reading_updates_its_status_in_place(
    session: Session, gauge: tuple[int, int]
) -> None:
    source_id, status_id = gauge
    stored = store(session, source_id, [(hour(0), 290)])
    on_observations(session=session, stored=stored)
    session.execute(
        update(Datastream)
        .where(Datastream.id == source_id)
        .values(unit_of_measurement={"symbol": "m"})
    )
    set_flood_threshold(
        session=session,
        actor=ADMIN,
        datastream_id=source_id,
        thresholds=Thresholds(FloodDatum.GAUGE_CM, 20000, 28000, 30000),
    )  # 290 m = 29 000 cm
    on_observations(session=session, stored=stored)
    [row] = derived_rows(session, status_id)
    assert row.result_json == "siaga"


def test_no_status_without_thresholds_or_for_non_numbers(session: Session) -> None:
    thing = make_thing(session, "Pos duga tanpa ambang")
    source = make_stream(session, thing, Quantity.WATER_LEVEL, "cm")
    [status] = ensure_derived_datastreams(session=session, thing_id=thing.id)
    on_observations(session=session, stored=store(session, source.id, [(hour(0), 300)]))
    assert derived_rows(session, status.id) == []
    set_flood_threshold(
        session=session,
        actor=ADMIN,
        datastream_id=source.id,
        thresholds=Thresholds(FloodDatum.TIDE_M, 1.6, 1.8, 2.0),
    )
    on_observations(session=session, stored=store(session, source.id, [(hour(1), "kering")]))
    assert derived_rows(session, status.id) == []
    on_observations(session=session, stored=store(session, source.id, [(hour(2), 185)]))
    assert [row.result_json for row in derived_rows(session, status.id)] == ["siaga"]


@pytest.fixture
def air(session: Session) -> tuple[Thing, int, int, int]:
    """An air station with PM2.5 and PM10 (µg/m³): (thing, pm25 id, pm10 id, ispu id)."""
    thing = make_thing(session, "AQMS Kantor Camat Pontianak Tenggara")
    pm25 = make_stream(session, thing, Quantity.PM25, "µg/m³")
    pm10 = make_stream(session, thing, Quantity.PM10, "ug/m3")
    [ispu] = ensure_derived_datastreams(session=session, thing_id=thing.id)
    return thing, pm25.id, pm10.id, ispu.id


def _day(session: Session, air: tuple[Thing, int, int, int], pm25: float, pm10: float) -> list[Any]:
    _, pm25_id, pm10_id, _ = air
    stored = store(session, pm25_id, [(hour(h), pm25) for h in range(24)])
    stored += store(session, pm10_id, [(hour(h), pm10) for h in range(1, 24)])
    return stored


def test_ispu_is_hourly_from_24_hour_means_once_18_hours_hold_data(
    session: Session, air: tuple[Thing, int, int, int]
) -> None:
    *_, ispu_id = air
    on_observations(session=session, stored=_day(session, air, pm25=35.0, pm10=100.0))
    rows = derived_rows(session, ispu_id)
    # PM2.5 has 18 hours at hour 17; PM10 (from hour 1) at hour 18.
    assert [row.phenomenon_time for row in rows] == [T0 + timedelta(hours=h) for h in range(17, 24)]
    assert rows[0].phenomenon_time_end == T0 + timedelta(hours=18)
    assert rows[0].result_number == 74  # PM2.5 only: 74.44
    assert (rows[0].parameters or {})["critical"] == "pm25"
    assert [row.result_number for row in rows[1:]] == [75] * 6  # PM10 75.0 takes over
    assert rows[-1].parameters == {
        "category": "sedang",
        "critical": "pm10",
        "sub_indices": {"pm25": 74.4, "pm10": 75.0},
        "averaging_hours": {"pm25": 24, "pm10": 24},
        "above_scale": False,
    }
    stream = session.get(Datastream, ispu_id)
    assert stream is not None
    assert (stream.last_result, stream.last_phenomenon_time) == (75, T0 + timedelta(hours=23))
    rollups = session.scalars(
        select(Rollup).where(Rollup.datastream_id == ispu_id, Rollup.interval == "1h")
    ).all()
    assert len(rollups) == 7


def test_ispu_events_when_the_category_changes_and_rows_are_updated_in_place(
    session: Session, bus: MemoryBus, air: tuple[Thing, int, int, int]
) -> None:
    thing, pm25_id, _, ispu_id = air
    day = _day(session, air, pm25=35.0, pm10=100.0)
    [first] = collect_events(
        bus, session, "sensors.ispu_category_changed",
        lambda: on_observations(session=session, stored=day),
    )  # fmt: skip
    assert (first.data["old"], first.data["new"], first.data["value"]) == (None, "sedang", 75)
    assert first.data["thing"] == {"id": thing.id, "name": thing.name}
    # A night haze peak in the next hour: (23 x 35 + 600) / 24 = 58.54 µg/m³ → 103.3.
    peak = store(session, pm25_id, [(hour(24, 5), 600.0)])
    [haze] = collect_events(
        bus, session, "sensors.ispu_category_changed",
        lambda: on_observations(session=session, stored=peak),
    )  # fmt: skip
    assert (haze.data["old"], haze.data["new"], haze.data["value"]) == (
        "sedang",
        "tidak_sehat",
        103,
    )
    assert haze.data["critical"] == "pm25"
    assert haze.data["time"] == (T0 + timedelta(hours=24)).isoformat()
    # More data in the same hour updates that hour's row; same category, no event.
    more = store(session, pm25_id, [(hour(24, 40), 610.0)])
    assert collect_events(
        bus, session, "sensors.ispu_category_changed",
        lambda: on_observations(session=session, stored=more),
    ) == []  # fmt: skip
    rows = derived_rows(session, ispu_id)
    assert len(rows) == 8
    assert rows[-1].result_number == 104  # hour 24 mean 605 → (805 + 605) / 24 = 58.75 → 103.53
    assert (rows[-1].parameters or {})["sub_indices"]["pm25"] == pytest.approx(103.5, abs=0.05)


def test_late_air_data_recomputes_the_hours_whose_window_holds_it(
    session: Session, air: tuple[Thing, int, int, int]
) -> None:
    _, pm25_id, _, ispu_id = air
    on_observations(session=session, stored=_day(session, air, pm25=35.0, pm10=10.0))
    before = {row.phenomenon_time: row.result_number for row in derived_rows(session, ispu_id)}
    # A second reading in hour 20 (mean of that hour (35 + 515) / 2 = 275).
    late = store(session, pm25_id, [(hour(20, 45), 515.0)])
    on_observations(session=session, stored=late)
    after = {row.phenomenon_time: row.result_number for row in derived_rows(session, ispu_id)}
    assert set(after) == set(before)
    changed = sorted(t for t in after if after[t] != before[t])
    assert changed == [T0 + timedelta(hours=h) for h in range(20, 24)]
    # Hour k (20-23) averages k hours at 35 and hour 20 at 275: (35k + 275) / (k + 1), e.g.
    # hour 20: 46.43 µg/m³ → 50 + 50/39.9 x 30.93 = 88.76 → 89; hour 23: 45.0 → 86.97 → 87.
    assert [after[T0 + timedelta(hours=h)] for h in range(20, 24)] == [89, 88, 88, 87]


def test_gas_streams_in_ppb_are_converted(session: Session) -> None:
    thing = make_thing(session, "AQMS Siantan")
    so2 = make_stream(session, thing, Quantity.SO2, "ppb")
    [ispu] = ensure_derived_datastreams(session=session, thing_id=thing.id)
    # 116 µg/m³ is the middle of SO2's 51-100 band: 116 / (64.066 / 24.45) ppb.
    ppb = 116 / (64.066 / 24.45)
    on_observations(
        session=session, stored=store(session, so2.id, [(hour(h), ppb) for h in range(18)])
    )
    [row] = derived_rows(session, ispu.id)
    assert (row.result_number, (row.parameters or {})["critical"]) == (75, "so2")


def test_streams_no_index_depends_on_cost_no_query(session: Session, air: Any) -> None:
    thing = make_thing(session, "Stasiun cuaca Supadio")
    temperature = make_stream(session, thing, Quantity.TEMPERATURE, "Cel")
    stored = store(session, temperature.id, [(hour(0), 31.5)])
    source_streams(session)  # warm the cache
    statements: list[str] = []
    connection = session.connection()

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", count)
    try:
        on_observations(session=session, stored=stored)
        on_observations(session=session, stored=[])
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert statements == []


def test_the_source_cache_follows_stream_and_threshold_changes(session: Session) -> None:
    thing = make_thing(session, "AQMS Pontianak Kota")
    pm25 = make_stream(session, thing, Quantity.PM25, "ug/m3")
    assert pm25.id not in source_streams(session)
    ensure_derived_datastreams(session=session, thing_id=thing.id)
    cached = source_streams(session)
    assert cached[pm25.id] is Quantity.PM25
    # Ingest's last_* bookkeeping does not throw the cache away...
    session.execute(update(Datastream).where(Datastream.id == pm25.id).values(last_result=12.0))
    assert source_streams(session) is cached
    # ... a new pollutant stream on the station does.
    o3 = make_stream(session, thing, Quantity.O3, "ug/m3")
    assert source_streams(session)[o3.id] is Quantity.O3
    session.execute(
        update(Datastream).where(Datastream.id == o3.id).values(quantity=Quantity.OTHER)
    )
    assert o3.id not in source_streams(session)


def test_recompute_fills_derived_streams_from_stored_history(
    session: Session, gauge: tuple[int, int]
) -> None:
    source_id, status_id = gauge
    store(session, source_id, [(hour(0), 250), (hour(1), 285), (hour(30), 310)])
    assert derived_rows(session, status_id) == []
    read = recompute_indices(session=session, thing_id=_thing_of(session, source_id), since=T0)
    assert read == 3
    assert [row.result_json for row in derived_rows(session, status_id)] == [
        "normal",
        "siaga",
        "awas",
    ]


def _thing_of(session: Session, stream_id: int) -> int:
    stream = session.get(Datastream, stream_id)
    assert stream is not None
    return stream.thing_id
