"""The forecast rule kind (alerts/rules_kinds.py ``forecast``): a model run posts its whole
horizon in one batch, the event names only its last point, and the rule reads the stream's
stored points within its horizon to fire on the first crossing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.alerts import rules
from pontive.alerts.choices import AlertState, RuleKind
from pontive.alerts.models import AlertRule
from pontive.core.events import Event, MemoryBus
from pontive.core.identity import system_actor
from pontive.sensors import service as sensors
from pontive.sensors.ingest import ObservationIn
from pontive.sensors.models import Datastream
from pontive.sensors.schemas import EntitySet
from tests.alerts.rules_support import NOW, gauge, make_rule, messages, quiet_default_rules
from tests.bus_support import outcome_and_events
from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse

SIX_HOURS = 6 * 3600
POSTER = system_actor("test.forecast")


@pytest.fixture(autouse=True)
def _only_this_tests_rules(session: Session) -> None:
    quiet_default_rules(session)


@pytest.fixture
def stream(session: Session) -> Datastream:
    _thing, water = gauge(session, name="Pos Duga Air Jembatan Landak")
    return water


def _post(session: Session, bus: MemoryBus, stream: Datastream, values: list[float]) -> Event:
    """A run issued at NOW: ``values`` for NOW + 1 h, + 2 h, …, posted in one batch; the
    ``sensors.observations`` event ingest announced for it."""
    items = [
        ObservationIn(stream.id, NOW + timedelta(hours=h + 1), None, value, result_time=NOW)
        for h, value in enumerate(values)
    ]
    _ids, events = outcome_and_events(
        bus,
        "sensors.observations",
        lambda: sensors.create_observations(session=session, actor=POSTER, items=items),
    )
    (event,) = events
    return event


def _rule(session: Session, stream: Datastream) -> AlertRule:
    params = {"datastream_id": stream.id, "op": ">=", "value": 285.0, "horizon_s": SIX_HOURS}
    return make_rule(
        session,
        RuleKind.FORECAST,
        params,
        headline_id="Siaga di {station} sekitar {time}: {value} {unit}",
        headline_en="Siaga at {station} around {time}: {value} {unit}",
    )


def test_a_crossing_in_three_hours_fires_though_the_event_names_the_72nd_hour(
    session: Session, bus: MemoryBus, stream: Datastream
) -> None:
    _rule(session, stream)
    values = [270.0, 280.0, 288.5, 296.0, 290.0] + [250.0] * 67
    event = _post(session, bus, stream, values)
    (item,) = event.data["datastreams"]
    assert item["result"] == 250.0  # the event carries the run's last point only
    (alert,) = rules.evaluate(session, event, now=NOW)
    assert alert.state is AlertState.DRAFT  # for the command center to approve
    assert alert.trigger is not None
    assert alert.trigger["value"] == pytest.approx(288.5)  # the first crossing, not the peak
    # 02:00 UTC + 3 h = 12:00 WIB.
    assert (
        alert.headline_id
        == "Siaga di Pos Duga Air Jembatan Landak sekitar 08-12-2026 12:00 WIB: 288,5 cm"
    )
    assert "288.5 cm" in alert.headline_en


def test_a_crossing_beyond_the_horizon_raises_nothing(
    session: Session, bus: MemoryBus, stream: Datastream
) -> None:
    _rule(session, stream)
    values = [270.0] * 6 + [290.0] * 6 + [260.0] * 60  # Siaga only from the seventh hour
    event = _post(session, bus, stream, values)
    assert rules.evaluate(session, event, now=NOW) == []


def test_a_later_run_without_the_crossing_closes_the_draft(
    session: Session, bus: MemoryBus, stream: Datastream
) -> None:
    _rule(session, stream)
    first = _post(session, bus, stream, [280.0, 290.0] + [260.0] * 70)
    (draft,) = rules.evaluate(session, first, now=NOW)
    later = NOW + timedelta(minutes=30)
    # The next run, issued half an hour later, replaces the points: no crossing any more.
    items = [
        ObservationIn(stream.id, NOW + timedelta(hours=h + 1, minutes=1), None, 270.0)
        for h in range(72)
    ]
    ids = sensors.reading_window(
        session=session, datastream_id=stream.id, start=NOW, end=NOW + timedelta(days=4), limit=100
    )
    for row in ids:
        sensors.delete_entity(
            session=session, actor=POSTER, entity_set=EntitySet.OBSERVATIONS, entity_id=row.id
        )
    _ids, events = outcome_and_events(
        bus,
        "sensors.observations",
        lambda: sensors.create_observations(session=session, actor=POSTER, items=items),
    )
    rules.evaluate(session, events[0], now=later)
    session.refresh(draft)
    assert draft.state is AlertState.REJECTED


def test_observations_of_the_stream_are_no_forecast(
    session: Session, bus: MemoryBus, stream: Datastream
) -> None:
    _rule(session, stream)
    items = [
        ObservationIn(stream.id, NOW - timedelta(minutes=10 * k), None, 300.0) for k in range(3)
    ]
    _ids, events = outcome_and_events(
        bus,
        "sensors.observations",
        lambda: sensors.create_observations(session=session, actor=POSTER, items=items),
    )
    assert rules.evaluate(session, events[0], now=NOW) == []


def test_stored_points_of_other_streams_do_not_count(
    session: Session, bus: MemoryBus, stream: Datastream
) -> None:
    rule = _rule(session, stream)
    _thing, other = gauge(session, name="Pos lain")
    crossing = [ObservationIn(other.id, NOW + timedelta(hours=2), None, 400.0)]
    sensors.create_observations(session=session, actor=POSTER, items=crossing)
    event = _post(session, bus, stream, [270.0] * 72)
    assert rules.evaluate(session, event, now=NOW) == []
    assert messages(session, rule) == []
