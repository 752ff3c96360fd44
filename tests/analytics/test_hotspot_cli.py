"""``pontive analytics hotspots`` and ``pontive analytics evaluate hotspots``."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_the_evaluation_prints_its_metrics_last(database_url: str) -> None:
    code, output = run_cli(database_url, "analytics", "evaluate", "hotspots", "--runs", "20")
    assert code == 0, output
    lines = output.strip().splitlines()
    assert lines[0].startswith("kelurahan-7d: 29 cells")
    result = json.loads(lines[-1])
    assert result["evaluation"] == "hotspots"
    assert 0 <= result["metrics"]["hex-7d_family_error"] <= 0.2
    assert result["metrics"]["hex-7d_power"] >= 0.7


def test_the_current_hotspots_and_a_bad_window(database_url: str) -> None:
    code, output = run_cli(database_url, "analytics", "hotspots", "--unit", "hex")
    assert code == 0, output
    assert "hotspots among" in output
    code, output = run_cli(database_url, "analytics", "hotspots", "--window", "2h")
    assert code == 1
    assert "window: Choose 24h, 7d or 30d." in output
