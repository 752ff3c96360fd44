"""``pontive analytics evaluate complaints`` and ``pontive analytics train complaints``."""

from __future__ import annotations

import re

import pytest

from pontive.analytics import triage_service
from pontive.core.db import Database
from tests.analytics.test_triage_support import seed_evaluation
from tests.conftest import clone_database_url, run_cli


def test_evaluation_prints_the_held_out_metrics_reproducibly(database_url: str) -> None:
    code, output = run_cli(database_url, "analytics", "evaluate", "complaints")
    assert code == 0, output
    held_out = seed_evaluation().seed  # fitted in this process: the same numbers
    assert f"held-out seed reports (n={held_out.n})" in output
    assert f"category macro-F1   {held_out.category_macro_f1:.4f}" in output
    assert f"top-2 accuracy      {held_out.top2_accuracy:.4f}" in output
    assert f"urgency macro-F1    {held_out.urgency_macro_f1:.4f}" in output
    assert "most frequent confusions" in output
    assert re.search(r"^    wifi-publik +\d\.\d{3}", output, re.MULTILINE)


def test_training_stores_a_live_version_and_prints_it(
    tmp_path_factory: pytest.TempPathFactory, database_url: str
) -> None:
    for url in clone_database_url(tmp_path_factory, database_url, "triage-cli"):
        code, output = run_cli(url, "analytics", "train", "complaints")
        assert code == 0, output
        version = re.search(r"^live model: (tri-\d{4}\.\d{2}\.\d{2}-\d+)$", output, re.MULTILINE)
        assert version is not None, output
        with Database(url) as database, database.session(write=False) as session:
            live = triage_service.live_version(session)
            assert live is not None
            assert live.version == version.group(1)
            assert live.created_by == "system:cli"
            assert live.counts == {
                "history": 0,
                "seed": live.metrics["trained_on"]["seed"] + live.metrics["seed"]["n"],
            }
