"""The ``pontive`` command: the same verbs for people, ``make`` and CI.

Every command is documented in docs/operations.md; ``tests/test_docs.py`` fails when one is
not. Domains add groups from ``<domain>/cli.py`` (a Typer ``app``).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from pontive import domains
from pontive.clitools import fail, load_settings, open_database
from pontive.core import audit, auth, migrate
from pontive.core.errors import DomainError
from pontive.core.events import create_bus
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.settings import Environment

app = typer.Typer(help="Pontive: platform Smart City Kota Pontianak.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
apikeys_app = typer.Typer(help="API keys for machine clients.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
demo_app = typer.Typer(help="Demonstration data.", no_args_is_help=True)
for name, group in (
    ("db", db_app),
    ("users", users_app),
    ("apikeys", apikeys_app),
    ("audit", audit_app),
    ("demo", demo_app),
):
    app.add_typer(group, name=name)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web platform and APIs over HTTP."""
    settings = load_settings()
    typer.echo(f"Pontive on http://{host}:{port} (env={settings.env.value})", err=True)
    uvicorn.run(
        "pontive.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
        server_header=False,
    )


@app.command()
def worker() -> None:
    """Run background jobs (scheduled checks, later ingest) until stopped."""
    from pontive.core.heap import collector_paused, freeze_startup_heap

    with collector_paused():
        from pontive.core.worker import run_worker

        settings = load_settings()
    with open_database(settings) as database:
        freeze_startup_heap()
        asyncio.run(run_worker(database, create_bus(settings.bus_url)))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations, then refresh the reference data shipped with Pontive."""
    from pontive.reference.service import seed_reference

    settings = load_settings()
    with open_database(settings) as database:
        migrate.upgrade(database.engine, revision)
        with database.session() as session:
            rows = seed_reference(session=session)
            for _domain, module in domains.domain_modules("seed"):
                rows += module.seed(session=session)
    typer.echo(f"Database at {revision}; {rows} reference rows refreshed.")


@demo_app.command("load")
def demo_load(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Only into an empty DB.")] = False,
    boundaries: Annotated[
        Path | None, typer.Option(help="Kelurahan boundaries GeoJSON to load too.", exists=True)
    ] = None,
) -> None:
    """Fill the database with believable Pontianak demo data."""
    from pontive.demo import is_empty, load_demo

    settings = load_settings()
    if settings.env is Environment.PRODUCTION:
        typer.echo(
            "Refused: demo data (with known passwords) is for PONTIVE_ENV=dev or test.", err=True
        )
        raise typer.Exit(1)
    with open_database(settings) as database, database.session() as session:
        if not is_empty(session):
            if if_empty:
                typer.echo("Database already has data; demo not loaded.")
                return
            typer.echo("Refused: the database is not empty.", err=True)
            raise typer.Exit(1)
        try:
            for line in load_demo(session, boundaries=boundaries):
                typer.echo(f"loaded {line}")
        except DomainError as error:
            raise fail(error) from error


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="Login name.")],
    role: Annotated[Role, typer.Option(help="One of the roles in DESIGN.md.")],
    pd: Annotated[str | None, typer.Option(help="Perangkat Daerah code (petugas_pd).")] = None,
    full_name: Annotated[str, typer.Option(help="Display name.")] = "",
    email: Annotated[str | None, typer.Option(help="E-mail (stored encrypted).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user account."""
    settings = load_settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_database(settings) as database, database.session() as session:
        try:
            user = auth.create_user(
                session=session,
                actor=system_actor("cli"),
                username=username,
                password=password,
                role=role,
                full_name=full_name,
                email=email,
                pd_kode=pd,
            )
        except DomainError as error:
            raise fail(error) from error
        typer.echo(f"Created user {user.username} ({user.role.value}).")


@users_app.command("reset-2fa")
def users_reset_2fa(username: Annotated[str, typer.Option(help="Login name.")]) -> None:
    """Turn a user's two-step verification off (lost phone and recovery codes)."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        try:
            user = auth.reset_second_factor(
                session=session, actor=system_actor("cli"), username=username
            )
        except DomainError as error:
            raise fail(error) from error
        typer.echo(f"Two-step verification of {user.username} is off; sessions ended.")


@apikeys_app.command("create")
def apikeys_create(
    name: Annotated[str, typer.Option(help="A unique name for the client.")],
    role: Annotated[Role, typer.Option(help="The role the key acts as.")],
    pd: Annotated[str | None, typer.Option(help="Perangkat Daerah code (petugas_pd).")] = None,
    scope: Annotated[list[str] | None, typer.Option(help="Scope (repeatable).")] = None,
) -> None:
    """Create an API key; the key is printed alone on the last line and never again."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        try:
            key, secret = auth.create_api_key(
                session=session,
                actor=system_actor("cli"),
                name=name,
                role=role,
                pd_kode=pd,
                scopes=scope,
            )
        except DomainError as error:
            raise fail(error) from error
        typer.echo(f"Created API key {key.name} ({key.role.value}); store it now:")
        typer.echo(secret)


@apikeys_app.command("revoke")
def apikeys_revoke(name: Annotated[str, typer.Option(help="Name of the key.")]) -> None:
    """Revoke an API key at once."""
    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        try:
            auth.revoke_api_key(session=session, actor=system_actor("cli"), name=name)
        except DomainError as error:
            raise fail(error) from error
        typer.echo(f"Revoked API key {name}.")


@apikeys_app.command("list")
def apikeys_list() -> None:
    """List API keys (names, roles, prefixes; never the secrets)."""
    settings = load_settings()
    with open_database(settings) as database, database.session(write=False) as session:
        for key in auth.list_api_keys(session=session, actor=system_actor("cli")):
            state = "revoked" if key.revoked_at else "active"
            typer.echo(
                f"{key.name}\t{key.role.value}\t{key.pd_kode or '-'}\t{key.prefix}…\t{state}"
            )


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit hash chain; exits 1 and names the first broken link."""
    settings = load_settings()
    with open_database(settings) as database, database.session(write=False) as session:
        report = audit.verify_chain(session)
    if report.is_intact:
        typer.echo(f"Audit chain intact: {report.checked} events checked.")
        return
    typer.echo(
        f"Audit chain BROKEN at event {report.broken_id}: {report.reason} "
        f"({report.checked} events verified before it).",
        err=True,
    )
    raise typer.Exit(1)


def _add_domain_commands() -> None:
    for domain, module in domains.domain_modules("cli"):
        app.add_typer(module.app, name=domain)
    from pontive.backup.cli import app as backup_app  # not a domain: the whole system

    app.add_typer(backup_app, name="backup", no_args_is_help=True)


_add_domain_commands()


def main() -> None:
    """Entry point of the ``pontive`` script."""
    app()


if __name__ == "__main__":
    main()
