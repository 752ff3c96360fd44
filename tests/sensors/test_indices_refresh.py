"""Flood status and ISPU follow their source observations when these are edited or deleted
through SensorThings (``indices_refresh.py``), not only when ingest adds them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pontive.core.events import MemoryBus
from pontive.sensors.indices import (
    FLOOD_STATUS_CHANGED,
    on_observations,
)
from pontive.sensors.indices_refresh import refresh_indices
from pontive.sensors.models import Datastream, Observation, Rollup, Thing
from tests.bus_support import collect_events
from tests.sensors.indices_support import derived_rows, store
from tests.sensors.test_indices import T0, _day, air, gauge, hour
from tests.sensors.test_sta_write import operator

pytestmark = pytest.mark.usefixtures("session")
_ = (air, gauge, operator)  # the fixtures of the index and SensorThings write tests


def _ingest(session: Session, stream_id: int, readings: list[tuple[int, float]]) -> list[int]:
    stored = store(session, stream_id, [(hour(h), v) for h, v in readings])
    on_observations(session=session, stored=stored)
    return [s.id for s in stored]


def test_an_edited_reading_changes_its_status_and_the_latest_is_announced(
    client: TestClient,
    session: Session,
    bus: MemoryBus,
    gauge: tuple[int, int],
    operator: dict[str, str],
) -> None:
    source_id, status_id = gauge
    ids = _ingest(session, source_id, [(0, 250), (1, 270), (2, 290)])
    assert [r.result_json for r in derived_rows(session, status_id)] == [
        "normal", "waspada", "siaga"
    ]  # fmt: skip
    session.commit()

    def edit() -> None:
        for observation_id, level in ((ids[2], 305), (ids[0], 265)):
            answer = client.patch(f"/sta/v1.1/Observations({observation_id})",
                                  json={"result": level}, headers=operator)  # fmt: skip
            assert answer.status_code == 200, answer.text

    events = collect_events(bus, session, FLOOD_STATUS_CHANGED, edit)
    rows = derived_rows(session, status_id)
    assert [(r.phenomenon_time, r.result_json) for r in rows] == [
        (hour(0), "waspada"), (hour(1), "waspada"), (hour(2), "awas")
    ]  # fmt: skip
    assert rows[2].parameters == {"source_observation": ids[2], "level": 305.0, "datum": "gauge_cm"}
    stream = session.get(Datastream, status_id)
    assert stream is not None
    assert (stream.last_result, stream.last_observation_id) == ("awas", rows[2].id)
    # The newest status moved from siaga to awas; the older edit changed no latest status.
    assert [(e.data["old"], e.data["new"]) for e in events] == [("siaga", "awas")]


def test_a_deleted_reading_takes_its_status_with_it(
    client: TestClient, session: Session, gauge: tuple[int, int], operator: dict[str, str]
) -> None:
    source_id, status_id = gauge
    ids = _ingest(session, source_id, [(0, 250), (1, 290), (2, 301)])
    assert client.delete(f"/sta/v1.1/Observations({ids[2]})", headers=operator).status_code == 200
    rows = derived_rows(session, status_id)
    assert [(r.phenomenon_time, r.result_json) for r in rows] == [
        (hour(0), "normal"), (hour(1), "siaga")
    ]  # fmt: skip
    stream = session.get(Datastream, status_id)
    assert stream is not None
    assert (stream.last_result, stream.last_phenomenon_time) == ("siaga", hour(1))
    assert stream.phenomenon_time_end == hour(1)


def test_moving_a_reading_to_another_time_moves_its_status(
    client: TestClient, session: Session, gauge: tuple[int, int], operator: dict[str, str]
) -> None:
    source_id, status_id = gauge
    ids = _ingest(session, source_id, [(0, 250), (1, 290)])
    later = (hour(5)).isoformat().replace("+00:00", "Z")
    answer = client.patch(f"/sta/v1.1/Observations({ids[1]})", json={"phenomenonTime": later},
                          headers=operator)  # fmt: skip
    assert answer.status_code == 200, answer.text
    rows = derived_rows(session, status_id)
    assert [(r.phenomenon_time, r.result_json) for r in rows] == [
        (hour(0), "normal"), (hour(5), "siaga")
    ]  # fmt: skip


def test_ispu_is_computed_again_when_pollutant_data_is_edited_or_deleted(
    client: TestClient,
    session: Session,
    air: tuple[Thing, int, int, int],
    operator: dict[str, str],
) -> None:
    _, pm25_id, pm10_id, ispu_id = air
    on_observations(session=session, stored=_day(session, air, pm25=35.0, pm10=100.0))
    before = [(r.phenomenon_time, r.result_number) for r in derived_rows(session, ispu_id)]
    assert [number for _, number in before] == [74] + [75] * 6
    # Every PM10 reading of the day becomes 300 µg/m³: ISPU 24-hour means move with it.
    pm10 = client.get(
        f"/sta/v1.1/Datastreams({pm10_id})/Observations", params={"$select": "id", "$top": 100}
    ).json()["value"]
    for item in pm10:
        answer = client.patch(f"/sta/v1.1/Observations({item['@iot.id']})",
                              json={"result": 300}, headers=operator)  # fmt: skip
        assert answer.status_code == 200, answer.text
    after = derived_rows(session, ispu_id)
    assert [r.phenomenon_time for r in after] == [time for time, _ in before]
    assert after[-1].result_number > 75
    assert (after[-1].parameters or {})["critical"] == "pm10"
    stream = session.get(Datastream, ispu_id)
    assert stream is not None
    assert stream.last_result == after[-1].result_number
    # The last hour of PM2.5 and PM10 goes: that hour keeps no ISPU, the rest stays.
    last_hour = [
        item["@iot.id"]
        for stream_id in (pm25_id, pm10_id)
        for item in client.get(
            f"/sta/v1.1/Datastreams({stream_id})/Observations",
            params={
                "$filter": f"phenomenonTime ge {hour(23, 0).isoformat().replace('+00:00', 'Z')}"
            },
        ).json()["value"]
    ]
    assert len(last_hour) == 2
    for observation_id in last_hour:
        assert client.delete(f"/sta/v1.1/Observations({observation_id})",
                             headers=operator).status_code == 200  # fmt: skip
    remaining = derived_rows(session, ispu_id)
    assert [r.phenomenon_time for r in remaining] == [
        T0 + timedelta(hours=h) for h in range(17, 23)
    ]
    session.refresh(stream)
    assert stream.last_phenomenon_time == T0 + timedelta(hours=22)
    hourly = session.scalars(
        select(Rollup.bucket_start).where(Rollup.datastream_id == ispu_id, Rollup.interval == "1h")
    ).all()
    assert T0 + timedelta(hours=23) not in set(hourly)


def test_months_of_touched_readings_are_refreshed_in_bounded_statements(
    session: Session, gauge: tuple[int, int]
) -> None:
    # A FeatureOfInterest's deletion can touch thousands of 15-minute buckets: they go to the
    # database a bounded number at a time (SQLite limits how deep an expression may nest).
    source_id, status_id = gauge
    times = [T0 + timedelta(minutes=20 * n) for n in range(6000)]
    stored = store(session, source_id, [(t, 290.0) for t in times])
    on_observations(session=session, stored=stored)
    assert len(derived_rows(session, status_id)) == 6000
    kept = {s.id for s in stored[::2]}
    session.execute(
        delete(Observation).where(Observation.id.in_([s.id for s in stored if s.id not in kept]))
    )
    refresh_indices(session, {source_id: times})
    rows = derived_rows(session, status_id)
    assert [r.phenomenon_time for r in rows] == times[::2]
    assert {(r.parameters or {})["source_observation"] for r in rows} == kept
