"""Issue 11's end-to-end early warning: the sensors simulator's Landak gauge rises with a
river flood and the morning high tide and crosses Siaga (285 cm) at a known time T; with
its readings ingested up to four hours before T the hourly forecast job runs, and the
early-warning rule opens a draft then. The readings up to T then arrive, and the observed
crossing (a threshold rule on the gauge itself) comes later than the draft. Every clock is
set by the test: no sleeps, no wall time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import rules
from pontive.alerts.choices import AlertState, RuleKind
from pontive.alerts.models import Alert, AlertRule
from pontive.analytics.forecast_rules import rule_code, seed_forecast_rules
from pontive.analytics.forecast_service import IssueStatus, refresh, train
from pontive.core.events import Event, MemoryBus
from pontive.sensors.demo_stations import station_by_key
from pontive.sensors.models import Datastream
from tests.alerts.rules_support import make_rule, quiet_default_rules
from tests.analytics.forecast_support import ACTOR, MODEL, Simulated, feed, gauge_with_rain
from tests.bus_support import outcome_and_events

# Pos Duga Air Jembatan Landak: first reading at or above Siaga (285 cm) in 2026, 08:30 WIB.
CROSSING = datetime(2026, 11, 12, 1, 30, tzinfo=UTC)
SIAGA = 285.0
LEAD = timedelta(hours=4)
HISTORY = timedelta(days=21)


def _events(bus: MemoryBus, action: Callable[[], Any]) -> list[Event]:
    _outcome, events = outcome_and_events(bus, "sensors.observations", action)
    return events


def _newest(event: Event) -> datetime:
    return max(datetime.fromisoformat(i["phenomenon_time"]) for i in event.data["datastreams"])


def _messages(session: Session, rule: AlertRule) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.rule_id == rule.id).order_by(Alert.id)))


@pytest.fixture
def landak(session: Session) -> tuple[Simulated, list[Simulated]]:
    quiet_default_rules(session)
    return gauge_with_rain(session, "jembatan-landak")


def test_the_simulator_crosses_siaga_at_the_known_time() -> None:
    station = station_by_key("jembatan-landak")
    before = [
        MODEL.water_level(station, CROSSING - timedelta(minutes=10 * k)) for k in range(1, 6 * 24)
    ]
    assert max(before) < SIAGA  # nothing at Siaga in the day before
    assert MODEL.water_level(station, CROSSING) >= SIAGA


def test_a_forecast_crossing_drafts_the_early_warning_before_the_water_arrives(
    session: Session, bus: MemoryBus, landak: tuple[Simulated, list[Simulated]]
) -> None:
    gauge, rains = landak
    stations = [gauge, *rains]
    issued_at = CROSSING - LEAD  # 04:30 WIB
    fitted_at = issued_at - timedelta(hours=1)
    feed(session, stations, issued_at - HISTORY, fitted_at)
    (trained,) = train(session, actor=ACTOR, now=fitted_at, datastream_ids=[gauge.stream.id])
    assert trained.model is not None
    assert seed_forecast_rules(session, actor=ACTOR).created == [rule_code(gauge.stream.id)]
    early = session.scalar(select(AlertRule).where(AlertRule.code == rule_code(gauge.stream.id)))
    assert early is not None
    observed = make_rule(
        session,
        RuleKind.THRESHOLD,
        {"datastream_id": gauge.stream.id, "op": ">=", "value": SIAGA, "clear_value": 280.0},
        code="uji-siaga-teramati",
    )

    # The hour up to t0 arrives; then the hourly forecast job runs at t0.
    for event in _events(
        bus, lambda: feed(session, stations, fitted_at + timedelta(minutes=10), issued_at)
    ):
        rules.evaluate(session, event, now=_newest(event))
    outcomes: list[Any] = []
    job_events = _events(bus, lambda: outcomes.extend(refresh(session, actor=ACTOR, now=issued_at)))
    assert [o.status for o in outcomes] == [IssueStatus.ISSUED]
    forecast_stream = trained.model.forecast_datastream_id
    assert {i["id"] for e in job_events for i in e.data["datastreams"]} == {forecast_stream}
    for event in job_events:
        rules.evaluate(session, event, now=issued_at)

    (draft,) = _messages(session, early)
    assert draft.state is AlertState.DRAFT  # waits for an operator's approval
    assert draft.created_at == issued_at
    assert draft.trigger is not None
    assert draft.trigger["value"] >= SIAGA
    predicted = draft.trigger
    assert "Siaga" in draft.headline_id
    assert _messages(session, observed) == []  # nothing observed at Siaga yet

    # The readings up to the crossing arrive, ten minutes at a time.
    def arrive() -> None:
        at = issued_at + timedelta(minutes=10)
        while at <= CROSSING + timedelta(minutes=20):
            feed(session, [gauge], at, at)
            at += timedelta(minutes=10)

    for event in _events(bus, arrive):
        rules.evaluate(session, event, now=_newest(event))
    (crossed,) = _messages(session, observed)
    assert crossed.trigger is not None
    observed_at = datetime.fromisoformat(crossed.trigger["at"])
    assert observed_at == CROSSING
    assert draft.created_at < observed_at  # the warning came first: four hours ahead
    assert observed_at - draft.created_at == LEAD
    assert predicted["value"] >= SIAGA
    stream = session.get(Datastream, forecast_stream)
    assert stream is not None
    assert stream.derived_from_id == gauge.stream.id
