"""The workspace over the demo: its example queries run on the demo's export and draw their
charts; the sensor history is partitioned by year and month."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pontive.analytics import workspace_engine, workspace_view
from pontive.analytics.workspace_examples import EXAMPLES
from pontive.analytics.workspace_manifest import Manifest
from pontive.analytics.workspace_models import SavedQuery
from pontive.analytics.workspace_service import QueryInput
from pontive.core.db import Database
from pontive.core.models import User
from tests.analytics.test_workspace_support import export_to
from tests.conftest import DemoDatabase


@pytest.fixture(scope="module")
def demo_export(demo_database: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    """The demo database exported into a folder of this module's."""
    database = Database(demo_database.url)
    try:
        with database.session(write=False) as session:
            return export_to(session, tmp_path_factory.mktemp("demo-export"))
    finally:
        database.dispose()


def test_the_demo_seeds_the_examples_and_exports_last(demo_database: DemoDatabase) -> None:
    assert "5 kueri contoh; ekspor Parquet" in demo_database.summary["analytics"]
    database = Database(demo_database.url)
    try:
        with database.session(write=False) as session:
            saved = session.scalars(select(SavedQuery).order_by(SavedQuery.id)).all()
            owner = session.scalar(select(User.username).where(User.id == saved[0].owner_id))
    finally:
        database.dispose()
    assert [query.name for query in saved] == [example.name for example in EXAMPLES]
    assert owner == "timteknis"
    assert all(query.is_shared for query in saved)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_each_example_runs_on_the_demo_export_and_draws_its_chart(
    demo_export: Manifest, example: QueryInput
) -> None:
    result = workspace_engine.run(demo_export, example.sql)
    assert result.row_count > 0
    editor = workspace_view.Editor(
        sql=example.sql,
        kind=example.chart.kind,  # type: ignore[union-attr]
        x=example.chart.x,  # type: ignore[union-attr]
        y=example.chart.y,  # type: ignore[union-attr]
        series=example.chart.series or "",  # type: ignore[union-attr]
    )
    shown = workspace_view.shown(result, editor, title=example.name, lang="id")
    assert shown.chart_problems == []
    assert shown.chart.startswith("<svg")


def test_the_kapuas_gauge_has_an_hourly_level_for_each_hour(demo_export: Manifest) -> None:
    kapuas = next(example for example in EXAMPLES if "Kapuas" in example.name)
    result = workspace_engine.run(demo_export, kapuas.sql)
    assert 600 <= result.row_count <= 30 * 24 + 1
    levels = [row[1] for row in result.rows]
    assert max(levels) - min(levels) > 50  # the tide is there, in cm


def test_the_sensor_history_is_partitioned_by_year_and_month(demo_export: Manifest) -> None:
    hourly = demo_export.table("observations_hourly")
    assert hourly is not None
    assert hourly.partitioned_by == ("year", "month")
    folders = {
        path.parent.relative_to(demo_export.snapshot / "observations_hourly").as_posix()
        for path in (demo_export.snapshot / "observations_hourly").rglob("part-0.parquet")
    }
    assert folders
    assert all(f.startswith("year=") and "/month=" in f for f in folders)
    raw = demo_export.table("observations")
    assert raw is not None
    assert raw.rows > 100_000
