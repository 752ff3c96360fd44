"""The pieces scale-out rests on, tested on each backend of the run: the migration lock,
singleton leases, job intervals set for every worker, and NATS namespaces."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from pontive.core import leases, worker
from pontive.core.db import Database
from pontive.core.events import Event, EventBus, MemoryBus, create_bus
from pontive.core.events_nats import split_namespace
from pontive.core.worker import Service, registered_jobs, supervise, with_intervals
from pontive.settings import Settings
from tests.conftest import (
    make_settings,
)
from tests.test_scale_out import BUS_URL, DATABASE_URL, _delete_stream

# --- the migration lock ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="the migration lock is PostgreSQL's"
)
def test_a_second_migration_waits_for_the_first(database_url: str) -> None:
    """Web units starting together each run ``pontive db upgrade``: one at a time."""
    from sqlalchemy import text

    from pontive.core import migrate

    database = Database(database_url)
    done = threading.Event()

    def second() -> None:
        migrate.upgrade(database.engine)  # at head already: nothing to do once it may go
        done.set()

    try:
        with database.engine.connect() as first, first.begin():
            first.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": migrate.MIGRATION_LOCK_KEY}
            )
            thread = threading.Thread(target=second, daemon=True)
            thread.start()
            assert not done.wait(1.0)  # blocked behind the first "migration"
        assert done.wait(30)  # the first committed: the second went on
        thread.join(5)
    finally:
        database.dispose()


# --- leases, job intervals, bus namespaces (each backend of the run) -------------------------


def _two_workers_on(
    database: Database, service: Service, stops: list[threading.Event]
) -> list[threading.Thread]:
    threads = [
        threading.Thread(
            target=supervise,
            args=(service, stop, database, MemoryBus(), make_settings("sqlite://")),
            name=f"worker{number}",
            daemon=True,
        )
        for number, stop in enumerate(stops)
    ]
    for thread in threads:
        thread.start()
    return threads


def _until(condition: Callable[[], bool], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def quick_leases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "LEASE_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(worker, "LEASE_CHECK_SECONDS", 0.1)
    monkeypatch.setattr(worker, "WATCH_POLL_SECONDS", 0.02)
    monkeypatch.setattr(worker, "SERVICE_RESTART_SECONDS", 0.05)


@pytest.mark.usefixtures("quick_leases")
def test_a_singleton_runs_in_one_worker_and_the_other_takes_over(database: Database) -> None:
    runs: list[str] = []
    running: set[str] = set()

    def singleton(stop: threading.Event, _db: Database, _bus: EventBus, _s: Settings) -> None:
        me = threading.current_thread().name
        runs.append(me)
        running.add(me)
        stop.wait(30)
        running.discard(me)

    service = Service(f"test.singleton.{uuid.uuid4().hex[:8]}", singleton, singleton=_yes)
    stops = [threading.Event(), threading.Event()]
    threads = _two_workers_on(database, service, stops)
    try:
        assert _until(lambda: len(running) == 1)
        time.sleep(0.6)  # several lease checks and retries later: still one, never restarted
        assert len(running) == 1
        assert len(runs) == 1
        holder = runs[0]
        stops[int(holder[-1])].set()  # the holder's worker stops: the other takes over
        assert _until(lambda: running == {f"worker{1 - int(holder[-1])}"})
        assert runs == [holder, f"worker{1 - int(holder[-1])}"]
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(10)


@pytest.mark.postgres
@pytest.mark.usefixtures("quick_leases")
def test_a_singleton_that_loses_its_database_session_stops(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    if database.is_sqlite:
        pytest.skip("a PostgreSQL session can be lost; a SQLite file lock cannot")
    from sqlalchemy import text

    ended = threading.Event()

    def singleton(stop: threading.Event, _db: Database, _bus: EventBus, _s: Settings) -> None:
        stop.wait(30)
        ended.set()

    service = Service(f"test.lost.{uuid.uuid4().hex[:8]}", singleton, singleton=_yes)
    key = leases.lock_key(service.name)
    stops = [threading.Event()]
    threads = _two_workers_on(database, service, stops)
    try:
        held = text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :objid")
        objid = {"objid": key & 0xFFFFFFFF}
        with database.engine.connect() as admin:
            assert _until(lambda: admin.execute(held, objid).first() is not None)
            pid = admin.execute(held, objid).scalar_one()
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert ended.wait(10)  # the watcher found the lock gone and stopped the service
        assert f"service {service.name} lost its lease" in caplog.text
    finally:
        stops[0].set()
        threads[0].join(10)


def _yes(_settings: Settings) -> bool:
    return True


def test_job_intervals_can_be_set_for_every_worker() -> None:
    settings = make_settings("sqlite://", worker_job_intervals="alerts.expire=2, audit.verify=900")
    jobs = {job.name: job for job in with_intervals(registered_jobs(), settings)}
    assert jobs["alerts.expire"].interval_seconds == 2
    assert jobs["audit.verify"].interval_seconds == 900
    assert jobs["alerts.rules_periodic"].interval_seconds == 60  # untouched
    for wrong in ("alerts.expire", "alerts.expire=0.5", "=5", "alerts.expire=soon"):
        with pytest.raises(ValidationError):
            make_settings("sqlite://", worker_job_intervals=wrong)


def test_a_nats_url_path_is_a_namespace() -> None:
    assert split_namespace("nats://127.0.0.1:4222") == (
        "nats://127.0.0.1:4222",
        "PONTIVE",
        "pontive.",
    )
    assert split_namespace("tls://u:p@nats:4222/staging-2") == (
        "tls://u:p@nats:4222",
        "STAGING_2",
        "staging-2.",
    )
    with pytest.raises(ValueError, match="namespace"):
        split_namespace("nats://nats:4222/a.b")


@pytest.mark.nats
@pytest.mark.skipif(not BUS_URL, reason="PONTIVE_TEST_BUS_URL not set: no NATS server")
def test_installations_in_other_namespaces_hear_nothing() -> None:
    server = BUS_URL.rstrip("/")
    names = [f"scale_ns_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    buses = [create_bus(f"{server}/{name}") for name in names]
    for bus in buses:
        bus.start()

    async def scenario() -> tuple[Event | None, Event | None]:
        mine, theirs = buses[0].subscribe("demo.>"), buses[1].subscribe("demo.>")
        buses[0].publish(Event("demo.ping", {"n": 1}))
        got_mine, got_theirs = await mine.get(within=5), await theirs.get(within=0.5)
        mine.close()
        theirs.close()
        return got_mine, got_theirs

    try:
        got_mine, got_theirs = asyncio.run(scenario())
    finally:
        for bus in buses:
            bus.stop()
        for name in names:
            with contextlib.suppress(Exception):
                asyncio.run(_delete_stream(server, name.upper()))
    assert got_mine is not None
    assert got_mine.type == "demo.ping"
    assert got_theirs is None
