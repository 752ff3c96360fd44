"""``pontive analytics export``: write the workspace's Parquet export now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pontive.analytics import workspace_export
from pontive.clitools import load_settings, open_database


def export(
    folder: Annotated[
        Path | None,
        typer.Option("--dir", help="Export folder (default: PONTIVE_ANALYTICS_DIR)."),
    ] = None,
) -> None:
    """Ekspor riwayat ke Parquet / export the platform's history to Parquet."""
    settings = load_settings()
    target = folder or settings.analytics_dir
    with open_database(settings) as database, database.session() as session:
        manifest = workspace_export.export(session, target)
    for table in manifest.tables:
        partitions = f" by {', '.join(table.partitioned_by)}" if table.partitioned_by else ""
        typer.echo(f"{table.name}: {table.rows} rows, {table.files} files{partitions}")
    typer.echo(
        f"exported {len(manifest.tables)} tables, {manifest.total_rows} rows in "
        f"{manifest.seconds:.1f} s to {manifest.snapshot}"
    )


def register(app: typer.Typer, train: typer.Typer, evaluate: typer.Typer) -> None:
    """Add this part's commands to ``pontive analytics`` and its ``train``/``evaluate``."""
    app.command("export")(export)
