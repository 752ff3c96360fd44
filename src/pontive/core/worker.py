"""``pontive worker``: runs the registered background jobs and services until told to stop.

A job is a function called every ``interval`` seconds in a thread with its own database
session. A failing run is logged with its job name and retried at the next interval; it never
takes the worker down (STYLE.md, habit 8). A service (MQTT ingest) runs for as long as the
worker does, in its own thread, until the stop event is set on SIGINT/SIGTERM; one that fails
or returns early is logged and started again after a pause. Domains add both through
``<domain>/jobs.py`` (``JOBS`` and ``SERVICES``). With ``PONTIVE_WORKER_METRICS_ADDRESS`` the
worker serves its Prometheus metrics (the default registry) at ``http://<address>/metrics``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from pontive import domains
from pontive.core import audit
from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus
from pontive.core.models import JobRun
from pontive.core.timeutil import utcnow
from pontive.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job run gets: a session (with the bus attached) and the bus itself."""

    session: Session
    bus: EventBus


@dataclass(frozen=True, slots=True)
class Job:
    """A periodic background job."""

    name: str
    interval_seconds: float
    run: Callable[[JobContext], None]


def verify_audit_chain(context: JobContext) -> None:
    """Check the audit chain and raise the alarm on the bus when it is broken."""
    report = audit.verify_chain(context.session)
    if report.is_intact:
        log.info("audit chain intact", extra={"checked": report.checked})
        return
    log.error("audit chain broken at %s: %s", report.broken_id, report.reason)
    context.bus.publish(
        Event(
            "audit.chain_broken",
            {"broken_id": report.broken_id, "reason": report.reason},
            classification=Classification.RAHASIA,
        )
    )


CORE_JOBS = (Job("audit.verify", 3600.0, verify_audit_chain),)
SERVICE_RESTART_SECONDS = 5.0


def _always(_settings: Settings) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Service:
    """A long-running background service, e.g. MQTT ingest.

    ``run(stop, database, bus, settings)`` works until ``stop`` is set and then returns
    promptly; ``is_enabled(settings)`` says whether this worker runs it at all.
    """

    name: str
    run: Callable[[threading.Event, Database, EventBus, Settings], None]
    is_enabled: Callable[[Settings], bool] = _always


def registered_jobs() -> list[Job]:
    """Core jobs plus every domain's ``JOBS``."""
    jobs = list(CORE_JOBS)
    for _domain, module in domains.domain_modules("jobs"):
        jobs.extend(module.JOBS)
    return jobs


def registered_services() -> list[Service]:
    """Every domain's ``SERVICES`` (from ``<domain>/jobs.py``)."""
    services: list[Service] = []
    for _domain, module in domains.domain_modules("jobs"):
        services.extend(getattr(module, "SERVICES", ()))
    return services


class Outcome(StrEnum):
    """What happened when a worker tried to run a job."""

    RAN = "ran"
    FAILED = "failed"
    SKIPPED = "skipped"  # another worker ran it within this interval


def _claim(database: Database, job: Job) -> bool:
    """Take this interval's run of ``job`` unless another worker already has."""
    with database.session(write=True) as session:
        run = session.get(JobRun, job.name, with_for_update=True)
        now = utcnow()
        # A little slack so that two workers' clocks and sleeps never skip a whole interval.
        if run is not None and now - run.started_at < timedelta(seconds=job.interval_seconds * 0.9):
            return False
        if run is None:
            session.add(JobRun(name=job.name, started_at=now))
        else:
            run.started_at, run.finished_at, run.succeeded, run.error = now, None, None, None
        try:
            session.commit()
        except IntegrityError:  # another worker inserted the first row at the same moment
            return False
    return True


def _finish(database: Database, job: Job, error: str | None) -> None:
    with database.session(write=True) as session:
        run = session.get(JobRun, job.name)
        if run is not None:
            run.finished_at, run.succeeded, run.error = utcnow(), error is None, error
            session.commit()


def run_job_once(job: Job, database: Database, bus: EventBus) -> Outcome:
    """Run one job in one session unless another worker already ran it this interval."""
    if not _claim(database, job):
        return Outcome.SKIPPED
    error: str | None = None
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = bus
        try:
            job.run(JobContext(session=session, bus=bus))
            session.commit()
        except (SQLAlchemyError, DomainError, ConnectionError, OSError, ValueError) as failure:
            session.rollback()
            log.exception("job %s failed; retrying at the next interval", job.name)
            error = f"{type(failure).__name__}: {failure}"[:500]
    _finish(database, job, error)
    return Outcome.RAN if error is None else Outcome.FAILED


async def _loop(job: Job, database: Database, bus: EventBus, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.to_thread(run_job_once, job, database, bus)
        try:
            await asyncio.wait_for(stop.wait(), timeout=job.interval_seconds)
        except TimeoutError:
            continue


def supervise(
    service: Service, stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """Run ``service`` until ``stop`` is set, starting it again whenever it fails or ends."""
    while not stop.is_set():
        try:
            service.run(stop, database, bus, settings)
        except Exception:  # the supervisor: logged with its traceback, then restarted
            log.exception("service %s failed; restarting", service.name)
        else:
            if stop.is_set():
                break
            log.warning("service %s ended early; restarting", service.name)
        stop.wait(SERVICE_RESTART_SECONDS)
    log.info("service %s stopped", service.name)


def start_metrics_server(address: str) -> None:
    """Serve the default Prometheus registry at ``http://<address>/metrics``."""
    from prometheus_client import start_http_server

    host, _, port = address.rpartition(":")
    start_http_server(int(port), addr=host)
    log.info("worker metrics on http://%s/metrics", address)


async def run_worker(
    database: Database,
    bus: EventBus,
    jobs: list[Job] | None = None,
    *,
    services: list[Service] | None = None,
    settings: Settings | None = None,
) -> None:
    """Run ``jobs`` and ``services`` (default: all registered) until SIGINT or SIGTERM."""
    settings = settings or get_settings()
    jobs = registered_jobs() if jobs is None else jobs
    services = registered_services() if services is None else services
    services = [service for service in services if service.is_enabled(settings)]
    stop = asyncio.Event()
    stop_services = threading.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await asyncio.to_thread(bus.start)
    if settings.worker_metrics_address:
        start_metrics_server(settings.worker_metrics_address)
    names = {"jobs": [job.name for job in jobs], "services": [s.name for s in services]}
    log.info("worker started", extra=names)
    running = [
        asyncio.create_task(
            asyncio.to_thread(supervise, service, stop_services, database, bus, settings)
        )
        for service in services
    ]
    try:
        await asyncio.gather(stop.wait(), *(_loop(job, database, bus, stop) for job in jobs))
    finally:
        stop_services.set()
        await asyncio.gather(*running)
        await asyncio.to_thread(bus.stop)
        log.info("worker stopped")
