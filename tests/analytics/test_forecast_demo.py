"""The forecast part of the demo (analytics/forecast_demo.py) and the backtest on the demo's
simulated gauges as ``pontive analytics evaluate forecast`` reads them: from the rollups."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import AlertRule
from pontive.analytics.forecast_data import forecast_streams, list_gauges
from pontive.analytics.forecast_service import evaluate
from pontive.analytics.forecast_store import latest_models
from pontive.sensors.models import Observation
from tests.conftest import DemoDatabase, clone_database_url, run_cli


def test_every_demo_gauge_has_a_model_a_forecast_stream_and_an_early_warning_rule(
    demo_session: Session,
) -> None:
    gauges = list_gauges(demo_session)
    assert len(gauges) == 9
    ids = [g.datastream_id for g in gauges]
    models, streams = latest_models(demo_session, ids), forecast_streams(demo_session, ids)
    assert set(models) == set(streams) == set(ids)
    issued = {
        gauge_id: demo_session.scalar(
            select(Observation.id).where(Observation.datastream_id == stream).limit(1)
        )
        for gauge_id, stream in streams.items()
    }
    assert sum(1 for found in issued.values() if found) == 8  # one gauge has been silent
    rules = demo_session.scalars(select(AlertRule).where(AlertRule.kind == "forecast")).all()
    assert {rule.params["datastream_id"] for rule in rules} == set(streams.values())
    assert not any(rule.auto_publish for rule in rules)


def test_the_demo_gauges_beat_persistence_by_30_percent_at_six_hours(
    demo_session: Session,
) -> None:
    evaluations = evaluate(demo_session)
    assert len(evaluations) == 9
    for item in evaluations:
        assert item.backtest is not None, (item.gauge.name, item.problem)
        six = item.backtest.score(6)
        assert six.improvement >= 30.0, (item.gauge.name, six.mae, six.persistence_mae)


def test_the_evaluate_command_prints_the_table_per_station(demo_database: DemoDatabase) -> None:
    code, output = run_cli(
        demo_database.url, "analytics", "evaluate", "forecast", "--station", "Landak"
    )
    assert code == 0, output
    assert "Pos Duga Air Jembatan Landak" in output
    assert "Pos Duga Air Sungai Landak Tanjung Hulu" in output
    assert "Kapuas Indah" not in output
    for hours in ("1 h", "6 h", "72 h"):
        assert hours in output
    assert "target met: yes" in output
    again = run_cli(demo_database.url, "analytics", "evaluate", "forecast", "--station", "Landak")
    assert again == (code, output)  # reproducible
    missing, text = run_cli(
        demo_database.url, "analytics", "evaluate", "forecast", "--station", "Nowhere"
    )
    assert missing == 1
    assert "no gauge matches" in text


def test_train_issue_and_rules_commands_on_a_copy_of_the_demo(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> None:
    for url in clone_database_url(tmp_path_factory, demo_database.url, "forecast_cli"):
        code, output = run_cli(
            url, "analytics", "train", "forecast", "--station", "Jembatan Landak"
        )
        assert code == 0, output
        assert "stored Pos Duga Air Jembatan Landak: model v2" in output
        assert "target met: yes" in output
        code, output = run_cli(url, "analytics", "forecast", "issue")
        assert code == 0, output
        assert output.count("Pos ") == 9
        code, output = run_cli(url, "analytics", "forecast", "rules")
        assert code == 0, output
        assert "rules made: 0" in output  # the demo made every gauge's rule already
