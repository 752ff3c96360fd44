"""Shared fixtures: a migrated database per run, a rolled-back transaction per test, an app.

The backend is SQLite in a temporary file by default, or the PostgreSQL server named by
``PONTIVE_TEST_DATABASE_URL`` (a fresh database is created on it for the run and dropped
after). Each test runs inside one outer transaction that is rolled back, so tests never see
each other's rows.

The demo (``pontive demo load``) is loaded once per run into a database of its own,
``demo_database``: tests that check the demo or pages over it read it, and the browser tests'
live server runs on a copy (``clone_database_url``), since what a browser does changes it.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import URL, Connection, create_engine, make_url, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pontive.alerts import lifecycle as alerts_lifecycle
from pontive.alerts import service as alerts_service
from pontive.alerts.mode import forget_cached_modes
from pontive.app import create_app
from pontive.cli import app as cli_app
from pontive.core import auth, crypto, migrate
from pontive.core.db import Database, normalise_url
from pontive.core.events import SESSION_BUS_KEY, EventBus, MemoryBus
from pontive.core.identity import system_actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.domains import DOMAINS, domain_modules
from pontive.reference.service import forget_cached_lists, seed_reference
from pontive.settings import Environment, Settings, get_settings
from pontive.web.deps import get_db
from tests.passes import one_pass_last, skip_unless_claimed

TEST_SECRET = "test-secret-key-0123456789abcdef0123456789"
TEST_DATA_KEY = "test-data-key-0123456789abcdef0123456789ab"
PASSWORD = "kata-sandi-uji-123"
REPO = Path(__file__).resolve().parent.parent
BOUNDARIES = REPO.parent / "shared" / "data" / "pontianak_kelurahan.geojson"
# The media folder of the run's commands and servers: the demo stores the PDFs of its signed
# minutes and published incident report there, and every live server over a copy of the demo
# reads them from there (removed when the run ends).
RUN_MEDIA = Path(tempfile.gettempdir()) / f"pontive-test-media-{os.getpid()}"

# Long variants (``@pytest.mark.soak``: bigger fuzzing budgets, longer fault and load runs)
# run only under ``make soak``, which sets this.
SOAK = os.environ.get("PONTIVE_SOAK") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The one-pass modules last when the passes of ``.ci/run`` share them
    (``tests/passes.py``); the long ``soak`` variants skipped unless ``PONTIVE_SOAK=1``
    (``make soak``)."""
    one_pass_last(items)
    if SOAK:
        return
    skip = pytest.mark.skip(reason="long variant: run by `make soak` (PONTIVE_SOAK=1)")
    for item in items:
        if item.get_closest_marker("soak"):
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A one-pass module the other pass of ``.ci/run`` took skips here, before its
    fixtures are set up (``tests/passes.py``)."""
    skip_unless_claimed(item)


crypto.configure(TEST_DATA_KEY)
# The test process holds over a million objects (every domain's modules, models and routes,
# and what its tests build); the collector's default (a young pass every 700 allocations)
# set off 30 full passes of a third of a second each in a 100 s stretch of the suite: 11 %
# of its time. Young passes every 10,000 allocations made that 4 (measured on
# tests/complaints and tests/opendata: 11.3 s of collection became 4.7 s, for 2 % more
# memory). Full passes still run, so cycles holding connections or files are still closed.
gc.set_threshold(10_000, 10, 10)
# Argon2 at production cost takes ~100 ms a hash; the suite creates hundreds of users.
auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _fresh_database_url(tmp_path_factory: pytest.TempPathFactory, label: str) -> Iterator[str]:
    server_url = os.environ.get("PONTIVE_TEST_DATABASE_URL")
    if not server_url:
        path = tmp_path_factory.mktemp(label) / "pontive.db"
        yield f"sqlite:///{path}"
        return
    url = make_url(normalise_url(server_url))
    name = f"pontive_test_{label}_{uuid.uuid4().hex[:8]}"
    with _server(url) as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with _server(url) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def clone_database_url(
    tmp_path_factory: pytest.TempPathFactory, source_url: str, label: str
) -> Iterator[str]:
    """A writable copy of the database at ``source_url`` (dropped after, on PostgreSQL)."""
    if source_url.startswith("sqlite"):
        path = tmp_path_factory.mktemp(label) / "pontive.db"
        _copy_sqlite(source_url.removeprefix("sqlite:///"), str(path))
        yield f"sqlite:///{path}"
        return
    url = make_url(source_url)
    name = f"pontive_test_{label}_{uuid.uuid4().hex[:8]}"
    with _server(url) as connection:
        # A template must have no other sessions; pools of earlier readers reconnect later.
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": url.database},
        )
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with _server(url) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _copy_sqlite(source: str, target: str) -> None:
    """The SQLite database file ``source`` copied to ``target`` (consistent: backup API)."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for tests: test environment, test secrets, in-memory bus."""
    values: dict[str, object] = {
        "env": Environment.TEST,
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "data_key": TEST_DATA_KEY,
        "bus_url": "memory://",
        "log_json": False,
        "media_dir": RUN_MEDIA,
        "analytics_dir": RUN_MEDIA / "analytics",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


# Migrating and seeding takes seconds (more on PostgreSQL), and a dozen fixtures want a fresh
# database: the run's first one of each engine is migrated for real, into a template, and the
# others are copies of it. The template's URL per engine ("sqlite", "postgresql").
_TEMPLATES: dict[str, str] = {}


def prepare_database(url: str) -> None:
    """Migrate and seed the fresh, empty database at ``url`` as ``pontive db upgrade`` does:
    a copy of the run's template for its engine, made by those commands' code on first use."""
    target = make_url(normalise_url(url))
    backend = target.get_backend_name()
    if backend not in _TEMPLATES:
        _TEMPLATES[backend] = _migrated_template(target)
    template = make_url(_TEMPLATES[backend])
    if backend == "sqlite":
        _copy_sqlite(str(template.database), str(target.database))
        return
    with _server(target) as connection:
        connection.execute(text(f'DROP DATABASE "{target.database}" WITH (FORCE)'))
        connection.execute(
            text(f'CREATE DATABASE "{target.database}" TEMPLATE "{template.database}"')
        )


def _migrated_template(like: URL) -> str:
    """A migrated, seeded database on the engine of ``like``, no one connected to it."""
    if like.get_backend_name() == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="pontive-test-template-")) / "template.db"
        url = f"sqlite:///{path}"
    else:
        name = f"pontive_test_template_{uuid.uuid4().hex[:8]}"
        with _server(like) as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = like.set(database=name).render_as_string(hide_password=False)
    _migrate_and_seed(url)
    return url


