"""Training, issuing and replacing forecasts (analytics/forecast_service.py, forecast_streams.py,
forecast_rules.py) on a simulated demo gauge in the test database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import AlertRule
from pontive.analytics.forecast_data import FORECAST_KEY
from pontive.analytics.forecast_models import ForecastModel
from pontive.analytics.forecast_rules import seed_forecast_rules
from pontive.analytics.forecast_service import IssueStatus, issue_forecasts, refresh, train
from pontive.core.audit import AuditEvent
from pontive.core.errors import PermissionDenied
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.worker import registered_jobs
from pontive.sensors.models import Datastream, Observation
from tests.analytics.forecast_support import ACTOR, Simulated, feed, gauge_with_rain

NOW = datetime(2026, 12, 8, 3, 5, tzinfo=UTC)  # 10:05 WIB
HISTORY = timedelta(days=16)  # resolves K1/O1 and M2/S2


@pytest.fixture
def kapuas(session: Session) -> Simulated:
    gauge, rains = gauge_with_rain(session, "kapuas-indah")
    feed(session, [gauge, *rains], NOW - HISTORY, NOW)
    return gauge


def _points(session: Session, stream_id: int) -> list[Observation]:
    query = select(Observation).where(Observation.datastream_id == stream_id)
    return list(session.scalars(query.order_by(Observation.phenomenon_time)))


def _trained(session: Session, gauge: Simulated, now: datetime = NOW) -> ForecastModel:
    (outcome,) = train(session, actor=ACTOR, now=now, datastream_ids=[gauge.stream.id])
    assert outcome.model is not None, outcome.evaluation.problem
    return outcome.model


def test_training_stores_the_model_its_backtest_and_a_forecast_stream(
    session: Session, kapuas: Simulated
) -> None:
    model = _trained(session, kapuas)
    assert model.version == 1
    assert {"K1", "O1", "M2"} <= {c["name"] for c in model.constituents}
    assert model.rain["windows"] == [[0, 6], [6, 12], [12, 24], [24, 48]]
    assert len(model.rain["gauges"]) == 2
    assert len(model.quantiles["lower"]) == len(model.quantiles["upper"]) == 72
    assert model.quantiles["source"].startswith("backtest")
    horizons = [h["hours"] for h in model.metrics["horizons"]]
    assert horizons == [1, 3, 6, 12, 24, 48, 72]  # scored on the last third (the demo's
    # month meets the 30% target: test_forecast_demo.py; 16 days are too few to fit O1 apart)
    assert 0.0 < model.ar_phi < 1.0
    stream = session.get(Datastream, model.forecast_datastream_id)
    assert stream is not None
    assert stream.name == "Prakiraan Pos Duga Air Kapuas Indah"
    assert stream.thing_id == kapuas.stream.thing_id
    assert stream.derived_from_id == kapuas.stream.id
    assert stream.quantity is None  # the city indices never read it
    assert stream.unit_of_measurement["symbol"] == "cm"
    assert stream.properties is not None
    assert stream.properties[FORECAST_KEY]["model_version"] == 1
    audited = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(model.id))
    ).all()
    assert "analytics.forecast.fit" in audited


def test_a_run_posts_72_hourly_points_with_their_interval(
    session: Session, kapuas: Simulated
) -> None:
    model = _trained(session, kapuas)
    assert model.forecast_datastream_id is not None
    points = _points(session, model.forecast_datastream_id)
    assert len(points) == 72
    first = datetime(2026, 12, 8, 3, 30, tzinfo=UTC)  # the hour after the last complete one
    assert [p.phenomenon_time for p in points] == [first + timedelta(hours=h) for h in range(72)]
    for point in points:
        assert point.result_time == NOW
        assert point.parameters is not None
        assert point.parameters["lower"] <= point.result_number <= point.parameters["upper"]
        assert point.parameters["model_version"] == 1
        assert point.parameters["issued_at"] == NOW.isoformat()


def test_the_next_run_replaces_the_points_from_its_first_hour(
    session: Session, kapuas: Simulated
) -> None:
    model = _trained(session, kapuas)
    stream_id = model.forecast_datastream_id
    assert stream_id is not None
    later = NOW + timedelta(hours=1)
    feed(session, [kapuas], NOW + timedelta(minutes=10), later)
    (outcome,) = issue_forecasts(session, now=later)
    assert outcome.status is IssueStatus.ISSUED
    points = _points(session, stream_id)
    times = [p.phenomenon_time for p in points]
    assert len(times) == len(set(times)) == 73  # the old run's first hour stays as a record
    assert points[0].result_time == NOW
    assert {p.result_time for p in points[1:]} == {later}
    (again,) = issue_forecasts(session, now=later + timedelta(minutes=20))
    assert again.status is IssueStatus.UNCHANGED
    assert len(_points(session, stream_id)) == 73


def test_a_gauge_gone_quiet_gets_no_forecast_and_loses_the_old_one(
    session: Session, kapuas: Simulated
) -> None:
    model = _trained(session, kapuas)
    assert model.forecast_datastream_id is not None
    silent = NOW + timedelta(hours=3)
    (outcome,) = issue_forecasts(session, now=silent)
    assert outcome.status is IssueStatus.STALE
    remaining = _points(session, model.forecast_datastream_id)
    assert remaining
    assert all(p.phenomenon_time <= silent for p in remaining)


def test_a_new_training_is_a_new_version(session: Session, kapuas: Simulated) -> None:
    first = _trained(session, kapuas)
    second = _trained(session, kapuas, NOW + timedelta(minutes=30))
    assert second.version == 2
    assert second.forecast_datastream_id == first.forecast_datastream_id
    stream = session.get(Datastream, second.forecast_datastream_id)
    assert stream is not None
    assert stream.properties is not None
    assert stream.properties[FORECAST_KEY]["model_version"] == 2


def test_training_needs_the_train_permission(session: Session, kapuas: Simulated) -> None:
    operator = Actor(kind=ActorKind.USER, role=Role.OPERATOR, name="operator")
    with pytest.raises(PermissionDenied):
        train(session, actor=operator, now=NOW)
    assert session.scalars(select(ForecastModel)).all() == []


def test_a_record_too_short_to_backtest_gets_the_ar1_interval(session: Session) -> None:
    gauge, rains = gauge_with_rain(session, "jembatan-landak")
    feed(session, [gauge, *rains], NOW - timedelta(days=5), NOW)
    model = _trained(session, gauge)
    assert "skipped" in model.metrics
    assert model.quantiles["source"] == "ar1"
    assert model.quantiles["upper"][71] > model.quantiles["upper"][0] > 0


def test_seeding_makes_one_early_warning_rule_per_forecast_stream(
    session: Session, kapuas: Simulated
) -> None:
    model = _trained(session, kapuas)
    outcome = seed_forecast_rules(session, actor=ACTOR)
    assert outcome.created == [f"prakiraan-siaga-ds{kapuas.stream.id}"]
    rule = session.scalar(select(AlertRule).where(AlertRule.code == outcome.created[0]))
    assert rule is not None
    assert rule.params == {
        "datastream_id": model.forecast_datastream_id,
        "op": ">=",
        "value": 290.0,  # Kapuas Indah's Siaga
        "horizon_s": 6 * 3600,
    }
    assert rule.auto_publish is False
    assert seed_forecast_rules(session, actor=ACTOR).created == []


def test_the_hourly_job_refits_a_model_a_day_old_and_issues(
    session: Session, kapuas: Simulated
) -> None:
    assert "analytics.forecast" in {job.name for job in registered_jobs()}
    _trained(session, kapuas)
    within = NOW + timedelta(hours=2)
    feed(session, [kapuas], NOW + timedelta(minutes=10), within)
    (outcome,) = refresh(session, actor=ACTOR, now=within)
    assert outcome.status is IssueStatus.ISSUED  # the model is fresh: issued from it
    later = NOW + timedelta(hours=25)
    feed(session, [kapuas], within + timedelta(minutes=10), later)
    refresh(session, actor=ACTOR, now=later)
    versions = session.scalars(
        select(ForecastModel.version).where(ForecastModel.datastream_id == kapuas.stream.id)
    ).all()
    assert sorted(versions) == [1, 2]  # a day old: refitted
