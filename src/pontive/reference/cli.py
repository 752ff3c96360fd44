"""``pontive reference …``: load boundaries, resolve a point."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pontive.clitools import fail, open_database
from pontive.core.errors import DomainError
from pontive.core.identity import system_actor
from pontive.reference import service

app = typer.Typer(help="Reference data: kecamatan, kelurahan, boundaries.", no_args_is_help=True)


@app.command("load-boundaries")
def load_boundaries(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="GeoJSON file.")],
) -> None:
    """Import kelurahan polygons (features carry a ``kode`` property)."""
    with open_database() as database, database.session() as session:
        try:
            count = service.load_boundaries(session=session, actor=system_actor("cli"), path=file)
        except DomainError as error:
            raise fail(error) from error
    typer.echo(f"Loaded boundaries of {count} kelurahan.")


@app.command("locate")
def locate(
    lon: Annotated[float, typer.Option(help="Longitude (WGS84), e.g. 109.3288.")],
    lat: Annotated[float, typer.Option(help="Latitude (WGS84), e.g. -0.0470.")],
) -> None:
    """Print the kelurahan and kecamatan of a point."""
    with open_database() as database, database.session(write=False) as session:
        try:
            place = service.resolve_location(session=session, lon=lon, lat=lat)
        except DomainError as error:
            raise fail(error) from error
    if not place.is_inside_city:
        typer.echo(f"Outside the city ({place.distance_m:.0f} m from the nearest area).")
        raise typer.Exit(1)
    typer.echo(
        f"{place.kelurahan_kode} {place.kelurahan_nama}, Kec. {place.kecamatan_nama} "
        f"({place.method}, {place.distance_m:.0f} m)"
    )
