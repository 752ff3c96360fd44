"""``pontive backup restore``: an archive into an empty system.

Order, so that a refusal never leaves anything half done:

1. read the manifest: format, data key fingerprint (a wrong key is refused: the personal data
   would be unreadable), Alembic revision (one newer than this code is refused);
2. check every member's SHA-256 — nothing is written before the whole archive checks out;
3. check the target: no Pontive table in the database (``replace`` drops them first), no
   media file that would be overwritten with different bytes;
4. write the media files (before the rows that name them, as the platform does);
5. migrate the empty database to the archive's revision and load every row in one
   transaction (on failure the database holds no rows);
6. verify the audit chain and compare the row counts with the manifest.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, inspect

from pontive.backup import archive, load
from pontive.backup.archive import ArchiveReader
from pontive.backup.errors import BackupError
from pontive.core import audit, migrate
from pontive.core.db import WRITE_OPTION, Base, Database
from pontive.core.storage import MediaStore
from pontive.domains import load_models
from pontive.sensors import partitions

# Functions the migrations create on PostgreSQL, dropped with the tables by ``replace``.
_PG_FUNCTIONS = ("audit_events_append_only()",)


@dataclass(frozen=True)
class RestoreResult:
    """What ``restore_backup`` did."""

    counts: dict[str, int]
    media_files: int
    audit_events: int
    is_older_revision: bool


def code_head(engine: Engine) -> str:
    """The newest Alembic revision this code knows."""
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    return str(script.get_current_head())


def check_archive(reader: ArchiveReader, *, data_key: str, engine: Engine) -> bool:
    """Refuse an archive made with another data key or by newer code; True when it is from
    an older revision (``pontive db upgrade`` follows the restore)."""
    manifest = reader.manifest
    if manifest.key_fingerprint != archive.key_fingerprint(data_key):
        raise BackupError(
            "PONTIVE_DATA_KEY tidak cocok dengan kunci saat cadangan dibuat: data pribadi tidak "
            "akan terbaca. Pasang kunci yang benar, lalu ulangi.",
            "PONTIVE_DATA_KEY differs from the key the backup was made with: personal data "
            "would be unreadable. Set the right key and try again.",
        )
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    try:
        known = script.get_revision(manifest.alembic_revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(
            f"Arsip dari revisi basis data {manifest.alembic_revision} yang lebih baru dari "
            f"kode ini (Pontive {manifest.pontive_version}): pasang versi Pontive itu dahulu.",
            f"The archive is from database revision {manifest.alembic_revision}, newer than "
            f"this code (Pontive {manifest.pontive_version}): install that version first.",
        )
    return manifest.alembic_revision != code_head(engine)


def pontive_tables(engine: Engine) -> list[str]:
    """Tables of Pontive present in the database (models, migrations, datastore)."""
    load_models()
    names = inspect(engine).get_table_names()
    ours = set(Base.metadata.tables) | {"alembic_version"}
    return sorted(n for n in names if n in ours or n.startswith(("ds_", "dsst_")))


def drop_pontive_tables(engine: Engine) -> None:
    """Drop every Pontive table (``--replace``), so that the database is empty again."""
    tables = pontive_tables(engine)
    with migrate.migration_connection(engine) as connection, connection.begin():
        for name in tables:
            cascade = " CASCADE" if connection.dialect.name == "postgresql" else ""
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"{cascade}')
        if connection.dialect.name == "postgresql":
            for function in _PG_FUNCTIONS:
                connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    partitions.forget_partitions()


def check_media_target(reader: ArchiveReader, store: MediaStore, *, replace: bool) -> None:
    """Refuse when a file in the media folder would be overwritten with other bytes."""
    for member in reader.manifest.media_members:
        path = store.path(member.removeprefix("media/"))
        if not path.exists() or replace:
            continue
        if _sha256(path) != reader.manifest.members[member]:
            raise BackupError(
                f"Berkas media {path} sudah ada dengan isi lain; tidak ada yang ditulis.",
                f"Media file {path} exists with other content; nothing was written.",
            )


def write_media(reader: ArchiveReader, store: MediaStore) -> int:
    """Write every media file (atomically, fsynced); returns how many were written."""
    written = 0
    for member in reader.manifest.media_members:
        path = store.path(member.removeprefix("media/"))
        if path.exists() and _sha256(path) == reader.manifest.members[member]:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        with reader.open_member(member) as source, temporary.open("wb") as target:
            while chunk := source.read(archive.CHUNK):
                target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        temporary.replace(path)
        written += 1
    return written


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(archive.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def restore_backup(
    *,
    reader: ArchiveReader,
    database: Database,
    data_key: str,
    media_dir: Path | None,
    replace: bool = False,
) -> RestoreResult:
    """Restore ``reader``'s archive into ``database`` (and ``media_dir``, unless None)."""
    engine = database.engine
    is_older = check_archive(reader, data_key=data_key, engine=engine)
    reader.verify()
    present = pontive_tables(engine)
    if present and not replace:
        raise BackupError(
            f"Basis data tujuan tidak kosong ({len(present)} tabel Pontive, mis. {present[0]}). "
            "Pulihkan ke basis data baru yang kosong, atau pakai --replace untuk menghapus "
            "isinya.",
            f"The target database is not empty ({len(present)} Pontive tables, e.g. "
            f"{present[0]}). Restore into a new empty database, or use --replace to erase it.",
        )
    store = MediaStore(media_dir) if media_dir is not None else None
    if store is not None:
        check_media_target(reader, store, replace=replace)
    if present:
        drop_pontive_tables(engine)
    media_files = write_media(reader, store) if store is not None else 0
    migrate.upgrade(engine, reader.manifest.alembic_revision)
    writer = engine.execution_options(**{WRITE_OPTION: True})
    with writer.connect() as connection, connection.begin():
        counts = load.load_tables(reader, connection)
    report = _verify_restored(database, reader, counts)
    return RestoreResult(counts, media_files, report.checked, is_older)


def _verify_restored(
    database: Database, reader: ArchiveReader, counts: dict[str, int]
) -> audit.ChainReport:
    for table in reader.manifest.tables:
        if counts.get(table.name) != table.rows:
            raise BackupError(
                f"Jumlah baris {table.name} berbeda: {counts.get(table.name)} ≠ {table.rows}.",
                f"Row count of {table.name} differs: {counts.get(table.name)} != {table.rows}.",
            )
    with database.session(write=False) as session:
        report = audit.verify_chain(session)
    if not report.is_intact:
        raise BackupError(
            f"Rantai audit hasil pemulihan RUSAK pada peristiwa {report.broken_id}.",
            f"The restored audit chain is BROKEN at event {report.broken_id}: {report.reason}.",
        )
    return report
