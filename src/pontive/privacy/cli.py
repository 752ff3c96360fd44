"""``pontive privacy …``: the personal-data inventory, and a data subject's export or erasure
for the data-protection officer (acting as the system, like every command)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pontive.clitools import fail, load_settings, open_database
from pontive.core.errors import DomainError
from pontive.core.identity import system_actor
from pontive.core.storage import MediaStore
from pontive.privacy import inventory as inventory_module
from pontive.privacy import retention, service
from pontive.privacy.choices import Channel
from pontive.privacy.declare import Lookup

app = typer.Typer(help="Data pribadi (UU 27/2022) / personal data.", no_args_is_help=True)
ACTOR = system_actor("cli")


class Format(StrEnum):
    """Output formats of the inventory."""

    MD = "md"
    JSON = "json"


LookupOption = Annotated[
    Lookup, typer.Option("--by", help="tracking (nomor laporan), contact (e-mail/telepon), user.")
]
ValueArgument = Annotated[str, typer.Argument(help="The tracking number, contact or username.")]


@app.command("inventory")
def inventory_command(
    output: Annotated[Format, typer.Option("--format", help="md or json.")] = Format.MD,
) -> None:
    """Print the personal-data inventory generated from the models' declarations."""
    rows = inventory_module.inventory(load_settings())
    if output is Format.JSON:
        typer.echo(inventory_module.render_json(rows))
    else:
        typer.echo(inventory_module.render_markdown(rows), nl=False)


@app.command("export")
def export_command(
    value: ValueArgument,
    by: LookupOption = Lookup.TRACKING,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON here (else stdout).")
    ] = None,
) -> None:
    """Export everything held about a data subject as JSON; the request is recorded."""
    settings = load_settings()
    try:
        with open_database(settings) as database, database.session() as session:
            query = service.make_query(by.value, value)
            request, document = service.export(
                session, actor=ACTOR, query=query, channel=Channel.CLI
            )
    except DomainError as error:
        raise fail(error) from error
    text = service.to_json(document)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
    typer.echo(
        f"Permintaan #{request.id}: {request.records} baris dari "
        f"{len(document['sources'])} sumber / rows from sources.",
        err=True,
    )


@app.command("erase")
def erase_command(
    value: ValueArgument,
    by: LookupOption = Lookup.TRACKING,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a data subject's personal data in every domain; the request is recorded."""
    settings = load_settings()
    try:
        with open_database(settings) as database, database.session() as session:
            query = service.make_query(by.value, value)
            found = service.find(session, query)
            for item in found:
                typer.echo(f"  {item.source.name}: {len(item.ids)} baris / rows")
            if found and not yes:
                typer.confirm("Hapus data pribadi ini? / Erase this personal data?", abort=True)
            erasure = service.erase(
                session,
                actor=ACTOR,
                query=query,
                channel=Channel.CLI,
                media=MediaStore(settings.media_dir),
            )
    except DomainError as error:
        raise fail(error) from error
    typer.echo(
        f"Permintaan #{erasure.request.id}: {erasure.fields_erased} isian dihapus dari "
        f"{erasure.request.records} baris / fields erased."
    )


@app.command("retention")
def retention_command() -> None:
    """Erase now the personal data whose retention period has passed (as the worker does)."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        erased = retention.expire(session, settings=settings, media=MediaStore(settings.media_dir))
    for name, count in sorted(erased.items()):
        typer.echo(f"  {name}: {count} baris / rows")
    typer.echo(f"Selesai: {sum(erased.values())} baris / rows erased.")
