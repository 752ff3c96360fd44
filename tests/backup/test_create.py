"""A backup taken while the platform writes is one consistent snapshot; a small pilot moves
from SQLite to PostgreSQL by backup and restore; ``--replace`` erases only when asked."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.backup.conftest import run_backup_cli
from tests.conftest import TEST_DATA_KEY, _fresh_database_url, prepare_database

from pontive.backup.archive import ArchiveReader
from pontive.backup.create import create_backup
from pontive.backup.restore import restore_backup
from pontive.complaints import sla
from pontive.complaints.models import Holiday
from pontive.core import audit
from pontive.core.db import Database
from pontive.core.identity import system_actor

FIRST_DAY = date(2101, 1, 1)  # far from any seeded holiday


class Writer(threading.Thread):
    """Adds a holiday (and its audit event) per transaction, removing every third one."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.database = Database(url)
        self.commits = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._write()
        except Exception as error:  # noqa: BLE001 - reported by the test, not lost in the thread
            self.error = error

    def _write(self) -> None:
        actor = system_actor("writer")
        number = 0
        while not self.stop.is_set():
            day = FIRST_DAY + timedelta(days=number)
            with self.database.session() as session:  # each service call commits
                sla.add_holiday(session=session, actor=actor, day=day, name=f"Libur {number}")
                if number % 3 == 2:
                    old = day - timedelta(days=1)
                    sla.remove_holiday(session=session, actor=actor, day=old)
            self.commits += 1
            number += 1

    def finish(self) -> None:
        self.stop.set()
        self.join(timeout=30)
        self.database.dispose()


def _holidays_by_audit(database: Database) -> tuple[set[date], set[date]]:
    """The writer's holidays in the table, and as the audit trail tells them."""
    with database.session(write=False) as session:
        assert audit.verify_chain(session).is_intact
        table = set(session.scalars(select(Holiday.day).where(Holiday.day >= FIRST_DAY)))
        told: set[date] = set()
        events = session.scalars(
            select(audit.AuditEvent)
            .where(audit.AuditEvent.object_type == "holiday")
            .order_by(audit.AuditEvent.id)
        )
        for event in events:
            day = date.fromisoformat(event.object_id)
            if day >= FIRST_DAY:
                (told.add if event.action.endswith("_add") else told.discard)(day)
    return table, told


@pytest.fixture
def pilot_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded database of the run's engine."""
    for url in _fresh_database_url(tmp_path_factory, "pilot"):
        prepare_database(url)
        yield url


def test_a_backup_while_writing_is_one_consistent_snapshot(
    pilot_url: str, empty_url: str, tmp_path: Path
) -> None:
    writer = Writer(pilot_url)
    writer.start()
    try:
        while writer.commits < 10 and writer.is_alive():
            writer.stop.wait(0.01)
        assert writer.error is None
        before = writer.commits
        with Database(pilot_url) as database:
            result = create_backup(
                database=database, data_key=TEST_DATA_KEY, media_dir=None, output=tmp_path / "a"
            )
        during = writer.commits - before
    finally:
        writer.finish()
    assert during > 0  # the writer committed while the backup ran
    with Database(empty_url) as target, ArchiveReader(result.path) as reader:
        restore_backup(reader=reader, database=target, data_key=TEST_DATA_KEY, media_dir=None)
        table, told = _holidays_by_audit(target)
    assert table == told  # every holiday and its audit event, or neither
    assert len(table) >= 10 * 2 // 3
    assert len(table) < writer.commits  # a snapshot, not the end state


def test_replace_erases_only_when_asked(pilot_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "pilot.tar"
    code, output = run_backup_cli(pilot_url, "backup", "create", "--output", str(archive))
    assert code == 0, output
    with Database(pilot_url) as database, database.session() as session:
        sla.add_holiday(session=session, actor=system_actor("t"), day=FIRST_DAY, name="Baru")
    media = tmp_path / "media"
    code, output = run_backup_cli(
        pilot_url, "backup", "restore", str(archive), "--replace", media_dir=media
    )
    assert code == 1  # no confirmation: aborted
    code, output = run_backup_cli(
        pilot_url, "backup", "restore", str(archive), "--replace", "--yes", media_dir=media
    )
    assert code == 0, output
    with Database(pilot_url) as database:
        table, told = _holidays_by_audit(database)
    assert table == told == set()  # the holiday added after the backup is gone


@pytest.mark.skipif(not os.environ.get("PONTIVE_TEST_DATABASE_URL"), reason="needs PostgreSQL")
def test_a_sqlite_pilot_moves_to_postgresql(
    tmp_path_factory: pytest.TempPathFactory, empty_url: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path_factory.mktemp('sqlite-pilot') / 'pilot.db'}"
    prepare_database(source)
    with Database(source) as database, database.session() as session:
        for number in range(5):
            day = FIRST_DAY + timedelta(days=number)
            sla.add_holiday(session=session, actor=system_actor("t"), day=day, name="Libur")
    archive = tmp_path / "pilot.tar"
    with Database(source) as database:
        original = create_backup(
            database=database, data_key=TEST_DATA_KEY, media_dir=None, output=archive
        ).manifest
    assert original.source_engine == "sqlite"
    with Database(empty_url) as target:
        with ArchiveReader(archive) as reader:
            restore_backup(reader=reader, database=target, data_key=TEST_DATA_KEY, media_dir=None)
        assert target.engine.dialect.name == "postgresql"
        again = create_backup(
            database=target, data_key=TEST_DATA_KEY, media_dir=None, output=tmp_path / "b.tar"
        ).manifest
        table, told = _holidays_by_audit(target)
    assert len(table) == 5
    assert table == told
    pairs = zip(original.tables, again.tables, strict=True)
    assert [
        a.name for a, b in pairs if (a.rows, a.content_sha256) != (b.rows, b.content_sha256)
    ] == []
