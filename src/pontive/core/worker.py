"""``pontive worker``: runs the registered background jobs and services until told to stop.

A job is a function called every ``interval`` seconds in a thread with its own database
session. A failing run is logged with its job name and retried at the next interval; it never
takes the worker down (STYLE.md, habit 8). A service (MQTT ingest) runs for as long as the
worker does, in its own thread, until the stop event is set on SIGINT/SIGTERM; one that fails
or returns early is logged and started again after a pause. Domains add both through
``<domain>/jobs.py`` (``JOBS`` and ``SERVICES``). With ``PONTIVE_WORKER_METRICS_ADDRESS`` the
worker serves its Prometheus metrics (the default registry) at ``http://<address>/metrics``.

Several workers may share one database: each interval of a job is claimed in ``job_runs``, so
one worker runs it and the others skip it; a service marked ``singleton`` runs only in the
worker holding its lease (``core/leases.py``) while the others stand by and take over within
``LEASE_RETRY_SECONDS`` when the holder stops or dies.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from prometheus_client import Counter, Gauge
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from pontive import domains
from pontive.core import audit, leases
from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus
from pontive.core.models import JobRun
from pontive.core.timeutil import utcnow
from pontive.settings import Settings, get_settings, job_intervals

log = logging.getLogger(__name__)

JOB_RUNS = Counter(
    "pontive_worker_job_runs",
    "Job intervals this worker tried: ran, failed, or skipped (another worker ran it)",
    ["name", "outcome"],  # not "job": Prometheus gives that label to the scrape job
)
LEASE_HELD = Gauge(
    "pontive_worker_service_lease_held",
    "1 while this worker holds the lease of a singleton service and runs it",
    ["service"],
)
LEASE_RETRY_SECONDS = 5.0  # how often a standby worker asks for a singleton's lease
LEASE_CHECK_SECONDS = 5.0  # how often the holder checks that it still holds it
WATCH_POLL_SECONDS = 0.5


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
    """Check the audit chain, hand the report to the domains' ``AUDIT_OBSERVERS`` (the
    privacy domain stores it and alarms the admins), and publish a break on the bus."""
    report = audit.verify_chain(context.session)
    for _domain, module in domains.domain_modules("jobs"):
        for observe in getattr(module, "AUDIT_OBSERVERS", ()):
            observe(context.session, report)
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


def _never(_settings: Settings) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class Service:
    """A long-running background service, e.g. MQTT ingest.

    ``run(stop, database, bus, settings)`` works until ``stop`` is set and then returns
    promptly; ``is_enabled(settings)`` says whether this worker runs it at all;
    ``singleton(settings)`` whether it must run in one worker at a time (under a lease).
    """

    name: str
    run: Callable[[threading.Event, Database, EventBus, Settings], None]
    is_enabled: Callable[[Settings], bool] = _always
    singleton: Callable[[Settings], bool] = _never


def registered_jobs() -> list[Job]:
    """Core jobs plus every domain's ``JOBS``."""
    jobs = list(CORE_JOBS)
    for _domain, module in domains.domain_modules("jobs"):
        jobs.extend(module.JOBS)
    return jobs


def with_intervals(jobs: list[Job], settings: Settings) -> list[Job]:
    """``jobs`` with the intervals ``PONTIVE_WORKER_JOB_INTERVALS`` overrides."""
    intervals = job_intervals(settings.worker_job_intervals)
    unknown = set(intervals) - {job.name for job in jobs}
    if unknown:
        log.warning("PONTIVE_WORKER_JOB_INTERVALS names unknown jobs: %s", sorted(unknown))
    return [
        replace(job, interval_seconds=intervals[job.name]) if job.name in intervals else job
        for job in jobs
    ]


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
        JOB_RUNS.labels(job.name, Outcome.SKIPPED.value).inc()
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
    outcome = Outcome.RAN if error is None else Outcome.FAILED
    JOB_RUNS.labels(job.name, outcome.value).inc()
    return outcome


async def _loop(job: Job, database: Database, bus: EventBus, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.to_thread(run_job_once, job, database, bus)
        try:
            await asyncio.wait_for(stop.wait(), timeout=job.interval_seconds)
        except TimeoutError:
            continue


def _watch_lease(lease: leases.Lease, stop: threading.Event, inner: threading.Event) -> None:
    """Set ``inner`` when ``stop`` is set or the lease is lost; return once ``inner`` is set."""
    next_check = time.monotonic() + LEASE_CHECK_SECONDS
    try:
        while not inner.is_set() and not stop.wait(WATCH_POLL_SECONDS):
            if time.monotonic() < next_check:
                continue
            if not lease.still_held():
                log.error("service %s lost its lease; stopping it here", lease.name)
                break
            next_check = time.monotonic() + LEASE_CHECK_SECONDS
    finally:  # whatever happened to the check, the service must not run on unguarded
        inner.set()


def run_under_lease(
    service: Service, stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """Wait for ``service``'s lease, then run it until ``stop`` is set or the lease is lost."""
    lease = leases.lease_for(database, service.name)
    while not lease.try_acquire():
        if stop.wait(LEASE_RETRY_SECONDS):
            return
    log.info("service %s: this worker holds the lease", service.name)
    LEASE_HELD.labels(service.name).set(1)
    inner = threading.Event()
    watcher = threading.Thread(
        target=_watch_lease, args=(lease, stop, inner), name=f"lease-{service.name}", daemon=True
    )
    watcher.start()
    try:
        service.run(inner, database, bus, settings)
    finally:
        inner.set()
        watcher.join()
        LEASE_HELD.labels(service.name).set(0)
        lease.release()


def supervise(
    service: Service, stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """Run ``service`` until ``stop`` is set, starting it again whenever it fails or ends (a
    singleton only while this worker holds its lease)."""
    singleton = service.singleton(settings)
    while not stop.is_set():
        try:
            if singleton:
                run_under_lease(service, stop, database, bus, settings)
            else:
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
    jobs = with_intervals(registered_jobs() if jobs is None else jobs, settings)
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
