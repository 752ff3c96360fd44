"""Archives that must not be restored are refused before anything is written."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import orjson
from sqlalchemy import inspect
from tests.backup.conftest import run_backup_cli
from tests.conftest import TEST_DATA_KEY

from pontive.backup.archive import MANIFEST, ArchiveReader, key_fingerprint
from pontive.core.db import Database

OTHER_KEY = "another-data-key-0123456789abcdef0123456789"


def _assert_nothing_written(url: str, media_dir: Path) -> None:
    with Database(url) as database:
        assert inspect(database.engine).get_table_names() == []
    assert not media_dir.exists()


def _corrupt(source: Path, target: Path, member_prefix: str) -> str:
    """A copy of ``source`` with one byte changed inside the first member named so."""
    shutil.copy(source, target)
    with tarfile.open(target) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(member_prefix))
    with target.open("r+b") as handle:
        handle.seek(member.offset_data + member.size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    return member.name


def _with_manifest(source: Path, target: Path, **changes: object) -> None:
    """A copy of ``source`` whose manifest has ``changes``."""
    with tarfile.open(source) as old, tarfile.open(target, "w:") as new:
        for member in old.getmembers():
            data = old.extractfile(member)
            if member.name == MANIFEST:
                assert data is not None
                manifest = orjson.loads(data.read()) | changes
                raw = orjson.dumps(manifest)
                member.size = len(raw)
                new.addfile(member, io.BytesIO(raw))
            else:
                new.addfile(member, data)


def test_the_manifest_names_the_key_without_holding_it(demo_archive: Path) -> None:
    with ArchiveReader(demo_archive) as reader:
        manifest = reader.manifest
        raw = reader.read_member(MANIFEST)
        assert reader.verify() > 0
    assert manifest.key_fingerprint == key_fingerprint(TEST_DATA_KEY)
    assert manifest.key_fingerprint != key_fingerprint(OTHER_KEY)
    assert TEST_DATA_KEY.encode() not in raw
    assert manifest.alembic_revision
    assert manifest.created_at.endswith("+00:00")
    assert all(len(sha) == 64 for sha in manifest.members.values())


def test_verify_accepts_the_archive_and_names_a_wrong_key(
    demo_archive: Path, empty_url: str
) -> None:
    code, output = run_backup_cli(empty_url, "backup", "verify", str(demo_archive))
    assert code == 0, output
    assert "archive intact" in output
    code, output = run_backup_cli(
        empty_url, "backup", "verify", str(demo_archive), data_key=OTHER_KEY
    )
    assert code == 1
    assert "bukan kunci arsip ini" in output


def test_a_wrong_data_key_is_refused(demo_archive: Path, empty_url: str, tmp_path: Path) -> None:
    media = tmp_path / "media"
    code, output = run_backup_cli(
        empty_url, "backup", "restore", str(demo_archive), media_dir=media, data_key=OTHER_KEY
    )
    assert code == 1
    assert "PONTIVE_DATA_KEY tidak cocok" in output
    _assert_nothing_written(empty_url, media)


def test_a_corrupted_table_is_refused_before_any_write(
    demo_archive: Path, empty_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.tar"
    name = _corrupt(demo_archive, broken, "db/")
    media = tmp_path / "media"
    code, output = run_backup_cli(empty_url, "backup", "restore", str(broken), media_dir=media)
    assert code == 3
    assert f"checksum {name}" in output
    _assert_nothing_written(empty_url, media)
    code, output = run_backup_cli(empty_url, "backup", "verify", str(broken))
    assert code == 3


def test_a_corrupted_media_file_is_refused(
    demo_archive: Path, empty_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.tar"
    _corrupt(demo_archive, broken, "media/")
    media = tmp_path / "media"
    code, output = run_backup_cli(empty_url, "backup", "restore", str(broken), media_dir=media)
    assert code == 3, output
    _assert_nothing_written(empty_url, media)


def test_an_archive_of_a_newer_revision_is_refused(
    demo_archive: Path, empty_url: str, tmp_path: Path
) -> None:
    newer = tmp_path / "newer.tar"
    _with_manifest(demo_archive, newer, alembic_revision="9999")
    media = tmp_path / "media"
    code, output = run_backup_cli(empty_url, "backup", "restore", str(newer), media_dir=media)
    assert code == 1
    assert "lebih baru" in output
    assert "newer than this code" in output
    _assert_nothing_written(empty_url, media)


def test_a_file_that_is_not_an_archive_is_refused(empty_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all" * 100)
    code, output = run_backup_cli(empty_url, "backup", "verify", str(junk))
    assert code == 3
    assert "rusak" in output
