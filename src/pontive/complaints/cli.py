"""``pontive complaints …``: import reports from other channels, manage the holiday calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pontive.clitools import fail, load_settings, open_database
from pontive.complaints import sla
from pontive.complaints.importer import ImportReport, ImportSource, import_atomically
from pontive.core.errors import DomainError
from pontive.core.events import create_bus
from pontive.core.identity import system_actor
from pontive.core.storage import MediaStore

app = typer.Typer(help="Pengaduan warga / citizen reports.", no_args_is_help=True)
holidays_app = typer.Typer(help="Hari libur untuk SLA / SLA holidays.", no_args_is_help=True)
app.add_typer(holidays_app, name="holidays")


def _print_report(report: ImportReport) -> None:
    typer.echo(f"Baris diperiksa / rows checked: {report.rows}")
    for rejected in report.rejected:
        typer.echo(f"  DITOLAK baris {rejected.line}: {'; '.join(rejected.reasons)}", err=True)
    for skipped in report.skipped:
        typer.echo(
            f"  dilewati baris {skipped.line}: {skipped.external_id} sudah diimpor sebagai "
            f"{skipped.tracking_number} / already imported"
        )


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8, comma or semicolon).")],
    source: Annotated[
        ImportSource, typer.Option(help="Channel the reports came through.")
    ] = ImportSource.IMPORT,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, store nothing.")
    ] = False,
) -> None:
    """Import reports from a CSV file: all rows or none; exit 1 listing every rejected row."""
    settings = load_settings()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        typer.echo(f"Berkas tidak dapat dibaca / cannot read {file}: {error}", err=True)
        raise typer.Exit(2) from error
    bus = create_bus(settings.bus_url)
    try:
        bus.start()
        with open_database(settings) as database:
            report = import_atomically(
                database=database,
                bus=bus,
                actor=system_actor("import"),
                text=text,
                source=source,
                media=MediaStore(settings.media_dir),
                dry_run=dry_run,
            )
    except DomainError as error:
        raise fail(error) from error
    finally:
        bus.stop()
    _print_report(report)
    if not report.is_valid:
        typer.echo(
            f"{len(report.rejected)} baris ditolak; tidak ada yang diimpor. / "
            f"{len(report.rejected)} rows rejected; nothing imported.",
            err=True,
        )
        raise typer.Exit(1)
    if report.dry_run:
        typer.echo(
            f"Uji coba: semua baris valid, {report.rows - len(report.skipped)} akan diimpor. / "
            "Dry run: every row is valid; nothing stored."
        )
        return
    typer.echo(f"Diimpor / imported: {len(report.imported)} laporan")
    for number in report.imported:
        typer.echo(f"  {number}")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter("pakai format YYYY-MM-DD / use YYYY-MM-DD") from error


@holidays_app.command("list")
def holidays_list(
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
) -> None:
    """List the non-working days that SLA due dates skip."""
    settings = load_settings()
    with open_database(settings) as database, database.session(write=False) as session:
        for holiday in sla.list_holidays(session, year=year):
            typer.echo(f"{holiday.day.isoformat()}\t{holiday.day:%a}\t{holiday.name}")


@holidays_app.command("add")
def holidays_add(
    day: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")],
    name: Annotated[str, typer.Argument(help="Name, e.g. 'Cuti bersama Idul Fitri'.")],
) -> None:
    """Add a non-working day (due dates already set are not moved)."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        try:
            holiday = sla.add_holiday(
                session=session, actor=system_actor("cli"), day=_day(day), name=name
            )
        except DomainError as error:
            raise fail(error) from error
        typer.echo(f"Hari libur ditambahkan / added: {holiday.day.isoformat()} {holiday.name}")


@holidays_app.command("remove")
def holidays_remove(day: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")]) -> None:
    """Remove a non-working day."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        try:
            sla.remove_holiday(session=session, actor=system_actor("cli"), day=_day(day))
        except DomainError as error:
            raise fail(error) from error
        typer.echo(f"Hari libur dihapus / removed: {day}")
