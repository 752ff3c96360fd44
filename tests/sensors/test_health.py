"""Device health: state from silence, transitions with events, battery and signal, summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.core.events import MemoryBus
from pontive.core.worker import JobContext
from pontive.sensors.choices import DeviceHealth
from pontive.sensors.health import (
    JOBS,
    DeviceVitals,
    health_of,
    health_summary,
    refresh_health,
    update_device_vitals,
    vitals_from_parameters,
)
from pontive.sensors.models import Thing
from tests.bus_support import collect_events
from tests.sensors.indices_support import (
    _fresh_process_caches,  # noqa: F401 - autouse fixture
    make_thing,
)

NOW = datetime(2026, 12, 8, 2, 45, tzinfo=UTC)  # 09:45 WIB, Kapuas at 300 cm
H = DeviceHealth


@pytest.mark.parametrize(
    ("silence", "interval", "expected"),
    [
        (timedelta(0), 300, H.ONLINE),
        (timedelta(minutes=10), 300, H.ONLINE),  # exactly two intervals: still online
        (timedelta(minutes=10, seconds=1), 300, H.STALE),
        (timedelta(minutes=30), 300, H.STALE),  # exactly six: stale
        (timedelta(minutes=30, seconds=1), 300, H.OFFLINE),
        (timedelta(days=3), 300, H.OFFLINE),
        (timedelta(minutes=1), None, H.UNKNOWN),
        (timedelta(minutes=1), 0, H.UNKNOWN),
    ],
)
def test_health_follows_the_silence_in_expected_intervals(
    silence: timedelta, interval: int | None, expected: DeviceHealth
) -> None:
    assert (
        health_of(last_seen_at=NOW - silence, expected_interval_seconds=interval, now=NOW)
        is expected
    )


def test_a_device_never_seen_is_unknown() -> None:
    assert health_of(last_seen_at=None, expected_interval_seconds=60, now=NOW) is H.UNKNOWN


def _things(session: Session) -> dict[str, Thing]:
    return {
        "fresh": make_thing(
            session, "Pos duga Kapuas", expected_interval_seconds=300, last_seen_at=NOW
        ),
        "late": make_thing(
            session,
            "Pos duga Landak",
            expected_interval_seconds=300,
            last_seen_at=NOW - timedelta(minutes=15),
            health=H.ONLINE,
        ),
        "silent": make_thing(
            session,
            "AQMS Siantan",
            expected_interval_seconds=60,
            last_seen_at=NOW - timedelta(hours=1),
            health=H.STALE,
            pd_kode="dlh",
        ),
        "loose": make_thing(session, "Penakar hujan", last_seen_at=NOW),
    }


def test_transitions_are_stored_and_announced_once(session: Session, bus: MemoryBus) -> None:
    things = _things(session)
    events = collect_events(
        bus,
        session,
        "sensors.device_health_changed",
        lambda: refresh_health(session=session, now=NOW),
    )
    session.expire_all()
    assert {name: thing.health for name, thing in things.items()} == {
        "fresh": H.ONLINE,
        "late": H.STALE,
        "silent": H.OFFLINE,
        "loose": H.UNKNOWN,
    }
    assert things["late"].health_changed_at == NOW
    assert things["loose"].health_changed_at is None  # unknown → unknown: no change
    changes = {
        event.data["thing"]["name"]: (event.data["old"], event.data["new"]) for event in events
    }
    assert changes == {
        "Pos duga Kapuas": ("unknown", "online"),
        "Pos duga Landak": ("online", "stale"),
        "AQMS Siantan": ("stale", "offline"),
    }
    silent = next(e for e in events if e.data["new"] == "offline")
    assert silent.pd_kode == "dlh"
    assert silent.classification.value == "terbatas"
    assert silent.data["last_seen_at"] == (NOW - timedelta(hours=1)).isoformat()
    # The same clock again changes nothing; a new reading brings the gauge back online.
    assert refresh_health(session=session, now=NOW) == []
    things["late"].last_seen_at = NOW
    session.flush()
    [back] = refresh_health(session=session, now=NOW + timedelta(seconds=30))
    assert (back.name, back.old, back.new) == ("Pos duga Landak", H.STALE, H.ONLINE)


def test_the_worker_job_refreshes_health(session: Session, bus: MemoryBus) -> None:
    thing = make_thing(
        session,
        "Pos duga Kapuas",
        expected_interval_seconds=60,
        last_seen_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    [job] = JOBS
    assert (job.name, job.interval_seconds) == ("sensors.health", 60.0)
    job.run(JobContext(session=session, bus=bus))
    session.expire_all()
    assert thing.health is H.OFFLINE


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"battery": 87, "rssi": -97}, DeviceVitals(87.0, -97.0)),
        ({"battery": "42.5", "signal": "-71"}, DeviceVitals(42.5, -71.0)),
        ({"rssi": -113}, DeviceVitals(None, -113.0)),
        ({"battery": 140, "rssi": 12}, None),  # out of range: ignored
        ({"battery": True}, None),
        ({"suhu_internal": 41}, None),
        (None, None),
    ],
)
def test_vitals_are_read_from_observation_parameters(
    parameters: dict[str, Any] | None, expected: DeviceVitals | None
) -> None:
    assert vitals_from_parameters(parameters) == expected


def test_vitals_are_stored_on_the_thing(session: Session) -> None:
    thing = make_thing(session, "Pos duga Kapuas", battery_percent=90.0, signal_dbm=-80.0)
    assert update_device_vitals(session=session, thing_id=thing.id, parameters={"battery": 64})
    assert not update_device_vitals(session=session, thing_id=thing.id, parameters={"x": 1})
    session.expire_all()
    assert (thing.battery_percent, thing.signal_dbm) == (64.0, -80.0)


def test_summary_counts_every_state(session: Session) -> None:
    before = health_summary(session)
    assert set(before) == set(DeviceHealth)
    _things(session)
    refresh_health(session=session, now=NOW)
    after = health_summary(session)
    assert {state: after[state] - before[state] for state in DeviceHealth} == {
        H.ONLINE: 1,
        H.STALE: 1,
        H.OFFLINE: 1,
        H.UNKNOWN: 1,
    }
