"""Long-running worker services: found in the domains, supervised, stopped on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import urllib.request

import pytest

from pontive.core import worker
from pontive.core.db import Database
from pontive.core.events import EventBus, MemoryBus
from pontive.core.worker import Service, registered_services, run_worker, supervise
from pontive.settings import Settings
from tests.conftest import make_settings


def test_services_come_from_the_domains_jobs_modules() -> None:
    services = registered_services()
    assert all(isinstance(service, Service) for service in services)
    assert len({service.name for service in services}) == len(services)


def test_a_failing_service_is_logged_and_started_again(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(worker, "SERVICE_RESTART_SECONDS", 0.01)
    stop = threading.Event()
    runs: list[int] = []

    def flaky(
        stop_event: threading.Event, _db: Database, _bus: EventBus, _settings: Settings
    ) -> None:
        runs.append(1)
        if len(runs) < 3:
            raise ConnectionError("broker away")
        stop_event.set()  # third time lucky: work until stopped

    service = Service("test.flaky", flaky)
    supervise(service, stop, database, MemoryBus(), make_settings("sqlite://"))
    assert len(runs) == 3
    assert caplog.text.count("service test.flaky failed; restarting") == 2


def test_a_service_ends_when_the_worker_is_stopped(database: Database) -> None:
    started = threading.Event()
    seen_stop: list[bool] = []

    def patient(
        stop_event: threading.Event, _db: Database, _bus: EventBus, _settings: Settings
    ) -> None:
        started.set()
        seen_stop.append(stop_event.wait(30))

    async def scenario() -> None:
        task = asyncio.create_task(
            run_worker(
                database,
                MemoryBus(),
                jobs=[],
                services=[Service("test.patient", patient)],
                settings=make_settings("sqlite://"),
            )
        )
        await asyncio.to_thread(started.wait, 10)
        os.kill(os.getpid(), signal.SIGTERM)  # handled by the worker's loop, as in production
        await asyncio.wait_for(task, 10)

    asyncio.run(scenario())
    assert seen_stop == [True]


def test_disabled_services_are_not_started(database: Database) -> None:
    def never(*_: object) -> None:
        raise AssertionError("a disabled service ran")

    async def scenario() -> None:
        service = Service("test.off", never, is_enabled=lambda settings: bool(settings.mqtt_url))
        task = asyncio.create_task(
            run_worker(database, MemoryBus(), jobs=[], services=[service],
                       settings=make_settings("sqlite://", mqtt_url=""))
        )  # fmt: skip
        await asyncio.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 10)

    asyncio.run(scenario())


def test_the_worker_serves_its_metrics_when_asked() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{sock.getsockname()[1]}"
    worker.start_metrics_server(address)
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert "process_cpu_seconds_total" in text  # the default registry, domains' metrics in it
