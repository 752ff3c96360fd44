"""``pontive backup create | verify | restore`` (docs/operations.md, Backups).

Exit status: 0 done; 1 refused (wrong data key, target not empty, newer revision, database
not migrated); 2 bad configuration or options; 3 the archive is damaged or not an archive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pontive.backup.archive import ArchiveReader
from pontive.backup.errors import BackupError
from pontive.clitools import load_settings, open_database
from pontive.core.timeutil import WIB, utcnow

app = typer.Typer(help="Backups of the database and media, and their restore.")


def _fail(error: BackupError) -> typer.Exit:
    typer.echo(f"Error: {error.message_id} / {error.message_en}", err=True)
    return typer.Exit(error.exit_code)


def _default_name() -> str:
    return f"pontive-{utcnow():%Y%m%dT%H%M%SZ}.tar"


@app.command("create")
def create(
    output: Annotated[
        Path | None,
        typer.Option(help="Archive file, or a folder to write it in. Default ./var/backup/."),
    ] = None,
    no_media: Annotated[
        bool, typer.Option("--no-media", help="Leave the media folder out.")
    ] = False,
) -> None:
    """Write a consistent archive of the database and media while the platform runs."""
    from pontive.backup.create import create_backup

    settings = load_settings()
    target = output or Path("var/backup")
    if target.is_dir() or output is None:
        target = target / _default_name()
    with open_database(settings) as database:
        try:
            result = create_backup(
                database=database,
                data_key=settings.data_key,
                media_dir=None if no_media else settings.media_dir,
                output=target,
                exclude=(settings.analytics_dir,),
            )
        except BackupError as error:
            raise _fail(error) from error
    manifest = result.manifest
    rows = sum(table.rows for table in manifest.tables)
    typer.echo(
        f"Cadangan / backup: {result.path} ({result.size} bytes): {len(manifest.tables)} "
        f"tables, {rows} rows, {len(manifest.media_members)} media files, "
        f"revision {manifest.alembic_revision}."
    )
    if manifest.skipped_tables:
        typer.echo(f"Not Pontive's, left out: {', '.join(manifest.skipped_tables)}", err=True)


@app.command("verify")
def verify(
    archive_file: Annotated[Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False)],
) -> None:
    """Check an archive's manifest, every checksum and the data key, without restoring."""
    from pontive.backup import archive

    settings = load_settings()
    try:
        with ArchiveReader(archive_file) as reader:
            checked = reader.verify()
            manifest = reader.manifest
    except BackupError as error:
        raise _fail(error) from error
    created = manifest.created_at
    typer.echo(
        f"Arsip utuh / archive intact: {len(manifest.members)} members, {checked} bytes; "
        f"created {created} (UTC) from {manifest.source_engine}, Pontive "
        f"{manifest.pontive_version}, revision {manifest.alembic_revision}."
    )
    for table in manifest.tables:
        typer.echo(f"  {table.name}\t{table.rows}")
    if manifest.key_fingerprint != archive.key_fingerprint(settings.data_key):
        typer.echo(
            "Error: PONTIVE_DATA_KEY bukan kunci arsip ini; pemulihan akan ditolak. / "
            "PONTIVE_DATA_KEY is not this archive's key; a restore would be refused.",
            err=True,
        )
        raise typer.Exit(1)


@app.command("restore")
def restore(
    archive_file: Annotated[Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False)],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Erase every Pontive table of the target first (stop the platform)."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --replace.")] = False,
    no_media: Annotated[
        bool, typer.Option("--no-media", help="Restore the database only.")
    ] = False,
) -> None:
    """Restore an archive into an empty database (and the media folder)."""
    from pontive.backup.restore import restore_backup

    settings = load_settings()
    if replace and not yes:
        typer.confirm(
            "Hapus SEMUA data Pontive di basis data tujuan lalu pulihkan? / "
            "Erase ALL Pontive data in the target database and restore?",
            abort=True,
        )
    started = utcnow()
    with open_database(settings) as database:
        try:
            with ArchiveReader(archive_file) as reader:
                result = restore_backup(
                    reader=reader,
                    database=database,
                    data_key=settings.data_key,
                    media_dir=None if no_media else settings.media_dir,
                    replace=replace,
                )
        except BackupError as error:
            raise _fail(error) from error
    for name, count in result.counts.items():
        typer.echo(f"  {name}\t{count}")
    seconds = (utcnow() - started).total_seconds()
    typer.echo(
        f"Dipulihkan / restored: {sum(result.counts.values())} rows in {len(result.counts)} "
        f"tables, {result.media_files} media files written, audit chain intact "
        f"({result.audit_events} events), {seconds:.1f} s, done {utcnow().astimezone(WIB):%H:%M} "
        "WIB."
    )
    if result.is_older_revision:
        typer.echo(
            "Arsip dari revisi lama: jalankan `pontive db upgrade` sekarang. / "
            "The archive is from an older revision: run `pontive db upgrade` now."
        )
