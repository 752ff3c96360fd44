"""The nightly export job and ``pontive analytics export``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from pontive.analytics.workspace_jobs import JOBS, export_if_due, is_due
from pontive.analytics.workspace_manifest import current_manifest
from tests.conftest import run_cli

NIGHT = datetime(2026, 11, 30, 19, 30, tzinfo=UTC)  # 02:30 WIB
AFTERNOON = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 15:00 WIB


def test_the_export_is_due_once_a_night_or_when_there_is_none() -> None:
    assert is_due(None, AFTERNOON)
    assert is_due(NIGHT - timedelta(days=1), NIGHT)
    assert not is_due(NIGHT - timedelta(hours=2), NIGHT)  # already made tonight
    assert not is_due(AFTERNOON - timedelta(days=2), AFTERNOON)  # waits for the night
    assert [job.name for job in JOBS] == ["analytics.export"]


def test_the_job_writes_an_export_when_due_and_not_again(session: Session, tmp_path: Path) -> None:
    first = export_if_due(session, tmp_path, NIGHT - timedelta(days=1))
    assert first is not None
    assert current_manifest(tmp_path) is not None
    assert export_if_due(session, tmp_path, NIGHT - timedelta(days=1, hours=-1)) is None
    second = export_if_due(session, tmp_path, NIGHT)
    assert second is not None
    assert second.snapshot != first.snapshot


def test_the_command_writes_the_export_and_says_what(database_url: str, tmp_path: Path) -> None:
    code, output = run_cli(database_url, "analytics", "export", "--dir", str(tmp_path))
    assert code == 0, output
    assert "kelurahan: 29 rows, 1 files" in output
    assert "complaints: 0 rows" in output
    assert "exported " in output
    manifest = current_manifest(tmp_path)
    assert manifest is not None
    assert str(manifest.snapshot) in output
