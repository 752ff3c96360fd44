"""The ``pontive`` command against a database of its own, as an operator would use it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.pool import Pool
from typer.testing import CliRunner

from pontive.cli import app
from pontive.domains import DOMAINS
from pontive.settings import get_settings
from tests.conftest import DemoDatabase, cli_env, run_cli

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/cli.db"
    for name, value in cli_env(url).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield url
    get_settings.cache_clear()


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_db_upgrade_seeds_reference_data(cli_db: str) -> None:
    code, output = run("db", "upgrade")
    assert code == 0
    assert "86 reference rows refreshed" in output


def test_every_command_closes_the_connections_it_opened(cli_db: str) -> None:
    # Run in-process (tests, a job calling a command), a command must not leave its pool to
    # the garbage collector: PostgreSQL's driver warns of every connection found open then.
    opened: list[object] = []
    closed: list[object] = []

    def on_connect(_dbapi: object, record: object) -> None:
        opened.append(record)

    def on_close(_dbapi: object, record: object) -> None:
        closed.append(record)

    event.listen(Pool, "connect", on_connect)
    event.listen(Pool, "close", on_close)
    try:
        commands = [
            ("db", "upgrade"),
            ("users", "create", "--username", "sari", "--role", "operator", "--password-stdin"),
            ("audit", "verify"),
            ("reference", "locate", "--lon", "109.3288", "--lat", "-0.0470"),
            ("demo", "load", "--if-empty"),
            ("complaints", "holidays", "list"),
        ]
        for command in commands:
            code, output = run(*command, stdin="rahasia-kuat-123\n")
            assert code == 0, (command, output)
    finally:
        event.remove(Pool, "connect", on_connect)
        event.remove(Pool, "close", on_close)
    assert opened
    assert set(map(id, closed)) == set(map(id, opened))


def test_users_create_reads_the_password_from_stdin(cli_db: str) -> None:
    code, output = run(
        "users",
        "create",
        "--username",
        "budi",
        "--role",
        "petugas_pd",
        "--pd",
        "pupr",
        "--password-stdin",
        stdin="rahasia-kuat-123\n",
    )
    assert code == 0, output
    assert "Created user budi (petugas_pd)" in output


def test_users_create_reports_field_errors(cli_db: str) -> None:
    code, output = run(
        "users",
        "create",
        "--username",
        "budi",
        "--role",
        "petugas_pd",
        "--password-stdin",
        stdin="pendek\n",
    )
    assert code == 1
    assert "pd_kode" in output
    assert "password" in output


def test_apikeys_create_prints_the_key_alone_on_the_last_line(cli_db: str) -> None:
    code, output = run(
        "apikeys",
        "create",
        "--name",
        "gateway-dlh",
        "--role",
        "petugas_pd",
        "--pd",
        "dlh",
        "--scope",
        "sensors:write",
    )
    assert code == 0, output
    last = output.strip().splitlines()[-1]
    assert last.startswith("pk_")
    assert " " not in last
    listing = run("apikeys", "list")[1]
    assert "gateway-dlh" in listing
    assert last not in listing
    assert run("apikeys", "revoke", "--name", "gateway-dlh")[0] == 0
    assert "revoked" in run("apikeys", "list")[1]
    assert run("apikeys", "revoke", "--name", "tidak-ada")[0] == 1


def test_audit_verify_catches_a_tampered_row(cli_db: str) -> None:
    code, output = run("audit", "verify")
    seeded = int(re.search(r"intact: (\d+) events", output).group(1))  # type: ignore[union-attr]
    for name in ("satu", "dua", "tiga"):
        run(
            "users",
            "create",
            "--username",
            name,
            "--role",
            "warga",
            "--password-stdin",
            stdin="rahasia-kuat-123\n",
        )
    code, output = run("audit", "verify")
    assert code == 0
    assert f"intact: {seeded + 3} events" in output
    from sqlalchemy import create_engine

    engine = create_engine(cli_db)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("UPDATE audit_events SET actor = 'penyusup' WHERE id = 2"))
    engine.dispose()
    code, output = run("audit", "verify")
    assert code == 1
    assert "BROKEN at event 2" in output


def test_demo_load_fills_an_empty_database_once(demo_database: DemoDatabase) -> None:
    # The run's demo database was filled by this very command (``demo_database``).
    assert "8 demo accounts" in demo_database.output
    # Every domain says what it loaded, except reference data (seeded by `db upgrade`) and
    # privacy (it holds requests people make, never demo rows).
    assert set(demo_database.summary) == set(DOMAINS) - {"reference", "privacy"}
    code, output = run_cli(demo_database.url, "demo", "load", "--if-empty")
    assert code == 0, output
    assert "already has data" in output
    code, output = run_cli(demo_database.url, "demo", "load")
    assert code == 1
    assert "not empty" in output


def test_demo_load_is_refused_in_production(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PONTIVE_ENV", "production")
    get_settings.cache_clear()
    code, output = run("demo", "load")
    assert code == 1
    assert "Refused" in output


def test_invalid_configuration_exits_with_a_message(
    cli_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PONTIVE_ENV", "production")
    monkeypatch.delenv("PONTIVE_SECRET_KEY")
    get_settings.cache_clear()
    code, output = run("audit", "verify")
    assert code == 2
    assert "PONTIVE_SECRET_KEY" in output


def test_reference_locate_names_the_kelurahan(cli_db: str) -> None:
    code, output = run("reference", "locate", "--lon", "109.3288", "--lat", "-0.0470")
    assert code == 0
    assert "Akcaya" in output
    code, output = run("reference", "locate", "--lon", "110.5", "--lat", "1.0")
    assert code == 1
    assert "Outside the city" in output
