"""The demo backed up and restored into an empty system: everything is found again."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from tests.backup.conftest import RUN_MEDIA, Restored, media_files, run_backup_cli
from tests.conftest import TEST_DATA_KEY, DemoDatabase, make_settings, run_cli

from pontive.alerts import lifecycle as alerts_lifecycle
from pontive.alerts import service as alerts_service
from pontive.app import create_app
from pontive.backup.archive import ArchiveReader
from pontive.backup.create import create_backup
from pontive.complaints.models import Complaint
from pontive.core import audit
from pontive.core.db import Database
from pontive.core.events import EventBus, MemoryBus
from pontive.core.identity import system_actor
from pontive.opendata.models import DatastoreTable
from pontive.sensors.models import Observation
from pontive.settings import Settings


def test_every_table_comes_back_row_for_row(
    demo_archive: Path, restored: Restored, tmp_path: Path
) -> None:
    """A backup of the restored system holds the same rows as the original archive."""
    with Database(restored.url) as database:
        again = create_backup(
            database=database, data_key=TEST_DATA_KEY, media_dir=None, output=tmp_path / "b.tar"
        ).manifest
    with ArchiveReader(demo_archive) as reader:
        original = reader.manifest
    assert [t.name for t in again.tables] == [t.name for t in original.tables]
    differing = [
        (a.name, a.rows, b.rows)
        for a, b in zip(original.tables, again.tables, strict=True)
        if (a.rows, a.content_sha256) != (b.rows, b.content_sha256)
    ]
    assert differing == []
    assert sum(t.rows for t in original.tables) > 100_000  # the demo's sensor history
    assert any(t.datastore for t in original.tables)  # the open-data datastore tables too


def test_media_files_come_back_identical(demo_archive: Path, restored: Restored) -> None:
    with ArchiveReader(demo_archive) as reader:
        keys = {name.removeprefix("media/") for name in reader.manifest.media_members}
    original = {key: data for key, data in media_files(RUN_MEDIA).items() if key in keys}
    assert keys
    assert original.keys() == keys
    assert media_files(restored.media_dir) == original


def test_the_restored_audit_chain_verifies(restored: Restored) -> None:
    assert "audit chain intact" in restored.output
    code, output = run_cli(restored.url, "audit", "verify")
    assert code == 0, output


def test_personal_data_observations_and_datastore_are_found(
    demo_database: DemoDatabase, restored: Restored
) -> None:
    with (
        Database(demo_database.url) as source,
        Database(restored.url) as copy,
        source.session(write=False) as old,
        copy.session(write=False) as new,
    ):
        query = select(Complaint).where(Complaint.reporter_phone.is_not(None))
        before = old.scalars(query.order_by(Complaint.id).limit(1)).one()
        after = new.get(Complaint, before.id)
        assert after is not None
        assert after.reporter_phone == before.reporter_phone  # decrypted with the same key
        assert after.reporter_name == before.reporter_name
        count = select(func.count()).select_from(Observation)
        assert new.scalar(count) == old.scalar(count) > 10_000
        tables = old.scalars(select(DatastoreTable).where(DatastoreTable.row_count > 0))
        for table in tables:
            sql = text(f'SELECT count(*) FROM "{table.table_name}"')  # noqa: S608 - a known name
            assert new.scalar(sql) == old.scalar(sql) == table.row_count


def test_the_restored_system_takes_new_rows(restored: Restored) -> None:
    """Sequences are past the restored ids: new rows get new ids and the chain goes on."""
    with Database(restored.url) as database:
        with database.begin() as session:
            event = audit.record(
                session,
                actor=system_actor("test"),
                action="backup.test",
                object_type="x",
                object_id=1,
            )
            biggest = session.scalar(select(func.max(audit.AuditEvent.id)))
            assert event.id == biggest
        with database.session(write=False) as session:
            assert audit.verify_chain(session).is_intact


def test_the_app_serves_a_restored_complaint(
    restored: Restored, monkeypatch: pytest.MonkeyPatch
) -> None:
    def start_without_loops(settings: Settings, database: Database, bus: EventBus) -> None:
        alerts_service.configure(settings)

    monkeypatch.setattr(alerts_lifecycle, "start", start_without_loops)
    settings = make_settings(restored.url, media_dir=restored.media_dir)
    with Database(restored.url) as database:
        with database.session(write=False) as session:
            tracking = session.scalar(
                select(Complaint.tracking_number).where(Complaint.is_public).limit(1)
            )
        application = create_app(settings, database=database, bus=MemoryBus())
        with TestClient(application) as client:
            response = client.get(f"/api/v1/complaints/{tracking}")
    assert response.status_code == 200, response.text
    assert response.json()["tracking_number"] == tracking


def test_restore_refuses_a_database_that_is_not_empty(
    demo_archive: Path, database_url: str, tmp_path: Path
) -> None:
    code, output = run_backup_cli(
        database_url, "backup", "restore", str(demo_archive), media_dir=tmp_path / "m"
    )
    assert code == 1
    assert "tidak kosong" in output
    assert "not empty" in output
    assert not (tmp_path / "m").exists()  # nothing written