def _drop_templates() -> None:
    for url in map(make_url, _TEMPLATES.values()):
        if url.get_backend_name() == "sqlite":
            shutil.rmtree(Path(str(url.database)).parent, ignore_errors=True)
        else:
            with _server(url) as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    _TEMPLATES.clear()


@contextmanager
def _server(url: URL) -> Iterator[Connection]:
    """An autocommit connection to the maintenance database of ``url``'s PostgreSQL server."""
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            yield connection
    finally:
        admin.dispose()


def _migrate_and_seed(url: str) -> None:
    database = Database(url)
    migrate.upgrade(database.engine)
    with database.session() as session:
        seed_reference(session=session)
        for _domain, module in domain_modules("seed"):
            module.seed(session=session)
    database.dispose()


@pytest.fixture(scope="session", autouse=True)
def _run_media() -> Iterator[None]:
    """Remove the run's media folder and database templates when the run ends."""
    yield
    shutil.rmtree(RUN_MEDIA, ignore_errors=True)
    _drop_templates()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded database for the whole run."""
    for url in _fresh_database_url(tmp_path_factory, "main"):
        prepare_database(url)
        yield url


def cli_env(database_url: str) -> dict[str, str]:
    """The environment of a ``pontive`` command on ``database_url`` in the test settings."""
    return {
        "PONTIVE_ENV": "test",
        "PONTIVE_DATABASE_URL": database_url,
        "PONTIVE_SECRET_KEY": TEST_SECRET,
        "PONTIVE_DATA_KEY": TEST_DATA_KEY,
        "PONTIVE_LOG_LEVEL": "WARNING",
        "PONTIVE_MEDIA_DIR": str(RUN_MEDIA),
        "PONTIVE_ANALYTICS_DIR": str(RUN_MEDIA / "analytics"),
    }


def run_cli(database_url: str, *args: str) -> tuple[int, str]:
    """Run ``pontive <args>`` in this process on ``database_url``: (exit code, output)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, list(args), env=cli_env(database_url))
    finally:
        get_settings.cache_clear()
        root.handlers[:] = handlers
        root.setLevel(level)
        crypto.configure(TEST_DATA_KEY)
    return result.exit_code, result.output


