"""Shared pieces of the command line: settings, database, domain errors as exit codes."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from pontive.core import crypto
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.logging import configure_logging
from pontive.settings import Settings, get_settings


def load_settings() -> Settings:
    """Settings from the environment, with logging and the data key configured."""
    try:
        settings = get_settings()
    except ValidationError as error:
        typer.echo(f"Invalid configuration:\n{error}", err=True)
        raise typer.Exit(2) from error
    configure_logging(settings.log_level, as_json=settings.log_json)
    crypto.configure(settings.data_key)
    return settings


def open_database(settings: Settings | None = None) -> Database:
    """The configured database."""
    settings = settings or load_settings()
    return Database(settings.database_url, pool_size=settings.db_pool_size)


def fail(error: DomainError) -> typer.Exit:
    """Print a domain error in both languages with its field errors; exit status 1."""
    typer.echo(f"Error: {error.message_id} / {error.message_en}", err=True)
    for field, messages in error.errors.items():
        typer.echo(f"  {field}: {'; '.join(messages)}", err=True)
    return typer.Exit(1)
