"""Archives of the demo and of a small pilot, and restores of them into empty systems.

The demo archive is made once per run (``pontive backup create`` over the shared demo
database, which it only reads) and restored once into a fresh database of the run's engine
with a media folder of its own: the tests of ``test_restore.py`` look at that one restore.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import (
    RUN_MEDIA,
    TEST_DATA_KEY,
    DemoDatabase,
    _fresh_database_url,
    cli_env,
)
from typer.testing import CliRunner

from pontive.cli import app as cli_app
from pontive.core import crypto
from pontive.settings import get_settings


def run_backup_cli(
    database_url: str, *args: str, media_dir: Path = RUN_MEDIA, data_key: str = TEST_DATA_KEY
) -> tuple[int, str]:
    """``pontive <args>`` in this process, with its own media folder and data key."""
    env = cli_env(database_url) | {
        "PONTIVE_MEDIA_DIR": str(media_dir),
        "PONTIVE_ANALYTICS_DIR": str(RUN_MEDIA / "analytics"),
        "PONTIVE_DATA_KEY": data_key,
    }
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, list(args), env=env)
    finally:
        get_settings.cache_clear()
        root.handlers[:] = handlers
        root.setLevel(level)
        crypto.configure(TEST_DATA_KEY)
    return result.exit_code, result.output


def media_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (the analytics export left out) by its key."""
    found = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if Path(folder, d) != RUN_MEDIA / "analytics"]
        for name in files:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


@dataclass(frozen=True)
class Restored:
    """A restore of the demo archive into an empty system."""

    url: str
    media_dir: Path
    output: str


@pytest.fixture(scope="session")
def demo_archive(demo_database: DemoDatabase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, backed up by the command while nothing else changes it."""
    path = tmp_path_factory.mktemp("backup") / "demo.tar"
    code, output = run_backup_cli(demo_database.url, "backup", "create", "--output", str(path))
    assert code == 0, output
    return path


@pytest.fixture(scope="session")
def restored(demo_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Restored]:
    """The demo archive restored into a fresh database and an empty media folder."""
    media_dir = tmp_path_factory.mktemp("restored-media")
    for url in _fresh_database_url(tmp_path_factory, "restored"):
        code, output = run_backup_cli(
            url, "backup", "restore", str(demo_archive), media_dir=media_dir
        )
        assert code == 0, output
        yield Restored(url, media_dir, output)


@pytest.fixture
def empty_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with nothing in it, of the run's engine."""
    yield from _fresh_database_url(tmp_path_factory, "empty")