@dataclass(frozen=True)
class DemoDatabase:
    """A database holding the whole demo, loaded once per run: to read, never to change."""

    url: str
    output: str  # what ``pontive demo load`` printed
    summary: dict[str, str]  # each domain's summary line of that output
    # When loading began: the demo's times are relative to it (tests run minutes later).
    loaded_at: datetime


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabase]:
    """Migrated, seeded, boundaries and every domain's demo loaded by the same commands as
    ``make run`` (``tests/test_cli.py`` checks what the command printed)."""
    for url in _fresh_database_url(tmp_path_factory, "demo"):
        code, output = run_cli(url, "db", "upgrade")
        assert code == 0, output
        loaded_at = utcnow()
        args = ["--boundaries", str(BOUNDARIES)] if BOUNDARIES.exists() else []
        code, output = run_cli(url, "demo", "load", *args)
        assert code == 0, output
        lines = (line.removeprefix("loaded ") for line in output.splitlines())
        pairs = (line.split(": ", 1) for line in lines if ": " in line)
        summary = {name: line for name, line in pairs if name in DOMAINS}
        yield DemoDatabase(url, output, summary, loaded_at)


@pytest.fixture
def demo_session(demo_database: DemoDatabase) -> Iterator[Session]:
    """A session on the demo database (rolled back: the demo is shared)."""
    database = Database(demo_database.url)
    try:
        with database.session(write=False) as session:
            yield session
            session.rollback()
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    """The run's database."""
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """A command run in-process (``pontive ...`` through ``CliRunner``) points the root logger
    at its captured stderr, closed once it returns: put back what was there."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _fresh_reference_cache() -> Iterator[None]:
    """Rolled-back changes must not survive in the process-wide reference cache."""
    yield
    forget_cached_lists()
    forget_cached_modes()


@pytest.fixture
def bus() -> MemoryBus:
    """An in-process bus for one test."""
    return MemoryBus()


@pytest.fixture
def session(database: Database, bus: MemoryBus) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = database.engine.connect()
    outer = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    db_session.info[SESSION_BUS_KEY] = bus
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def media(tmp_path: Path) -> MediaStore:
    """A media store in the test's own folder."""
    return MediaStore(tmp_path / "media")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Test settings pointing at the run's database and the test's media folder."""
    return make_settings(database_url, media_dir=tmp_path / "media")


@pytest.fixture
def app(
    settings: Settings,
    database: Database,
    bus: MemoryBus,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> FastAPI:
    """The application, with every request using the test's rolled-back session.

    The alert evaluator and distribution loops a web process runs on the in-memory bus are
    left out: they work in sessions of their own, which cannot see the test's rolled-back
    transaction, and on SQLite would wait for its write lock. ``tests/alerts`` tests them on
    their own and through a live server (``test_end_to_end.py``)."""

    def start_without_loops(settings: Settings, database: Database, bus: EventBus) -> None:
        alerts_service.configure(settings)

    monkeypatch.setattr(alerts_lifecycle, "start", start_without_loops)
    application = create_app(settings, database=database, bus=bus)

    def _test_session(request: Request) -> Iterator[Session]:
        request.state.db_session = session
        yield session

    application.dependency_overrides[get_db] = _test_session
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client for the app (lifespan included)."""
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def make_user(session: Session):  # type: ignore[no-untyped-def]
    """Factory: ``make_user(Role.OPERATOR, pd_kode=None) -> User`` with ``PASSWORD``."""
    counter = iter(range(1, 10_000))

    def _make(role: Role, *, pd_kode: str | None = None, username: str | None = None) -> User:
        name = username or f"{role.value.replace('_', '')}{next(counter)}"
        return auth.create_user(
            session=session,
            actor=system_actor("test"),
            username=name,
            password=PASSWORD,
            role=role,
            full_name=f"Pengguna {name}",
            email=f"{name}@contoh.id",
            pd_kode=pd_kode,
        )

    return _make


@pytest.fixture
def bearer(session: Session, make_user):  # type: ignore[no-untyped-def]
    """Factory: ``bearer(role, pd_kode=None) -> headers`` with a fresh token of a new user."""

    def _make(role: Role, pd_kode: str | None = None) -> dict[str, str]:
        user = make_user(role, pd_kode=pd_kode)
        secret = auth.issue_token(session=session, user=user, name="t", ttl=timedelta(hours=1))
        return {"Authorization": f"Bearer {secret}"}

    return _make


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form (CSRF included)."""
    page = client.get("/masuk")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
